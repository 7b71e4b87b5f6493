import { ruleTests } from '../ruleTester';

ruleTests('no-baked-secrets', {
  valid: [
    'FROM node:18.16.0-alpine3.17\nENV HMAC_ALGO=sha256\n',
    { name: 'a secret without a value is a declaration only', code: 'FROM node:18.16.0-alpine3.17\nARG NPM_TOKEN\nENV HMAC_SECRET=\n' },
    { name: 'a URL without a password is fine', code: 'FROM golang:1.19\nENV DATABASE_URL=postgres://db:5432/events API_URL=https://user@example.com/x\n' },
    { name: 'public key ids and paths are not secrets', code: 'FROM python:3.11.6-slim-bookworm\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\nENV SECRET_FILE=/run/secrets/token\n' },
  ],
  invalid: [
    {
      name: 'ENV secret removed (only property)',
      code: 'FROM node:18.16.0-alpine3.17\nENV HMAC_SECRET=s3cr3t\nCMD ["node", "index.js"]\n',
      errors: [{ messageId: 'env', range: [1, 4, 1, 22], includes: 'docker run -e HMAC_SECRET' }],
      output: 'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'one of several properties',
      code: 'FROM node:18.16.0-alpine3.17\nENV HMAC_ALGO=sha256 HMAC_SECRET=s3cr3t PORT=9000\n',
      errors: [{ messageId: 'env', range: [1, 21, 1, 39] }],
      output: 'FROM node:18.16.0-alpine3.17\nENV HMAC_ALGO=sha256 PORT=9000\n',
    },
    {
      name: 'the last of several properties leaves no trailing space',
      code: 'FROM node:18.16.0-alpine3.17\nENV HMAC_ALGO=sha256 HMAC_SECRET=s3cr3t\n',
      errors: [{ messageId: 'env', range: [1, 21, 1, 39] }],
      output: 'FROM node:18.16.0-alpine3.17\nENV HMAC_ALGO=sha256\n',
    },
    {
      name: 'a password inside a URL',
      code: 'FROM golang:1.19\nENV DATABASE_URL=postgres://app:hunter2@db:5432/events\n',
      errors: [{ messageId: 'urlCredentials', range: [1, 4, 1, 54] }],
      output: 'FROM golang:1.19\n',
    },
    {
      name: 'legacy ENV syntax, ARG default, CRLF',
      code: 'FROM node:18.16.0-alpine3.17\r\nARG API_TOKEN=abc\r\nENV DB_PASSWORD hunter2\r\n',
      errors: [
        { messageId: 'arg', range: [1, 4, 1, 17] },
        { messageId: 'env', range: [2, 4, 2, 23] },
      ],
      output: 'FROM node:18.16.0-alpine3.17\r\n',
    },
    {
      name: 'secret only in a builder stage is a warning',
      code: 'FROM golang:1.19 AS b\nENV GITHUB_TOKEN=x\nFROM scratch\nCOPY --from=b /app /app\n',
      task: 'scratch',
      errors: [{ messageId: 'env', range: [1, 4, 1, 18], severity: 'warning' }],
      output: 'FROM golang:1.19 AS b\nFROM scratch\nCOPY --from=b /app /app\n',
    },
    {
      name: 'value from a build argument still bakes it in',
      code: 'FROM node:18.16.0-alpine3.17\nARG HMAC_SECRET\nENV HMAC_SECRET=$HMAC_SECRET\n',
      errors: [{ messageId: 'env', range: [2, 4, 2, 28], severity: 'error' }],
      output: 'FROM node:18.16.0-alpine3.17\nARG HMAC_SECRET\n',
    },
  ],
});

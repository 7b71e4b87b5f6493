import { ruleTests } from '../ruleTester';

ruleTests('no-shell-scripts', {
  valid: [
    'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    { name: 'a script in a builder stage is fine', code: 'FROM golang:1.19 AS b\nRUN ./build.sh\nCMD ["./build.sh"]\nFROM scratch\nCOPY --from=b /app /app\nCMD ["/app"]\n', task: 'scratch' },
    'FROM node:18.16.0-alpine3.17\nRUN sh -c "echo hi"\nCMD ["node", "index.js"]\n',
  ],
  invalid: [
    {
      name: 'sh -c wrapper with a plain command',
      code: 'FROM node:18.16.0-alpine3.17\nCMD ["sh", "-c", "node index.js"]\n',
      errors: [{ messageId: 'wrapper', range: [1, 5, 1, 32] }],
      output: 'FROM node:18.16.0-alpine3.17\nCMD ["node", "index.js"]\n',
    },
    {
      name: '/bin/bash -c with exec',
      code: 'FROM node:18.16.0-alpine3.17\nENTRYPOINT ["/bin/bash", "-c", "exec node index.js"]\n',
      errors: [{ messageId: 'wrapper', range: [1, 12, 1, 51] }],
      output: 'FROM node:18.16.0-alpine3.17\nENTRYPOINT ["node", "index.js"]\n',
    },
    {
      name: 'a wrapper that needs the shell has no fix',
      code: 'FROM golang:1.19\nCMD ["sh", "-c", "./app -port=$APP_PORT"]\n',
      errors: [{ messageId: 'wrapper', range: [1, 5, 1, 40] }],
      output: null,
    },
    {
      name: 'shell form sh -c',
      code: 'FROM node:18.16.0-alpine3.17\nCMD sh -c "node index.js"\n',
      errors: [{ messageId: 'wrapper', range: [1, 4, 1, 25] }],
      output: null,
    },
    {
      name: 'combined flags -ec and a launcher before the shell',
      code: 'FROM node:18.16.0-alpine3.17\nCMD ["/usr/bin/env", "bash", "-lc", "node index.js"]\n',
      errors: [{ messageId: 'wrapper', range: [1, 21, 1, 51] }],
      output: null,
    },
    {
      name: 'a script started through tini',
      code: 'FROM node:18.16.0-alpine3.17\nENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]\n',
      errors: [{ messageId: 'script', range: [1, 26, 1, 49] }],
      output: null,
    },
    {
      name: 'entrypoint script',
      code: 'FROM node:18.16.0-alpine3.17\nCOPY entrypoint.sh /\nENTRYPOINT ["/entrypoint.sh"]\n',
      errors: [{ messageId: 'script', range: [2, 12, 2, 28], includes: '/entrypoint.sh' }],
      output: null,
    },
    {
      name: 'a script run by a shell, CRLF',
      code: 'FROM node:18.16.0-alpine3.17\r\nCMD sh ./start.sh\r\n',
      errors: [{ messageId: 'script', range: [1, 7, 1, 17] }],
      output: null,
    },
  ],
});

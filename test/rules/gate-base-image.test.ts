import { projectRuleTests } from '../projectRuleTester';

const TAIL = '\nUSER node\nCMD ["node", "index.js"]\n';

projectRuleTests('gate-base-image', {
  task: 'gate',
  valid: [
    { name: 'the gate solution', code: 'FROM node:18.16.0-alpine3.17' + TAIL },
    { name: 'major only: pinning is pinned-base-image\'s', code: 'FROM node:18-alpine3.17' + TAIL },
    { name: 'an LTS codename', code: 'FROM node:hydrogen-alpine3.17' + TAIL },
    { name: 'docker.io/library/node', code: 'FROM docker.io/library/node:20.10.0-alpine3.17' + TAIL },
    { name: 'a digest alone cannot be read', code: 'FROM node@sha256:' + 'a'.repeat(64) + TAIL },
    { name: 'a build argument cannot be known', code: 'ARG TAG\nFROM node:${TAG}' + TAIL },
    { name: 'FROM an earlier stage follows it down', code: 'FROM node:18.16.0-alpine3.17 AS base\nFROM base' + TAIL },
    { name: 'another task', task: 'scratch', code: 'FROM alpine:3.17' + TAIL },
  ],
  invalid: [
    {
      name: 'the gate first attempt: lts-alpine',
      code: 'FROM node:lts-alpine' + TAIL,
      errors: [{ messageId: 'notAlpine317', range: [0, 10, 0, 20], severity: 'error', includes: ['newest Alpine release'] }],
      output: 'FROM node:20.10.0-alpine3.17' + TAIL,
    },
    {
      name: 'alpine without a release, keeps the version',
      code: 'FROM node:18.16.0-alpine' + TAIL,
      errors: [{ messageId: 'notAlpine317', range: [0, 10, 0, 24] }],
      output: 'FROM node:18.16.0-alpine3.17' + TAIL,
    },
    {
      name: 'Debian (no variant)',
      code: 'FROM node:18.16.0' + TAIL,
      errors: [{ messageId: 'notAlpine317', range: [0, 10, 0, 17], includes: ['Debian'] }],
      output: 'FROM node:18.16.0-alpine3.17' + TAIL,
    },
    {
      name: 'another alpine release: the newest alpine3.17 of the same major',
      code: 'FROM node:18.20.4-alpine3.19' + TAIL,
      errors: [{ messageId: 'notAlpine317', range: [0, 10, 0, 28] }],
      output: 'FROM node:18.19.0-alpine3.17' + TAIL,
    },
    {
      name: 'no tag at all',
      code: 'FROM node' + TAIL,
      errors: [{ messageId: 'notAlpine317', range: [0, 5, 0, 9] }],
      output: 'FROM node:20.10.0-alpine3.17' + TAIL,
    },
    {
      name: 'an odd major is never LTS',
      code: 'FROM node:19.5.0-alpine3.17' + TAIL,
      errors: [{ messageId: 'oddMajor', range: [0, 10, 0, 27], includes: ['Node 19'] }],
      output: 'FROM node:20.10.0-alpine3.17' + TAIL,
    },
    {
      name: 'not the node image',
      code: 'FROM alpine:3.17.7\nRUN apk add --no-cache nodejs' + TAIL,
      errors: [{ messageId: 'notNode', range: [0, 5, 0, 18] }],
      output: null,
    },
    {
      name: 'another registry',
      code: 'FROM bitnami/node:18.16.0' + TAIL,
      errors: [{ messageId: 'notNode', range: [0, 5, 0, 25] }],
      output: null,
    },
  ],
});

import { ruleTests } from '../ruleTester';

const DIGEST = 'sha256:' + 'a'.repeat(64);

ruleTests('pinned-base-image', {
  task: 'gate',
  valid: [
    'FROM node:18.16.0-alpine3.17\n',
    'FROM node:18.16-alpine3.17\n',
    'FROM --platform=linux/amd64 node:18.16.0-alpine3.17\n',
    `FROM node@${DIGEST}\n`,
    { name: 'a digest pins even a major-only tag', code: `FROM node:18-alpine3.17@${DIGEST}\n` },
    { name: 'a digest through docker.io/library', code: `FROM docker.io/library/node@${DIGEST}\n` },
    { code: 'FROM python:3.11.6-slim-bookworm\n', task: 'generic' },
    { code: 'FROM ubuntu:22.04\nFROM ubuntu:jammy\nFROM ubuntu:jammy-20240111\nFROM debian:bookworm-20240110-slim\n', task: 'generic' },
    { name: 'registry with a port', code: 'FROM localhost:5000/x:1.2\n', task: 'generic' },
    { name: 'a commit-sha tag', code: 'FROM ghcr.io/org/app:3f2a9c1\n', task: 'generic' },
    { name: 'scratch and an earlier stage are exempt', code: 'FROM golang:1.19-bullseye AS build\nFROM build AS test\nFROM scratch\nCOPY --from=build /app /app\n', task: 'scratch' },
    { name: 'stage names are matched case-insensitively', code: 'FROM node:18.16.0-alpine3.17 AS Base\nFROM base\n' },
    { name: 'COPY --from=<image> is not a FROM', code: 'FROM node:18.16.0-alpine3.17\nCOPY --from=node:latest /usr/local/bin/node /usr/local/bin/node\n' },
    { name: 'ARG without a default: unknown, silent', code: 'ARG NODE_VERSION\nFROM node:${NODE_VERSION}-alpine3.17\n' },
    { name: 'ARG with a pinned default', code: 'ARG NODE_VERSION=18.16.0\nFROM node:${NODE_VERSION}-alpine3.17\n' },
    { code: 'FROM golang:1.21.13-bullseye AS build\nFROM gcr.io/distroless/base-debian11:nonroot\n', task: 'distroless' },
    { code: `FROM gcr.io/distroless/base-debian11@${DIGEST}\n`, task: 'distroless' },
    { name: 'debug tags are explicit (rule 19 judges them)', code: 'FROM gcr.io/distroless/base-debian11:debug-nonroot\n', task: 'distroless' },
    { name: 'coach-ignore on the line before', code: '# coach-ignore pinned-base-image -- pinned by digest in CI\nFROM node:latest\n' },
    { name: 'coach-ignore-file', code: '# coach-ignore-file pinned-base-image\nFROM node\nFROM node:18\n' },
    { name: 'turned off in dockerfile-coach.json', code: 'FROM node:latest\n', files: { 'dockerfile-coach.json': '{"rules": {"pinned-base-image": "off"}}' } },
  ],
  invalid: [
    // The gate task: the fix lands on an LTS major on alpine3.17.
    {
      name: 'gate: major-only keeps the major and takes its newest patch on alpine3.17',
      code: 'FROM node:18-alpine3.17\n',
      errors: [{ messageId: 'majorOnly', range: [0, 10, 0, 23], severity: 'error', includes: 'major version 18' }],
      output: 'FROM node:18.19.0-alpine3.17\n',
    },
    {
      name: 'gate: no tag',
      code: 'FROM node\n',
      errors: [{ messageId: 'missingTag', range: [0, 5, 0, 9] }],
      output: 'FROM node:20.10.0-alpine3.17\n',
    },
    {
      name: 'gate: latest, stage name kept',
      code: 'FROM node:latest AS app\n',
      errors: [{ messageId: 'movingTag', range: [0, 10, 0, 16] }],
      output: 'FROM node:20.10.0-alpine3.17 AS app\n',
    },
    {
      name: 'gate: lts',
      code: 'FROM node:lts\n',
      errors: [{ messageId: 'movingTag', range: [0, 10, 0, 13] }],
      output: 'FROM node:20.10.0-alpine3.17\n',
    },
    {
      name: 'gate: a bare variant',
      code: 'FROM node:alpine\n',
      errors: [{ messageId: 'bareVariant', range: [0, 10, 0, 16] }],
      output: 'FROM node:20.10.0-alpine3.17\n',
    },
    {
      name: 'gate: an odd (non-LTS) major moves to the newest LTS',
      code: 'FROM node:19-alpine3.17\n',
      errors: [{ messageId: 'majorOnly', range: [0, 10, 0, 23] }],
      output: 'FROM node:20.10.0-alpine3.17\n',
    },
    {
      name: 'gate: --platform and docker.io/library',
      code: 'FROM --platform=linux/amd64 docker.io/library/node:18-alpine3.17\n',
      errors: [{ messageId: 'majorOnly', range: [0, 51, 0, 64] }],
      output: 'FROM --platform=linux/amd64 docker.io/library/node:18.19.0-alpine3.17\n',
    },
    {
      name: 'gate: CRLF line ends',
      code: 'FROM node:18-alpine3.17 AS app\r\nWORKDIR /app\r\n',
      errors: [{ messageId: 'majorOnly', range: [0, 10, 0, 23] }],
      output: 'FROM node:18.19.0-alpine3.17 AS app\r\nWORKDIR /app\r\n',
    },
    {
      name: 'gate: a FROM split over lines',
      code: 'FROM \\\n  node:18-alpine3.17\n',
      errors: [{ messageId: 'majorOnly', range: [1, 7, 1, 20] }],
      output: 'FROM \\\n  node:18.19.0-alpine3.17\n',
    },

    // Any other Dockerfile: same variant, newest patch of the line named; a warning there.
    {
      code: 'FROM node:18-alpine3.17\n',
      task: 'generic',
      errors: [{ messageId: 'majorOnly', range: [0, 10, 0, 23], severity: 'warning' }],
      output: 'FROM node:18.19.0-alpine3.17\n',
    },
    { code: 'FROM node\n', task: 'generic', errors: [{ messageId: 'missingTag', range: [0, 5, 0, 9] }], output: 'FROM node:22.12.0\n' },
    { code: 'FROM node:alpine\n', task: 'generic', errors: [{ messageId: 'bareVariant', range: [0, 10, 0, 16] }], output: 'FROM node:22.12.0-alpine\n' },
    { code: 'FROM node:16-bullseye-slim\n', task: 'generic', errors: [{ messageId: 'majorOnly', range: [0, 10, 0, 26] }], output: 'FROM node:16.20.2-bullseye-slim\n' },
    { code: 'FROM node:hydrogen-alpine\n', task: 'generic', errors: [{ messageId: 'majorOnly', range: [0, 10, 0, 25] }], output: 'FROM node:18.20.8-alpine\n' },
    { code: 'FROM node:current-alpine3.18\n', task: 'generic', errors: [{ messageId: 'movingTag', range: [0, 10, 0, 28] }], output: 'FROM node:22.2.0-alpine3.18\n' },
    {
      name: 'an empty tag',
      code: 'FROM node:\n',
      task: 'generic',
      errors: [{ messageId: 'missingTag', range: [0, 5, 0, 9] }],
      output: 'FROM node:22.12.0\n',
    },
    {
      name: 'escape directive',
      code: '# escape=`\nFROM node:18 `\n  AS build\n',
      task: 'generic',
      errors: [{ messageId: 'majorOnly', range: [1, 10, 1, 12] }],
      output: '# escape=`\nFROM node:18.20.8 `\n  AS build\n',
    },
    {
      name: 'each stage on its own; a stage name is exempt',
      code: 'FROM node:18 AS build\nFROM build\nFROM node:latest\n',
      task: 'generic',
      errors: [
        { messageId: 'majorOnly', range: [0, 10, 0, 12] },
        { messageId: 'movingTag', range: [2, 10, 2, 16] },
      ],
      output: 'FROM node:18.20.8 AS build\nFROM build\nFROM node:22.12.0\n',
    },
    { code: 'FROM python:slim-bookworm\n', task: 'generic', errors: [{ messageId: 'bareVariant', range: [0, 12, 0, 25] }], output: 'FROM python:3.12.7-slim-bookworm\n' },
    { code: 'FROM python:3-slim\n', task: 'generic', errors: [{ messageId: 'majorOnly', range: [0, 12, 0, 18] }], output: 'FROM python:3.12.7-slim\n' },
    { code: 'FROM debian:bookworm-slim\n', task: 'generic', errors: [{ messageId: 'majorOnly', range: [0, 12, 0, 25], includes: 'major version 12' }], output: 'FROM debian:12.5-slim\n' },
    { code: 'FROM alpine:3\n', task: 'generic', errors: [{ messageId: 'majorOnly', range: [0, 12, 0, 13] }], output: 'FROM alpine:3.20.3\n' },
    { code: 'FROM alpine:edge\n', task: 'generic', errors: [{ messageId: 'movingTag', range: [0, 12, 0, 16] }], output: 'FROM alpine:3.20.3\n' },
    { code: 'FROM ubuntu\n', task: 'generic', errors: [{ messageId: 'missingTag', range: [0, 5, 0, 11] }], output: 'FROM ubuntu:24.04\n' },

    // The scratch task: a pinned golang builder.
    {
      code: 'FROM golang:1-alpine AS build\nFROM scratch\nCOPY --from=build /app /app\n',
      task: 'scratch',
      errors: [{ messageId: 'majorOnly', range: [0, 12, 0, 20] }],
      output: 'FROM golang:1.23.12-alpine AS build\nFROM scratch\nCOPY --from=build /app /app\n',
    },
    {
      code: 'FROM golang:bullseye AS build\nFROM scratch\n',
      task: 'scratch',
      errors: [{ messageId: 'bareVariant', range: [0, 12, 0, 20] }],
      output: 'FROM golang:1.23.4-bullseye AS build\nFROM scratch\n',
    },

    // The distroless task: no version tags exist, so an explicit tag (nonroot) or a digest.
    {
      code: 'FROM golang:1.21.13-bullseye AS build\nFROM gcr.io/distroless/base-debian11\n',
      task: 'distroless',
      errors: [{ messageId: 'distrolessTag', range: [1, 5, 1, 36] }],
      output: 'FROM golang:1.21.13-bullseye AS build\nFROM gcr.io/distroless/base-debian11:nonroot\n',
    },
    {
      code: 'FROM gcr.io/distroless/base-debian11:latest AS final\n',
      task: 'distroless',
      errors: [{ messageId: 'distrolessTag', range: [0, 37, 0, 43] }],
      output: 'FROM gcr.io/distroless/base-debian11:nonroot AS final\n',
    },
    {
      name: 'distroless: an arch the catalog lacks gets no fix',
      code: 'FROM gcr.io/distroless/static-debian11:latest-arm64\n',
      task: 'distroless',
      errors: [{ messageId: 'distrolessTag', range: [0, 39, 0, 51] }],
      output: null,
    },
    {
      name: 'distroless: an image the catalog does not know gets no fix',
      code: 'FROM gcr.io/distroless/java17-debian11\n',
      task: 'distroless',
      errors: [{ messageId: 'distrolessTag', range: [0, 5, 0, 38] }],
      output: null,
    },

    // Variables: resolved, reported on the whole image, never edited.
    {
      name: 'ARG before FROM with a major-only default',
      code: 'ARG NODE_VERSION=18\nFROM node:${NODE_VERSION}-alpine3.17\n',
      errors: [{ messageId: 'majorOnly', range: [1, 5, 1, 36], includes: '`node:18-alpine3.17`' }],
      output: null,
    },
    {
      name: 'the whole image from an ARG',
      code: 'ARG BASE=node\nFROM ${BASE}\n',
      errors: [{ messageId: 'missingTag', range: [1, 5, 1, 12] }],
      output: null,
    },
    {
      name: 'an undeclared variable expands to nothing',
      code: 'FROM node:${NODE_VERSION}\n',
      task: 'generic',
      errors: [{ messageId: 'missingTag', range: [0, 5, 0, 25] }],
      output: null,
    },

    // Images the catalog does not know: the finding, no fix.
    { name: 'registry with a port, no tag', code: 'FROM localhost:5000/x\n', task: 'generic', errors: [{ messageId: 'missingTag', range: [0, 5, 0, 21] }], output: null },
    { code: 'FROM localhost:5000/x:latest\n', task: 'generic', errors: [{ messageId: 'movingTag', range: [0, 22, 0, 28] }], output: null },
    { code: 'FROM myorg/app:prod\n', task: 'generic', errors: [{ messageId: 'bareVariant', range: [0, 15, 0, 19] }], output: null },
    {
      name: 'a FROM naming a stage defined later pulls an image of that name',
      code: 'FROM build\nFROM node:18.16.0 AS build\n',
      task: 'generic',
      errors: [{ messageId: 'missingTag', range: [0, 5, 0, 10] }],
      output: null,
    },
    {
      name: 'nothing in the catalog keeps that variant',
      code: 'FROM node:14-alpine3.18\n',
      task: 'generic',
      errors: [{ messageId: 'majorOnly', range: [0, 10, 0, 23] }],
      output: null,
    },
  ],
});

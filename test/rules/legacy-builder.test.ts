import { ruleTests } from '../ruleTester';

ruleTests('legacy-builder', {
  valid: [
    'FROM node:18.16.0-alpine3.17\nCOPY --chown=node:node . /app\n',
    'FROM golang:1.19 AS b\nFROM scratch\nCOPY --from=b --chown=65534:65534 /app /app\n',
    { name: 'a literal platform works', code: 'FROM --platform=linux/amd64 alpine:3.17\n' },
    { name: 'a platform arg with a default', code: 'FROM alpine:3.17\nARG TARGETARCH=amd64\n' },
    { name: 'a global ARG named like a platform arg is declared', code: 'ARG BUILDPLATFORM=linux/amd64\nFROM --platform=$BUILDPLATFORM alpine:3.17\n' },
    { name: 'heredoc-looking text inside a quoted word is not a heredoc', code: "FROM alpine:3.17\nRUN echo '<<EOF' > /x\n" },
  ],
  invalid: [
    {
      name: 'RUN --mount=type=cache: removing it is safe',
      code: 'FROM node:18.16.0-alpine3.17\nRUN --mount=type=cache,target=/root/.yarn yarn install\n',
      errors: [{ messageId: 'runFlag', range: [1, 4, 1, 41], includes: 'the --mount option requires BuildKit' }],
      output: 'FROM node:18.16.0-alpine3.17\nRUN yarn install\n',
    },
    {
      name: 'RUN --mount=type=secret has no automatic fix',
      code: 'FROM alpine:3.17\nRUN --mount=type=secret,id=tok cat /run/secrets/tok\n',
      errors: [{ messageId: 'runFlag', range: [1, 4, 1, 30] }],
      output: null,
    },
    {
      name: 'RUN --network',
      code: 'FROM alpine:3.17\nRUN --network=host apk add curl\n',
      errors: [{ messageId: 'runNetwork', range: [1, 4, 1, 18] }],
      output: 'FROM alpine:3.17\nRUN apk add curl\n',
    },
    {
      name: 'COPY --link and --chmod',
      code: 'FROM alpine:3.17\nCOPY --link --chmod=755 run /run\n',
      errors: [
        { messageId: 'copyFlag', range: [1, 5, 1, 11], includes: 'Unknown flag: link' },
        { messageId: 'copyFlag', range: [1, 12, 1, 23], includes: 'the --chmod option requires BuildKit' },
      ],
      output: 'FROM alpine:3.17\nCOPY --chmod=755 run /run\n',
      remainingAfterFix: 1,
    },
    {
      name: 'ADD --checksum and a git URL',
      code: 'FROM alpine:3.17\nADD --checksum=sha256:abc https://example.com/a.tar /a\nADD https://github.com/x/y.git /src\n',
      errors: [
        { messageId: 'copyFlag', range: [1, 4, 1, 25] },
        { messageId: 'gitSource', range: [2, 4, 2, 30] },
      ],
      output: null,
    },
    {
      name: 'RUN heredoc joins into one RUN with &&',
      code: 'FROM alpine:3.17\nRUN <<EOF\napk add curl\n# comment\necho done\nEOF\nUSER nobody\n',
      errors: [{ messageId: 'heredoc', range: [1, 4, 1, 9] }],
      output: 'FROM alpine:3.17\nRUN apk add curl && \\\n    echo done\nUSER nobody\n',
    },
    {
      name: 'RUN heredoc, CRLF',
      code: 'FROM alpine:3.17\r\nRUN <<EOF\r\napk add curl\r\necho done\r\nEOF\r\n',
      errors: [{ messageId: 'heredoc', range: [1, 4, 1, 9] }],
      output: 'FROM alpine:3.17\r\nRUN apk add curl && \\\r\n    echo done\r\n',
    },
    {
      name: 'COPY heredoc has no fix',
      code: 'FROM alpine:3.17\nCOPY <<EOF /hello\nhello\nEOF\n',
      errors: [{ messageId: 'heredoc', range: [1, 5, 1, 10] }],
      output: null,
    },
    {
      name: 'FROM --platform=$BUILDPLATFORM',
      code: 'FROM --platform=$BUILDPLATFORM golang:1.19 AS b\nFROM scratch\n',
      task: 'scratch',
      errors: [{ messageId: 'platformFrom', range: [0, 5, 0, 30] }],
      output: 'FROM golang:1.19 AS b\nFROM scratch\n',
    },
    {
      name: 'ARG TARGETARCH without a default is empty',
      code: 'FROM golang:1.19 AS b\nARG TARGETARCH\nRUN GOARCH=$TARGETARCH go build -o /app .\n',
      task: 'scratch',
      errors: [{ messageId: 'platformArg', range: [1, 4, 1, 14], severity: 'warning' }],
      output: 'FROM golang:1.19 AS b\nARG TARGETARCH=amd64\nRUN GOARCH=$TARGETARCH go build -o /app .\n',
    },
    {
      name: '# syntax= is ignored by the legacy builder',
      code: '# syntax=docker/dockerfile:1\nFROM alpine:3.17\n',
      errors: [{ messageId: 'syntaxDirective', range: [0, 0, 0, 28], severity: 'warning' }],
      output: 'FROM alpine:3.17\n',
    },
    {
      name: 'generic task: advice only',
      code: 'FROM alpine:3.17\nRUN --network=none true\n',
      task: 'generic',
      errors: [{ messageId: 'runNetwork', range: [1, 4, 1, 18], severity: 'information' }],
      output: 'FROM alpine:3.17\nRUN true\n',
    },
  ],
});

import { ruleTests } from '../ruleTester';

const NODE = 'FROM node:18.16.0-alpine3.17';

ruleTests('absolute-workdir', {
  valid: [
    `${NODE}\nWORKDIR /app\nCOPY . .\nRUN mkdir upload\n`,
    { name: 'absolute through a variable', code: `${NODE}\nARG HOME=/app\nWORKDIR \${HOME}\nCOPY . .\n` },
    { name: 'a build argument without a default may be anything', code: `${NODE}\nARG DIR\nWORKDIR $DIR\nCOPY . .\n` },
    { name: 'absolute COPY destinations need no WORKDIR', code: `${NODE}\nCOPY package.json /app/\nRUN mkdir -p /app/upload\n` },
    { name: 'WORKDIR inherited from the stage it is built FROM', code: `${NODE} AS base\nWORKDIR /app\nFROM base\nCOPY . .\n` },
    { name: 'quoted absolute WORKDIR', code: `${NODE}\nWORKDIR "/my app"\nCOPY . .\n` },
    { name: 'relative path after cd in the same RUN', code: `${NODE}\nRUN cd /tmp && mkdir build\n` },
    { name: 'COPY --from to an absolute path in scratch (scratch solution)', code: 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nCOPY go.mod ./\nRUN go build -o /app.bin .\nFROM scratch\nWORKDIR /\nCOPY --from=build /app.bin /app.bin\n', task: 'scratch' },
    { name: 'rm of a relative path is not a write', code: `${NODE}\nRUN rm -f cache.txt\n` },
    { name: 'official image style: absolute WORKDIR everywhere', code: 'FROM debian:bookworm-slim\nENV NGINX_VERSION 1.25.3\nWORKDIR /usr/src/nginx\nRUN mkdir -p conf && touch conf/x\n', task: 'generic' },
    { name: 'global ARG not re-declared: expands to nothing, left to other rules', code: `ARG DIR=app\n${NODE}\nWORKDIR /srv\nWORKDIR \${DIR}\n` },
    { name: 'a variable from another stage does not cross', code: `${NODE} AS a\nARG D=app\nFROM a AS b\nWORKDIR /x\nFROM ${NODE.slice(5)}\nWORKDIR /srv\nWORKDIR $D\n`, task: 'generic' },
    { name: 'heredoc COPY is not judged', code: `${NODE}\nCOPY <<EOF app.conf\nx\nEOF\n`, task: 'generic' },
  ],
  invalid: [
    {
      name: 'relative WORKDIR on node: becomes /app',
      code: `${NODE}\nWORKDIR app\nCOPY . .\n`,
      errors: [{ messageId: 'relativeWorkdir', range: [1, 8, 1, 11], includes: 'WORKDIR /app' }],
      output: `${NODE}\nWORKDIR /app\nCOPY . .\n`,
    },
    {
      name: 'relative WORKDIR after an absolute one keeps its meaning',
      code: `${NODE}\nWORKDIR /srv\nWORKDIR ./api/\n`,
      errors: [{ messageId: 'relativeWorkdir', range: [2, 8, 2, 14], includes: '/srv/api' }],
      output: `${NODE}\nWORKDIR /srv\nWORKDIR /srv/api\n`,
    },
    {
      name: 'golang starts in /go',
      code: 'FROM golang:1.19.13-bullseye AS build\nWORKDIR src\n',
      task: 'scratch',
      errors: [{ messageId: 'relativeWorkdir', range: [1, 8, 1, 11] }],
      output: 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /go/src\n',
    },
    {
      name: 'unknown base image: no fix (its default working directory is unknown)',
      code: 'FROM registry.example.com/team/base:1.2.3\nWORKDIR app\n',
      task: 'generic',
      errors: [{ messageId: 'relativeWorkdir', range: [1, 8, 1, 11], severity: 'warning' }],
      output: null,
    },
    {
      name: 'relative through a variable: reported, not rewritten',
      code: `${NODE}\nARG DIR=app\nWORKDIR $DIR\n`,
      errors: [{ messageId: 'relativeWorkdir', range: [2, 8, 2, 12] }],
      output: null,
    },
    {
      name: 'COPY to a relative destination before any WORKDIR',
      code: `${NODE}\nCOPY . .\nWORKDIR /app\n`,
      errors: [{ messageId: 'relativeCopyBeforeWorkdir', range: [1, 7, 1, 8], includes: 'default working directory, /' }],
      output: null,
    },
    {
      name: 'ADD in JSON form',
      code: `${NODE}\nADD ["index.js", "./"]\n`,
      errors: [{ messageId: 'relativeCopyBeforeWorkdir', range: [1, 17, 1, 21] }],
      output: null,
    },
    {
      name: 'RUN writes relative paths before any WORKDIR (a warning)',
      code: `${NODE}\nRUN go build -o app.bin ./cmd && mkdir upload\n`,
      errors: [{ messageId: 'relativeRunBeforeWorkdir', range: [1, 16, 1, 23], severity: 'warning' }],
      output: null,
    },
    {
      name: 'CRLF, continuation lines and the escape directive',
      code: `# escape=\`\r\n${NODE}\r\nWORKDIR \`\r\n  app\r\nRUN mkdir \`\r\n  data\r\n`,
      errors: [{ messageId: 'relativeWorkdir', range: [3, 2, 3, 5] }],
      output: `# escape=\`\r\n${NODE}\r\nWORKDIR \`\r\n  /app\r\nRUN mkdir \`\r\n  data\r\n`,
    },
    {
      name: 'ARG before FROM must be re-declared: undeclared means unknown, silent; re-declared is judged',
      code: `ARG DIR=app\n${NODE}\nARG DIR\nWORKDIR \${DIR}\n`,
      errors: [{ messageId: 'relativeWorkdir', range: [3, 8, 3, 14] }],
      output: null,
    },
    {
      name: 'a builder stage too',
      code: 'FROM golang:1.19.13-bullseye AS build\nCOPY go.mod ./\nFROM scratch\nCOPY --from=build /go/app /app\n',
      task: 'scratch',
      errors: [{ messageId: 'relativeCopyBeforeWorkdir', range: [1, 12, 1, 14], includes: '/go' }],
      output: null,
    },
  ],
});

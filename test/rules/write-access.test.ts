import { ruleTests } from '../ruleTester';

const NODE = 'FROM node:18.16.0-alpine3.17';
const INSTALL = 'yarn install --frozen-lockfile --production';
const GO = 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o /app.bin .\n';

ruleTests('write-access', {
  valid: [
    { name: 'the gate solution: USER after the install', code: `${NODE}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN ${INSTALL}\nCOPY index.js ./\nUSER node\nCMD ["node", "index.js"]\n` },
    { name: 'the folder made and handed over before USER (node docs)', code: `${NODE}\nRUN mkdir -p /home/node/app/node_modules && chown -R node:node /home/node/app\nWORKDIR /home/node/app\nCOPY package*.json ./\nUSER node\nRUN npm ci\nCOPY --chown=node:node . .\n` },
    { name: 'COPY --chown into a folder that does not exist yet creates it for the user', code: `${NODE}\nCOPY --chown=node:node . /app\nUSER node\nWORKDIR /app\nRUN ${INSTALL}\n` },
    { name: 'the home folder of node may exist already: not judged', code: `${NODE}\nUSER node\nWORKDIR /home/node\nRUN ${INSTALL}\n` },
    { name: 'a base image we cannot see into', code: 'FROM registry.example.com/team/node:18.16.0\nUSER node\nWORKDIR /app\nRUN yarn install\n', task: 'generic' },
    { name: 'uid and name are never compared', code: `${NODE}\nRUN mkdir /app && chown 1000:1000 /app\nUSER node\nWORKDIR /app\nRUN ${INSTALL}\n` },
    { name: 'world-writable folder', code: `${NODE}\nRUN mkdir -m 1777 /data\nUSER node\nRUN touch /data/x && mkdir /tmp/cache\n` },
    { name: 'a user created by the Dockerfile (lecture): the folder name appears in an earlier RUN', code: `${NODE}\nARG HOME=/app\nRUN addgroup --gid 1001 user && adduser --disabled-password --home "\${HOME}" --ingroup user --uid 1001 user\nWORKDIR \${HOME}\nUSER user\nRUN mkdir cache\n`, task: 'generic' },
    { name: 'the scratch solution', code: `${GO}RUN mkdir /upload && chown 65534:65534 /upload\nFROM scratch\nWORKDIR /\nCOPY --from=build /app.bin /app.bin\nCOPY --from=build --chown=65534:65534 /upload /upload\nVOLUME /upload\nUSER 65534:65534\nENTRYPOINT ["/app.bin"]\n`, task: 'scratch' },
    { name: 'scratch task: /upload is upload-volume\'s to report', code: `${GO}FROM scratch\nCOPY --from=build /app.bin /app.bin\nVOLUME /upload\nUSER 65534:65534\nENTRYPOINT ["/app.bin"]\n`, task: 'scratch' },
    { name: 'a USER from a build argument without a default', code: `${NODE}\nARG U\nUSER $U\nWORKDIR /app\nRUN ${INSTALL}\n` },
    { name: 'a global install does not write to the working directory', code: `${NODE}\nUSER node\nWORKDIR /app\nRUN npm install -g pm2\n` },
    { name: 'root again before the install', code: `${NODE}\nUSER node\nWORKDIR /app\nUSER root\nRUN ${INSTALL}\nUSER node\n` },
    { name: 'official-image style: postgres data dir chowned before VOLUME', code: 'FROM debian:12.2-slim\nRUN mkdir -p /var/lib/postgresql/data && chown -R postgres:postgres /var/lib/postgresql/data\nVOLUME /var/lib/postgresql/data\nUSER postgres\n', task: 'generic' },
  ],
  invalid: [
    {
      name: 'USER node, then WORKDIR /app, then the install (the brief\'s example)',
      code: `${NODE}\nUSER node\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN ${INSTALL}\n`,
      errors: [{ messageId: 'runNotWritable', range: [4, 0, 4, 3], includes: 'WORKDIR on line 3' }],
      output: null,
    },
    {
      name: 'COPY --chown into an existing root-owned WORKDIR leaves the folder itself root-owned',
      code: `${NODE}\nWORKDIR /app\nCOPY --chown=node:node . .\nUSER node\nRUN npm ci --omit=dev\n`,
      errors: [{ messageId: 'runNotWritable', range: [4, 0, 4, 3] }],
      output: null,
    },
    {
      name: 'a folder a root COPY created; CRLF and continuation lines',
      code: `${NODE}\r\nCOPY package.json /srv/app/\r\nUSER node\r\nRUN cd /srv/app && \\\r\n  yarn install\r\n`,
      errors: [{ messageId: 'runNotWritable', range: [3, 0, 3, 3], includes: 'COPY on line 2' }],
      output: null,
    },
    {
      name: 'mkdir as root, then the user writes into it; the escape directive',
      code: `# escape=\`\n${NODE}\nRUN mkdir -p /opt/app\nUSER node\nRUN go build -o /opt/app/bin \`\n  ./cmd\n`,
      errors: [{ messageId: 'runNotWritable', range: [4, 0, 4, 3], includes: '`mkdir` on line 3' }],
      output: null,
    },
    {
      name: 'generic (BuildKit): WORKDIR follows USER there, so only information',
      code: `${NODE}\nUSER node\nWORKDIR /usr/src/app\nRUN npm ci\n`,
      task: 'generic',
      errors: [{ messageId: 'runNotWritable', range: [3, 0, 3, 3], severity: 'information' }],
      output: null,
    },
    {
      name: 'the USER comes from a stage the final one is built FROM; the ARG before FROM is re-declared',
      code: `ARG APP_DIR=/app\n${NODE} AS base\nUSER node\nFROM base\nARG APP_DIR\nWORKDIR \${APP_DIR}\nRUN ${INSTALL}\n`,
      errors: [{ messageId: 'runNotWritable', range: [6, 0, 6, 3] }],
      output: null,
    },
    {
      name: 'a volume the non-root app writes to stays root-owned',
      code: `${NODE}\nWORKDIR /app\nRUN mkdir /app/uploads\nVOLUME /app/uploads\nUSER node\nCMD ["node", "index.js"]\n`,
      errors: [{ messageId: 'volumeNotWritable', range: [3, 7, 3, 19], includes: 'owned by root' }],
      output: null,
    },
    {
      name: 'scratch: a volume nothing created (outside the scratch task)',
      code: `${GO}FROM scratch\nCOPY --from=build /app.bin /app.bin\nVOLUME ["/data"]\nUSER 65534:65534\nENTRYPOINT ["/app.bin"]\n`,
      task: 'generic',
      errors: [{ messageId: 'volumeNotWritable', range: [5, 8, 5, 15], includes: 'does not exist in the image', severity: 'warning' }],
      output: null,
    },
    {
      name: 'the install in a heredoc (BuildKit syntax, still judged)',
      code: `${NODE}\nUSER node\nWORKDIR /app\nRUN <<EOF\nyarn install\nEOF\n`,
      errors: [{ messageId: 'runNotWritable', range: [3, 0, 3, 3] }],
      output: null,
    },
  ],
});

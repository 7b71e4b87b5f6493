import { ruleTests } from '../ruleTester';

const GO = 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nRUN CGO_ENABLED=0 go build -o /app.bin . && mkdir /upload && chown 65534:65534 /upload\n';
const NODE = 'FROM node:18.16.0-alpine3.17';

ruleTests('volumes', {
  task: 'scratch',
  valid: [
    { name: 'the scratch solution', code: `${GO}FROM scratch\nWORKDIR /\nCOPY --from=build /app.bin /app.bin\nCOPY --from=build --chown=65534:65534 /upload /upload\nVOLUME /upload\nUSER 65534:65534\nENTRYPOINT ["/app.bin"]\n` },
    { name: 'changes before the VOLUME line are kept', code: `${NODE}\nRUN mkdir -p /data && chown node:node /data\nVOLUME /data\nUSER node\nCMD ["node", "index.js"]\n`, task: 'gate' },
    { name: 'COPY into a volume after VOLUME is kept by the legacy builder', code: `${NODE}\nVOLUME /data\nCOPY seed.json /data/\n`, task: 'gate' },
    { name: 'JSON form, several volumes', code: `${NODE}\nVOLUME ["/data", "/var/log/app"]\nWORKDIR /app\nCMD ["node", "index.js"]\n`, task: 'gate' },
    { name: 'a volume from a build argument without a default', code: `${NODE}\nARG DIR\nVOLUME $DIR\n`, task: 'gate' },
    { name: 'reading the volume is not changing it', code: `${NODE}\nVOLUME /data\nRUN ls -la /data && cat /data/x\n`, task: 'gate' },
    { name: 'the program next to, not inside, the volume', code: `${GO}FROM scratch\nCOPY --from=build /app.bin /srv/app.bin\nVOLUME /srv/data\nENTRYPOINT ["/srv/app.bin"]\n` },
    { name: 'node from PATH with the script outside the volume', code: `${NODE}\nWORKDIR /app\nVOLUME /app/uploads\nCMD ["node", "index.js"]\n`, task: 'gate' },
    { name: 'official-image style (postgres): VOLUME last, the data dir made before', code: 'FROM debian:bookworm-slim\nENV PGDATA /var/lib/postgresql/data\nRUN mkdir -p "$PGDATA" && chown -R postgres:postgres "$PGDATA" && chmod 1777 "$PGDATA"\nVOLUME /var/lib/postgresql/data\nCMD ["postgres"]\n', task: 'generic' },
  ],
  invalid: [
    {
      name: 'relative VOLUME with WORKDIR /: becomes /upload',
      code: `${GO}FROM scratch\nWORKDIR /\nCOPY --from=build /app.bin /app.bin\nVOLUME upload\nENTRYPOINT ["/app.bin"]\n`,
      errors: [{ messageId: 'relativeVolume', range: [6, 7, 6, 13], includes: 'VOLUME /upload' }],
      output: `${GO}FROM scratch\nWORKDIR /\nCOPY --from=build /app.bin /app.bin\nVOLUME /upload\nENTRYPOINT ["/app.bin"]\n`,
    },
    {
      name: 'relative VOLUME in JSON form resolved against WORKDIR',
      code: `${NODE}\nWORKDIR /app\nVOLUME ["./data"]\n`,
      task: 'gate',
      errors: [{ messageId: 'relativeVolume', range: [2, 8, 2, 16] }],
      output: `${NODE}\nWORKDIR /app\nVOLUME ["/app/data"]\n`,
    },
    {
      name: 'relative VOLUME on an unknown base: no fix',
      code: 'FROM registry.example.com/team/base:1.2.3\nVOLUME data\n',
      task: 'generic',
      errors: [{ messageId: 'relativeVolume', range: [1, 7, 1, 11], severity: 'warning' }],
      output: null,
    },
    {
      name: 'RUN changes the volume after VOLUME: move VOLUME below it',
      code: `${NODE}\nVOLUME /data\nRUN mkdir -p /data/cache && chown -R node:node /data\nUSER node\n`,
      task: 'gate',
      errors: [{ messageId: 'runChangesVolume', range: [2, 13, 2, 24], includes: 'line 2' }],
      output: `${NODE}\nRUN mkdir -p /data/cache && chown -R node:node /data\nVOLUME /data\nUSER node\n`,
    },
    {
      name: 'two RUNs, relative paths through WORKDIR and cd; CRLF and continuation',
      code: `${NODE}\r\nWORKDIR /srv\r\nVOLUME /srv/data\r\nRUN touch data/a\r\nRUN cd /srv/data && \\\r\n  mkdir b\r\nCMD ["node", "index.js"]\r\n`,
      task: 'gate',
      errors: [
        { messageId: 'runChangesVolume', range: [3, 10, 3, 16] },
        { messageId: 'runChangesVolume', range: [5, 8, 5, 9] },
      ],
      output: `${NODE}\r\nWORKDIR /srv\r\nRUN touch data/a\r\nRUN cd /srv/data && \\\r\n  mkdir b\r\nVOLUME /srv/data\r\nCMD ["node", "index.js"]\r\n`,
    },
    {
      name: 'a stage built FROM the one with the VOLUME: reported, no fix; generic is a warning (BuildKit keeps it)',
      code: `${NODE} AS base\nVOLUME /data\nFROM base\nRUN chown node /data\n`,
      task: 'generic',
      errors: [{ messageId: 'runChangesVolume', range: [3, 15, 3, 20], severity: 'warning' }],
      output: null,
    },
    {
      name: 'a volume through a variable: reported, VOLUME not moved',
      code: `${NODE}\nENV DATA=/data\nVOLUME $DATA\nRUN chmod 777 /data\n`,
      task: 'gate',
      errors: [{ messageId: 'runChangesVolume', range: [3, 14, 3, 19] }],
      output: null,
    },
    {
      name: 'the volume holds the program',
      code: `${GO}FROM scratch\nCOPY --from=build /app.bin /app/app.bin\nVOLUME /app\nENTRYPOINT ["/app/app.bin"]\n`,
      errors: [{ messageId: 'volumeHoldsProgram', range: [5, 7, 5, 11], includes: '/app/app.bin' }],
      output: null,
    },
    {
      name: 'the volume holds the script node runs (WORKDIR is the volume)',
      code: `${NODE}\nWORKDIR /app\nCOPY . .\nVOLUME ["/app"]\nCMD ["node", "--enable-source-maps", "index.js"]\n`,
      task: 'gate',
      errors: [{ messageId: 'volumeHoldsProgram', range: [3, 8, 3, 14], includes: '/app/index.js' }],
      output: null,
    },
    {
      name: 'escape directive; shell-form CMD with a relative program in the volume',
      code: `# escape=\`\n${GO}FROM scratch\nWORKDIR /data\nCOPY --from=build /app.bin ./app.bin\nVOLUME \`\n  /data\nCMD ./app.bin\n`,
      errors: [{ messageId: 'volumeHoldsProgram', range: [8, 2, 8, 7] }],
      output: null,
    },
    {
      name: 'a heredoc RUN after VOLUME: reported in the body, VOLUME not moved',
      code: `${NODE}\nVOLUME /data\nRUN <<EOF\nmkdir -p /data/x\nEOF\n`,
      task: 'gate',
      errors: [{ messageId: 'runChangesVolume', range: [3, 9, 3, 16] }],
      output: null,
    },
    {
      name: 'ARG before FROM, re-declared, names the volume',
      code: `ARG DATA=/data\n${NODE}\nARG DATA\nVOLUME \${DATA}\nRUN chown node /data\n`,
      task: 'gate',
      errors: [{ messageId: 'runChangesVolume', range: [4, 15, 4, 20] }],
      output: null,
    },
  ],
});

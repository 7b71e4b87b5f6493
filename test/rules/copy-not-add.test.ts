import { ruleTests } from '../ruleTester';

const NODE = 'FROM node:18.16.0-alpine3.17';

ruleTests('copy-not-add', {
  valid: [
    `${NODE}\nWORKDIR /app\nCOPY . .\n`,
    { name: 'ADD of a URL downloads: COPY cannot', code: `${NODE}\nADD https://example.com/tool.tgz /tmp/\n` },
    { name: 'ADD of a local tar archive unpacks it: COPY would not', code: `${NODE}\nADD rootfs.tar.gz /\n` },
    { name: 'ADD of a .tar.xz and .tgz', code: `${NODE}\nADD a.tar.xz b.tgz /opt/\n` },
    { name: 'a glob may match an archive', code: `${NODE}\nADD *.tar /opt/\n` },
    { name: 'a source from a build argument without a default is unknown', code: `${NODE}\nARG SRC\nADD $SRC /opt/\n` },
    { name: 'ADD --checksum is an ADD-only feature', code: `${NODE}\nADD --checksum=sha256:abc file.txt /x\n`, task: 'generic' },
    { name: 'heredoc ADD', code: `${NODE}\nADD <<EOF /x\nhi\nEOF\n`, task: 'generic' },
    { name: 'official-image style: ADD of the Debian rootfs', code: 'FROM scratch\nADD rootfs.tar.xz /\nCMD ["bash"]\n', task: 'generic' },
    { name: 'ARG before FROM not re-declared: undeclared, silent', code: `ARG F=a.json\n${NODE}\nADD $F /x/\n` },
    { name: 'ARG before FROM re-declared, naming an archive', code: `ARG F=a.tar.gz\n${NODE}\nARG F\nADD $F /x/\n` },
  ],
  invalid: [
    {
      name: 'ADD of a local file',
      code: `${NODE}\nADD index.js /app/\n`,
      errors: [{ messageId: 'addLocal', range: [1, 0, 1, 3] }],
      output: `${NODE}\nCOPY index.js /app/\n`,
    },
    {
      name: 'lower-case keyword stays lower-case; --chown is kept',
      code: `${NODE}\nadd --chown=node:node . /app\n`,
      errors: [{ messageId: 'addLocal', range: [1, 0, 1, 3] }],
      output: `${NODE}\ncopy --chown=node:node . /app\n`,
    },
    {
      name: 'JSON form, CRLF, continuation',
      code: `${NODE}\r\nADD ["a b.txt", \\\r\n  "/app/"]\r\n`,
      errors: [{ messageId: 'addLocal', range: [1, 0, 1, 3] }],
      output: `${NODE}\r\nCOPY ["a b.txt", \\\r\n  "/app/"]\r\n`,
    },
    {
      name: 'escape directive and a variable that resolves to a plain file',
      code: `# escape=\`\n${NODE}\nARG F=config.json\nADD $F \`\n  /etc/app/\n`,
      errors: [{ messageId: 'addLocal', range: [3, 0, 3, 3] }],
      output: `# escape=\`\n${NODE}\nARG F=config.json\nCOPY $F \`\n  /etc/app/\n`,
    },
    {
      name: 'ADD --from a builder stage',
      code: 'FROM golang:1.19.13-bullseye AS build\nRUN go build -o /app .\nFROM scratch\nADD --from=build /app /app\n',
      task: 'scratch',
      errors: [{ messageId: 'addLocal', range: [3, 0, 3, 3] }],
      output: 'FROM golang:1.19.13-bullseye AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n',
    },
    {
      name: 'generic task: still a warning',
      code: 'FROM python:3.11.6-slim-bookworm\nADD requirements.txt /app/\n',
      task: 'generic',
      errors: [{ messageId: 'addLocal', range: [1, 0, 1, 3], severity: 'warning' }],
      output: 'FROM python:3.11.6-slim-bookworm\nCOPY requirements.txt /app/\n',
    },
    {
      name: 'ARG before FROM re-declared, naming a plain file',
      code: `ARG F=a.json\n${NODE}\nARG F\nADD $F /y/\n`,
      errors: [{ messageId: 'addLocal', range: [3, 0, 3, 3] }],
      output: `ARG F=a.json\n${NODE}\nARG F\nCOPY $F /y/\n`,
    },
  ],
});

import { ruleTests } from '../ruleTester';

const DEB = 'FROM debian:12.2-slim';
const NODE = 'FROM node:18.16.0-alpine3.17';
const LISTS = 'rm -rf /var/lib/apt/lists/*';
const YARN_FILES = { 'package.json': '{"name":"app"}', 'yarn.lock': '# yarn lockfile v1\n', 'index.js': '', tests: '', 'tests/a.test.js': '' };

ruleTests('layer-hygiene', {
  task: 'generic',
  valid: [
    { name: 'official-image style apt', code: `${DEB}\nRUN set -eux; \\\n  apt-get update; \\\n  apt-get install -y --no-install-recommends ca-certificates curl; \\\n  ${LISTS}\n` },
    { name: 'apt option instead of the flag', code: `${DEB}\nRUN apt-get update && apt-get -o APT::Install-Recommends=false install -y curl && rm -rf /var/lib/apt/lists\n` },
    { name: 'recommends switched off in an apt config earlier', code: `${DEB}\nRUN echo 'APT::Install-Recommends "0";' > /etc/apt/apt.conf.d/01norecommend\nCOPY x /x\nRUN apt-get update && apt-get install -y curl && ${LISTS}\n` },
    { name: 'apk --no-cache (option before the subcommand too)', code: `FROM alpine:3.18.4\nRUN apk add --no-cache curl && apk --no-cache add git\n` },
    { name: 'the gate solution', code: `${NODE}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production && yarn cache clean\nCOPY index.js ./\n`, task: 'gate', files: YARN_FILES },
    { name: 'npm with its cache cleaned', code: `${NODE}\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev && npm cache clean --force\n` },
    { name: 'pip --no-cache-dir, and PIP_NO_CACHE_DIR', code: 'FROM python:3.11.6-slim-bookworm\nRUN pip install --no-cache-dir flask==3.0.0\nENV PIP_NO_CACHE_DIR=1\nCOPY r.txt /r.txt\nRUN python -m pip install -r /r.txt\n' },
    { name: 'a cache mount keeps the cache out of the image (BuildKit, generic)', code: `${NODE}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n` },
    { name: 'yarn 2+ keeps its cache in the project on purpose', code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\n`, files: { 'package.json': '{}', 'yarn.lock': '__metadata:\n  version: 6\n' } },
    { name: 'builder stages: only the final image counts for size', code: `${DEB} AS build\nRUN apt-get update && apt-get install -y gcc\nRUN make\nFROM scratch\nCOPY --from=build /out /out\n` },
    { name: 'download, use and delete in one RUN', code: `${DEB}\nRUN curl -fsSL -o /tmp/x.tgz https://example.com/x.tgz && tar -xzf /tmp/x.tgz -C /opt && rm /tmp/x.tgz\n` },
    { name: 'deleting something the base image had is not judged', code: `${DEB}\nRUN rm -rf /usr/share/doc\n` },
    { name: 'a file another stage created', code: `${DEB} AS a\nCOPY big.tar /tmp/big.tar\nFROM ${DEB.slice(5)}\nRUN rm -f /tmp/big.tar\n` },
    { name: 'a variable from another stage does not cross (undeclared here): silent', code: `${DEB} AS a\nENV DIR=/build\nFROM ${DEB.slice(5)}\nCOPY . /build\nRUN rm -rf $DIR\n` },
  ],
  invalid: [
    {
      name: 'apt-get update in its own RUN: merged into the install',
      code: `${DEB}\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && ${LISTS}\n`,
      errors: [{ messageId: 'aptUpdateAlone', range: [1, 4, 1, 18] }],
      output: `${DEB}\nRUN apt-get update && apt-get install -y --no-install-recommends curl && ${LISTS}\n`,
    },
    {
      name: 'apt-get update alone in a builder stage too; no install right after: no fix',
      code: `${DEB} AS build\nRUN DEBIAN_FRONTEND=noninteractive apt-get -qq update\nCOPY . /src\nFROM scratch\n`,
      errors: [{ messageId: 'aptUpdateAlone', range: [1, 35, 1, 53] }],
      output: null,
    },
    {
      name: 'apt-get install: recommends and lists',
      code: `${DEB}\nRUN apt-get update && apt-get install -y curl\n`,
      errors: [
        { messageId: 'aptListsLeft', range: [1, 22, 1, 45] },
        { messageId: 'noInstallRecommends', range: [1, 30, 1, 37] },
      ],
      output: `${DEB}\nRUN apt-get update && apt-get install --no-install-recommends -y curl && ${LISTS}\n`,
    },
    {
      name: 'CRLF and continuation lines',
      code: `${DEB}\r\nRUN apt-get update \\\r\n && apt-get install -y \\\r\n    curl \\\r\n    git\r\n`,
      errors: [
        { messageId: 'aptListsLeft', range: [2, 4, 4, 7] },
        { messageId: 'noInstallRecommends', range: [2, 12, 2, 19] },
      ],
      output: `${DEB}\r\nRUN apt-get update \\\r\n && apt-get install --no-install-recommends -y \\\r\n    curl \\\r\n    git && ${LISTS}\r\n`,
    },
    {
      name: 'escape directive; apt (not apt-get); lists removed before the install do not count',
      code: `# escape=\`\n${DEB}\nRUN ${LISTS} && apt update && \`\n  apt install -y --no-install-recommends git\n`,
      errors: [{ messageId: 'aptListsLeft', range: [3, 2, 3, 44] }],
      output: `# escape=\`\n${DEB}\nRUN ${LISTS} && apt update && \`\n  apt install -y --no-install-recommends git && ${LISTS}\n`,
    },
    {
      name: 'a heredoc (BuildKit): the flag is added, the cleanup left to the author',
      code: `${DEB}\nRUN <<EOF\napt-get update\napt-get install -y curl\nEOF\n`,
      errors: [
        { messageId: 'aptListsLeft', range: [3, 0, 3, 23] },
        { messageId: 'noInstallRecommends', range: [3, 8, 3, 15] },
      ],
      output: `${DEB}\nRUN <<EOF\napt-get update\napt-get install --no-install-recommends -y curl\nEOF\n`,
      remainingAfterFix: 1,
    },
    {
      name: 'a RUN ending in `;`: no cleanup appended',
      code: `${DEB}\nRUN apt-get update && apt-get install -y --no-install-recommends curl;\n`,
      errors: [{ messageId: 'aptListsLeft', range: [1, 22, 1, 69] }],
      output: null,
    },
    {
      name: 'apk add without --no-cache (shell and exec form)',
      code: 'FROM alpine:3.18.4\nRUN apk update && apk add curl\nRUN ["apk", "add", "git"]\n',
      errors: [
        { messageId: 'consecutiveRuns', range: [1, 0, 1, 3], severity: 'information' },
        { messageId: 'apkNoCache', range: [1, 22, 1, 25] },
        { messageId: 'apkNoCache', range: [2, 12, 2, 17] },
      ],
      output: 'FROM alpine:3.18.4\nRUN apk update && apk add --no-cache curl\nRUN ["apk", "add", "--no-cache", "git"]\n',
      remainingAfterFix: 1,
    },
    {
      name: 'yarn cache left in the final image (gate task)',
      code: `${NODE}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\n`,
      task: 'gate',
      files: YARN_FILES,
      errors: [{ messageId: 'cacheLeft', range: [3, 4, 3, 47], includes: 'yarn cache clean' }],
      output: `${NODE}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production && yarn cache clean\n`,
    },
    {
      name: 'npm cache and pip cache',
      code: `${NODE}\nRUN npm ci --omit=dev\nCOPY . .\nRUN python3 -m pip install -r requirements.txt\n`,
      errors: [
        { messageId: 'cacheLeft', range: [1, 4, 1, 21], includes: '~/.npm' },
        { messageId: 'cacheLeft', range: [3, 4, 3, 46], includes: '--no-cache-dir' },
      ],
      output: `${NODE}\nRUN npm ci --omit=dev && npm cache clean --force\nCOPY . .\nRUN python3 -m pip install --no-cache-dir -r requirements.txt\n`,
    },
    {
      name: 'files deleted in a later layer than the COPY that brought them',
      code: `${NODE}\nWORKDIR /app\nCOPY . .\nCOPY big.tar.gz /tmp/\nUSER node\nRUN rm -rf tests /tmp/big.tar.gz\n`,
      task: 'gate',
      files: YARN_FILES,
      errors: [
        { messageId: 'deletedLater', range: [5, 11, 5, 16], includes: 'line 3' },
        { messageId: 'deletedLater', range: [5, 17, 5, 32], includes: 'COPY on line 4' },
      ],
      output: null,
    },
    {
      name: 'a download deleted in the next RUN; a copied folder removed through a variable',
      code: `${DEB}\nARG SRC=/build\nCOPY . $SRC\nRUN curl -o /tmp/tool.deb https://example.com/tool.deb\nRUN dpkg -i /tmp/tool.deb && rm /tmp/tool.deb && rm -rf $SRC\n`,
      errors: [
        { messageId: 'consecutiveRuns', range: [3, 0, 3, 3] },
        { messageId: 'deletedLater', range: [4, 32, 4, 45], includes: 'RUN on line 4' },
        { messageId: 'deletedLater', range: [4, 56, 4, 60], includes: 'COPY on line 3' },
      ],
      output: null,
    },
    {
      name: 'consecutive RUNs of the final stage and the stage it is built FROM',
      code: `${DEB} AS base\nRUN useradd app\nRUN mkdir /data\n# a comment does not separate them\nRUN chown app /data\nFROM base\nCOPY x /x\nRUN a\nRUN b\n`,
      errors: [
        { messageId: 'consecutiveRuns', range: [1, 0, 1, 3], severity: 'information', includes: 'lines 2, 3, 5' },
        { messageId: 'consecutiveRuns', range: [7, 0, 7, 3] },
      ],
      output: null,
    },
    {
      name: 'ARG before FROM names the base image',
      code: `ARG BASE=debian:12.2-slim\nFROM \${BASE}\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n`,
      errors: [{ messageId: 'aptListsLeft', range: [2, 22, 2, 69] }],
      output: `ARG BASE=debian:12.2-slim\nFROM \${BASE}\nRUN apt-get update && apt-get install -y --no-install-recommends curl && ${LISTS}\n`,
    },
  ],
});

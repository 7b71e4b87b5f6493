import { ruleTests } from '../ruleTester';

const NODE = 'FROM node:18.16.0-alpine3.17';
const YARN_FILES = { 'package.json': '{"name":"app","main":"index.js","scripts":{"start":"node index.js"}}', 'yarn.lock': '# yarn lockfile v1\n', 'index.js': '' };
const NPM_FILES = { 'package.json': '{"name":"app"}', 'package-lock.json': '{}', '.npmrc': 'x', 'server.js': '' };
const GO_FILES = { 'go.mod': 'module app\n', 'go.sum': '', 'main.go': '' };
const INSTALL = 'yarn install --frozen-lockfile --production';

ruleTests('cache-friendly-order', {
  valid: [
    { name: 'the gate solution', code: `${NODE}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN ${INSTALL} && yarn cache clean\nCOPY index.js ./\n`, files: YARN_FILES },
    { name: 'a glob of manifests', code: `${NODE}\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --omit=dev\nCOPY . .\n`, files: NPM_FILES },
    { name: 'no install at all (distroless solution)', code: 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o app .\n', files: GO_FILES, task: 'distroless' },
    { name: 'go mod download after go.mod/go.sum', code: 'FROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .\n', files: GO_FILES, task: 'scratch' },
    { name: 'config copied outside the project folder', code: `${NODE}\nCOPY nginx.conf /etc/nginx/\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN ${INSTALL}\n`, files: YARN_FILES },
    { name: 'installing named packages is not an install from the manifests', code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN npm install -g pm2\n`, files: NPM_FILES },
    { name: 'pip install . installs the project itself: it needs the sources', code: 'FROM python:3.11.6-slim-bookworm\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir .\n', task: 'generic' },
    { name: 'the sources come from another stage', code: `${NODE} AS build\nWORKDIR /app\nCOPY . .\nRUN yarn build\nFROM ${NODE.slice(5)}\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN ${INSTALL}\nCOPY --from=build /app/dist ./dist\n`, files: YARN_FILES },
    { name: 'a source from a build argument without a default may be the manifests', code: `${NODE}\nARG SRC\nWORKDIR /app\nCOPY $SRC ./\nRUN ${INSTALL}\n`, files: YARN_FILES },
    { name: 'a variable from another stage does not cross: the source is unknown, silent', code: `${NODE} AS a\nARG SRC=.\nFROM ${NODE.slice(5)}\nWORKDIR /app\nCOPY $SRC ./\nRUN ${INSTALL}\n`, files: YARN_FILES },
  ],
  invalid: [
    {
      name: 'the gate first attempt: COPY . . then yarn install (fixed)',
      code: `${NODE}\n\nWORKDIR /app\nCOPY . .\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\n\nENV HMAC_ALGO=sha256\n`,
      files: YARN_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [3, 5, 3, 6], includes: '`COPY package.json yarn.lock ./` above the install' }],
      output: `${NODE}\n\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install\nCOPY . .\n\nENV HMAC_ALGO=sha256\n`,
    },
    {
      name: 'npm: manifests the project has (.npmrc included), --chown kept, ENV between, CRLF',
      code: `${NODE}\r\nWORKDIR /home/node/app\r\nCOPY --chown=node:node . .\r\nENV NODE_ENV=production\r\nRUN npm ci --omit=dev && \\\r\n  npm cache clean --force\r\nCMD ["node", "server.js"]\r\n`,
      files: NPM_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 23, 2, 24] }],
      output: `${NODE}\r\nWORKDIR /home/node/app\r\nCOPY --chown=node:node package.json package-lock.json .npmrc ./\r\nENV NODE_ENV=production\r\nRUN npm ci --omit=dev && \\\r\n  npm cache clean --force\r\nCOPY --chown=node:node . .\r\nCMD ["node", "server.js"]\r\n`,
    },
    {
      name: 'Go: go mod download after COPY . . (escape directive)',
      code: '# escape=`\nFROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nCOPY . .\nRUN go mod download `\n  && go mod verify\nRUN go build -o /app .\n',
      files: GO_FILES,
      task: 'scratch',
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [3, 5, 3, 6] }],
      output: '# escape=`\nFROM golang:1.19.13-bullseye AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download `\n  && go mod verify\nCOPY . .\nRUN go build -o /app .\n',
    },
    {
      name: 'pip -r: COPY . /app/ then install from /app',
      code: 'FROM python:3.11.6-slim-bookworm\nWORKDIR /app\nCOPY . /app/\nRUN pip install --no-cache-dir -r requirements.txt\n',
      files: { 'requirements.txt': 'flask==3.0.0\n', 'app.py': '' },
      task: 'generic',
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6], severity: 'warning' }],
      output: 'FROM python:3.11.6-slim-bookworm\nWORKDIR /app\nCOPY requirements.txt /app/\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . /app/\n',
    },
    {
      name: 'the install RUN also builds: reported, not reordered',
      code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN yarn install && yarn build\n`,
      files: YARN_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6] }],
      output: null,
    },
    {
      name: 'a postinstall script may need the sources: not reordered',
      code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN ${INSTALL}\n`,
      files: { ...YARN_FILES, 'package.json': '{"scripts":{"postinstall":"node scripts/setup.js"}}' },
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6] }],
      output: null,
    },
    {
      name: 'a RUN between the copy and the install: not reordered',
      code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN ls\nRUN ${INSTALL}\n`,
      files: YARN_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6] }],
      output: null,
    },
    {
      name: 'an unsaved project: no manifest list, no fix',
      code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN ${INSTALL}\n`,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6], includes: 'package.json and the lockfile' }],
      output: null,
    },
    {
      name: 'the lecture: sources copied before the manifests and the install',
      code: 'FROM node:18-slim\nWORKDIR /build\nCOPY src/ src/\nCOPY public/ public/\nCOPY package.json package-lock.json next.config.js tsconfig.json ./\nRUN npm install\nRUN npx next build\n',
      task: 'generic',
      files: { 'package.json': '{}', 'package-lock.json': '{}' },
      errors: [
        { messageId: 'sourcesBeforeInstall', range: [2, 5, 2, 9] },
        { messageId: 'sourcesBeforeInstall', range: [3, 5, 3, 12] },
        { messageId: 'sourcesBeforeInstall', range: [4, 36, 4, 50], includes: 'package.json package-lock.json' },
      ],
      output: null,
    },
    {
      name: 'the sources come in a stage the install stage is built FROM; ARG before FROM',
      code: `ARG NODE_IMAGE=node:18.16.0-alpine3.17\nFROM \${NODE_IMAGE} AS src\nWORKDIR /app\nCOPY . .\nFROM src\nRUN ${INSTALL}\n`,
      files: YARN_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [3, 5, 3, 6] }],
      output: null,
    },
    {
      name: 'a parent stage with its own install: its COPY is reported once, for that install, not again for the child',
      code: `${NODE} AS base\nWORKDIR /app\nCOPY . .\nRUN yarn install\nFROM base\nRUN ${INSTALL}\n`,
      files: YARN_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6], includes: '(line 4)' }],
      output: `${NODE} AS base\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install\nCOPY . .\nFROM base\nRUN ${INSTALL}\n`,
      // Moved below the parent's install, the COPY is now before the child's (line 7), which says so.
      remainingAfterFix: 1,
    },
    {
      // Each stage is judged on its own chain (so the editor can keep a stage's findings while another
      // stage is edited): two stages built on the parent each name their install.
      name: 'two stages built on a parent that copies everything: reported for each install',
      code: `${NODE} AS base\nWORKDIR /app\nCOPY . .\nFROM base AS a\nRUN yarn install\nFROM base\nRUN ${INSTALL}\n`,
      files: YARN_FILES,
      errors: [
        { messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6], includes: '(line 5)' },
        { messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6], includes: '(line 7)' },
      ],
      output: null,
    },
    {
      name: 'JSON-form COPY: reported, not reordered',
      code: `${NODE}\nWORKDIR /app\nCOPY [".", "."]\nRUN ${INSTALL}\n`,
      files: YARN_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 6, 2, 9] }],
      output: null,
    },
    {
      name: 'the install in a heredoc: reported, not reordered',
      code: `${NODE}\nWORKDIR /app\nCOPY . .\nRUN <<EOF\n${INSTALL}\nEOF\n`,
      files: YARN_FILES,
      errors: [{ messageId: 'wholeContextBeforeInstall', range: [2, 5, 2, 6] }],
      output: null,
    },
  ],
});

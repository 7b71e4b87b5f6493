import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ruleTests } from '../ruleTester';
import { checkDockerfile } from '../../server/src/engine/engine';
import { memoryProject } from '../../server/src/engine/project';

// Project files beside the Dockerfile, one set per package manager.
const YARN1 = { 'package.json': '{"name":"gate","main":"index.js"}', 'yarn.lock': '# yarn lockfile v1\n' };
const BERRY = { 'package.json': '{"name":"app","packageManager":"yarn@4.1.0"}', 'yarn.lock': '__metadata:\n  version: 8\n' };
const NPM = { 'package.json': '{"name":"app"}', 'package-lock.json': '{"lockfileVersion":3}' };
const PNPM = { 'package.json': '{"name":"app"}', 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" };
const POETRY = { 'pyproject.toml': '[tool.poetry]\nname = "app"\n', 'poetry.lock': '# poetry\n' };

const NODE = 'FROM node:18.16-alpine3.17\nWORKDIR /app\n';
/** Line 3 is the install. */
const Y = `${NODE}COPY package.json yarn.lock ./\n`;
const N = `${NODE}COPY package.json package-lock.json ./\n`;
const P = `${NODE}COPY package.json pnpm-lock.yaml ./\n`;
const PY = 'FROM python:3.11.6-slim-bookworm\nWORKDIR /app\nCOPY pyproject.toml poetry.lock ./\n';

ruleTests('production-install', {
  task: 'gate',
  valid: [
    // yarn 1
    { name: 'yarn 1: the course command', code: `${Y}RUN yarn install --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'yarn 1: --production=true', code: `${Y}RUN yarn install --production=true --frozen-lockfile\n`, files: YARN1 },
    { name: 'yarn 1: bare yarn with the flags', code: `${Y}RUN yarn --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'yarn 1: --cwd before the subcommand', code: `${Y}RUN yarn --cwd /app install --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'NODE_ENV=production by ENV', code: `${Y}ENV NODE_ENV=production\nRUN yarn install --frozen-lockfile\n`, files: YARN1 },
    { name: 'NODE_ENV=production by an assignment', code: `${Y}RUN NODE_ENV=production yarn install --frozen-lockfile\n`, files: YARN1 },
    { name: 'NODE_ENV=production by export earlier in the RUN', code: `${Y}RUN export NODE_ENV=production && yarn install --frozen-lockfile\n`, files: YARN1 },
    { name: 'NODE_ENV=production by env', code: `${Y}ENV NODE_ENV=development\nRUN env NODE_ENV=production yarn install --frozen-lockfile\n`, files: YARN1 },
    { name: 'NODE_ENV from an ARG default', code: `${Y}ARG NODE_ENV=production\nRUN yarn install --frozen-lockfile\n`, files: YARN1 },
    { name: 'NODE_ENV from a build argument: unknown, so not failed', code: `${Y}ARG NODE_ENV\nENV NODE_ENV=$NODE_ENV\nRUN yarn install --frozen-lockfile\n`, files: YARN1 },
    { name: 'install everything, build, then a production install prunes', code: `${Y}RUN yarn install --frozen-lockfile && yarn build && yarn install --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'not an install: scripts, version, a quoted string', code: `${Y}RUN yarn build && yarn --version && echo "yarn install" && yarn run install\n`, files: YARN1 },
    { name: 'global tools are not project dependencies', code: `${Y}RUN npm install -g pm2 && yarn global add serve\n`, files: YARN1 },
    { name: 'a heredoc that is data, not a script', code: `${Y}RUN cat <<EOF > notes.txt\nyarn install\nEOF\n`, files: YARN1 },
    // the lockfile in the image
    { name: 'COPY . . brings the lockfile', code: `${NODE}COPY . .\nRUN yarn install --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'a glob brings the lockfile', code: `${NODE}COPY package.json *.lock ./\nRUN yarn install --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'package*.json brings package-lock.json', code: `${NODE}COPY package*.json ./\nRUN npm ci --omit=dev\n`, files: NPM },
    { name: '.dockerignore excludes *.lock but re-includes yarn.lock', code: `${NODE}COPY . .\nRUN yarn install --frozen-lockfile --production\n`, files: { ...YARN1, '.dockerignore': 'node_modules\n*.lock\n!yarn.lock\n' } },
    { name: 'copied in the parent stage', task: 'generic', code: `FROM node:18.16-alpine3.17 AS base\nWORKDIR /app\nCOPY package.json yarn.lock ./\nFROM base\nRUN yarn install --frozen-lockfile --production\n`, files: YARN1 },
    {
      name: 'copied two stages up',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS base\nWORKDIR /app\nCOPY package.json yarn.lock ./\nFROM base AS tools\nRUN apk add --no-cache git\nFROM tools\nRUN yarn install --frozen-lockfile --production\n`,
      files: YARN1,
    },
    { name: 'copied from another stage', task: 'generic', code: `FROM node:18.16-alpine3.17 AS src\nCOPY package.json yarn.lock /src/\nFROM node:18.16-alpine3.17\nCOPY --from=src /src/package.json /src/yarn.lock ./\nRUN yarn install --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'a JSON-form COPY', code: `${NODE}COPY ["package.json", "yarn.lock", "./"]\nRUN yarn install --frozen-lockfile --production\n`, files: YARN1 },
    { name: 'a source from a build argument may be the lockfile', code: `${NODE}ARG LOCK\nCOPY package.json $LOCK ./\nRUN yarn install --frozen-lockfile --production\n`, files: YARN1 },
    // stages
    {
      name: 'a builder stage only needs the lockfile strictness',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS build\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn build\nFROM node:18.16-alpine3.17\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\nCOPY --from=build /app/dist ./dist\n`,
      files: YARN1,
    },
    // npm
    { name: 'npm ci --omit=dev', code: `${N}RUN npm ci --omit=dev\n`, files: NPM },
    { name: 'npm ci --omit dev', code: `${N}RUN npm ci --omit dev\n`, files: NPM },
    { name: 'npm ci --only=production', code: `${N}RUN npm ci --only=production\n`, files: NPM },
    { name: 'npm ci --production', code: `${N}RUN npm ci --production\n`, files: NPM },
    { name: 'npm ci under NODE_ENV=production', code: `${N}ENV NODE_ENV=production\nRUN npm ci\n`, files: NPM },
    { name: 'npm ci, build, npm prune --omit=dev', code: `${N}RUN npm ci && npm run build && npm prune --omit=dev\n`, files: NPM },
    { name: 'npm-shrinkwrap.json is a lockfile too', code: `${NODE}COPY package.json npm-shrinkwrap.json ./\nRUN npm ci --omit=dev\n`, files: { 'package.json': '{}', 'npm-shrinkwrap.json': '{}' } },
    // pnpm
    { name: 'pnpm install --frozen-lockfile --prod', code: `${P}RUN pnpm install --frozen-lockfile --prod\n`, files: PNPM },
    { name: 'pnpm i --frozen-lockfile -P', code: `${P}RUN pnpm i --frozen-lockfile -P\n`, files: PNPM },
    { name: 'pnpm under NODE_ENV=production', code: `${P}ENV NODE_ENV=production\nRUN pnpm install --frozen-lockfile\n`, files: PNPM },
    // yarn 2+
    { name: 'yarn 2+: immutable install and a production focus', code: `${Y}RUN yarn install --immutable && yarn workspaces focus --all --production\n`, files: BERRY },
    { name: 'yarn 2+: focus with immutable installs set', code: `${Y}ENV YARN_ENABLE_IMMUTABLE_INSTALLS=true\nRUN yarn workspaces focus --all --production\n`, files: BERRY },
    { name: 'yarn 2+: a builder stage only needs --immutable', task: 'generic', code: `FROM node:18.16-alpine3.17 AS build\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn install --immutable && yarn build\nFROM nginx:1.25.3-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n`, files: BERRY },
    // poetry
    { name: 'poetry --without dev', code: `${PY}RUN poetry install --without dev --no-root\n`, files: POETRY },
    { name: 'poetry --only main', code: `${PY}RUN poetry install --only main\n`, files: POETRY },
    { name: 'poetry --without=dev,test', code: `${PY}RUN poetry install --without=dev,test\n`, files: POETRY },
    { name: 'poetry --no-dev (poetry 1.x)', code: `${PY}RUN poetry install --no-dev\n`, files: POETRY },
    { name: 'poetry in a builder stage may keep dev groups', task: 'generic', code: `${PY.replace('slim-bookworm', 'slim-bookworm AS build')}RUN poetry install && poetry build\nFROM python:3.11.6-slim-bookworm\nCOPY --from=build /app/dist /dist\n`, files: POETRY },
    // pip
    { name: 'pip from a requirements file', code: 'FROM python:3.11.6-slim-bookworm\nCOPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\n' },
    { name: 'pip with exact pins, the pip upgrade, a constraints file', code: 'FROM python:3.11.6-slim-bookworm\nRUN pip install --upgrade pip && python3 -m pip install gunicorn==21.2.0 && pip install -c constraints.txt flask\n' },
    // no project around the Dockerfile: the command alone is judged
    { name: 'no project files: the right command', code: `${NODE}COPY package.json ./\nRUN yarn install --frozen-lockfile --production\n` },
  ],
  invalid: [
    // --- yarn 1 ---------------------------------------------------------------------------------
    {
      name: 'yarn install: neither locked nor production',
      code: `${Y}RUN yarn install\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 16], includes: 'Use `yarn install --frozen-lockfile --production`' }],
      output: `${Y}RUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'bare yarn counts as yarn install',
      code: `${Y}RUN yarn\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 8] }],
      output: `${Y}RUN yarn --frozen-lockfile --production\n`,
    },
    {
      name: 'yarn install --production=false: the flag is replaced',
      code: `${Y}RUN yarn install --production=false\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 35] }],
      output: `${Y}RUN yarn install --production --frozen-lockfile\n`,
    },
    {
      name: 'yarn install --production: not locked',
      code: `${Y}RUN yarn install --production\n`,
      files: YARN1,
      errors: [{ messageId: 'notLocked', range: [3, 4, 3, 29], includes: 'yarn.lock' }],
      output: `${Y}RUN yarn install --production --frozen-lockfile\n`,
    },
    {
      name: 'yarn install --frozen-lockfile: dev dependencies in the final image',
      code: `${Y}RUN yarn install --frozen-lockfile\n`,
      files: YARN1,
      errors: [{ messageId: 'notProduction', range: [3, 4, 3, 34] }],
      output: `${Y}RUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: '--pure-lockfile is not strict: replaced',
      code: `${Y}RUN yarn install --pure-lockfile --production\n`,
      files: YARN1,
      errors: [{ messageId: 'notLocked', range: [3, 4, 3, 45] }],
      output: `${Y}RUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'NODE_ENV=development does not skip dev dependencies',
      code: `${Y}ENV NODE_ENV=development\nRUN yarn install --frozen-lockfile\n`,
      files: YARN1,
      errors: [{ messageId: 'notProduction', range: [4, 4, 4, 34] }],
      output: `${Y}ENV NODE_ENV=development\nRUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'an explicit --production=false beats NODE_ENV',
      code: `${Y}ENV NODE_ENV=production\nRUN yarn install --frozen-lockfile --production=false\n`,
      files: YARN1,
      errors: [{ messageId: 'notProduction', range: [4, 4, 4, 53] }],
      output: `${Y}ENV NODE_ENV=production\nRUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'ENV does not cross from a builder stage into the final stage',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS build\nENV NODE_ENV=production\nFROM node:18.16-alpine3.17\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n`,
      files: YARN1,
      errors: [{ messageId: 'notProduction', range: [4, 4, 4, 34], severity: 'warning' }],
      output: `FROM node:18.16-alpine3.17 AS build\nENV NODE_ENV=production\nFROM node:18.16-alpine3.17\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'the user flags stay, the new ones go after them',
      code: `${Y}RUN yarn install --network-timeout 100000\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 41] }],
      output: `${Y}RUN yarn install --network-timeout 100000 --frozen-lockfile --production\n`,
    },
    {
      name: 'across continuation lines, with a comment inside',
      code: `${Y}RUN yarn \\\n    # why: the comment stays\n    install \\\n    --pure-lockfile && yarn cache clean\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 6, 19] }],
      output: `${Y}RUN yarn \\\n    # why: the comment stays\n    install \\\n    --frozen-lockfile --production && yarn cache clean\n`,
    },
    {
      name: 'inside an && chain',
      code: `${Y}RUN apk add --no-cache git && yarn install && yarn cache clean\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 30, 3, 42] }],
      output: `${Y}RUN apk add --no-cache git && yarn install --frozen-lockfile --production && yarn cache clean\n`,
    },
    {
      name: 'CRLF line ends and a continuation',
      code: `${Y.replace(/\n/g, '\r\n')}RUN yarn \\\r\n  install\r\nUSER node\r\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 4, 9] }],
      output: `${Y.replace(/\n/g, '\r\n')}RUN yarn \\\r\n  install --frozen-lockfile --production\r\nUSER node\r\n`,
    },
    {
      name: 'a heredoc script',
      code: `${Y}RUN <<EOF\nset -e\nyarn install\nEOF\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [5, 0, 5, 12] }],
      output: `${Y}RUN <<EOF\nset -e\nyarn install --frozen-lockfile --production\nEOF\n`,
    },
    {
      name: 'exec form',
      code: `${Y}RUN ["yarn","install"]\n`,
      files: YARN1,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 5, 3, 21] }],
      output: `${Y}RUN ["yarn","install", "--frozen-lockfile", "--production"]\n`,
    },
    {
      name: 'builder stage: strictness only; final stage: production too',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json yarn.lock ./\nRUN yarn install && yarn build\nFROM node:18.16-alpine3.17\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\n`,
      files: YARN1,
      errors: [
        { messageId: 'notLocked', range: [2, 4, 2, 16] },
        { messageId: 'notProduction', range: [5, 4, 5, 34] },
      ],
      output: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile && yarn build\nFROM node:18.16-alpine3.17\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'a stage the final stage is built FROM is production too',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS deps\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile\nFROM deps\nCMD ["node", "index.js"]\n`,
      files: YARN1,
      errors: [{ messageId: 'notProduction', range: [2, 4, 2, 34] }],
      output: `FROM node:18.16-alpine3.17 AS deps\nCOPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\nFROM deps\nCMD ["node", "index.js"]\n`,
    },
    // --- the manager must match the lockfile ----------------------------------------------------
    {
      name: 'yarn.lock but npm ci',
      code: `${Y}RUN npm ci --omit=dev\n`,
      files: YARN1,
      errors: [{ messageId: 'managerMismatch', range: [3, 4, 3, 21], includes: 'yarn 1 (yarn.lock)' }],
      output: `${Y}RUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'package-lock.json but yarn install',
      code: `${N}RUN yarn install --frozen-lockfile --production\n`,
      files: NPM,
      errors: [{ messageId: 'managerMismatch', range: [3, 4, 3, 47] }],
      output: `${N}RUN npm ci --omit=dev\n`,
    },
    {
      name: 'package-lock.json but yarn in a builder stage: npm ci without --omit=dev',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json package-lock.json ./\nRUN yarn && yarn build\nFROM nginx:1.25.3-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n`,
      files: NPM,
      errors: [{ messageId: 'managerMismatch', range: [2, 4, 2, 8] }],
      output: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json package-lock.json ./\nRUN npm ci && yarn build\nFROM nginx:1.25.3-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n`,
    },
    {
      name: 'pnpm-lock.yaml but npm install',
      code: `${P}RUN npm install\n`,
      files: PNPM,
      errors: [{ messageId: 'managerMismatch', range: [3, 4, 3, 15] }],
      output: `${P}RUN pnpm install --frozen-lockfile --prod\n`,
    },
    {
      name: 'a yarn 2+ lockfile but npm ci',
      code: `${Y}RUN npm ci\n`,
      files: BERRY,
      errors: [{ messageId: 'managerMismatch', range: [3, 4, 3, 10], includes: 'yarn 2+' }],
      output: `${Y}RUN yarn install --immutable && yarn workspaces focus --all --production\n`,
    },
    // --- npm ------------------------------------------------------------------------------------
    {
      name: 'npm install without packages should be npm ci',
      code: `${N}RUN npm install\n`,
      files: NPM,
      errors: [{ messageId: 'npmInstall', range: [3, 4, 3, 15], includes: 'npm ci --omit=dev' }],
      output: `${N}RUN npm ci --omit=dev\n`,
    },
    {
      name: 'npm i --production keeps its production flag',
      code: `${N}RUN npm i --production\n`,
      files: NPM,
      errors: [{ messageId: 'npmInstall', range: [3, 4, 3, 22] }],
      output: `${N}RUN npm ci --production\n`,
    },
    {
      name: 'npm install in a builder stage: npm ci',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json package-lock.json ./\nRUN npm install && npm run build\nFROM nginx:1.25.3-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n`,
      files: NPM,
      errors: [{ messageId: 'npmInstall', range: [2, 4, 2, 15] }],
      output: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json package-lock.json ./\nRUN npm ci && npm run build\nFROM nginx:1.25.3-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n`,
    },
    {
      name: 'npm install in exec form',
      code: `${N}RUN ["npm", "install"]\n`,
      files: NPM,
      errors: [{ messageId: 'npmInstall', range: [3, 5, 3, 21] }],
      output: `${N}RUN ["npm", "ci", "--omit=dev"]\n`,
    },
    {
      name: 'npm ci without --omit=dev',
      code: `${N}RUN npm ci\n`,
      files: NPM,
      errors: [{ messageId: 'notProduction', range: [3, 4, 3, 10] }],
      output: `${N}RUN npm ci --omit=dev\n`,
    },
    {
      name: 'npm ci --include=dev: the flag is replaced',
      code: `${N}RUN npm ci --include=dev\n`,
      files: NPM,
      errors: [{ messageId: 'notProduction', range: [3, 4, 3, 24] }],
      output: `${N}RUN npm ci --omit=dev\n`,
    },
    // --- pnpm -----------------------------------------------------------------------------------
    {
      name: 'pnpm install',
      code: `${P}RUN pnpm install\n`,
      files: PNPM,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 16] }],
      output: `${P}RUN pnpm install --frozen-lockfile --prod\n`,
    },
    {
      name: 'pnpm install --no-frozen-lockfile --dev',
      code: `${P}RUN pnpm install --no-frozen-lockfile --dev\n`,
      files: PNPM,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 43] }],
      output: `${P}RUN pnpm install --frozen-lockfile --prod\n`,
    },
    // --- yarn 2+ --------------------------------------------------------------------------------
    {
      name: 'yarn 2+: yarn install',
      code: `${Y}RUN yarn install\n`,
      files: BERRY,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 16] }],
      output: `${Y}RUN yarn install --immutable && yarn workspaces focus --all --production\n`,
    },
    {
      name: 'yarn 2+: --immutable but no production focus',
      code: `${Y}RUN yarn install --immutable\n`,
      files: BERRY,
      errors: [{ messageId: 'berryNotProduction', range: [3, 4, 3, 28] }],
      output: `${Y}RUN yarn install --immutable && yarn workspaces focus --all --production\n`,
    },
    {
      name: 'yarn 2+ ignores NODE_ENV=production',
      code: `${Y}ENV NODE_ENV=production\nRUN yarn install --immutable\n`,
      files: BERRY,
      errors: [{ messageId: 'berryNotProduction', range: [4, 4, 4, 28] }],
      output: `${Y}ENV NODE_ENV=production\nRUN yarn install --immutable && yarn workspaces focus --all --production\n`,
    },
    {
      name: 'yarn 2+: yarn 1 flags fail the build',
      code: `${Y}RUN yarn install --frozen-lockfile --production\n`,
      files: BERRY,
      errors: [{ messageId: 'berryProductionFlag', range: [3, 4, 3, 47] }],
      output: `${Y}RUN yarn install --immutable && yarn workspaces focus --all --production\n`,
    },
    {
      name: 'yarn 2+: a focus alone does not enforce the lockfile',
      code: `${Y}RUN yarn workspaces focus --all --production\n`,
      files: BERRY,
      errors: [{ messageId: 'notLocked', range: [3, 4, 3, 44] }],
      output: `${Y}RUN yarn install --immutable && yarn workspaces focus --all --production\n`,
    },
    {
      name: 'yarn 2+: a builder stage needs --immutable',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json yarn.lock ./\nRUN yarn install && yarn build\nFROM nginx:1.25.3-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n`,
      files: BERRY,
      errors: [{ messageId: 'notLocked', range: [2, 4, 2, 16] }],
      output: `FROM node:18.16-alpine3.17 AS build\nCOPY package.json yarn.lock ./\nRUN yarn install --immutable && yarn build\nFROM nginx:1.25.3-alpine\nCOPY --from=build /dist /usr/share/nginx/html\n`,
    },
    {
      name: 'yarn 2+ in exec form: no shell for the focus, so no fix',
      code: `${Y}RUN ["yarn", "install", "--immutable"]\n`,
      files: BERRY,
      errors: [{ messageId: 'berryNotProduction', range: [3, 5, 3, 37] }],
      output: null,
    },
    // --- poetry and pip -------------------------------------------------------------------------
    {
      name: 'poetry install keeps the dev group',
      code: `${PY}RUN poetry install --no-root\n`,
      files: POETRY,
      errors: [{ messageId: 'notProduction', range: [3, 4, 3, 28] }],
      output: `${PY}RUN poetry install --no-root --only main\n`,
    },
    {
      name: 'poetry install --with dev: replaced',
      code: `${PY}RUN poetry install --with dev\n`,
      files: POETRY,
      errors: [{ messageId: 'notProduction', range: [3, 4, 3, 29] }],
      output: `${PY}RUN poetry install --only main\n`,
    },
    {
      name: 'pip packages without an exact version (no fix)',
      code: 'FROM python:3.11.6-slim-bookworm\nRUN pip install --no-cache-dir flask "requests>=2" gunicorn==21.2.0\n',
      errors: [{ messageId: 'pipUnpinned', range: [1, 4, 1, 67], includes: 'installs flask, requests>=2 without' }],
      output: null,
    },
    // --- packages named explicitly --------------------------------------------------------------
    {
      name: 'npm install <pkg> is outside the lockfile (information)',
      code: `${N}RUN npm ci --omit=dev && npm install express\n`,
      files: NPM,
      errors: [{ messageId: 'explicitPackages', range: [3, 25, 3, 44], severity: 'information' }],
      output: null,
    },
    {
      name: 'yarn add <pkg> is outside the lockfile (information)',
      code: `${Y}RUN yarn add left-pad\n`,
      files: YARN1,
      errors: [{ messageId: 'explicitPackages', range: [3, 4, 3, 21], severity: 'information' }],
      output: null,
    },
    // --- no lockfile in the project -------------------------------------------------------------
    {
      name: 'package.json but no lockfile (warning, no fix)',
      code: `${NODE}COPY package.json ./\nRUN yarn install --frozen-lockfile --production\n`,
      files: { 'package.json': '{}' },
      errors: [{ messageId: 'noLockfile', range: [3, 4, 3, 47], severity: 'warning', includes: 'Run `yarn install` in the project' }],
      output: null,
    },
    {
      name: 'pyproject.toml but no poetry.lock',
      code: 'FROM python:3.11.6-slim-bookworm\nCOPY pyproject.toml ./\nRUN poetry install --only main\n',
      files: { 'pyproject.toml': '' },
      errors: [{ messageId: 'noLockfile', range: [2, 4, 2, 30], includes: 'poetry lock' }],
      output: null,
    },
    // --- the lockfile in the image before the install -------------------------------------------
    {
      name: 'COPY package.json ./ without the lockfile: extended',
      code: `${NODE}COPY package.json ./\nRUN yarn install --frozen-lockfile --production\n`,
      files: YARN1,
      errors: [{ messageId: 'lockfileNotCopied', range: [3, 4, 3, 47] }],
      output: `${NODE}COPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'COPY package.json . needs ./ once it has two sources (legacy builder)',
      code: `${NODE}COPY package.json .\nRUN npm ci --omit=dev\n`,
      files: NPM,
      errors: [{ messageId: 'lockfileNotCopied', range: [3, 4, 3, 21] }],
      output: `${NODE}COPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n`,
    },
    {
      name: 'a JSON-form COPY is extended in JSON',
      code: `${NODE}COPY ["package.json", "."]\nRUN yarn install --frozen-lockfile --production\n`,
      files: YARN1,
      errors: [{ messageId: 'lockfileNotCopied', range: [3, 4, 3, 47] }],
      output: `${NODE}COPY ["package.json", "yarn.lock", "./"]\nRUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: 'COPY . . after the install comes too late',
      code: `${NODE}COPY package.json ./\nRUN yarn install --frozen-lockfile --production\nCOPY . .\n`,
      files: YARN1,
      errors: [{ messageId: 'lockfileNotCopied', range: [3, 4, 3, 47] }],
      output: `${NODE}COPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\nCOPY . .\n`,
    },
    {
      name: 'a COPY to a file name cannot take a second source: no fix',
      code: `${NODE}COPY package.json /app/package.json\nRUN yarn install --frozen-lockfile --production\n`,
      files: YARN1,
      errors: [{ messageId: 'lockfileNotCopied', range: [3, 4, 3, 47] }],
      output: null,
    },
    {
      name: 'only the manifest copied two stages up: reported, no fix (the COPY is in another stage)',
      task: 'generic',
      code: `FROM node:18.16-alpine3.17 AS base\nWORKDIR /app\nCOPY package.json ./\nFROM base AS tools\nRUN apk add --no-cache git\nFROM tools\nRUN yarn install --frozen-lockfile --production\n`,
      files: YARN1,
      errors: [{ messageId: 'lockfileNotCopied', range: [6, 4, 6, 47] }],
      output: null,
    },
    {
      name: 'poetry.lock not copied',
      code: 'FROM python:3.11.6-slim-bookworm\nCOPY pyproject.toml ./\nRUN poetry install --only main\n',
      files: POETRY,
      errors: [{ messageId: 'lockfileNotCopied', range: [2, 4, 2, 30] }],
      output: 'FROM python:3.11.6-slim-bookworm\nCOPY pyproject.toml poetry.lock ./\nRUN poetry install --only main\n',
    },
    {
      name: 'two problems on one command: two findings, both fixed',
      code: `${NODE}COPY package.json ./\nRUN yarn install\n`,
      files: YARN1,
      errors: [
        { messageId: 'notLockedNorProduction', range: [3, 4, 3, 16] },
        { messageId: 'lockfileNotCopied', range: [3, 4, 3, 16] },
      ],
      output: `${NODE}COPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\n`,
    },
    {
      name: '.dockerignore excludes the lockfile that COPY . . would bring (fix edits .dockerignore only)',
      code: `${NODE}COPY . .\nRUN yarn install --frozen-lockfile --production\n`,
      files: { ...YARN1, '.dockerignore': 'node_modules\n*.lock' },
      errors: [{ messageId: 'lockfileIgnored', range: [3, 4, 3, 47], includes: 'pattern `*.lock`' }],
      output: `${NODE}COPY . .\nRUN yarn install --frozen-lockfile --production\n`,
      remainingAfterFix: 1,
    },
    {
      name: '.dockerignore excludes yarn.lock and nothing copies it',
      code: `${NODE}COPY package.json ./\nRUN yarn install --frozen-lockfile --production\n`,
      files: { ...YARN1, '.dockerignore': 'node_modules\nyarn.lock\n' },
      errors: [{ messageId: 'lockfileIgnored', range: [3, 4, 3, 47] }],
      output: `${NODE}COPY package.json yarn.lock ./\nRUN yarn install --frozen-lockfile --production\n`,
      // .dockerignore lives outside the Dockerfile: the tester does not apply that part of the fix.
      remainingAfterFix: 1,
    },
    // --- no project files: the command alone --------------------------------------------------
    {
      name: 'no project files: the command is still judged',
      code: `${NODE}COPY package.json ./\nRUN yarn install\n`,
      errors: [{ messageId: 'notLockedNorProduction', range: [3, 4, 3, 16] }],
      output: `${NODE}COPY package.json ./\nRUN yarn install --frozen-lockfile --production\n`,
    },
  ],
});

describe('production-install: beyond the table', () => {
  const check = (code: string, files: Record<string, string>, lang: 'en' | 'ru' = 'en') =>
    checkDockerfile({ text: code, project: memoryProject(files), task: 'gate', lang }).diagnostics.filter((d) => d.ruleId === 'production-install');

  it('re-includes the lockfile at the end of .dockerignore', () => {
    const [d] = check(`${NODE}COPY . .\nRUN yarn install --frozen-lockfile --production\n`, { ...YARN1, '.dockerignore': 'node_modules\r\n*.lock' });
    assert.equal(d.fixes[0].title, 'Stop ignoring yarn.lock in .dockerignore');
    assert.deepEqual(d.fixes[0].otherFiles, [
      { file: '.dockerignore', edits: [{ range: { start: { line: 1, character: 6 }, end: { line: 1, character: 6 } }, newText: '\r\n!yarn.lock\r\n' }] },
    ]);
  });

  it('titles the rewrite after the command it produces, in both languages', () => {
    const code = `${Y}RUN yarn install\n`;
    assert.equal(check(code, YARN1)[0].fixes[0].title, 'Use yarn install --frozen-lockfile --production');
    const ru = check(code, YARN1, 'ru')[0];
    assert.equal(ru.fixes[0].title, 'Использовать yarn install --frozen-lockfile --production');
    assert.match(ru.message, /только production-зависимости и только тех версий, что указаны в \*\.lock-файлах/);
  });

  it('points at the whole command even when it spans lines', () => {
    const [d] = check(`${Y}RUN NODE_ENV=development \\\n  yarn \\\n  install\n`, YARN1);
    // The range starts at the command name, not at the assignment before it.
    assert.deepEqual(d.range, { start: { line: 4, character: 2 }, end: { line: 5, character: 9 } });
  });

  it('can be silenced with coach-ignore', () => {
    assert.deepEqual(check(`${Y}# coach-ignore production-install -- the image is a dev container\nRUN yarn install\n`, YARN1), []);
    assert.deepEqual(check(`# coach-ignore-file production-install\n${Y}RUN yarn install\n`, YARN1), []);
    assert.deepEqual(check(`${Y}RUN yarn install\n`, { ...YARN1, 'dockerfile-coach.json': '{"rules":{"production-install":"off"}}' }), []);
  });
});

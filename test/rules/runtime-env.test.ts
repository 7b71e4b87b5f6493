import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRuleTests } from '../projectRuleTester';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'gate');
const read = (f: string) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
const gateFiles = (index: string) => ({ 'package.json': '{"main":"index.js"}', 'yarn.lock': '', 'index.js': index });
const DOCKERFILE = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n';
const READS_BOTH = "const a = process.env.HMAC_ALGO || 'sha256';\nconst s = process.env.HMAC_SECRET;\n";

projectRuleTests('runtime-env', {
  task: 'gate',
  valid: [
    { name: 'FIXME values are hardcoded-secret\'s, not this rule\'s', code: DOCKERFILE, files: gateFiles(read('first-attempt/index.js')) },
    { name: 'code that reads process.env[name] may read anything', code: DOCKERFILE, files: gateFiles('const get = (n) => process.env[n];\n') },
    { name: 'an ARG lives only during the build', code: 'FROM node:18.16.0-alpine3.17\nARG HMAC_ALGO=sha256\nCMD ["node", "index.js"]\n', files: gateFiles("const a = process.env.HMAC_ALGO;\n// FIXME: secret\nconst s = 'x';\n") },
    { name: 'no index.js: nothing to say', code: DOCKERFILE, files: { 'package.json': '{}', 'yarn.lock': '' } },
    { name: 'scratch task: not this rule', task: 'scratch', code: 'FROM scratch\n', files: gateFiles('') },
  ],
  invalid: [
    {
      name: 'the gate solution: information on how to start it',
      code: read('solution/Dockerfile'),
      files: gateFiles(read('solution/index.js')),
      errors: [{ messageId: 'runWith', range: [13, 4, 13, 24], severity: 'information', includes: ['HMAC_SECRET without a default', 'docker run -e HMAC_ALGO=sha256 -e HMAC_SECRET='] }],
      output: null,
    },
    {
      name: 'the code reads neither and has no FIXME: an error per variable at the start command',
      code: DOCKERFILE,
      files: gateFiles("const algorithm = 'sha256';\napp.listen(9000);\n"),
      errors: [
        { messageId: 'notRead', range: [2, 4, 2, 24], severity: 'error', includes: ['process.env.HMAC_ALGO'] },
        { messageId: 'notRead', range: [2, 4, 2, 24], includes: ['process.env.HMAC_SECRET'] },
      ],
      output: null,
    },
    {
      name: 'ENV HMAC_ALGO baked in (HMAC_SECRET is no-baked-secrets\')',
      code: 'FROM node:18.16.0-alpine3.17\nENV HMAC_ALGO=sha256\nENV HMAC_SECRET=x\nUSER node\nCMD ["node", "index.js"]\n',
      files: gateFiles(READS_BOTH),
      errors: [{ messageId: 'baked', range: [1, 4, 1, 20], severity: 'warning', includes: ['docker run -e HMAC_ALGO='] }],
      output: 'FROM node:18.16.0-alpine3.17\nENV HMAC_SECRET=x\nUSER node\nCMD ["node", "index.js"]\n',
    },
    {
      name: 'one property of several',
      code: 'FROM node:18.16.0-alpine3.17\nENV HMAC_ALGO=sha256 NODE_ENV=production\nCMD ["node", "index.js"]\n',
      files: gateFiles(READS_BOTH),
      errors: [{ messageId: 'baked', range: [1, 4, 1, 20] }],
      output: 'FROM node:18.16.0-alpine3.17\nENV NODE_ENV=production\nCMD ["node", "index.js"]\n',
      // Nothing baked any more: the start hint appears.
      remainingAfterFix: 1,
    },
  ],
});

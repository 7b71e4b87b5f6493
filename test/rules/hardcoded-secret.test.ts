import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRuleTests } from '../projectRuleTester';

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'examples', 'gate');
const read = (f: string) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
const gateFiles = (index: string) => ({ 'package.json': '{"main":"index.js"}', 'yarn.lock': '', 'index.js': index });
const DOCKERFILE = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n';
const FIRST_INDEX = read('first-attempt/index.js');

projectRuleTests('hardcoded-secret', {
  task: 'gate',
  valid: [
    { name: 'the gate solution reads both from process.env', code: DOCKERFILE, files: gateFiles(read('solution/index.js')) },
    { name: 'the algorithm with a default is the intended shape', code: DOCKERFILE, files: gateFiles("// FIXME: done\nconst algorithm = process.env.HMAC_ALGO || 'sha256';\n") },
    { name: 'no FIXME: nothing to point at', code: DOCKERFILE, files: gateFiles("const secret = 'x';\ncrypto.createHmac('sha256', secret);\n") },
    { name: 'a FIXME about something else', code: DOCKERFILE, files: gateFiles("// FIXME: port is hardcoded\nconst port = '9000';\n") },
    { name: 'scratch task: not this rule', task: 'scratch', code: 'FROM scratch\n', files: gateFiles("// FIXME: secret\nconst secret = 'x';\n") },
  ],
  invalid: [
    {
      name: 'the gate first attempt: both FIXME lines, fixed in index.js',
      code: read('first-attempt/Dockerfile'),
      files: { 'package.json': read('first-attempt/package.json'), 'yarn.lock': '', 'index.js': FIRST_INDEX },
      errors: [
        { file: 'index.js', messageId: 'algorithm', range: [4, 18, 4, 26], severity: 'error', includes: ['index.js:5', 'FIXME: algorithm is hardcoded'] },
        { file: 'index.js', messageId: 'secret', range: [6, 15, 6, 27], severity: 'error', includes: ['index.js:7', 'public image'] },
      ],
      output: read('first-attempt/Dockerfile'),
      outputFiles: {
        'index.js': FIRST_INDEX.replace(
          "// FIXME: algorithm is hardcoded\nconst algorithm = 'sha256';\n// FIXME: secret is hardcoded\nconst secret = 'dev-secret';\n",
          "const algorithm = process.env.HMAC_ALGO || 'sha256';\nconst secret = process.env.HMAC_SECRET;\n",
        ),
      },
    },
    {
      name: 'a trailing FIXME comment and a fallback secret',
      code: DOCKERFILE,
      files: gateFiles("const secret = process.env.HMAC_SECRET || \"dev\"; // FIXME: no default secret\ncrypto.createHmac('sha256', secret);\n"),
      errors: [{ file: 'index.js', messageId: 'secretFallback', range: [0, 42, 0, 47], includes: ['falls back'] }],
      output: DOCKERFILE,
      outputFiles: { 'index.js': "const secret = process.env.HMAC_SECRET;\ncrypto.createHmac('sha256', secret);\n" },
    },
    {
      name: 'inline createHmac arguments: the first literal on the FIXME line',
      code: DOCKERFILE,
      files: gateFiles("// FIXME: hardcoded\nconst h = crypto.createHmac('sha256', key);\n"),
      errors: [{ file: 'index.js', messageId: 'algorithm', range: [1, 28, 1, 36] }],
      output: DOCKERFILE,
      outputFiles: { 'index.js': "const h = crypto.createHmac(process.env.HMAC_ALGO || 'sha256', key);\n" },
    },
    {
      name: 'a value that is not one literal: pointed at, no fix',
      code: DOCKERFILE,
      files: gateFiles("// FIXME: secret\nconst secret = Buffer.from('abc', 'utf8');\n"),
      errors: [{ file: 'index.js', messageId: 'secret', range: [1, 27, 1, 32] }],
      output: null,
    },
    {
      name: 'generic task: a warning',
      task: 'generic',
      code: DOCKERFILE,
      files: { 'package.json': '{"main":"index.js"}', 'index.js': "// FIXME: secret is hardcoded\nconst secret = 'dev';\n" },
      errors: [{ file: 'index.js', messageId: 'secret', range: [1, 15, 1, 20], severity: 'warning' }],
      output: DOCKERFILE,
      outputFiles: { 'index.js': 'const secret = process.env.HMAC_SECRET;\n' },
    },
    {
      name: 'CRLF line ends: the comment line goes with its CRLF',
      code: DOCKERFILE,
      files: gateFiles("// FIXME: algorithm\r\nconst algorithm = 'sha1';\r\n"),
      errors: [{ file: 'index.js', messageId: 'algorithm', range: [1, 18, 1, 24] }],
      output: DOCKERFILE,
      outputFiles: { 'index.js': "const algorithm = process.env.HMAC_ALGO || 'sha1';\r\n" },
    },
  ],
});

import { projectRuleTests } from '../projectRuleTester';

const pkg = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) => JSON.stringify({ name: 'x', main: 'index.js', scripts, devDependencies: { nodemon: '^2.0.22' }, ...extra });
const gate = (scripts: Record<string, string>, extra: Record<string, unknown> = {}) => ({ 'package.json': pkg(scripts, extra), 'yarn.lock': '', 'index.js': 'require("http").createServer().listen(9000);\n' });
const FROM = 'FROM node:18.16.0-alpine3.17\nUSER node\n';

projectRuleTests('production-start', {
  task: 'gate',
  valid: [
    { name: 'node itself', code: FROM + 'CMD ["node", "index.js"]\n', files: gate({ start: 'nodemon index.js' }) },
    { name: 'a start script that runs node', code: FROM + 'CMD ["yarn", "start"]\n', files: gate({ start: 'node index.js' }) },
    { name: 'npm run of a production script', code: FROM + 'CMD ["npm", "run", "serve"]\n', files: gate({ serve: 'NODE_ENV=production node server.js', dev: 'nodemon' }) },
    { name: 'no package.json: nothing to read', code: FROM + 'CMD ["yarn", "start"]\n', files: {} },
    { name: 'a script that does not exist is not followed', code: FROM + 'CMD ["npm", "run", "missing"]\n', files: gate({ start: 'nodemon' }) },
    { name: 'CMD after an ENTRYPOINT only gives arguments', code: FROM + 'ENTRYPOINT ["node", "index.js"]\nCMD ["yarn", "start"]\n', files: gate({ start: 'nodemon index.js' }) },
    { name: 'a builder stage may run dev scripts', code: 'FROM node:18.16.0-alpine3.17 AS b\nCMD yarn start\nFROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n', files: gate({ start: 'nodemon' }), task: 'generic' },
  ],
  invalid: [
    {
      name: 'the gate first attempt: CMD yarn start -> nodemon',
      code: FROM + 'CMD yarn start\n',
      files: gate({ start: 'nodemon index.js' }),
      errors: [{ messageId: 'devScript', range: [2, 4, 2, 14], severity: 'error', includes: ['nodemon', 'devDependency', 'CMD ["node", "index.js"]'] }],
      output: FROM + 'CMD ["node", "index.js"]\n',
    },
    {
      name: 'exec form, npm start',
      code: FROM + 'CMD ["npm", "start"]\n',
      files: gate({ start: 'ts-node-dev src/index.ts' }, { main: 'dist/index.js' }),
      errors: [{ messageId: 'devScript', range: [2, 4, 2, 20], includes: ['ts-node-dev'] }],
      // dist/index.js does not exist in the project: no file to point node at, so no fix.
      output: null,
    },
    {
      name: 'through another script: start -> dev -> nodemon; main from package.json',
      code: FROM + 'ENTRYPOINT ["yarn", "start"]\n',
      files: { ...gate({ start: 'yarn dev', dev: 'cross-env NODE_ENV=development nodemon server.js' }, { main: 'server.js' }), 'server.js': '' },
      errors: [{ messageId: 'devScriptVia', range: [2, 11, 2, 28], includes: ['"dev"', 'nodemon'] }],
      output: FROM + 'ENTRYPOINT ["node", "server.js"]\n',
    },
    {
      name: 'npm run dev with node --watch; main without extension',
      code: FROM + 'CMD ["npm", "run", "dev"]\n',
      files: { ...gate({ dev: 'node --watch app.js' }, { main: 'app' }), 'app.js': '' },
      errors: [{ messageId: 'devScript', range: [2, 4, 2, 25], includes: ['node --watch'] }],
      output: FROM + 'CMD ["node", "app.js"]\n',
    },
    {
      name: 'after cd &&: reported, no fix (the cd would be lost)',
      code: FROM + 'CMD cd /app && yarn start\n',
      files: gate({ start: 'nodemon index.js' }),
      errors: [{ messageId: 'devScript', range: [2, 4, 2, 25] }],
      output: null,
    },
    {
      name: 'script arguments: reported, no fix',
      code: FROM + 'CMD ["npm", "start", "--", "--inspect"]\n',
      files: gate({ start: 'nodemon index.js' }),
      errors: [{ messageId: 'devScript', range: [2, 4, 2, 39] }],
      output: null,
    },
    {
      name: 'generic task: a warning',
      task: 'generic',
      code: FROM + 'CMD ["yarn", "start"]\n',
      files: { 'package.json': pkg({ start: 'nodemon index.js' }), 'index.js': '' },
      errors: [{ messageId: 'devScript', range: [2, 4, 2, 21], severity: 'warning' }],
      output: FROM + 'CMD ["node", "index.js"]\n',
    },
  ],
});

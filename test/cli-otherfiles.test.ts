/**
 * `check --fix` writes the other files a fix creates or extends (.dockerignore), not only the Dockerfile:
 * created only when absent, appended to when present, never duplicated across the Dockerfiles of one
 * folder. Runs the bundled dist/cli.js, like cli.test.ts.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

// The generic task: no task rule reads index.js; dockerignore is a warning there, so exit 0 means no error.
const DOCKERFILE = 'FROM node:18.16.0-alpine3.17\nWORKDIR /app\nCOPY . .\nUSER node\nCMD ["node", "index.js"]\n';

let dir: string;
const project = (name: string, files: Record<string, string>) => {
  const p = path.join(dir, name);
  fs.mkdirSync(p, { recursive: true });
  for (const [f, content] of Object.entries({ 'package.json': '{"name":"app","main":"index.js"}', 'index.js': '', Dockerfile: DOCKERFILE, ...files })) {
    fs.writeFileSync(path.join(p, f), content);
  }
  return p;
};
const read = (p: string) => fs.readFileSync(p, 'utf8');

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-cli-other-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dockerfile-coach check --fix and other files', () => {
  it('creates .dockerignore when it is absent, leaves the Dockerfile as it is', () => {
    const p = project('create', {});
    const r = cli(['check', '--task', 'generic', '--fix', 'create'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(read(path.join(p, '.dockerignore')), 'node_modules\n.git\n.env\n');
    assert.equal(read(path.join(p, 'Dockerfile')), DOCKERFILE);
    assert.doesNotMatch(r.stdout, /dockerignore/);
  });

  it('appends the missing lines to an existing .dockerignore (CRLF kept)', () => {
    const p = project('extend', { '.dockerignore': '# local\r\nnode_modules\r\n' });
    const r = cli(['check', '--task', 'generic', '--fix', 'extend'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(read(path.join(p, '.dockerignore')), '# local\r\nnode_modules\r\n.git\r\n.env\r\n');
  });

  it('two Dockerfiles of one folder: the second sees what the first wrote (no duplicate lines)', () => {
    const p = project('two', { 'api.Dockerfile': DOCKERFILE, '.dockerignore': 'node_modules\n' });
    const r = cli(['check', '--task', 'generic', '--fix', 'two'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(read(path.join(p, '.dockerignore')), 'node_modules\n.git\n.env\n');
    const again = cli(['check', '--task', 'generic', '--fix', 'two'], dir);
    assert.equal(again.status, 0);
    assert.equal(read(path.join(p, '.dockerignore')), 'node_modules\n.git\n.env\n');
  });

  it('a complete .dockerignore is not touched', () => {
    const p = project('complete', { '.dockerignore': 'node_modules\n.git\n.env\n' });
    const before = fs.statSync(path.join(p, '.dockerignore')).mtimeMs;
    const r = cli(['check', '--task', 'generic', '--fix', 'complete'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(read(path.join(p, '.dockerignore')), 'node_modules\n.git\n.env\n');
    assert.equal(fs.statSync(path.join(p, '.dockerignore')).mtimeMs, before);
  });

  it('without --fix nothing is written, and the JSON names the other file of the fix', () => {
    const p = project('json', {});
    const r = cli(['check', '--task', 'generic', '--format', 'json', 'json'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.existsSync(path.join(p, '.dockerignore')), false);
    const d = JSON.parse(r.stdout)[0].diagnostics.find((x: { ruleId: string }) => x.ruleId === 'dockerignore');
    assert.deepEqual(d.fixes, [{ title: 'Create .dockerignore excluding node_modules, .git, .env', edits: [], otherFiles: [{ file: '.dockerignore', create: 'node_modules\n.git\n.env\n' }] }]);
  });
});

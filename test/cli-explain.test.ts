/** `dockerfile-coach explain`: the task's checklist as Markdown on stdout. Runs the bundled dist/cli.js. */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const DOCS = pathToFileURL(path.resolve(__dirname, '..', '..', 'docs', 'rules')).href + '/';
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-cli-explain-'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'gate', main: 'index.js', scripts: { start: 'node index.js' } }));
  fs.writeFileSync(path.join(dir, 'yarn.lock'), '');
  fs.writeFileSync(path.join(dir, 'index.js'), 'require("http").createServer().listen(3000);\n');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD yarn start\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dockerfile-coach explain', () => {
  it('prints the checklist of the detected task and exits 0 even with error findings', () => {
    const r = cli(['explain', 'Dockerfile'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const lines = r.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 5), ['# Gate task: Node.js HMAC service', '', '**Why this task:** package.json, yarn.lock and index.js found', '', '## Course requirements']);
    assert.ok(lines.includes(`- ❌ **Rule 6. CMD and ENTRYPOINT in exec form** — 1 finding ([docs/rules/exec-form.md](${DOCS}exec-form.md))`), r.stdout);
    assert.ok(lines.some((l) => /^ {2}- line 3: CMD is in shell form: .* \(error\)$/.test(l)), r.stdout);
  });

  it('--task and --lang', () => {
    const r = cli(['explain', '--task=generic', '--lang', 'ru', path.join(dir, 'Dockerfile')], os.tmpdir());
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.startsWith('# Обычный Dockerfile (общие правила курса)\n\n**Почему это задание:** выбрано явно\n'), r.stdout);
    assert.ok(r.stdout.includes(`- ➖ **Правило 10. Multi-Stage — как требует задание** — отключено, не проверяется ([docs/rules/multi-stage.md](${DOCS}multi-stage.md))\n`), r.stdout);
  });

  it('exit 2 with a message on usage and I/O errors', () => {
    for (const [args, message] of [
      [['explain'], /no Dockerfile given/],
      [['explain', '--task', 'k8s', 'Dockerfile'], /unknown task "k8s"/],
      [['explain', '--lang', 'de', 'Dockerfile'], /unknown language "de"/],
      [['explain', 'Dockerfile', 'Other'], /explain takes one Dockerfile/],
      [['explain', 'missing/Dockerfile'], /cannot read missing\/Dockerfile: no such file/],
      [['explain', '.'], /is a folder/],
    ] as const) {
      const r = cli([...args], dir);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    }
  });
});

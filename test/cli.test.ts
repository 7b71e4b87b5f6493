/** The CLI contract graders depend on: exit codes, JSON shape, --fix, folders. Runs the bundled dist/cli.js. */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const CLI = path.resolve(__dirname, '..', '..', 'dist', 'cli.js');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-cli-'));
  fs.mkdirSync(path.join(dir, 'bad'));
  fs.writeFileSync(path.join(dir, 'bad', 'Dockerfile'), 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD node index.js\n');
  fs.mkdirSync(path.join(dir, 'good', 'nested'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'good', 'nested', 'api.Dockerfile'), 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n');
  fs.mkdirSync(path.join(dir, 'good', 'node_modules', 'x'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'good', 'node_modules', 'x', 'Dockerfile'), 'FROM x\n');
  fs.writeFileSync(path.join(dir, 'good', 'README.md'), '# not a Dockerfile\n');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dockerfile-coach check', () => {
  it('exit 1 and the exact JSON contract when an error-severity finding exists', () => {
    const r = cli(['check', '--task', 'gate', '--format', 'json', 'bad/Dockerfile'], dir);
    assert.equal(r.status, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.deepEqual(json, [
      {
        file: 'bad/Dockerfile',
        task: 'gate',
        diagnostics: [
          {
            ruleId: 'exec-form',
            severity: 'error',
            message: json[0].diagnostics[0].message,
            range: { start: { line: 2, character: 4 }, end: { line: 2, character: 17 } },
            fixes: [
              {
                title: 'Convert to exec form: ["node", "index.js"]',
                edits: [{ range: { start: { line: 2, character: 4 }, end: { line: 2, character: 17 } }, newText: '["node", "index.js"]' }],
              },
            ],
          },
        ],
      },
    ]);
    assert.match(json[0].diagnostics[0].message, /shell form/);
  });

  it('exit 0 on a folder without errors; finds *.Dockerfile recursively and skips node_modules', () => {
    const r = cli(['check', '--task', 'gate', '--format', 'json', 'good'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).map((e: { file: string }) => e.file), ['good/nested/api.Dockerfile']);
  });

  it('--fix rewrites the file with the preferred fixes and reports what is left', () => {
    const copy = path.join(dir, 'fixme');
    fs.mkdirSync(copy);
    fs.writeFileSync(path.join(copy, 'Dockerfile'), 'FROM node:18.16.0-alpine3.17\r\nUSER node\r\nCMD node index.js\r\n');
    const r = cli(['check', '--task', 'gate', '--fix', 'fixme'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(path.join(copy, 'Dockerfile'), 'utf8'), 'FROM node:18.16.0-alpine3.17\r\nUSER node\r\nCMD ["node", "index.js"]\r\n');
    assert.match(r.stdout, /0 problems/);
  });

  it('--lang ru prints Russian messages', () => {
    const r = cli(['check', '--task', 'gate', '--lang', 'ru', 'bad'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /shell-форме/);
    assert.match(r.stdout, /Замечаний: 1 \(ошибок: 1, предупреждений: 0\)/);
  });

  it('--format sarif is SARIF 2.1.0 with rules and 1-based regions', () => {
    const r = cli(['check', '--task', 'gate', '--format=sarif', 'bad'], dir);
    assert.equal(r.status, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const result = sarif.runs[0].results[0];
    assert.equal(result.ruleId, 'exec-form');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 3, startColumn: 5, endLine: 3, endColumn: 18 });
    assert.ok(sarif.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === 'exec-form'));
  });

  it('exit 2 with a message on stderr for usage and I/O errors', () => {
    for (const args of [['check'], ['check', '--format', 'xml', 'bad'], ['check', '--task', 'nope', 'bad'], ['lint', 'bad'], ['check', '--bogus', 'bad'], ['check', 'missing/Dockerfile']]) {
      const r = cli(args, dir);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^dockerfile-coach: /);
    }
    const empty = cli(['check', 'good/nested/..', '--task', 'gate'], dir);
    assert.equal(empty.status, 0);
  });
});

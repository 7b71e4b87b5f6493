/** The CLI with findings in source files: their own entries (JSON, text, SARIF), deduplicated, counted in the exit code, fixed by --fix. */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const EXAMPLES = path.join(ROOT, 'examples');
const cli = (args: string[], cwd: string) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

let dir: string;
const copy = (from: string, to: string) => fs.cpSync(path.join(EXAMPLES, from), path.join(dir, to), { recursive: true });

interface Entry {
  file: string;
  task: string;
  diagnostics: { ruleId: string; severity: string; message: string; range: { start: { line: number; character: number } }; fixes: { title: string; edits: unknown[] }[] }[];
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-cli-sources-'));
  copy('gate/first-attempt', 'gate');
  // A second Dockerfile of the same project reads the same index.js.
  fs.writeFileSync(path.join(dir, 'gate', 'Dockerfile.dev'), 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n');
  copy('gate/solution', 'only-source');
  const index = path.join(dir, 'only-source', 'index.js');
  fs.writeFileSync(index, fs.readFileSync(index, 'utf8').replace("server.listen(9000, '0.0.0.0'", "server.listen(9000, '127.0.0.1'"));
  copy('distroless/first-attempt', 'distroless');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dockerfile-coach check: findings in source files', () => {
  it('JSON: index.js is its own entry, once, right after the first Dockerfile that found it', () => {
    const r = cli(['check', '--format', 'json', 'gate'], dir);
    assert.equal(r.status, 1, r.stderr);
    const json = JSON.parse(r.stdout) as Entry[];
    assert.deepEqual(
      json.map((e) => e.file),
      [json[0].file, 'gate/index.js', json[2].file],
    );
    assert.deepEqual(new Set([json[0].file, json[2].file]), new Set(['gate/Dockerfile', 'gate/Dockerfile.dev']));
    const index = json[1];
    assert.deepEqual(Object.keys(index), ['file', 'task', 'diagnostics']);
    assert.equal(index.task, 'gate');
    assert.deepEqual(
      index.diagnostics.map((d) => [d.ruleId, d.severity, d.range.start.line, d.range.start.character]),
      [
        ['hardcoded-secret', 'error', 4, 18],
        ['hardcoded-secret', 'error', 6, 15],
        ['listen-address', 'error', 37, 20],
      ],
    );
    const listen = index.diagnostics[2];
    assert.deepEqual(listen.fixes, [
      { title: 'Listen on 0.0.0.0 (all interfaces)', edits: [{ range: { start: { line: 37, character: 20 }, end: { line: 37, character: 31 } }, newText: "'0.0.0.0'" }] },
    ]);
    // No Dockerfile entry carries the index.js findings.
    for (const e of [json[0], json[2]]) assert.ok(!e.diagnostics.some((d) => d.ruleId === 'listen-address' || d.ruleId === 'hardcoded-secret'));
  });

  it('text: grouped under index.js with the Dockerfile that found them; the summary counts them', () => {
    const r = cli(['check', 'gate/Dockerfile'], dir);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^gate\/index\.js {2}\(task: gate, found checking gate\/Dockerfile\)\n {2}5:19 +error +The HMAC algorithm is hardcoded/m);
    assert.match(r.stdout, /^ {2}38:21 +error +The app listens on localhost \(index\.js:38\)/m);
    const ru = cli(['check', '--lang', 'ru', 'gate/Dockerfile'], dir);
    assert.match(ru.stdout, /^gate\/index\.js {2}\(задание: gate, найдено при проверке gate\/Dockerfile\)/m);
  });

  it('SARIF: results located in index.js and in docker-compose.yml', () => {
    const r = cli(['check', '--format', 'sarif', 'gate/Dockerfile', 'distroless'], dir);
    const sarif = JSON.parse(r.stdout);
    const uris = new Set(sarif.runs[0].results.map((x: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => x.locations[0].physicalLocation.artifactLocation.uri));
    assert.ok(uris.has('gate/index.js'));
    assert.ok(uris.has('distroless/docker-compose.yml'));
    const listen = sarif.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'listen-address');
    assert.deepEqual(listen.locations[0].physicalLocation.region, { startLine: 38, startColumn: 21, endLine: 38, endColumn: 32 });
    assert.ok(sarif.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === 'listen-address'));
  });

  it('exit 1 when only a source file has an error', () => {
    const r = cli(['check', '--format', 'json', 'only-source'], dir);
    assert.equal(r.status, 1, r.stdout);
    const json = JSON.parse(r.stdout) as Entry[];
    assert.deepEqual(json.map((e) => e.file), ['only-source/Dockerfile', 'only-source/index.js']);
    assert.deepEqual(json[0].diagnostics.filter((d) => d.severity === 'error'), []);
    assert.deepEqual(json[1].diagnostics.map((d) => d.ruleId), ['listen-address']);
  });

  it('--fix writes the fixed index.js and keeps the Dockerfile contract; a second run finds nothing there', () => {
    const r = cli(['check', '--fix', '--format', 'json', 'gate/Dockerfile'], dir);
    const json = JSON.parse(r.stdout) as Entry[];
    assert.equal(json[0].file, 'gate/Dockerfile');
    assert.ok(!json.some((e) => e.file === 'gate/index.js'), 'index.js is clean after the fix');
    const index = fs.readFileSync(path.join(dir, 'gate', 'index.js'), 'utf8');
    assert.match(index, /^const algorithm = process\.env\.HMAC_ALGO \|\| 'sha256';$/m);
    assert.match(index, /^const secret = process\.env\.HMAC_SECRET;$/m);
    assert.match(index, /server\.listen\(9000, '0\.0\.0\.0'/);
    assert.doesNotMatch(index, /FIXME/);
    assert.match(fs.readFileSync(path.join(dir, 'gate', 'Dockerfile'), 'utf8'), /^CMD \["node", "index\.js"\]$/m);
    const again = JSON.parse(cli(['check', '--format', 'json', 'gate'], dir).stdout) as Entry[];
    assert.ok(!again.some((e) => e.file === 'gate/index.js'));
  });
});

/**
 * `--format sarif` against the official SARIF 2.1.0 JSON schema (vendored: test/fixtures/sarif/README.md),
 * plus what GitHub code scanning reads: declared rules with descriptions, help and a level.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv, { ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { BUILD_PUSH_WORKFLOW, cli } from './workflows/fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMA = path.join(ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8'));
// The schema's own formats (uri, uri-reference, date-time) are checked, not ignored.
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const errorsOf = (log: unknown): ErrorObject[] => (validate(log) ? [] : [...(validate.errors ?? [])]);
const show = (errors: ErrorObject[]) => errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('\n');

interface Rule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  helpUri: string;
  help: { text: string; markdown?: string };
  defaultConfiguration: { level: string };
}
interface Result {
  ruleId: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
}
interface Log {
  version: string;
  runs: { tool: { driver: { name: string; rules: Rule[] } }; results: Result[] }[];
}

/** Runs the CLI, asserts the exit code and that the output is schema-valid SARIF that code scanning can show. */
function sarif(args: string[], cwd: string, status: number): Log {
  const r = cli(['check', '--format', 'sarif', ...args], cwd);
  assert.equal(r.status, status, r.stderr);
  assert.equal(r.stderr, '');
  const log = JSON.parse(r.stdout) as Log;
  const errors = errorsOf(log);
  assert.equal(errors.length, 0, `not valid SARIF 2.1.0:\n${show(errors)}`);
  assert.equal(log.runs.length, 1);
  const { rules } = log.runs[0].tool.driver;
  const ids = new Set(rules.map((rule) => rule.id));
  assert.equal(ids.size, rules.length, 'duplicate rule ids');
  for (const rule of rules) {
    assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text, rule.id);
    assert.equal(rule.helpUri, pathToFileURL(path.join(ROOT, 'docs', 'rules', `${rule.id}.md`)).href);
    // Every rule has its page, shipped as the help code scanning shows.
    assert.equal(rule.help.markdown, fs.readFileSync(path.join(ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8'), rule.id);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level), rule.id);
  }
  for (const res of log.runs[0].results) assert.ok(ids.has(res.ruleId), `result of an undeclared rule ${res.ruleId}`);
  return log;
}
const uris = (log: Log) => [...new Set(log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))];
const ruleIds = (log: Log) => log.runs[0].results.map((r) => r.ruleId);

const CLEAN = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-sarif-'));
  // A student's repository: Dockerfile findings (fixable), index.js findings, a workflow (some findings without a fix).
  fs.cpSync(path.join(ROOT, 'examples', 'gate', 'first-attempt'), path.join(dir, 'repo'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'repo', '.github', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'repo', '.github', 'workflows', 'docker.yml'), BUILD_PUSH_WORKFLOW);
  fs.mkdirSync(path.join(dir, 'clean'));
  fs.writeFileSync(path.join(dir, 'clean', 'Dockerfile'), CLEAN);
  // Names that are not URI characters as they are.
  for (const name of ['my app', 'задание', 'a#1']) {
    fs.mkdirSync(path.join(dir, 'names', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'names', name, 'Dockerfile'), 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD node index.js\n');
  }
  fs.mkdirSync(path.join(dir, 'broken-config'));
  fs.writeFileSync(path.join(dir, 'broken-config', 'Dockerfile'), CLEAN);
  fs.writeFileSync(path.join(dir, 'broken-config', 'dockerfile-coach.json'), '{"task": "gate",');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('SARIF output against the SARIF 2.1.0 schema', () => {
  it('the validator rejects broken SARIF (so these tests can fail)', () => {
    const log = sarif(['repo'], dir, 1);
    const broken = JSON.parse(JSON.stringify(log));
    delete broken.version;
    broken.runs[0].results[0].level = 'fatal';
    broken.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    broken.runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri = 'my app/Dockerfile';
    broken.runs[0].tool.driver.rules[0].helpUri = 'not a uri';
    const errors = errorsOf(broken).map((e) => `${e.instancePath} ${e.keyword}`);
    assert.deepEqual(new Set(errors), new Set([
      ' required',
      '/runs/0/tool/driver/rules/0/helpUri format',
      '/runs/0/results/0/level enum',
      '/runs/0/results/0/locations/0/physicalLocation/region/startLine minimum',
      '/runs/0/results/1/locations/0/physicalLocation/artifactLocation/uri format',
    ]));
    assert.deepEqual(errorsOf(log), []);
  });

  it('a repository: Dockerfile, index.js and workflow findings, with and without fixes', () => {
    const log = sarif(['repo'], dir, 1);
    assert.deepEqual(uris(log), ['repo/Dockerfile', 'repo/index.js', 'repo/.github/workflows/docker.yml']);
    assert.deepEqual(ruleIds(log), [
      'non-root-user', 'gate-base-image', 'pinned-base-image', 'cache-friendly-order', 'dockerignore', 'legacy-builder', 'production-install',
      'runtime-env', 'no-baked-secrets', 'exec-form', 'production-start',
      'hardcoded-secret', 'hardcoded-secret', 'listen-address',
      'workflow-triggers', 'workflow-ghcr-push', 'workflow-ghcr-push', 'workflow-image-tag', 'workflow-legacy-builder', 'workflow-image-name',
    ]);
    const legacy = log.runs[0].results.find((r) => r.ruleId === 'workflow-legacy-builder');
    assert.deepEqual(legacy?.level, 'error');
    assert.deepEqual(legacy?.locations[0].physicalLocation.region, { startLine: 7, startColumn: 15, endLine: 7, endColumn: 42 });
    const rules = log.runs[0].tool.driver.rules;
    assert.deepEqual(rules.find((r) => r.id === 'workflow-image-tag')?.shortDescription, { text: rules.find((r) => r.id === 'workflow-image-tag')?.fullDescription.text });
    assert.deepEqual(
      rules.slice(-2).map((r) => [r.id, r.defaultConfiguration.level]),
      [['coach-config', 'warning'], ['internal-error', 'note']],
    );
  });

  it('after --fix: what is left is still valid', () => {
    fs.cpSync(path.join(dir, 'repo'), path.join(dir, 'fixed'), { recursive: true });
    const log = sarif(['--fix', 'fixed'], dir, 0);
    assert.deepEqual(ruleIds(log), ['runtime-env', 'workflow-image-tag']);
    assert.deepEqual(uris(log), ['fixed/Dockerfile', 'fixed/.github/workflows/docker.yml']);
    assert.deepEqual(log.runs[0].results.map((r) => r.level), ['note', 'warning']);
  });

  it('a clean Dockerfile: no results, the rules still declared', () => {
    const log = sarif(['--task', 'gate', 'clean'], dir, 0);
    assert.deepEqual(log.runs[0].results, []);
    assert.ok(log.runs[0].tool.driver.rules.length > 30);
  });

  it('--lang ru: Russian messages and rule titles', () => {
    const log = sarif(['--lang', 'ru', 'repo'], dir, 1);
    const legacy = log.runs[0].results.find((r) => r.ruleId === 'workflow-legacy-builder');
    assert.match(legacy?.message.text ?? '', /всегда собирает через BuildKit/);
    const rule = log.runs[0].tool.driver.rules.find((r) => r.id === 'workflow-legacy-builder');
    assert.equal(rule?.shortDescription.text, 'Workflow собирает образ legacy-сборщиком');
  });

  it('paths with spaces, "#" and Cyrillic are percent-encoded URI references', () => {
    const log = sarif(['--task', 'gate', 'names'], dir, 1);
    assert.deepEqual(uris(log), ['names/a%231/Dockerfile', 'names/my%20app/Dockerfile', 'names/%D0%B7%D0%B0%D0%B4%D0%B0%D0%BD%D0%B8%D0%B5/Dockerfile']);
    assert.deepEqual(ruleIds(log), ['exec-form', 'exec-form', 'exec-form']);
  });

  it('a path outside the working folder is an absolute file URI', () => {
    const abs = path.join(dir, 'names', 'my app', 'Dockerfile');
    const log = sarif(['--task', 'gate', abs], ROOT, 1);
    assert.deepEqual(uris(log), [pathToFileURL(abs).href]);
    assert.match(uris(log)[0], /^file:\/\/\/.*\/my%20app\/Dockerfile$/);
  });

  it('a broken dockerfile-coach.json: its coach-config result is declared and valid', () => {
    const log = sarif(['broken-config'], dir, 0);
    assert.deepEqual(ruleIds(log), ['coach-config']);
    assert.equal(log.runs[0].results[0].level, 'warning');
    assert.deepEqual(log.runs[0].results[0].locations[0].physicalLocation.region, { startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
  });
});

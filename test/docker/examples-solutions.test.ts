/**
 * Each task's solution builds with the legacy builder, runs, and passes Verify against a real engine
 * (the code the commands run, not a mock of docker); Build and run answers on 127.0.0.1 and stops clean.
 */
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Analysis } from '../../server/src/engine/analysis';
import { renderMarkdown, VerifyReport } from '../../client/src/docker/checklist';
import { postJson } from '../../client/src/docker/http';
import { startRun } from '../../client/src/docker/run';
import { copyDir, engineTest, nextSession, EXAMPLES, NETWORK_BUILD_ARGS, newDocker, requireImages, runVerify, tempDir, testTag } from './helpers';

// a secret that would break any command line built as a string
const SECRET = `s3 "cr3t"; $(id) 'x'`;

function assertPassed(report: VerifyReport, ids: string[]): void {
  const failed = report.items.filter((i) => i.status === 'fail');
  assert.equal(failed.length, 0, renderMarkdown(report, 'en'));
  assert.equal(report.passed, true);
  const passed = report.items.filter((i) => i.status === 'pass').map((i) => i.id);
  for (const id of ids) assert.ok(passed.includes(id), `${id} passed:\n${renderMarkdown(report, 'en')}`);
}

const COMMON = ['build', 'run', 'service', 'user-config', 'user-process', 'base-image', 'size', 'exec-form', 'secrets'];

engineTest('gate solution: builds, runs, answers the HMAC, passes Verify; the secret is in no output', async (t) => {
  if (!(await requireImages(t, ['node:18.16.0-alpine3.17']))) return;
  const { report, log } = await runVerify(t, {
    dockerfile: path.join(EXAMPLES, 'gate', 'solution', 'Dockerfile'),
    tag: testTag(t, 'gate'),
    buildArgs: NETWORK_BUILD_ARGS,
    env: { HMAC_ALGO: 'sha512', HMAC_SECRET: SECRET },
  });
  assertPassed(report, [...COMMON, 'dev-dependencies']);
  assert.equal(report.task, 'gate');
  assert.match(report.items.find((i) => i.id === 'service')!.detail.en, /sha512 HMAC/);
  const all = [...log, renderMarkdown(report, 'en'), renderMarkdown(report, 'ru')].join('\n');
  assert.ok(!all.includes(SECRET), 'the secret value is shown nowhere');
  assert.ok(all.includes('-e HMAC_SECRET'), 'only its name');
});

engineTest('scratch solution: the upload answers 200 and lands in the volume; passes Verify', async (t) => {
  if (!(await requireImages(t, ['golang:1.19.13-bullseye']))) return;
  const { report } = await runVerify(t, { dockerfile: path.join(EXAMPLES, 'scratch', 'solution', 'Dockerfile'), tag: testTag(t, 'scratch') });
  assertPassed(report, [...COMMON, 'volume']);
  assert.match(report.items.find((i) => i.id === 'volume')!.detail.en, /owner uid 65534/);
  assert.match(report.items.find((i) => i.id === 'base-image')!.detail.en, /^scratch/);
});

engineTest('distroless solution: the form POST answers 200; passes Verify (database image not available: reported, not failed)', async (t) => {
  if (!(await requireImages(t, ['golang:1.19.13-bullseye', 'gcr.io/distroless/base-debian11:nonroot']))) return;
  const { report } = await runVerify(t, { dockerfile: path.join(EXAMPLES, 'distroless', 'solution', 'Dockerfile'), tag: testTag(t, 'distroless') });
  assertPassed(report, COMMON);
  const db = report.items.find((i) => i.id === 'database');
  // real Docker Hub may have it on a user's machine; here it is never made
  if (db?.status === 'skip') assert.match(db.detail.en, /postgres:15\.4-bullseye.*not available locally/);
});

engineTest('distroless with the compose file\'s database: started on a private network as "db", then removed', async (t) => {
  if (!(await requireImages(t, ['golang:1.19.13-bullseye', 'gcr.io/distroless/base-debian11:nonroot', 'alpine:3.17']))) return;
  const docker = newDocker();
  // a stand-in "database" that only stays up: the example app parses -dbUrl and never connects
  const dbImage = testTag(t, 'fake-db');
  await docker.run(['tag', 'alpine:3.17', dbImage]);
  const dir = copyDir(path.join(EXAMPLES, 'distroless', 'solution'), path.join(tempDir(t), 'distroless'));
  const compose = fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8').replace('image: postgres:15.4-bullseye', `image: ${dbImage}\n    command: ["sleep", "600"]`);
  fs.writeFileSync(path.join(dir, 'docker-compose.yml'), compose);
  const { report } = await runVerify(t, { dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'distroless-db') });
  assertPassed(report, [...COMMON, 'database']);
  assert.match(report.items.find((i) => i.id === 'database')!.detail.en, /Started db .* as "db"/);
});

engineTest('Build and run: the gate solution answers on 127.0.0.1 with the values from the environment, and stops clean', async (t) => {
  if (!(await requireImages(t, ['node:18.16.0-alpine3.17']))) return;
  const docker = newDocker();
  const file = path.join(EXAMPLES, 'gate', 'solution', 'Dockerfile');
  const tag = testTag(t, 'gate-run');
  const build = await docker.build({ dockerfile: file, tag, buildArgs: NETWORK_BUILD_ARGS, analysis: new Analysis(fs.readFileSync(file, 'utf8')) });
  assert.equal(build.ok, true, build.error?.raw);
  assert.ok(build.output.steps.length > 0, 'the legacy builder printed its steps');

  const free = net.createServer();
  await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
  const port = (free.address() as net.AddressInfo).port;
  await new Promise((r) => free.close(r));

  const lines: string[] = [];
  const run = startRun({ docker, session: nextSession(), tag, task: 'gate', env: { HMAC_ALGO: 'sha256', HMAC_SECRET: SECRET }, hostPort: port, onLine: (l) => lines.push(l) });
  t.after(() => run.stop());
  assert.ok(!run.commandLine.includes(SECRET));
  assert.ok(run.commandLine.includes(`127.0.0.1:${port}:9000`), run.commandLine);
  let answer: string | undefined;
  for (let i = 0; i < 100 && answer === undefined; i++) {
    try {
      answer = (await postJson(`http://127.0.0.1:${port}/`, { data: 'data-for-hmac' })).body;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  assert.equal(answer, createHmac('sha256', SECRET).update('data-for-hmac').digest('hex'), lines.join('\n'));
  const outcome = await run.stop();
  assert.equal(outcome.stopped, true);
  assert.equal(outcome.failure, undefined);
  const left = await docker.exec(['ps', '-aq', '--filter', `name=${run.name}`]);
  assert.equal(left.stdout.trim(), '');
});

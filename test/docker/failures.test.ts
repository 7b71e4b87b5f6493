/**
 * Failure, clearly: no docker, a daemon that does not answer (gone, or hanging), a socket without
 * permission, a busy port, an image that cannot be pulled. Each gives its message (English and
 * Russian) and nothing is left running. The first three need only the docker client; the last two
 * need the engine.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { DockerFailure } from '../../client/src/docker/failures';
import { Analysis } from '../../server/src/engine/analysis';
import { startRun } from '../../client/src/docker/run';
import { verify } from '../../client/src/docker/verify';
import { DOCKER, EXAMPLES, engineTest, nextSession, newDocker, requireImages, tempDir, testTag } from './helpers';

const haveClient = !spawnSync(DOCKER, ['--version'], { timeout: 10000 }).error;

/** A test that needs only the docker client (no engine). */
function clientTest(name: string, body: (t: TestContext) => Promise<void>): void {
  if (haveClient) test(name, body);
  else if (process.env.CI) test(`${name} (needs the docker client)`, () => assert.fail(`no ${DOCKER} on PATH in CI`));
  else test(`${name} (skipped: no docker client)`, { skip: `no ${DOCKER} on PATH` }, () => undefined);
}

async function failureOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (e instanceof DockerFailure) return e.failure;
    throw e;
  }
  assert.fail('expected a DockerFailure');
}

test('no docker on PATH: "not found" with what to do, and Verify stops at the engine item', async () => {
  const docker = newDocker({ command: '/nonexistent/bin/docker' });
  const f = await failureOf(docker.ping());
  assert.equal(f.kind, 'not-installed');
  assert.match(f.message.en, /Docker was not found: "\/nonexistent\/bin\/docker".*Install Docker/);
  assert.match(f.message.ru, /Docker не найден/);

  const report = await verify({ docker, dockerfile: path.join(EXAMPLES, 'gate', 'solution', 'Dockerfile'), tag: 'gate:dev', env: { HMAC_SECRET: 'x' } });
  assert.equal(report.passed, false);
  assert.equal(report.failure?.kind, 'not-installed');
  assert.deepEqual(report.items.map((i) => [i.id, i.status]), [['engine', 'fail']]);

  const build = await docker.build({ dockerfile: path.join(EXAMPLES, 'gate', 'solution', 'Dockerfile'), tag: 'x:dev', analysis: new Analysis('FROM scratch\n') });
  assert.equal(build.ok, false);
  assert.equal(build.error?.failure?.kind, 'not-installed');
  assert.equal(build.error?.line, undefined);
});

clientTest('a daemon that is not there: "does not answer" with how to start it', async (t) => {
  const dir = tempDir(t);
  const host = `unix://${path.join(dir, 'gone.sock')}`;
  const docker = newDocker({ env: { ...process.env, DOCKER_HOST: host, DOCKER_CONTEXT: '' } });
  const f = await failureOf(docker.ping(15000));
  assert.equal(f.kind, 'daemon-down');
  assert.ok(f.message.en.includes(host), f.message.en);
  assert.match(f.message.en, /Start Docker/);
  assert.match(f.message.ru, /Демон Docker не отвечает/);
});

clientTest('a daemon that hangs: stopped after the timeout, "did not answer within"', async (t) => {
  const dir = tempDir(t);
  const sock = path.join(dir, 'hang.sock');
  const held: net.Socket[] = [];
  // accepts and never answers, like a wedged daemon
  const server = net.createServer((s) => void held.push(s));
  await new Promise<void>((r) => server.listen(sock, r));
  t.after(() => {
    held.forEach((s) => s.destroy());
    server.close();
  });
  const docker = newDocker({ env: { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONTEXT: '' } });
  const started = Date.now();
  const f = await failureOf(docker.ping(2000));
  assert.ok(Date.now() - started < 10000);
  assert.equal(f.kind, 'daemon-timeout');
  assert.match(f.message.en, /did not answer within 2 s.*Restart Docker/);
});

clientTest('a socket without permission: "no permission" with the docker group advice', async (t) => {
  const dir = tempDir(t);
  fs.chmodSync(dir, 0o755);
  const sock = path.join(dir, 'docker.sock');
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(sock, r));
  t.after(() => server.close());
  fs.chmodSync(sock, 0o600);
  const root = process.getuid?.() === 0;
  // root passes any permission check: drop to nobody for this one command
  const home = tempDir(t);
  fs.chmodSync(home, 0o777);
  const docker = newDocker({ env: { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONTEXT: '', HOME: home, DOCKER_CONFIG: home }, ...(root ? { user: { uid: 65534, gid: 65534 } } : {}) });
  if (!root) fs.chmodSync(sock, 0o000);
  const f = await failureOf(docker.ping(15000));
  assert.equal(f.kind, 'permission', f.detail);
  assert.ok(f.message.en.includes(sock), f.message.en);
  assert.match(f.message.en, /usermod -aG docker/);
  assert.match(f.message.ru, /Нет прав на сокет Docker/);
});

engineTest('a port already in use: the message names the port, and no container is left', async (t) => {
  if (!(await requireImages(t, ['alpine:3.17']))) return;
  const busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  t.after(() => busy.close());
  const port = (busy.address() as net.AddressInfo).port;
  const docker = newDocker();
  const lines: string[] = [];
  const run = startRun({ docker, session: nextSession(), tag: 'alpine:3.17', task: 'generic', env: {}, command: ['sleep', '30'], containerPort: 8080, hostPort: port, onLine: (l) => lines.push(l) });
  const outcome = await run.done;
  assert.equal(outcome.failure?.kind, 'port-in-use', lines.join('\n'));
  assert.match(outcome.failure!.message.en, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use`));
  assert.match(outcome.failure!.message.ru, new RegExp(`Порт ${port}`));
  const left = await docker.exec(['ps', '-aq', '--filter', `name=${run.name}`]);
  assert.equal(left.stdout.trim(), '');
});

engineTest('an image that cannot be pulled: for docker run and for a FROM, which gets the diagnostic', async (t) => {
  const docker = newDocker();
  const run = startRun({ docker, session: nextSession(), tag: 'dfcoach-test/no-such-image:1', task: 'generic', env: {}, containerPort: 80, hostPort: 0 });
  const outcome = await run.done;
  assert.equal(outcome.failure?.kind, 'pull-failed');
  assert.match(outcome.failure!.message.en, /dfcoach-test\/no-such-image:1 could not be pulled/);

  const dir = tempDir(t);
  const text = '# a base that no registry has\nFROM dfcoach-test/no-such-base:1\nRUN true\n';
  fs.writeFileSync(path.join(dir, 'Dockerfile'), text);
  const build = await docker.build({ dockerfile: path.join(dir, 'Dockerfile'), tag: testTag(t, 'pull'), analysis: new Analysis(text) });
  assert.equal(build.ok, false);
  assert.equal(build.error?.kind, 'pull-failed');
  assert.equal(build.error?.line, 1);
  assert.match(build.error!.message.en, /dfcoach-test\/no-such-base:1 could not be pulled/);
  assert.match(build.error!.message.ru, /не удалось скачать/);
});

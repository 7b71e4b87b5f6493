/**
 * Shared by the docker tests: find the engine (DOCKER_HOST or the default socket), name the tests that
 * need it so a run without one says so, make sure the course's base images are there, and check that
 * nothing a test started is left behind.
 *
 * In CI (scripts/ci/docker.sh) there is no registry: scripts/docker-engine/standins.sh makes the base
 * images locally and tags them with the course's names. What each stand-in lacks compared with the real
 * image (the tests do not depend on any of it; each also has the label dockerfile-coach.standins):
 *   alpine:3.17             busybox-static only: no musl, no apk, no /etc/alpine-release.
 *   node:18.16.0-alpine3.17 and node:lts-alpine
 *                           the host's node binary (glibc, the host's version, not 18.16.0 on musl) with
 *                           its shared libraries, npm, yarn 1.22.19, busybox as /bin/sh, user node
 *                           (1000), the real docker-entrypoint.sh; no apk; one layer. It also carries the
 *                           host's CA bundle and NODE_EXTRA_CA_CERTS, because the npm registry is reached
 *                           here through a TLS-intercepting proxy (the real image has neither).
 *   golang:1.19 and golang:1.19.13-bullseye
 *                           one image: Debian 12 (bookworm) minbase with Debian's golang-go 1.19.8, gcc
 *                           and libc6-dev. Not Go 1.19.13, and the "bullseye" tag is not Debian 11 (glibc
 *                           2.36, not 2.31): a cgo binary built in it runs on the distroless stand-in
 *                           below but would need a newer glibc than the real base-debian11. No git, make
 *                           or pkg-config; one layer.
 *   gcr.io/distroless/base-debian11:nonroot
 *                           Debian 12's libc6 files, CA certificates, netbase files, passwd and group
 *                           with root, nobody and nonroot (65532), USER 65532, WORKDIR /home/nonroot. No
 *                           libssl, no tzdata, no /var/lib/dpkg/status.d; one layer; not Debian 11.
 *   postgres:15.4-bullseye  not made: Verify reports the compose file's database as not available and
 *                           checks the events service without it (the example app never connects).
 */
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Docker, LABEL } from '../../client/src/docker/dockerCli';
import type { VerifyReport } from '../../client/src/docker/checklist';
import { verify, VerifyOptions } from '../../client/src/docker/verify';

export const DOCKER = process.env.COACH_DOCKER ?? 'docker';
export const REPO = path.resolve(__dirname, '../../..');
export const EXAMPLES = path.join(REPO, 'examples');
export const PROBES = path.join(REPO, 'test', 'docker', 'probes');

export interface Engine {
  ok: boolean;
  version?: string;
  host: string;
  error?: string;
}

/** Asks the engine once, at load: docker finds it through DOCKER_HOST, the context or the default socket. */
function detect(): Engine {
  const host = process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  const r = spawnSync(DOCKER, ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8', timeout: 20000 });
  if (r.error) return { ok: false, host, error: `${DOCKER}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, host, error: (r.stderr || r.stdout).trim().split('\n').pop() };
  return { ok: true, version: r.stdout.trim(), host };
}

export const engine = detect();

export function newDocker(extra: Partial<ConstructorParameters<typeof Docker>[0]> = {}): Docker {
  return new Docker({ command: DOCKER, env: process.env, ...extra });
}

type Body = (t: TestContext) => Promise<void>;

// Tests in one file run one after the other; files run in parallel. Each test names what it starts
// with its own session prefix, so "nothing left" is checked for its own containers only.
let currentPrefix = '';
let sessions = 0;
let tests = 0;

/** A session name for Verify or Build and run, unique to the running test. */
export function nextSession(): string {
  return `${currentPrefix}s${sessions++}`;
}

/**
 * A test that needs a Docker engine. Without one it is skipped with "no Docker engine" in its name,
 * except in CI (process.env.CI), where it fails: there the engine must run.
 */
export function engineTest(name: string, body: Body, opts: { timeout?: number } = {}): void {
  if (engine.ok) {
    test(name, { timeout: opts.timeout ?? 300000 }, async (t) => {
      currentPrefix = `t${process.pid}x${tests++}`;
      try {
        await body(t);
      } finally {
        await assertNothingLeft(currentPrefix);
      }
    });
  } else if (process.env.CI) {
    test(`${name} (needs a Docker engine)`, () => {
      assert.fail(`no Docker engine answers at ${engine.host} (${engine.error}); in CI the engine must run: see scripts/ci/docker.sh`);
    });
  } else {
    test(`${name} (skipped: no Docker engine)`, { skip: `no Docker engine at ${engine.host}: ${engine.error}` }, () => undefined);
  }
}

/** The images a test builds FROM: present, pulled, or the test is skipped (outside CI) or fails (in CI). */
export async function requireImages(t: TestContext, images: string[]): Promise<boolean> {
  const docker = newDocker();
  const missing: string[] = [];
  for (const image of images) {
    if (await docker.imageInspect(image)) continue;
    const pulled = await docker.exec(['pull', image], { timeoutMs: 180000 });
    if (pulled.code !== 0) missing.push(image);
  }
  if (missing.length === 0) return true;
  const message = `no base image ${missing.join(', ')} (make the stand-ins with scripts/docker-engine/standins.sh)`;
  if (process.env.CI) assert.fail(message);
  t.skip(message);
  return false;
}

/** Nothing labelled by Verify or Build and run for these sessions is left: no container, volume or network. */
export async function assertNothingLeft(prefix: string): Promise<void> {
  const docker = newDocker();
  for (const [kind, field] of [[['ps', '-a'], '{{.Names}}'], [['volume', 'ls'], '{{.Name}}'], [['network', 'ls'], '{{.Name}}']] as const) {
    const r = await docker.run([...kind, '--filter', `label=${LABEL}`, '--format', field], { timeoutMs: 30000 });
    const mine = r.stdout.split('\n').filter((n) => n.startsWith(`dfcoach-${prefix}`));
    assert.deepEqual(mine, [], `left behind (${kind.join(' ')}): ${mine.join(', ')}`);
  }
}

export function tempDir(t: TestContext, prefix = 'coach-docker-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Copies a folder (an example) so a test can change it. */
export function copyDir(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/** A unique tag, removed after the test; the layers stay as build cache (--no-prune). */
export function testTag(t: TestContext, name: string): string {
  const tag = `dfcoach-test/${name}:${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  t.after(async () => {
    await newDocker().exec(['rmi', '--no-prune', tag], { timeoutMs: 60000 });
  });
  return tag;
}

/** The examples' gate builds run `yarn install`: on an engine without NAT (CI) that needs the host network. */
export const NETWORK_BUILD_ARGS = ['--network', 'host'];

export const SECONDS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Verify as the command runs it, collecting what it would write to the terminal. */
export async function runVerify(t: TestContext, opts: Partial<VerifyOptions> & { dockerfile: string; tag: string }): Promise<{ report: VerifyReport; log: string[] }> {
  const log: string[] = [];
  const started = Date.now();
  const report = await verify({ docker: newDocker(), timeoutMs: 20000, session: nextSession(), log: (l) => log.push(l), onBuildLine: (l) => log.push(l), ...opts });
  t.diagnostic(`verify ${path.relative(EXAMPLES, path.dirname(opts.dockerfile))}: ${SECONDS(Date.now() - started)}`);
  return { report, log };
}

/**
 * scripts/refresh-catalog.mjs against a real registry: Debian's `docker-registry` package (the CNCF
 * distribution registry, API v2). The test pushes a few tagged manifests over plain HTTP, runs the script
 * and checks the exact tags it writes. Without the binary the test skips and says so.
 */
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const REGISTRY_BIN = process.env.DOCKER_REGISTRY_BIN ?? '/usr/bin/docker-registry';
const SCRIPT = path.resolve(__dirname, '../../scripts/refresh-catalog.mjs');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Registry {
  url: string;
  dir: string;
}

/** Start docker-registry on a free loopback port with its storage in a temp folder; stopped by t.after. */
async function startRegistry(t: TestContext): Promise<Registry> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${path.join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(REGISTRY_BIN, ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let exited: number | null | undefined;
  child.stderr!.on('data', (d) => (stderr += d));
  child.on('exit', (code) => (exited = code));
  t.after(async () => {
    if (exited === undefined) {
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([done, sleep(5000)]);
      if (exited === undefined) {
        child.kill('SIGKILL');
        await Promise.race([done, sleep(2000)]);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (exited !== undefined) throw new Error(`docker-registry exited with ${exited}: ${stderr}`);
    try {
      const res = await fetch(`${url}/v2/`);
      if (res.status === 200) return { url, dir };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`docker-registry did not answer on ${url} within 15 s: ${stderr}`);
}

const sha256 = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function pushBlob(base: string, name: string, blob: Buffer): Promise<string> {
  const digest = sha256(blob);
  const start = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  assert.equal(start.status, 202, `start upload: ${await start.text()}`);
  const upload = new URL(start.headers.get('location')!, base);
  upload.searchParams.set('digest', digest);
  const put = await fetch(upload, { method: 'PUT', body: blob, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(put.status, 201, `put blob: ${await put.text()}`);
  return digest;
}

/** Push a one-layer Docker schema2 image under each tag. */
async function pushTags(base: string, name: string, tags: string[]): Promise<void> {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const layer = Buffer.from(`a layer of ${name}`);
  const configDigest = await pushBlob(base, name, config);
  const layerDigest = await pushBlob(base, name, layer);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: config.length, digest: configDigest },
    layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: layer.length, digest: layerDigest }],
  });
  for (const tag of tags) {
    const res = await fetch(`${base}/v2/${name}/manifests/${tag}`, {
      method: 'PUT',
      body: manifest,
      headers: { 'Content-Type': 'application/vnd.docker.distribution.manifest.v2+json' },
    });
    assert.equal(res.status, 201, `put manifest ${name}:${tag}: ${await res.text()}`);
  }
}

/** Run the script (async: the Bearer test serves the proxy from this very process). */
function runScript(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeCatalog(dir: string, images: Record<string, string[]>): string {
  const file = path.join(dir, `tags-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify({ generated: '2000-01-01', source: 'test catalog', images }, null, 2));
  return file;
}

const NODE_TAGS = ['18.16.0', '18.16.0-alpine3.17', '18-alpine3.17', 'latest', 'alpine', '20.10.0-alpine3.17', '20.10.0', 'lts-alpine3.17'];
const GOLANG_TAGS = ['1', '1.21', '1.21.5', '1.21.5-alpine', 'bookworm'];
const DISTROLESS_TAGS = ['latest', 'nonroot', 'debug', 'sha256-0123abcd.sig'];

test('refresh-catalog against a real docker-registry', { timeout: 120_000 }, async (t) => {
  if (!fs.existsSync(REGISTRY_BIN)) {
    t.skip(`docker-registry binary not found at ${REGISTRY_BIN}: install the Debian package "docker-registry" (apt-get install -y docker-registry) to run this test`);
    return;
  }
  const reg = await startRegistry(t);
  await pushTags(reg.url, 'node', NODE_TAGS);
  await pushTags(reg.url, 'golang', GOLANG_TAGS);
  await pushTags(reg.url, 'distroless/base-debian11', DISTROLESS_TAGS);

  await t.test('writes exactly the version-like tags, following Link pagination, keeping other images', async () => {
    const out = writeCatalog(reg.dir, { python: ['3.11.6'], node: ['1.0.0'] });
    const r = await runScript(['--registry', reg.url, '--images', 'node,golang,distroless/base-debian11', '--out', out, '--page-size', '2']);
    assert.equal(r.code, 0, r.stderr);
    const data = JSON.parse(fs.readFileSync(out, 'utf8'));
    assert.deepEqual(data.images, {
      'distroless/base-debian11': ['debug', 'latest', 'nonroot'],
      golang: ['1.21', '1.21.5', '1.21.5-alpine'],
      node: ['18.16.0', '18.16.0-alpine3.17', '20.10.0', '20.10.0-alpine3.17'],
      python: ['3.11.6'],
    });
    assert.match(data.generated, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(data.source, 'test catalog');
    assert.deepEqual(Object.keys(data.refreshed).sort(), ['distroless/base-debian11', 'golang', 'node']);
    assert.equal(data.refreshed.node.registry, reg.url);
    assert.match(r.stdout, /node: 4 of 8 tags kept/);
  });

  await t.test('takes an anonymous Bearer token when the registry answers 401, once for all pages', async () => {
    const tokenRequests: string[] = [];
    let unauthorized = 0;
    let proxyUrl = '';
    // Docker Hub's scheme in front of the real registry: 401 + WWW-Authenticate, a token endpoint, then Bearer.
    const proxy = http.createServer((req, res) => {
      void (async () => {
        const u = new URL(req.url ?? '/', proxyUrl);
        if (u.pathname === '/token') {
          tokenRequests.push(u.search);
          const ok = u.searchParams.get('service') === 'coach-test' && u.searchParams.get('scope') === 'repository:node:pull';
          res.writeHead(ok ? 200 : 400, { 'Content-Type': 'application/json' });
          res.end(ok ? JSON.stringify({ token: 't0ken', expires_in: 300 }) : '{}');
          return;
        }
        if (req.headers.authorization !== 'Bearer t0ken') {
          unauthorized++;
          res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${proxyUrl}/token",service="coach-test",scope="repository:node:pull"` });
          res.end('{"errors":[{"code":"UNAUTHORIZED"}]}');
          return;
        }
        const upstream = await fetch(`${reg.url}${req.url}`);
        const headers: Record<string, string> = { 'Content-Type': upstream.headers.get('content-type') ?? 'application/json' };
        const link = upstream.headers.get('link');
        if (link) headers.Link = link;
        res.writeHead(upstream.status, headers);
        res.end(Buffer.from(await upstream.arrayBuffer()));
      })();
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;
    try {
      const out = writeCatalog(reg.dir, {});
      const r = await runScript(['--registry', proxyUrl, '--images', 'node', '--out', out, '--page-size', '3']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')).images, { node: ['18.16.0', '18.16.0-alpine3.17', '20.10.0', '20.10.0-alpine3.17'] });
      assert.equal(tokenRequests.length, 1);
      assert.equal(unauthorized, 1);
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });

  await t.test('leaves the catalog untouched when an image does not exist', async () => {
    const out = writeCatalog(reg.dir, { node: ['1.0.0'] });
    const before = fs.readFileSync(out, 'utf8');
    const r = await runScript(['--registry', reg.url, '--images', 'node,no-such-image', '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no-such-image.*HTTP 404/);
    assert.equal(fs.readFileSync(out, 'utf8'), before);
  });
});

test('refresh-catalog fails cleanly when the registry is unreachable', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-refresh-'));
  try {
    const out = writeCatalog(dir, { node: ['1.0.0'] });
    const before = fs.readFileSync(out, 'utf8');
    const port = await freePort();
    const r = await runScript(['--registry', `http://127.0.0.1:${port}`, '--images', 'node', '--out', out]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^refresh-catalog: /);
    assert.equal(fs.readFileSync(out, 'utf8'), before);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * The server under stress, over the real protocol: an edit storm on a 5,000-line file, files it must not
 * choke on, closed documents, a workspace with no folder. It must answer the last version, drop stale
 * work, keep its memory flat, and never crash.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ClientCapabilities, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspTestClient, pathToUri } from './lsp/lspClient';

const CAPABILITIES: ClientCapabilities = {
  workspace: { configuration: true },
  textDocument: { publishDiagnostics: { versionSupport: true } },
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** A realistic multi-stage Dockerfile of about `lines` lines, a new stage every `stageEvery` lines. */
export function bigDockerfile(lines: number, stageEvery = 50): string {
  const out: string[] = ['ARG NODE=18.16.0'];
  let stage = 0;
  while (out.length < lines) {
    if (out.length >= stage * stageEvery) {
      out.push(`FROM node:\${NODE}-alpine3.17 AS s${stage}`, 'WORKDIR /app', 'ENV NODE_ENV=production', 'COPY package.json yarn.lock ./');
      stage++;
    }
    out.push('RUN apk add --no-cache curl \\', '    && yarn install --frozen-lockfile --production \\', '    && yarn cache clean', '# a comment', 'COPY . .');
  }
  out.push('USER node', 'CMD ["node", "index.js"]');
  return out.join('\n') + '\n';
}

describe('server robustness', () => {
  let client: LspTestClient;
  let dir: string;
  let version = 0;
  const open = (uri: string, text: string) => client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: ++version, text } });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-robust-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "broken", ');
    client = new LspTestClient();
    await client.initialize(dir, CAPABILITIES, { locale: 'en' });
  });
  after(() => {
    client?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('edit storm: 2,000 keystrokes on 5,000 lines; the last version wins, stale work is dropped, memory stays flat', async () => {
    const uri = pathToUri(path.join(dir, 'storm.Dockerfile'));
    const text = bigDockerfile(5000);
    const first = client.nextDiagnostics(uri, undefined, 'diagnostics', 30_000);
    await open(uri, text);
    await first;
    const rssBefore = rssMb(client.pid);
    const publishedBefore = client.published.filter((p) => p.uri === uri).length;
    const lineCount = text.split('\n').length - 1;
    const keystrokes = 2000;
    let last = version;
    for (let i = 0; i < keystrokes; i++) {
      // Typing on one line near the end: insert a character into a comment.
      const line = lineCount - 5;
      last = ++version;
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: last },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 50 === 49 ? '\n' : 'x' }],
      });
    }
    const final = await client.nextDiagnostics(uri, (p) => p.version === last, `diagnostics for the last version ${last}`, 30_000);
    await sleep(400);
    const during = client.published.filter((p) => p.uri === uri).slice(publishedBefore);
    const rssAfter = rssMb(client.pid);
    console.log(`edit storm: ${keystrokes} changes, ${during.length} publishes, RSS ${rssBefore.toFixed(1)} MB -> ${rssAfter.toFixed(1)} MB`);
    assert.equal(during[during.length - 1].version, last, 'the last publish is for the last version');
    assert.ok(during.length < keystrokes / 10, `stale work is dropped (${during.length} publishes for ${keystrokes} changes)`);
    assert.ok(Array.isArray(final.diagnostics));
    assert.ok(rssAfter < rssBefore + 60, `memory stays flat: ${rssBefore.toFixed(1)} -> ${rssAfter.toFixed(1)} MB`);
  });

  const odd: [string, () => string][] = [
    ['an empty file', () => ''],
    ['1 MB on one line', () => 'RUN ' + 'x'.repeat(1_000_000)],
    ['50,000 lines', () => bigDockerfile(50_000)],
    ['binary bytes', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)).toString('latin1')],
    ['a shell script', () => '#!/bin/sh\nset -e\nfor f in *.txt; do\n  echo "$f" | tr a-z A-Z > "$f.out"\ndone\n'],
    ['only a BOM and CRs', () => '\uFEFF\r\r\r\n\r'],
  ];
  for (const [name, make] of odd) {
    it(`answers ${name} without crashing`, async () => {
      const uri = pathToUri(path.join(dir, `${name.replace(/\W+/g, '-')}.Dockerfile`));
      // Generous: the 50,000-line file alone takes seconds to parse on a loaded 2-core machine.
      const published = client.nextDiagnostics(uri, undefined, 'diagnostics', 60_000);
      await open(uri, make());
      const p = await published;
      assert.ok(Array.isArray(p.diagnostics));
      assert.ok(!p.diagnostics.some((d) => d.code === 'internal-error'), JSON.stringify(p.diagnostics.filter((d) => d.code === 'internal-error')));
      assert.deepEqual(client.errors, []);
    });
  }

  it('a malformed package.json in the project does not break the check', async () => {
    const uri = pathToUri(path.join(dir, 'Dockerfile'));
    const published = client.nextDiagnostics(uri);
    await open(uri, 'FROM node:18.16.0-alpine3.17\nCOPY package.json ./\nRUN npm ci\nUSER node\nCMD ["node", "index.js"]\n');
    const p = await published;
    assert.ok(p.diagnostics.some((d) => d.code === 'production-install'));
    assert.deepEqual(client.errors, []);
  });

  it('answers malformed requests with InvalidParams and survives malformed notifications', async () => {
    const errors = client.errors.length;
    for (const method of ['dockerfileCoach/setTask', 'dockerfileCoach/explainTask']) {
      for (const params of [null, {}, { uri: 42 }]) {
        await assert.rejects(client.connection.sendRequest(method, params), (e: { code?: number; message?: string }) => {
          assert.equal(e.code, -32602, `${method} ${JSON.stringify(params)}: ${e.message}`);
          assert.equal(e.message, `${method} expects { uri: string }`);
          return true;
        });
      }
    }
    // A watched-files entry without a uri names nothing to forget; it is not an error in the server.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: null, type: 2 }, {}] });
    const uri = pathToUri(path.join(dir, 'after-malformed.Dockerfile'));
    const published = client.nextDiagnostics(uri);
    await open(uri, 'FROM alpine\n');
    assert.ok(Array.isArray((await published).diagnostics));
    assert.deepEqual(client.errors.slice(errors), []);
  });

  it('publishes nothing for a closed document but the clearing', async () => {
    const uri = pathToUri(path.join(dir, 'closing.Dockerfile'));
    const first = client.nextDiagnostics(uri);
    await open(uri, 'FROM alpine\n');
    await first;
    const v = ++version;
    void client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: 'FROM alpine:latest\n' }] });
    const cleared = client.nextDiagnostics(uri, (p: PublishDiagnosticsParams) => p.diagnostics.length === 0, 'the clearing publish');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
    const count = client.published.filter((p) => p.uri === uri).length;
    await sleep(400);
    const after = client.published.filter((p) => p.uri === uri);
    assert.equal(after.length, count, 'nothing is published after the close');
  });
});

describe('server without a workspace folder', () => {
  it('checks an untitled document', async () => {
    const client = new LspTestClient();
    try {
      await client.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: CAPABILITIES, initializationOptions: {} });
      await client.connection.sendNotification('initialized', {});
      const uri = 'untitled:Untitled-1';
      const published = client.nextDiagnostics(uri);
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text: 'FROM node\nCMD node x.js\n' } });
      const p = await published;
      assert.deepEqual(p.diagnostics.map((d) => d.code).sort(), ['exec-form', 'non-root-user', 'pinned-base-image']);
      assert.deepEqual(client.errors, []);
    } finally {
      client.kill();
    }
  });
});

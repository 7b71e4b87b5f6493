/** Workflows over the real protocol: a `.github/workflows/*.yml` is checked by the workflow rules, fixed, cleared on close. */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/engine/edits';
import { LspTestClient, pathToUri } from './lspClient';

const WORKFLOW = `on:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: docker build -t ghcr.io/student/app:\${{ github.sha }} .
`;

describe('workflow documents over the protocol', () => {
  let client: LspTestClient;
  let dir: string;
  let uri: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-wf-'));
    fs.mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM alpine:3.17\n');
    uri = pathToUri(path.join(dir, '.github', 'workflows', 'docker.yml'));
    client = new LspTestClient();
    await client.initialize(dir, { workspace: { configuration: true, workspaceEdit: { documentChanges: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } }, { locale: 'en' });
  });
  after(() => {
    client?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes workflow findings, offers the fix, and clears them on close', async () => {
    const published = client.nextDiagnostics(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: WORKFLOW } });
    const p = await published;
    const legacy = p.diagnostics.find((d) => d.code === 'workflow-legacy-builder');
    assert.ok(legacy, JSON.stringify(p.diagnostics.map((d) => d.code)));
    assert.ok(!p.diagnostics.some((d) => String(d.code).startsWith('non-root') || d.code === 'internal-error'), 'not checked as a Dockerfile');
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: legacy.range,
      context: { diagnostics: [legacy], only: ['quickfix'] },
    });
    assert.ok(actions.length > 0);
    const change = actions[0].edit?.documentChanges?.find((c): c is TextDocumentEdit => 'textDocument' in c);
    assert.ok(change);
    assert.match(applyEdits(WORKFLOW, change.edits), /DOCKER_BUILDKIT=0 docker build/);
    const cleared = client.nextDiagnostics(uri, (x) => x.diagnostics.length === 0, 'the clearing publish');
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await cleared;
    assert.deepEqual(client.errors, []);
  });
});

/**
 * The language server and findings in source files, over real LSP (--stdio): diagnostics for index.js
 * merged across the open Dockerfiles, quick fixes in index.js, the open buffer read instead of the
 * disk, no Dockerfile check of a JavaScript document, and clearing when no Dockerfile reports any more.
 * Run `npm run build` first.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CodeAction, Diagnostic, PublishDiagnosticsParams, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../server/src/engine/edits';
import { LspTestClient, pathToUri } from './lsp/lspClient';

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'gate', 'first-attempt');
const read = (f: string) => fs.readFileSync(path.join(EXAMPLE, f), 'utf8');
const DEV_DOCKERFILE = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["node", "index.js"]\n';
const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function editsFor(action: CodeAction, uri: string): { version: number | null; edits: TextEdit[] } {
  const change = action.edit?.documentChanges?.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
  assert.ok(change, `no edit for ${uri} in ${JSON.stringify(action.edit)}`);
  return { version: change.textDocument.version, edits: change.edits.filter((e): e is TextEdit => 'newText' in e) };
}

describe('language server: findings in source files', () => {
  let client: LspTestClient;
  let dir: string;
  let dockerfileUri: string;
  let devUri: string;
  let indexUri: string;
  let indexText: string;
  const open = (uri: string, languageId: string, version: number, text: string) =>
    client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-lsp-sources-'));
    for (const f of ['Dockerfile', 'index.js', 'package.json', 'yarn.lock']) fs.writeFileSync(path.join(dir, f), read(f));
    fs.writeFileSync(path.join(dir, 'Dockerfile.dev'), DEV_DOCKERFILE);
    dockerfileUri = pathToUri(path.join(dir, 'Dockerfile'));
    devUri = pathToUri(path.join(dir, 'Dockerfile.dev'));
    indexUri = pathToUri(path.join(dir, 'index.js'));
    indexText = read('index.js');
    client = new LspTestClient();
    await client.initialize(
      dir,
      {
        workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
        textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } },
      },
      { locale: 'en-US', watchesProjectFiles: true },
    );
  });

  after(() => {
    client?.kill();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the findings in index.js for index.js, not for the Dockerfile', async () => {
    const forIndex = client.nextDiagnostics(indexUri);
    const forDockerfile = client.nextDiagnostics(dockerfileUri);
    await open(dockerfileUri, 'dockerfile', 1, read('Dockerfile'));
    const own = await forDockerfile;
    assert.ok(!own.diagnostics.some((d) => d.code === 'listen-address' || d.code === 'hardcoded-secret'), codes(own).join(' '));
    const p = await forIndex;
    assert.equal(p.version, undefined, 'index.js is not open: no version');
    assert.deepEqual(codes(p), ['hardcoded-secret@4:18', 'hardcoded-secret@6:15', 'listen-address@37:20']);
    const listen = p.diagnostics[2];
    assert.equal(listen.source, 'dockerfile-coach');
    assert.match(listen.codeDescription?.href ?? '', /docs\/rules\/listen-address\.md$/);
  });

  it('a second Dockerfile reading the same index.js: merged, no duplicates', async () => {
    const forIndex = client.nextDiagnostics(indexUri);
    await open(devUri, 'dockerfile', 1, DEV_DOCKERFILE);
    assert.deepEqual(codes(await forIndex), ['hardcoded-secret@4:18', 'hardcoded-secret@6:15', 'listen-address@37:20']);
  });

  it('opening index.js checks it as no Dockerfile, and republishes its findings with its version', async () => {
    const from = client.published.length;
    const versioned = client.nextDiagnostics(indexUri, (x) => x.version === 1);
    await open(indexUri, 'javascript', 1, indexText);
    assert.deepEqual(codes(await versioned), ['hardcoded-secret@4:18', 'hardcoded-secret@6:15', 'listen-address@37:20']);
    await sleep(300);
    for (const p of client.published.slice(from).filter((x) => x.uri === indexUri)) {
      assert.ok(p.diagnostics.every((d) => d.code === 'listen-address' || d.code === 'hardcoded-secret'), `Dockerfile rules ran on index.js: ${codes(p)}`);
    }
    await assert.rejects(client.connection.sendRequest('dockerfileCoach/setTask', { uri: indexUri, task: 'gate' }), /not a Dockerfile/);
  });

  it('serves the quick fix in index.js; applying it re-checks from the buffer', async () => {
    const p = client.published.filter((x) => x.uri === indexUri).at(-1)!;
    const d = p.diagnostics.find((x) => x.code === 'listen-address') as Diagnostic;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: indexUri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0].title, 'Listen on 0.0.0.0 (all interfaces)');
    const { version, edits } = editsFor(actions[0], indexUri);
    assert.equal(version, 1);
    const fixed = applyEdits(indexText, edits);
    assert.match(fixed, /server\.listen\(9000, '0\.0\.0\.0'/);
    // The edit goes to the buffer only (not saved): the checks must read the buffer.
    const after = client.nextDiagnostics(indexUri, (x) => x.version === 2 && !x.diagnostics.some((y) => y.code === 'listen-address'), 'index.js v2 without listen-address');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: indexUri, version: 2 }, contentChanges: [{ text: fixed }] });
    assert.deepEqual(codes(await after), ['hardcoded-secret@4:18', 'hardcoded-secret@6:15']);
    indexText = fixed;
  });

  it('fix-all in index.js fixes both FIXME lines; fix-all in the Dockerfile never edits index.js', async () => {
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: indexUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    const { version, edits } = editsFor(actions[0], indexUri);
    assert.equal(version, 2);
    const fixed = applyEdits(indexText, edits);
    assert.match(fixed, /^const algorithm = process\.env\.HMAC_ALGO \|\| 'sha256';\nconst secret = process\.env\.HMAC_SECRET;$/m);

    const dockerfileActions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: dockerfileUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    const uris = dockerfileActions.flatMap((a) => a.edit?.documentChanges ?? []).map((c) => ('textDocument' in c ? c.textDocument.uri : ''));
    assert.ok(uris.length > 0 && uris.every((u) => u !== indexUri), JSON.stringify(uris));

    const clean = client.nextDiagnostics(indexUri, (x) => x.version === 3, 'index.js v3');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: indexUri, version: 3 }, contentChanges: [{ text: fixed }] });
    assert.deepEqual(codes(await clean), []);
  });

  it('is cleared when no open Dockerfile reports in it any more', async () => {
    // Back to the hardcoded values: both Dockerfiles report them again.
    const reported = client.nextDiagnostics(indexUri, (x) => x.version === 4 && x.diagnostics.length === 2, 'index.js v4 with two findings');
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: indexUri, version: 4 }, contentChanges: [{ text: read('index.js').replace("'localhost'", "'0.0.0.0'") }] });
    await reported;
    // Both Dockerfiles' re-checks are debounced: let the second one land before closing.
    await sleep(500);
    // Closing one Dockerfile keeps them (the other still reports them).
    const stillThere = client.nextDiagnostics(indexUri);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: dockerfileUri } });
    assert.equal((await stillThere).diagnostics.length, 2);
    const cleared = client.nextDiagnostics(indexUri);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: devUri } });
    assert.deepEqual((await cleared).diagnostics, []);
  });

  it('logged no errors', async () => {
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  });
});

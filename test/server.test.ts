/**
 * End to end over real LSP: the bundled dist/server.js, spawned with --stdio like any editor would,
 * on a small project in a temp folder. Run `npm run build` first.
 */
import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CodeAction,
  Diagnostic,
  DiagnosticSeverity,
  FileChangeType,
  InitializeResult,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
  TextDocumentEdit,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../server/src/engine/edits';
import { LspTestClient, REPO_ROOT, pathToUri } from './lsp/lspClient';

const SHELL_FORM = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD yarn start\n';
const EXEC_FORM = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD ["yarn", "start"]\n';
const EXEC_FORM_RANGE = { start: { line: 2, character: 4 }, end: { line: 2, character: 14 } };

const execFormOf = (p: PublishDiagnosticsParams): Diagnostic | undefined => p.diagnostics.find((d) => d.code === 'exec-form');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The edits of a WorkspaceEdit for one document (documentChanges form). */
function editsFor(action: CodeAction, uri: string): { version: number | null; edits: TextEdit[] } {
  const change = action.edit?.documentChanges?.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
  assert.ok(change, `no edit for ${uri} in ${JSON.stringify(action.edit)}`);
  return { version: change.textDocument.version, edits: change.edits.filter((e): e is TextEdit => 'newText' in e && !('annotationId' in e)) };
}

/** Incremental changes an editor would send for these edits: last first, so earlier positions stay valid. */
function asChanges(edits: TextEdit[]): TextDocumentContentChangeEvent[] {
  return [...edits]
    .sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)
    .map((e) => ({ range: e.range, text: e.newText }));
}

describe('language server over --stdio', () => {
  let client: LspTestClient;
  let projectDir: string;
  let dockerfileUri: string;
  let initResult: InitializeResult;
  let version = 1;
  const untitledUri = 'untitled:Untitled-1';

  const change = (uri: string, v: number, contentChanges: TextDocumentContentChangeEvent[]) =>
    client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges });
  const replaceText = (uri: string, v: number, text: string) => change(uri, v, [{ text }]);
  const settingsChanged = () => client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });

  before(async () => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-lsp-'));
    fs.writeFileSync(path.join(projectDir, 'package.json'), JSON.stringify({ name: 'gate', main: 'index.js', scripts: { start: 'node index.js' } }));
    fs.writeFileSync(path.join(projectDir, 'index.js'), 'require("http").createServer().listen(3000);\n');
    fs.writeFileSync(path.join(projectDir, 'Dockerfile'), SHELL_FORM);
    dockerfileUri = pathToUri(path.join(projectDir, 'Dockerfile'));
    client = new LspTestClient();
    initResult = await client.initialize(
      projectDir,
      {
        workspace: {
          configuration: true,
          workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
          didChangeWatchedFiles: { dynamicRegistration: true },
        },
        textDocument: { publishDiagnostics: { versionSupport: true }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } } },
      },
      { locale: 'en-US' },
    );
  });

  after(async () => {
    client?.kill();
    if (projectDir) fs.rmSync(projectDir, { recursive: true, force: true });
  });

  it('announces incremental sync, quick fixes and fix-all', () => {
    const caps = initResult.capabilities;
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(caps.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.dockerfileCoach'], resolveProvider: false });
  });

  it('checks a Dockerfile as soon as it opens: exact code, range, severity and docs link', async () => {
    const status = client.nextTaskStatus(dockerfileUri);
    const published = client.nextDiagnostics(dockerfileUri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: dockerfileUri, languageId: 'dockerfile', version, text: SHELL_FORM } });
    const p = await published;
    assert.equal(p.version, 1);
    const d = execFormOf(p);
    assert.ok(d, JSON.stringify(p.diagnostics));
    assert.deepEqual(d.range, EXEC_FORM_RANGE);
    assert.equal(d.severity, DiagnosticSeverity.Warning, 'generic task: exec-form is a warning');
    assert.equal(d.source, 'dockerfile-coach');
    assert.equal(d.codeDescription?.href, `${pathToUri(path.join(REPO_ROOT, 'docs', 'rules'))}/exec-form.md`);
    assert.match(d.message, /shell form/);
    assert.deepEqual(await status, { uri: dockerfileUri, task: 'generic', title: 'Generic Dockerfile (course-wide rules)', source: 'default', reason: 'no task detected' });
  });

  it('asks the editor to watch the project files, and re-checks when one appears', async () => {
    const registration = JSON.stringify(client.registrations);
    assert.match(registration, /workspace\/didChangeWatchedFiles/);
    assert.match(registration, /yarn\.lock/);
    // yarn.lock completes the gate project: the task and the severity follow without reopening.
    const yarnLock = path.join(projectDir, 'yarn.lock');
    fs.writeFileSync(yarnLock, '# yarn lockfile v1\n');
    const status = client.nextTaskStatus(dockerfileUri);
    const published = client.nextDiagnostics(dockerfileUri);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(yarnLock), type: FileChangeType.Created }] });
    const s = await status;
    assert.equal(s.task, 'gate');
    assert.equal(s.source, 'detected');
    assert.equal(execFormOf(await published)?.severity, DiagnosticSeverity.Error, 'gate task: exec-form is an error');
  });

  it('offers the quick fix as a versioned edit; applying it removes the finding', async () => {
    const p = client.published.filter((x) => x.uri === dockerfileUri).at(-1)!;
    const d = execFormOf(p)!;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: dockerfileUri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.diagnostics?.[0]?.code === 'exec-form');
    assert.ok(fix, JSON.stringify(actions));
    assert.equal(fix.title, 'Convert to exec form: ["yarn", "start"]');
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [d]);
    const { version: editVersion, edits } = editsFor(fix, dockerfileUri);
    assert.equal(editVersion, 1);
    assert.equal(applyEdits(SHELL_FORM, edits), EXEC_FORM);

    const published = client.nextDiagnostics(dockerfileUri, (x) => x.version === 2);
    await change(dockerfileUri, ++version, asChanges(edits));
    assert.equal(execFormOf(await published), undefined);

    // The old diagnostic's fix refers to version 1: it must not be offered for version 2.
    const stale = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: dockerfileUri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
    assert.deepEqual(stale, []);
  });

  it('turns a rule off live when the settings change', async () => {
    const back = client.nextDiagnostics(dockerfileUri, (x) => x.version === 3 && !!execFormOf(x));
    await replaceText(dockerfileUri, ++version, SHELL_FORM);
    await back;

    client.settings = { rules: { 'exec-form': 'off' } };
    const off = client.nextDiagnostics(dockerfileUri, (x) => x.version === 3 && !execFormOf(x), 'diagnostics without exec-form');
    await settingsChanged();
    await off;

    client.settings = { rules: { 'exec-form': 'hint' } };
    const hint = client.nextDiagnostics(dockerfileUri, (x) => execFormOf(x)?.severity === DiagnosticSeverity.Hint, 'exec-form as a hint');
    await settingsChanged();
    await hint;
  });

  it('speaks Russian when dockerfileCoach.language is ru', async () => {
    client.settings = { language: 'ru' };
    // The status of the previous check may still be on its way: wait for the Russian one.
    const status = client.nextTaskStatus(dockerfileUri, (x) => /[а-я]/i.test(x.reason));
    const published = client.nextDiagnostics(dockerfileUri, (x) => /[а-я]/i.test(execFormOf(x)?.message ?? ''), 'a Russian exec-form message');
    await settingsChanged();
    await published;
    assert.equal((await status).reason, 'найдены package.json, yarn.lock и index.js');

    client.settings = {};
    const english = client.nextDiagnostics(dockerfileUri, (x) => /shell form/.test(execFormOf(x)?.message ?? ''), 'an English exec-form message');
    await settingsChanged();
    await english;
  });

  it('honours a # coach-ignore comment', async () => {
    const text = 'FROM node:18.16.0-alpine3.17\nUSER node\n# coach-ignore exec-form -- the course allows it here\nCMD yarn start\n';
    const published = client.nextDiagnostics(dockerfileUri, (x) => x.version === 4);
    await replaceText(dockerfileUri, ++version, text);
    const p = await published;
    assert.equal(execFormOf(p), undefined);
    assert.equal(p.diagnostics.find((d) => d.code === 'coach-config'), undefined, 'the rule id is known');
  });

  it('publishes only the latest version of a burst of changes', async () => {
    const from = client.published.length;
    const first = version + 1;
    const last = version + 3;
    const published = client.nextDiagnostics(dockerfileUri, (x) => x.version === last);
    const texts = ['FROM node:18.16.0-alpine3.17\nCMD yarn\n', 'FROM node:18.16.0-alpine3.17\nCMD yarn st\n', SHELL_FORM];
    await client.sendBurst(
      texts.map((text) => ({ method: 'textDocument/didChange', params: { textDocument: { uri: dockerfileUri, version: ++version }, contentChanges: [{ text }] } })),
    );
    assert.deepEqual(execFormOf(await published)?.range, EXEC_FORM_RANGE);
    await sleep(300);
    const versions = client.published.slice(from).filter((x) => x.uri === dockerfileUri).map((x) => x.version);
    assert.deepEqual(versions, [last], `versions ${first}..${last - 1} were superseded before their check ran`);
  });

  it('a project file changed on disk while typing: findings kept from the last version are not reused', async () => {
    const stages = [
      'FROM node:18.16.0-alpine3.17 AS deps',
      'WORKDIR /app',
      'COPY package.json yarn.lock ./',
      'RUN yarn install --frozen-lockfile --production',
      'FROM node:18.16.0-alpine3.17 AS other',
      'RUN echo other',
      'FROM node:18.16.0-alpine3.17',
      'WORKDIR /app',
      'COPY --from=deps /app/node_modules ./node_modules',
      'COPY index.js ./',
      'USER node',
      'CMD ["node", "index.js"]',
      '',
    ].join('\n');
    // The publish of the version about to be sent (read now: `version` moves on before it arrives).
    const nextVersion = (what: string) => {
      const v = version + 1;
      return client.nextDiagnostics(dockerfileUri, (x) => x.version === v, what);
    };
    const ignored = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'production-install' && /excludes yarn\.lock/.test(d.message));
    const opened = nextVersion('the three-stage file');
    await replaceText(dockerfileUri, ++version, stages);
    assert.deepEqual(ignored(await opened), []);
    // A key in the 'other' stage: the next check keeps the deps stage's findings (no .dockerignore yet).
    const typed = nextVersion('a key in the other stage');
    await change(dockerfileUri, ++version, [{ range: { start: { line: 5, character: 14 }, end: { line: 5, character: 14 } }, text: 'x' }]);
    assert.deepEqual(ignored(await typed), []);
    // .dockerignore now excludes yarn.lock: the deps stage's install must be judged again.
    const dockerignore = path.join(projectDir, '.dockerignore');
    fs.writeFileSync(dockerignore, 'node_modules\nyarn.lock\n');
    const afterIgnore = client.nextDiagnostics(dockerfileUri, (x) => ignored(x).length > 0, 'the lockfileIgnored finding');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(dockerignore), type: FileChangeType.Created }] });
    assert.deepEqual(ignored(await afterIgnore).map((d) => d.range), [{ start: { line: 3, character: 4 }, end: { line: 3, character: 47 } }]);
    // And back: deleted, the finding goes away on the next key.
    fs.rmSync(dockerignore);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(dockerignore), type: FileChangeType.Deleted }] });
    await sleep(400);
    const next = nextVersion('the key after the deletion');
    await change(dockerfileUri, ++version, [{ range: { start: { line: 5, character: 15 }, end: { line: 5, character: 15 } }, text: 'y' }]);
    assert.deepEqual(ignored(await next), []);
    // Leave the file as the later cases expect it.
    const restored = nextVersion('the shell-form file again');
    await replaceText(dockerfileUri, ++version, SHELL_FORM);
    await restored;
  });

  it('reports the task from a # coach: task= comment, and setTask overrides it', async () => {
    const text = '# coach: task=scratch\nFROM node:18.16.0-alpine3.17\nCMD yarn start\n';
    let status = client.nextTaskStatus(untitledUri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: untitledUri, languageId: 'dockerfile', version: 1, text } });
    assert.deepEqual(await status, {
      uri: untitledUri,
      task: 'scratch',
      title: 'Scratch task: Go upload service on scratch',
      source: 'comment',
      reason: '# coach: task=scratch on line 1',
    });

    status = client.nextTaskStatus(untitledUri);
    assert.equal(await client.connection.sendRequest('dockerfileCoach/setTask', { uri: untitledUri, task: 'distroless' }), null);
    const overridden = await status;
    assert.equal(overridden.task, 'distroless');
    assert.equal(overridden.source, 'override');

    status = client.nextTaskStatus(untitledUri);
    await client.connection.sendRequest('dockerfileCoach/setTask', { uri: untitledUri, task: null });
    assert.equal((await status).task, 'scratch');

    await assert.rejects(client.connection.sendRequest('dockerfileCoach/setTask', { uri: untitledUri, task: 'kubernetes' }), /unknown task/);
  });

  it('fixes everything fixable with the source.fixAll action', async () => {
    const text = '# coach: task=scratch\nFROM node:18.16.0-alpine3.17\nCMD yarn start\n';
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: untitledUri },
      range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1, JSON.stringify(actions));
    assert.equal(actions[0].kind, 'source.fixAll.dockerfileCoach');
    assert.equal(actions[0].title, 'Fix all Dockerfile Coach problems');
    const { version: editVersion, edits } = editsFor(actions[0], untitledUri);
    assert.equal(editVersion, 1);
    const fixed = applyEdits(text, edits);
    assert.match(fixed, /^CMD \["yarn", "start"\]$/m);
    // The scratch task needs a separate final stage first, so no USER is added to this one yet.
    assert.doesNotMatch(fixed, /^USER /m);

    const published = client.nextDiagnostics(untitledUri, (x) => x.version === 2);
    await change(untitledUri, 2, asChanges(edits));
    const p = await published;
    assert.deepEqual(
      p.diagnostics.filter((d) => d.code === 'exec-form'),
      [],
    );
  });

  it('clears the diagnostics of a closed document', async () => {
    const cleared = client.nextDiagnostics(dockerfileUri);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: dockerfileUri } });
    assert.deepEqual((await cleared).diagnostics, []);
    // Nothing is published for it afterwards, even when a re-check of everything is triggered.
    const from = client.published.length;
    await settingsChanged();
    await sleep(300);
    assert.deepEqual(client.published.slice(from).filter((x) => x.uri === dockerfileUri), []);
  });

  it('logged no errors and exits cleanly on shutdown', async () => {
    assert.deepEqual(client.errors, []);
    assert.equal(await client.stop(), 0);
  });
});

describe('the check warm-up (lsp/warmup.ts) over --stdio', () => {
  it('runs once, on a copy of the first Dockerfile, while nothing is typed, and publishes nothing of its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-warmup-'));
    const client = new LspTestClient();
    try {
      await client.initialize(dir, { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } }, { locale: 'en' });
      const first = pathToUri(path.join(dir, 'Dockerfile'));
      const open = (uri: string, text: string) => client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'dockerfile', version: 1, text } });
      const published = client.nextDiagnostics(first);
      await open(first, SHELL_FORM);
      assert.deepEqual((await published).diagnostics.map((d) => d.code).filter((c) => c === 'exec-form'), ['exec-form']);
      const warmedUp = () => client.logs.filter((l) => l.startsWith('dockerfile-coach: warmed up the check'));
      for (let waited = 0; warmedUp().length === 0 && waited < 15_000; waited += 20) await sleep(20);
      assert.match(warmedUp()[0] ?? '(no log)', /^dockerfile-coach: warmed up the check \(41 checks of a copy, \d+ ms in all\)$/);
      // Another document: checked, no second warm-up.
      const second = pathToUri(path.join(dir, 'other.Dockerfile'));
      const secondPublished = client.nextDiagnostics(second);
      await open(second, EXEC_FORM);
      assert.deepEqual((await secondPublished).diagnostics.filter((d) => d.code === 'exec-form'), []);
      await sleep(500);
      assert.equal(warmedUp().length, 1);
      assert.deepEqual(
        client.published.map((p) => [p.uri, p.version]),
        [
          [first, 1],
          [second, 1],
        ],
        'one publish per opened document, none for the copy',
      );
      assert.deepEqual(client.errors, []);
      assert.equal(await client.stop(), 0);
    } finally {
      client.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

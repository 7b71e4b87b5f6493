/**
 * dockerfile-coach.json for workflows over the real protocol: the editor finds and applies it as the CLI
 * does (test/workflows/cli-config-levels.test.ts), its levels over the `dockerfileCoach.rules` setting,
 * an invalid file is a `coach-config` warning, and a change on disk re-checks the open workflows.
 */
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DiagnosticSeverity, FileChangeType } from 'vscode-languageserver-protocol';
import type { Diagnostic as LspDiagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { LspTestClient, REPO_ROOT, pathToUri } from './lspClient';
import { BUILD_PUSH_WORKFLOW } from '../workflows/fixtures';

const COURSE_CONFIG = '{"rules": {"workflow-legacy-builder": "warning", "workflow-ghcr-push": "off", "workflow-image-name": "information", "workflow-triggers": "off"}}';
const BOB_CONFIG = '{"rules": {"workflow-image-tag": "error", "workflow-triggers": "hint", "workflow-ghcr-push": "off", "workflow-legacy-builder": "off", "workflow-image-name": "off"}}';
const REPOS = ['alice', 'bob', 'broken'];
const SEVERITY: Record<string, DiagnosticSeverity> = { error: 1, warning: 2, information: 3, hint: 4 };

// The findings of BUILD_PUSH_WORKFLOW: where each rule reports (line, character, end line, end character).
const TRIGGERS = [0, 0, 0, 2];
const JOB = [2, 2, 2, 7];
const ACTION = [6, 14, 6, 41];
const IMAGE = [9, 16, 9, 42];
const DEFAULTS = [
  ['workflow-triggers', 'warning', ...TRIGGERS],
  ['workflow-ghcr-push', 'error', ...JOB],
  ['workflow-ghcr-push', 'error', ...ACTION],
  ['workflow-image-tag', 'warning', ...ACTION],
  ['workflow-legacy-builder', 'error', ...ACTION],
  ['workflow-image-name', 'error', ...IMAGE],
];

/** ruleId, severity, range: what a student sees. */
const seen = (diagnostics: LspDiagnostic[]) =>
  diagnostics.map((d) => [d.code, Object.keys(SEVERITY).find((k) => SEVERITY[k] === d.severity), d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character]);

describe('dockerfile-coach.json levels for workflows in the editor', () => {
  let client: LspTestClient;
  let course: string;
  const workflow = (repo: string) => path.join(course, repo, '.github', 'workflows', 'docker.yml');
  const uri = (repo: string) => pathToUri(workflow(repo));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(course, rel)), { recursive: true });
    fs.writeFileSync(path.join(course, rel), text);
  };
  /** Opens the repository's workflow and resolves with its first publish. */
  const open = async (repo: string): Promise<PublishDiagnosticsParams> => {
    const published = client.nextDiagnostics(uri(repo));
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(repo), languageId: 'yaml', version: 1, text: BUILD_PUSH_WORKFLOW } });
    return published;
  };

  before(async () => {
    // The workspace is a folder of repositories with the course's file; bob's repository has its own.
    course = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-wf-config-'));
    write('dockerfile-coach.json', COURSE_CONFIG);
    for (const repo of REPOS) write(path.join(repo, '.github', 'workflows', 'docker.yml'), BUILD_PUSH_WORKFLOW);
    write(path.join('bob', 'dockerfile-coach.json'), BOB_CONFIG);
    write(path.join('broken', 'dockerfile-coach.json'), '{"rules": {"workflow-ghcr-push": "loud"}}');
    client = new LspTestClient();
    await client.initialize(course, { workspace: { configuration: true, workspaceEdit: { documentChanges: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } }, { locale: 'en' });
  });
  after(() => {
    client?.kill();
    fs.rmSync(course, { recursive: true, force: true });
  });

  it('publishes what the CLI reports for the same folder, diagnostic for diagnostic', async () => {
    const alice = await open('alice');
    assert.deepEqual(seen(alice.diagnostics), [
      ['workflow-image-tag', 'warning', ...ACTION],
      ['workflow-legacy-builder', 'warning', ...ACTION],
      ['workflow-image-name', 'information', ...IMAGE],
    ]);
    const bob = await open('bob');
    assert.deepEqual(seen(bob.diagnostics), [
      ['workflow-triggers', 'hint', ...TRIGGERS],
      ['workflow-image-tag', 'error', ...ACTION],
    ]);
    const broken = await open('broken');

    const cli = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'check', '--format', 'json', '.'], { cwd: course, encoding: 'utf8' });
    assert.equal(cli.stderr, '');
    const entries = JSON.parse(cli.stdout) as { file: string; diagnostics: { ruleId: string; severity: string; message: string; range: unknown }[] }[];
    for (const [repo, lsp] of [
      ['alice', alice],
      ['bob', bob],
      ['broken', broken],
    ] as const) {
      const entry = entries.find((e) => e.file === `${repo}/.github/workflows/docker.yml`);
      assert.ok(entry, `${repo} in ${cli.stdout}`);
      assert.deepEqual(
        lsp.diagnostics.map((d) => ({ ruleId: d.code, severity: d.severity, message: d.message, range: d.range })),
        entry.diagnostics.map((d) => ({ ruleId: d.ruleId, severity: SEVERITY[d.severity], message: d.message, range: d.range })),
        repo,
      );
    }
    assert.deepEqual(client.errors, []);
  });

  it('an invalid dockerfile-coach.json: the coach-config warning first, then the default levels', () => {
    const broken = client.published.filter((p) => p.uri === uri('broken')).at(-1);
    assert.ok(broken);
    const [config, ...rest] = broken.diagnostics;
    assert.deepEqual(
      { code: config.code, severity: config.severity, message: config.message, range: config.range, href: config.codeDescription?.href },
      {
        code: 'coach-config',
        severity: DiagnosticSeverity.Warning,
        message: 'dockerfile-coach.json is not valid: rule workflow-ghcr-push: level must be one of error, warning, information, hint, off. Its settings are ignored until it is fixed.',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        href: pathToUri(path.join(REPO_ROOT, 'docs', 'rules', 'coach-config.md')),
      },
    );
    assert.deepEqual(seen(rest), DEFAULTS);
  });

  it("the file's levels override the dockerfileCoach.rules setting, which fills in the rest", async () => {
    client.settings = { rules: { 'workflow-legacy-builder': 'off', 'workflow-triggers': 'error', 'workflow-image-tag': 'hint' } };
    const [alice, bob, broken] = REPOS.map((repo) => client.nextDiagnostics(uri(repo), undefined, `${repo} after the settings changed`));
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    // Bob's file names every rule it reports: the setting changes nothing there.
    assert.deepEqual(seen((await bob).diagnostics), [
      ['workflow-triggers', 'hint', ...TRIGGERS],
      ['workflow-image-tag', 'error', ...ACTION],
    ]);
    // The course file turns legacy-builder to warning and triggers off; image-tag comes from the setting.
    assert.deepEqual(seen((await alice).diagnostics), [
      ['workflow-image-tag', 'hint', ...ACTION],
      ['workflow-legacy-builder', 'warning', ...ACTION],
      ['workflow-image-name', 'information', ...IMAGE],
    ]);
    // An invalid file is ignored: the setting alone applies.
    assert.deepEqual(seen((await broken).diagnostics), [
      ['coach-config', 'warning', 0, 0, 0, 0],
      ['workflow-triggers', 'error', ...TRIGGERS],
      ['workflow-ghcr-push', 'error', ...JOB],
      ['workflow-ghcr-push', 'error', ...ACTION],
      ['workflow-image-tag', 'hint', ...ACTION],
      ['workflow-image-name', 'error', ...IMAGE],
    ]);
  });

  it('a dockerfile-coach.json changed, created or deleted on disk re-checks the open workflows', async () => {
    const changed = async (rel: string, text: string | undefined, type: FileChangeType, repo: string) => {
      const file = path.join(course, rel);
      if (text === undefined) fs.rmSync(file);
      else write(rel, text);
      // Every open workflow is checked again: wait for all, so none is left in flight for the next step.
      const published = REPOS.map((r) => client.nextDiagnostics(uri(r), undefined, `${r} after ${rel} changed`));
      await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToUri(file), type }] });
      const all = await Promise.all(published);
      return seen(all[REPOS.indexOf(repo)].diagnostics);
    };
    // Fixed: no warning, and its levels apply.
    assert.deepEqual(await changed(path.join('broken', 'dockerfile-coach.json'), '{"rules": {"workflow-ghcr-push": "off", "workflow-image-name": "hint"}}', FileChangeType.Changed, 'broken'), [
      ['workflow-triggers', 'error', ...TRIGGERS],
      ['workflow-image-tag', 'hint', ...ACTION],
      ['workflow-image-name', 'hint', ...IMAGE],
    ]);
    // A file of alice's own replaces the course's.
    assert.deepEqual(await changed(path.join('alice', 'dockerfile-coach.json'), '{"rules": {"workflow-image-tag": "off"}}', FileChangeType.Created, 'alice'), [
      ['workflow-triggers', 'error', ...TRIGGERS],
      ['workflow-ghcr-push', 'error', ...JOB],
      ['workflow-ghcr-push', 'error', ...ACTION],
      ['workflow-image-name', 'error', ...IMAGE],
    ]);
    // Deleted again: back to the course's file.
    assert.deepEqual(await changed(path.join('alice', 'dockerfile-coach.json'), undefined, FileChangeType.Deleted, 'alice'), [
      ['workflow-image-tag', 'hint', ...ACTION],
      ['workflow-legacy-builder', 'warning', ...ACTION],
      ['workflow-image-name', 'information', ...IMAGE],
    ]);
    assert.deepEqual(client.errors, []);
  });
});

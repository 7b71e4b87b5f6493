/**
 * Helpers of the vscode-API suite. The expectations come from the engine itself: the CLI (dist/cli.js,
 * the same code the language server runs) is asked what it finds, and VS Code must show exactly that,
 * through the real client, server and editor. The tests add the course's traps on top, so a finding
 * that goes missing in both the engine and the editor is still caught.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

/** The repository (this file runs from e2e/out/suite/). */
export const REPO = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');
const PRISTINE = path.join(REPO, 'examples');
/** `source` of the language server's diagnostics (server/src/lsp/protocol.ts). */
export const SOURCE = 'dockerfile-coach';
export const PICK_TASK = 'dockerfileCoach.pickTask';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
interface Pos {
  line: number;
  character: number;
}
interface Range {
  start: Pos;
  end: Pos;
}
export interface TextEdit {
  range: Range;
  newText: string;
}
export interface EngineFix {
  title: string;
  edits: TextEdit[];
  otherFiles?: { file: string; create?: string; edits?: TextEdit[] }[];
}
export interface EngineFinding {
  ruleId: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes: EngineFix[];
}
/** Absolute path of a file -> what the engine finds in it. */
export type EngineResult = Map<string, EngineFinding[]>;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need a workspace folder (a copy of examples/)');
  return folder.uri.fsPath;
}
export const exampleDir = (example: string) => path.join(workspaceDir(), example);
export const dockerfileOf = (example: string) => path.join(exampleDir(example), 'Dockerfile');

/** The language the server picks for `dockerfileCoach.language: auto` (server/src/lsp/settings.ts). */
export function displayLang(): 'en' | 'ru' {
  return vscode.env.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export interface EngineOptions {
  /** Check this text instead of the Dockerfile on disk. */
  text?: string;
  task?: string;
  lang?: 'en' | 'ru';
  /** A dockerfile-coach.json beside the Dockerfile. */
  config?: object;
}

/**
 * What the engine finds for an example's Dockerfile, by the CLI. With `text` or `config` it checks a
 * temporary copy of the example and maps the paths back, so the workspace itself is not touched.
 */
export function engine(example: string, opts: EngineOptions = {}): EngineResult {
  const dir = exampleDir(example);
  const copy = opts.text !== undefined || opts.config ? fs.mkdtempSync(path.join(os.tmpdir(), 'coach-e2e-')) : undefined;
  try {
    if (copy) {
      fs.cpSync(dir, copy, { recursive: true });
      if (opts.text !== undefined) fs.writeFileSync(path.join(copy, 'Dockerfile'), opts.text);
      if (opts.config) fs.writeFileSync(path.join(copy, 'dockerfile-coach.json'), JSON.stringify(opts.config));
    }
    const cwd = copy ?? dir;
    const args = [CLI, 'check', '--format', 'json', '--lang', opts.lang ?? displayLang(), ...(opts.task ? ['--task', opts.task] : []), 'Dockerfile'];
    // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it a plain node.
    const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    if (r.status !== 0 && r.status !== 1) throw new Error(`dockerfile-coach check exited ${r.status}: ${r.stderr}`);
    const result: EngineResult = new Map();
    for (const file of JSON.parse(r.stdout) as { file: string; diagnostics: EngineFinding[] }[]) {
      result.set(path.join(dir, path.relative(cwd, path.resolve(cwd, file.file))), file.diagnostics);
    }
    return result;
  } finally {
    if (copy) fs.rmSync(copy, { recursive: true, force: true });
  }
}

/** The findings of one rule in the example's Dockerfile. */
export function findingsOf(result: EngineResult, example: string, ruleId: string): EngineFinding[] {
  return (result.get(dockerfileOf(example)) ?? []).filter((f) => f.ruleId === ruleId);
}

const SEVERITY: Record<number, Severity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function ruleOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code);
}

/** 1-based, as the editor and the CLI's text output show positions. */
function fmt(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}
const shownKey = (d: vscode.Diagnostic) => `${ruleOf(d)} ${SEVERITY[d.severity]} ${fmt(d.range)} ${d.message}`;
const engineKey = (f: EngineFinding) => `${f.ruleId} ${f.severity} ${fmt(f.range)} ${f.message}`;

/** Dockerfile Coach's diagnostics in one file, as VS Code holds them. */
export function shown(file: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(vscode.Uri.file(file)).filter((d) => d.source === SOURCE);
}

/** Files of the example that VS Code shows Dockerfile Coach diagnostics in. */
function filesShown(example: string): string[] {
  const dir = exampleDir(example) + path.sep;
  return vscode.languages
    .getDiagnostics()
    .filter(([uri, ds]) => uri.scheme === 'file' && uri.fsPath.startsWith(dir) && ds.some((d) => d.source === SOURCE))
    .map(([uri]) => uri.fsPath);
}

function snapshot(example: string, expected: EngineResult) {
  const files = [...new Set([...expected.keys(), ...filesShown(example)])].sort();
  const rel = (f: string) => path.relative(workspaceDir(), f);
  const actual: Record<string, string[]> = {};
  const wanted: Record<string, string[]> = {};
  for (const f of files) {
    actual[rel(f)] = shown(f).map(shownKey).sort();
    wanted[rel(f)] = (expected.get(f) ?? []).map(engineKey).sort();
  }
  return { actual, wanted };
}

/**
 * Waits until VS Code shows exactly the engine's findings (rule id, severity, range, message) in every
 * file of the example, and nothing else; fails with both lists when it does not within the time.
 */
export async function expectShown(example: string, expected: EngineResult, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { actual, wanted } = snapshot(example, expected);
    if (JSON.stringify(actual) === JSON.stringify(wanted)) return;
    if (Date.now() > deadline) assert.deepStrictEqual(actual, wanted, `${what}: VS Code does not show what the engine finds`);
    await sleep(100);
  }
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await sleep(100);
  }
}

export async function open(file: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(doc);
}

export async function replaceText(doc: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was applied');
}

/** Applies LSP text edits (non-overlapping, as the engine makes them) to a string. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: Pos) => Math.min((starts[p.line] ?? text.length) + p.character, text.length);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start) || offset(b.range.end) - offset(a.range.end));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

/**
 * Reverts every changed editor, untitled ones too (no save prompt), and closes them all. Only documents
 * shown in a tab: VS Code itself edits models no tab shows (User/settings.json when it writes a setting),
 * and showing one of those races its writer ("another editor opened in the meantime").
 */
export async function closeAll(): Promise<void> {
  const inTabs = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) inTabs.add(tab.input.uri.toString());
  }
  for (const doc of vscode.workspace.textDocuments) {
    if (doc.isDirty && inTabs.has(doc.uri.toString())) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Puts the workspace copy of the examples back as in the repository (files a fix created go away). */
export function restoreExamples(): void {
  const sync = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    const wanted = new Set(fs.readdirSync(from));
    for (const name of fs.readdirSync(to)) if (!wanted.has(name)) fs.rmSync(path.join(to, name), { recursive: true, force: true });
    for (const name of wanted) {
      const src = path.join(from, name);
      const dst = path.join(to, name);
      if (fs.statSync(src).isDirectory()) sync(src, dst);
      else if (!fs.existsSync(dst) || !fs.readFileSync(src).equals(fs.readFileSync(dst))) fs.copyFileSync(src, dst);
    }
  };
  for (const task of fs.readdirSync(PRISTINE)) {
    if (fs.statSync(path.join(PRISTINE, task)).isDirectory()) sync(path.join(PRISTINE, task), path.join(workspaceDir(), task));
  }
}

/** Settings the tests change, put back to their defaults (workspace level). */
export async function resetSettings(): Promise<void> {
  const config = vscode.workspace.getConfiguration('dockerfileCoach');
  for (const key of ['rules', 'language', 'task']) {
    if (config.inspect(key)?.workspaceValue !== undefined) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
  }
}

/**
 * Runs the task-picker command and chooses an item with the quick-input navigation commands, as the
 * keyboard would (`quickInput.first` = auto, `quickInput.last` = generic). The picker opens
 * asynchronously and navigation does nothing until it is open, so it is retried until the command ends.
 */
export async function pickTask(navigate: 'quickInput.first' | 'quickInput.last'): Promise<void> {
  let settled = false;
  const done = Promise.resolve(vscode.commands.executeCommand(PICK_TASK)).finally(() => {
    settled = true;
  });
  const deadline = Date.now() + 20_000;
  while (!settled) {
    if (Date.now() > deadline) throw new Error('the task picker did not open or did not take the choice');
    await sleep(250);
    await vscode.commands.executeCommand(navigate);
    await vscode.commands.executeCommand('quickInput.accept');
    await Promise.race([done, sleep(250)]);
  }
  await done;
}

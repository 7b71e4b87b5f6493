/**
 * The Dockerfile Coach language server: wiring only. Over IPC when the VS Code client starts it,
 * over `--stdio` for any other LSP editor (see docs/settings.md).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as v8 from 'v8';
import * as vm from 'vm';
import {
  CodeActionKind,
  CodeActionParams,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  createConnection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CheckResult, checkDockerfile } from './engine/engine';
import type { ParseSnapshot } from './engine/incremental';
import { explainTask } from './engine/explain';
import { isTaskName } from './engine/tasks';
import type { Diagnostic, Lang, TaskName } from './engine/types';
import { EditCapabilities, PublishedDiagnostics, codeActions, publishedFixes } from './lsp/codeActions';
import { toLspDiagnostic } from './lsp/diagnostics';
import { Projects, fsPathOf } from './lsp/projects';
import { WorkflowDocuments, isWorkflowDocument } from './lsp/workflowDocuments';
import { SourceDiagnostics, isSourceDocument, openSourceTexts, sourceUri, withOpenDocuments } from './lsp/sourceDiagnostics';
import {
  CoachInitializationOptions,
  FIX_ALL_KIND,
  EXPLAIN_TASK_REQUEST,
  ExplainTaskParams,
  ExplainTaskResult,
  SET_TASK_REQUEST,
  SetTaskParams,
  TASK_STATUS_NOTIFICATION,
  TaskStatusParams,
  WATCHED_FILES_GLOB,
} from './lsp/protocol';
import { CheckOutcome, CheckScheduler, IdleTask } from './lsp/scheduler';
import { CoachSettings, SettingsStore, resolveLang } from './lsp/settings';
import { Warmup } from './lsp/warmup';

/**
 * A trailing debounce for rechecks caused by other files (project files changing in a burst, typing
 * in an open source file). Typing in a Dockerfile is not debounced: see lsp/scheduler.ts.
 */
const TYPING_DELAY_MS = 150;
/**
 * After this long without a check, one full garbage collection gives back what a burst of checks grew.
 * Not sooner: a full collection deoptimizes about 60 of the check's hot functions (V8's reason: "weak
 * objects", objects their optimized code refers to died), so the next check runs about 2.5 times
 * slower; after a pause of 10 s that is not felt as typing lag (docs/performance.md).
 */
const IDLE_GC_MS = 10_000;
/** Rule docs ship next to dist/ in the .vsix; diagnostics link to them. */
const DOCS_BASE = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).href + '/';
const OVERRIDE_REASON: Record<Lang, string> = { en: 'chosen with the task picker', ru: 'выбрано вручную в списке заданий' };

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const projects = new Projects();
const taskOverrides = new Map<string, TaskName>();
/** Last published engine diagnostics, for clients that drop `Diagnostic.data`. */
const published = new Map<string, PublishedDiagnostics>();
/** Each open Dockerfile's last parse: the next check re-parses only the instructions that changed (engine/incremental.ts). */
const lastParse = new Map<string, ParseSnapshot>();
/** What the Dockerfiles' checks found in other files (index.js, main.go, docker-compose.yml). */
const sourceDiagnostics = new SourceDiagnostics();
/** Source documents seen open: later edits are debounced like typing in a Dockerfile. */
const sourcesSeen = new Set<string>();

let locale: string | undefined;
let canPullSettings = false;
let registerWatchersOnInit = false;
let watchWorkspaceFolders = false;
let editCapabilities: EditCapabilities = { documentChanges: false, createFiles: false };

const settings = new SettingsStore(connection, () => canPullSettings);
// `.github/workflows/*.yml`: checked by the workflow engine, never as Dockerfiles or source files. Their
// dockerfile-coach.json is read through the same caches as the Dockerfiles' (emptied on file events,
// which re-check open workflows too: recheckAll).
const workflowDocs = new WorkflowDocuments(
  (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, version, diagnostics }),
  DOCS_BASE,
  (uri) => projects.projectFor(uri).project,
);
async function checkWorkflowDocument(uri: string): Promise<void> {
  const s = await settings.get(uri);
  const document = documents.get(uri);
  if (document) workflowDocs.check(document, { lang: resolveLang(s.language, locale), levels: s.rules });
}
const scheduler = new CheckScheduler(publishCheck, (uri, e) => logError(`checking ${uri}`, e));
// Never while a check is pending or running: a full collection also throws away optimized code.
const idleGc = new IdleTask(IDLE_GC_MS, collectGarbage, { busy: () => scheduler.busy });
/** When the last change to any open document arrived: the warm-up waits for a quiet moment. */
let lastChange = -Infinity;
const warmup = new Warmup({
  busy: () => scheduler.busy,
  lastActivity: () => lastChange,
  onError: (e) => logError('warming up the check', e),
  onDone: (checks, busyMs) => connection.console.log(`dockerfile-coach: warmed up the check (${checks} checks of a copy, ${Math.round(busyMs)} ms in all)`),
});

connection.onInitialize((params): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as CoachInitializationOptions;
  locale = options.locale ?? params.locale;
  const workspace = params.capabilities.workspace;
  canPullSettings = !!workspace?.configuration;
  registerWatchersOnInit = !options.watchesProjectFiles && !!workspace?.didChangeWatchedFiles?.dynamicRegistration;
  watchWorkspaceFolders = !!workspace?.workspaceFolders;
  editCapabilities = {
    documentChanges: !!workspace?.workspaceEdit?.documentChanges,
    createFiles: !!workspace?.workspaceEdit?.resourceOperations?.includes('create'),
  };
  projects.setFolders(params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
      workspace: watchWorkspaceFolders ? { workspaceFolders: { supported: true, changeNotifications: true } } : undefined,
    },
    serverInfo: { name: 'dockerfile-coach' },
  };
});

connection.onInitialized(() => {
  // Editors other than VS Code do not know which project files matter; ask them to watch.
  if (registerWatchersOnInit) {
    void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_FILES_GLOB }] });
  }
  if (watchWorkspaceFolders) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      projects.changeFolders(
        e.added.map((f) => f.uri),
        e.removed.map((f) => f.uri),
      );
      recheckAll(0);
    });
  }
});

// Fires for didOpen too. No debounce for a Dockerfile: checked within a few ms, what arrives meanwhile coalesced (lsp/scheduler.ts).
documents.onDidChangeContent(({ document }) => {
  lastChange = performance.now();
  if (isWorkflowDocument(document)) {
    void checkWorkflowDocument(document.uri);
    return;
  }
  if (isSourceDocument(document)) {
    // Never checked as a Dockerfile: the Dockerfiles that read it are checked again instead. The
    // disk copy may be saved from this buffer at any time: read it afresh once the buffer closes.
    projects.invalidate(document.uri);
    recheckDependents(document.uri, sourcesSeen.has(document.uri) ? TYPING_DELAY_MS : 0);
    sourcesSeen.add(document.uri);
    return;
  }
  scheduler.schedule(document.uri);
});

documents.onDidClose(({ document }) => {
  const uri = document.uri;
  if (isWorkflowDocument(document)) {
    settings.forget(uri);
    workflowDocs.close(uri);
    return;
  }
  if (isSourceDocument(document)) {
    // The checks read the file from disk again; its diagnostics stay while a Dockerfile reports them.
    sourcesSeen.delete(uri);
    projects.invalidate(uri);
    recheckDependents(uri, 0);
    return;
  }
  for (const source of sourceDiagnostics.remove(uri)) publishSource(source);
  scheduler.cancel(uri);
  published.delete(uri);
  lastParse.delete(uri);
  taskOverrides.delete(uri);
  settings.forget(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

connection.onDidChangeConfiguration((params) => {
  settings.changed(params.settings);
  recheckAll(0);
});

connection.onDidChangeWatchedFiles((params) => {
  // A client's malformed entry (no uri) names no file to forget; the others still count.
  for (const change of Array.isArray(params?.changes) ? params.changes : []) if (typeof change?.uri === 'string') projects.invalidate(change.uri);
  // Installs and checkouts touch many files at once: wait for the burst to end.
  recheckAll(TYPING_DELAY_MS);
});

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  if (isWorkflowDocument(document)) {
    const s = await settings.get(document.uri);
    return workflowDocs.codeActions(params, document, { lang: resolveLang(s.language, locale), levels: s.rules }, editCapabilities);
  }
  if (isSourceDocument(document)) return sourceCodeActions(params, document);
  const documentSettings = await settings.get(document.uri);
  const { dir } = projects.projectFor(document.uri);
  return codeActions(params, {
    document,
    documentDir: dir,
    capabilities: editCapabilities,
    lang: resolveLang(documentSettings.language, locale),
    lookupFixes: (diagnostic) => publishedFixes(published.get(document.uri), diagnostic),
    // Fresh rather than cached: settings or project files may have changed since the last publish.
    currentDiagnostics: async () => {
      const current = documents.get(document.uri);
      if (!current || current.version !== document.version) return undefined;
      try {
        // Fixes of findings in other files edit those files, not this document.
        return runCheck(current, documentSettings).diagnostics.filter((d) => d.file === undefined);
      } catch (e) {
        logError(`checking ${document.uri} for fix-all`, e);
        return undefined;
      }
    },
  });
});

/** The `{ uri }` a Dockerfile Coach request names, or an InvalidParams answer that says what is missing. */
function requestUri(params: unknown, method: string): string {
  const uri = (params as { uri?: unknown } | null | undefined)?.uri;
  if (typeof uri !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, `${method} expects { uri: string }`);
  return uri;
}

connection.onRequest(SET_TASK_REQUEST, (params: SetTaskParams) => {
  const doc = documents.get(requestUri(params, SET_TASK_REQUEST));
  if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${params.uri}`);
  if (isSourceDocument(doc) || isWorkflowDocument(doc)) throw new ResponseError(ErrorCodes.InvalidParams, `not a Dockerfile: ${params.uri}`);
  if (params.task === null) taskOverrides.delete(params.uri);
  else if (isTaskName(params.task)) taskOverrides.set(params.uri, params.task);
  else throw new ResponseError(ErrorCodes.InvalidParams, `unknown task: ${String(params.task)}`);
  scheduler.schedule(params.uri, 0);
  return null;
});

// A fresh check with the inputs of the published one (settings, task override, open source files).
connection.onRequest(EXPLAIN_TASK_REQUEST, async (params: ExplainTaskParams): Promise<ExplainTaskResult> => {
  const doc = documents.get(requestUri(params, EXPLAIN_TASK_REQUEST));
  if (!doc) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${params.uri}`);
  if (isSourceDocument(doc) || isWorkflowDocument(doc)) throw new ResponseError(ErrorCodes.InvalidParams, `not a Dockerfile: ${params.uri}`);
  const result = runCheck(doc, await settings.get(doc.uri));
  const task = taskOverrides.has(doc.uri) ? { ...result.task, reason: OVERRIDE_REASON } : result.task;
  return { markdown: explainTask({ ...result, task }, result.lang, DOCS_BASE) };
});

connection.onShutdown(() => {
  scheduler.dispose();
  idleGc.dispose();
  warmup.dispose();
});

function runCheck(document: TextDocument, documentSettings: CoachSettings): CheckResult & { lang: Lang } {
  const result = checkText(document.uri, document.getText(), documentSettings, lastParse.get(document.uri));
  // Only the parse is kept (text, document, dockerfile-ast nodes), not the rest of the analysis.
  if (documents.get(document.uri)) lastParse.set(document.uri, result.analysis.parseSnapshot);
  return result;
}

/** `text` checked as the document at `uri` is: its project, open source documents, settings and task. */
function checkText(uri: string, text: string, documentSettings: CoachSettings, previous: ParseSnapshot | undefined): CheckResult & { lang: Lang } {
  const lang = resolveLang(documentSettings.language, locale);
  const open = openSourceTexts(documents.all());
  const result = checkDockerfile({
    text,
    // Open source documents (index.js being edited) replace their files on disk.
    project: withOpenDocuments(projects.projectFor(uri).project, (p) => open.get(p)?.getText()),
    uri,
    lang,
    task: taskOverrides.get(uri),
    settingTask: documentSettings.task,
    settingLevels: documentSettings.rules,
    docsBase: DOCS_BASE,
    previous,
  });
  return { ...result, lang };
}

/**
 * Checks a document for the scheduler, which decides whether to publish the result (lsp/scheduler.ts).
 * Undefined: nothing checked (closed, superseded while reading the settings, or the check failed).
 */
async function publishCheck(uri: string, isCurrent: () => boolean): Promise<CheckOutcome | undefined> {
  const documentSettings = await settings.get(uri);
  const document = documents.get(uri);
  if (!isCurrent() || !document) return undefined;
  const { version } = document;
  const started = performance.now();
  let result: ReturnType<typeof runCheck>;
  try {
    result = runCheck(document, documentSettings);
  } catch (e) {
    // Keep the server alive and the last diagnostics in place; the next change tries again.
    logError(`checking ${uri} (version ${version})`, e);
    return undefined;
  }
  // Only what publishing needs: the analysis is not kept until then (its parse is, in `lastParse`).
  const { diagnostics, task, lang } = result;
  const busyMs = performance.now() - started;
  idleGc.touch();
  startWarmup(document, documentSettings);
  const publish = () => {
    // Never replace diagnostics on screen with those of an older version.
    if ((published.get(uri)?.version ?? -Infinity) > version) return;
    const own = diagnostics.filter((d) => d.file === undefined);
    published.set(uri, { version, diagnostics: own });
    void connection.sendDiagnostics({ uri, version, diagnostics: own.map((d) => toLspDiagnostic(d, version)) });
    publishFoundElsewhere(uri, diagnostics);
    const overridden = taskOverrides.has(uri);
    const status: TaskStatusParams = {
      uri,
      task: task.profile.name,
      title: task.profile.title[lang],
      source: overridden ? 'override' : task.source,
      reason: overridden ? OVERRIDE_REASON[lang] : task.reason[lang],
    };
    void connection.sendNotification(TASK_STATUS_NOTIFICATION, status);
  };
  return { busyMs, publish };
}

/** The first checked Dockerfile is the warm-up's text, checked as that document is (lsp/warmup.ts). */
function startWarmup(document: TextDocument, documentSettings: CoachSettings): void {
  if (warmup.started) return;
  const { uri } = document;
  warmup.start(document.getText(), (text, previous) => checkText(uri, text, documentSettings, previous).analysis.parseSnapshot);
}

function recheckAll(delayMs: number): void {
  for (const document of documents.all()) {
    if (isWorkflowDocument(document)) void checkWorkflowDocument(document.uri);
    else if (!isSourceDocument(document)) scheduler.schedule(document.uri, delayMs);
  }
}

/** Group a Dockerfile's findings in other files by their URI (the open document's own URI when open). */
function publishFoundElsewhere(dockerfileUri: string, diagnostics: Diagnostic[]): void {
  const { dir } = projects.projectFor(dockerfileUri);
  const open = openSourceTexts(documents.all());
  const found = new Map<string, { diagnostics: Diagnostic[]; version: number | undefined }>();
  for (const d of diagnostics) {
    if (d.file === undefined || dir === undefined) continue;
    const doc = open.get(path.resolve(dir, ...d.file.split('/')));
    const target = doc?.uri ?? sourceUri(dockerfileUri, d.file);
    let entry = found.get(target);
    if (!entry) {
      entry = { diagnostics: [], version: doc?.version };
      found.set(target, entry);
    }
    entry.diagnostics.push(d);
  }
  for (const uri of sourceDiagnostics.update(dockerfileUri, found)) publishSource(uri);
}

/** Publish the merge of what the open Dockerfiles found in a source file (empty: cleared). */
function publishSource(uri: string): void {
  const doc = documents.get(uri);
  const version = doc?.version;
  const diagnostics = sourceDiagnostics.merged(uri, version);
  // Only stale results (the buffer changed since): the re-checks already scheduled will publish.
  if (diagnostics.length === 0 && sourceDiagnostics.has(uri) && version !== undefined) return;
  void connection.sendDiagnostics({ uri, version, diagnostics: diagnostics.map((d) => toLspDiagnostic(d, version ?? -1)) });
}

/** Check again the open Dockerfiles that read a source file: those that reported in it, and those of its folders. */
function recheckDependents(sourceDocUri: string, delayMs: number): void {
  const file = fsPathOf(sourceDocUri);
  const producers = new Set(sourceDiagnostics.producers(sourceDocUri));
  for (const document of documents.all()) {
    if (isSourceDocument(document) || isWorkflowDocument(document)) continue;
    const dockerfile = fsPathOf(document.uri);
    const dir = dockerfile === undefined ? undefined : path.dirname(path.resolve(dockerfile));
    const inside = file !== undefined && dir !== undefined && path.resolve(file).startsWith(dir + path.sep);
    if (inside || producers.has(document.uri)) scheduler.schedule(document.uri, delayMs);
  }
}

/** Quick fixes for the findings a Dockerfile's check reported in this source file. */
async function sourceCodeActions(params: CodeActionParams, document: TextDocument) {
  const documentSettings = await settings.get(document.uri);
  const current = () => sourceDiagnostics.merged(document.uri, document.version);
  return codeActions(params, {
    document,
    // Fixes of source findings edit the source file only; other-file changes are not offered from here.
    documentDir: undefined,
    capabilities: editCapabilities,
    lang: resolveLang(documentSettings.language, locale),
    lookupFixes: (diagnostic) => {
      const match = current().find(
        (d) =>
          d.ruleId === diagnostic.code &&
          d.range.start.line === diagnostic.range.start.line &&
          d.range.start.character === diagnostic.range.start.character &&
          d.range.end.line === diagnostic.range.end.line &&
          d.range.end.character === diagnostic.range.end.character,
      );
      return match ? { version: document.version, fixes: match.fixes } : undefined;
    },
    currentDiagnostics: async () => current(),
  });
}

/** V8's gc() from --expose-gc; an options object picks the kind of collection (V8's gc extension). */
let gc: ((options?: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void) | null | undefined;

/**
 * A full garbage collection, for when the server has gone idle. Without it, the server keeps the heap
 * a burst of checks grew (RSS 130 MB and more after typing in a 5,000-line file, for a live heap of
 * 10 MB): V8 shrinks its young generation and gives back old-generation pages only when it collects,
 * and an idle server allocates nothing, so nothing collects. gc() comes from --expose-gc, set at run
 * time for one new context only (as jest does). The young generation's cap is a launch flag
 * (lsp/nodeFlags.ts).
 */
function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      const fn: unknown = vm.runInNewContext('gc');
      v8.setFlagsFromString('--no-expose-gc');
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      gc = null;
    }
  }
  // After 10 s without typing, the next keystroke can afford a full parse: the kept parses (about
  // 6 MB of heap for a 5,000-line file) go, so the idle server is back to its baseline.
  lastParse.clear();
  // Twice: measured, the second pass gives back another 5 to 15 MB the first leaves (docs/performance.md).
  gc?.();
  gc?.();
  // Newer V8s (Node 24 here; VS Code runs the server on its Electron's Node) keep the freed pages in a
  // pool after a regular collection: RSS stayed at 178 MiB for a 10 MB heap after 5,000-line typing.
  // The last-resort flavor gives them back (102 MiB); Node 20's V8 makes it one more full collection.
  gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

function logError(what: string, e: unknown): void {
  connection.console.error(`dockerfile-coach: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}

documents.listen(connection);
connection.listen();

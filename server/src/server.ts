/**
 * The Dockerfile Coach language server: wiring only. Over IPC when the VS Code client starts it,
 * over `--stdio` for any other LSP editor (see docs/settings.md).
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  CodeActionKind,
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
import { isTaskName } from './engine/tasks';
import type { Diagnostic, Lang, TaskName } from './engine/types';
import { EditCapabilities, codeActions } from './lsp/codeActions';
import { toLspDiagnostic } from './lsp/diagnostics';
import { Projects } from './lsp/projects';
import {
  CoachInitializationOptions,
  FIX_ALL_KIND,
  SET_TASK_REQUEST,
  SetTaskParams,
  TASK_STATUS_NOTIFICATION,
  TaskStatusParams,
  WATCHED_FILES_GLOB,
} from './lsp/protocol';
import { CheckScheduler } from './lsp/scheduler';
import { CoachSettings, SettingsStore, resolveLang } from './lsp/settings';

/** Wait this long after the last keystroke; the first check after opening runs at once. */
const TYPING_DELAY_MS = 150;
/** Rule docs ship next to dist/ in the .vsix; diagnostics link to them. */
const DOCS_BASE = pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).href + '/';
const OVERRIDE_REASON: Record<Lang, string> = { en: 'chosen with the task picker', ru: 'выбрано вручную в списке заданий' };

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const projects = new Projects();
const taskOverrides = new Map<string, TaskName>();
/** Documents that had their first check: later changes are debounced. */
const checkedOnce = new Set<string>();
/** Last published engine diagnostics, for clients that drop `Diagnostic.data`. */
const published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();

let locale: string | undefined;
let canPullSettings = false;
let registerWatchersOnInit = false;
let watchWorkspaceFolders = false;
let editCapabilities: EditCapabilities = { documentChanges: false, createFiles: false };

const settings = new SettingsStore(connection, () => canPullSettings);
const scheduler = new CheckScheduler(publishCheck, (uri, e) => logError(`checking ${uri}`, e));

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

// Fires for didOpen too: the first check runs at once, later ones wait for typing to pause.
documents.onDidChangeContent(({ document }) => {
  scheduler.schedule(document.uri, checkedOnce.has(document.uri) ? TYPING_DELAY_MS : 0);
});

documents.onDidClose(({ document }) => {
  const uri = document.uri;
  scheduler.cancel(uri);
  checkedOnce.delete(uri);
  published.delete(uri);
  taskOverrides.delete(uri);
  settings.forget(uri);
  void connection.sendDiagnostics({ uri, diagnostics: [] });
});

connection.onDidChangeConfiguration((params) => {
  settings.changed(params.settings);
  recheckAll(0);
});

connection.onDidChangeWatchedFiles(({ changes }) => {
  for (const change of changes) projects.invalidate(change.uri);
  // Installs and checkouts touch many files at once: wait for the burst to end.
  recheckAll(TYPING_DELAY_MS);
});

connection.onCodeAction(async (params) => {
  const document = documents.get(params.textDocument.uri);
  if (!document) return [];
  const documentSettings = await settings.get(document.uri);
  const { dir } = projects.projectFor(document.uri);
  return codeActions(params, {
    document,
    documentDir: dir,
    capabilities: editCapabilities,
    lang: resolveLang(documentSettings.language, locale),
    lookupFixes: (diagnostic) => {
      const last = published.get(document.uri);
      const match = last?.diagnostics.find(
        (d) =>
          d.ruleId === diagnostic.code &&
          d.range.start.line === diagnostic.range.start.line &&
          d.range.start.character === diagnostic.range.start.character &&
          d.range.end.line === diagnostic.range.end.line &&
          d.range.end.character === diagnostic.range.end.character,
      );
      return last && match ? { version: last.version, fixes: match.fixes } : undefined;
    },
    // Fresh rather than cached: settings or project files may have changed since the last publish.
    currentDiagnostics: async () => {
      const current = documents.get(document.uri);
      if (!current || current.version !== document.version) return undefined;
      try {
        return runCheck(current, documentSettings).diagnostics;
      } catch (e) {
        logError(`checking ${document.uri} for fix-all`, e);
        return undefined;
      }
    },
  });
});

connection.onRequest(SET_TASK_REQUEST, (params: SetTaskParams) => {
  if (!documents.get(params.uri)) throw new ResponseError(ErrorCodes.InvalidParams, `document not open: ${params.uri}`);
  if (params.task === null) taskOverrides.delete(params.uri);
  else if (isTaskName(params.task)) taskOverrides.set(params.uri, params.task);
  else throw new ResponseError(ErrorCodes.InvalidParams, `unknown task: ${String(params.task)}`);
  scheduler.schedule(params.uri, 0);
  return null;
});

connection.onShutdown(() => scheduler.dispose());

function runCheck(document: TextDocument, documentSettings: CoachSettings): CheckResult & { lang: Lang } {
  const lang = resolveLang(documentSettings.language, locale);
  const result = checkDockerfile({
    text: document.getText(),
    project: projects.projectFor(document.uri).project,
    uri: document.uri,
    lang,
    task: taskOverrides.get(document.uri),
    settingTask: documentSettings.task,
    settingLevels: documentSettings.rules,
    docsBase: DOCS_BASE,
  });
  return { ...result, lang };
}

async function publishCheck(uri: string, isCurrent: () => boolean): Promise<void> {
  const documentSettings = await settings.get(uri);
  const document = documents.get(uri);
  if (!isCurrent() || !document) return;
  checkedOnce.add(uri);
  let result: ReturnType<typeof runCheck>;
  try {
    result = runCheck(document, documentSettings);
  } catch (e) {
    // Keep the server alive and the last diagnostics in place; the next change tries again.
    logError(`checking ${uri} (version ${document.version})`, e);
    return;
  }
  const { version } = document;
  published.set(uri, { version, diagnostics: result.diagnostics });
  void connection.sendDiagnostics({ uri, version, diagnostics: result.diagnostics.map((d) => toLspDiagnostic(d, version)) });
  const overridden = taskOverrides.has(uri);
  const status: TaskStatusParams = {
    uri,
    task: result.task.profile.name,
    title: result.task.profile.title[result.lang],
    source: overridden ? 'override' : result.task.source,
    reason: overridden ? OVERRIDE_REASON[result.lang] : result.task.reason[result.lang],
  };
  void connection.sendNotification(TASK_STATUS_NOTIFICATION, status);
}

function recheckAll(delayMs: number): void {
  for (const document of documents.all()) scheduler.schedule(document.uri, delayMs);
}

function logError(what: string, e: unknown): void {
  connection.console.error(`dockerfile-coach: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
}

documents.listen(connection);
connection.listen();

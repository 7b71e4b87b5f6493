/**
 * The VS Code side: starts the bundled language server over IPC, watches the project files the
 * checks read, and shows the task each Dockerfile is checked against in the status bar.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, RevealOutputChannelOn, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { CoachInitializationOptions, TASK_STATUS_NOTIFICATION, TaskStatusParams, WATCHED_FILES_GLOB } from '../../server/src/lsp/protocol';
import { SERVER_NODE_FLAGS, serverEnv } from '../../server/src/lsp/nodeFlags';
import { TaskStatusBar } from './statusBar';
import { pickTask } from './taskPicker';
import { registerExplainTask } from './explainTask';
import { registerDockerFeatures } from './docker/vscode/dockerFeatures';
import { registerCreateWorkflow } from './createWorkflow';

export const PICK_TASK_COMMAND = 'dockerfileCoach.pickTask';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Dockerfile Coach');
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  // The server's Node/V8 flags and environment are shared with the benchmark (server/src/lsp/nodeFlags.ts).
  const env = serverEnv();
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS], env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'], env } },
  };
  const initializationOptions: CoachInitializationOptions = { locale: vscode.env.language, watchesProjectFiles: true };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'untitled', language: 'dockerfile' },
      // Source files the checks read (index.js, main.go): diagnostics and quick fixes land there,
      // and the server reads the open buffer; it never checks them as Dockerfiles.
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'go' },
      // GitHub Actions workflows that build the image: checked by the workflow rules.
      { scheme: 'file', language: 'yaml', pattern: '**/.github/workflows/*.{yml,yaml}' },
    ],
    synchronize: {
      configurationSection: 'dockerfileCoach',
      fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED_FILES_GLOB),
    },
    initializationOptions,
    diagnosticCollectionName: 'dockerfile-coach',
    outputChannel: output,
    // Server errors are logged for us to read, not popped up in front of a student.
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  // The id matches the settings section, so `dockerfileCoach.trace.server` works without code.
  const languageClient = new LanguageClient('dockerfileCoach', 'Dockerfile Coach', serverOptions, clientOptions);
  client = languageClient;

  const statusBar = new TaskStatusBar(PICK_TASK_COMMAND);
  context.subscriptions.push(
    output,
    statusBar,
    languageClient.onNotification(TASK_STATUS_NOTIFICATION, (status: TaskStatusParams) => statusBar.update(status)),
    vscode.commands.registerCommand(PICK_TASK_COMMAND, () => pickTask(languageClient, statusBar)),
  );
  registerExplainTask(context, languageClient);
  // .github/workflows/docker-image.yml: legacy builder, push to GHCR.
  registerCreateWorkflow(context);
  // Build, Build and run, Verify: with the task the status bar shows for the Dockerfile.
  registerDockerFeatures(context, { taskOf: (uri) => statusBar.statusOf(uri)?.task });

  try {
    await languageClient.start();
  } catch (e) {
    output.appendLine(`Dockerfile Coach: the language server did not start: ${e instanceof Error ? e.message : String(e)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Dockerfile Coach could not start its checker. See the "Dockerfile Coach" output for details.'));
  }
}

export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  // A server that never started has nothing to stop; do not fail VS Code's shutdown over it.
  await running?.stop().catch(() => undefined);
}

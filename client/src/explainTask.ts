/**
 * `dockerfileCoach.explainTask`: the checklist of the active Dockerfile's task (the server writes it as
 * Markdown), shown in the Markdown preview of a read-only virtual document.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EXPLAIN_TASK_REQUEST, ExplainTaskParams, ExplainTaskResult } from '../../server/src/lsp/protocol';

export const EXPLAIN_TASK_COMMAND = 'dockerfileCoach.explainTask';
export const EXPLAIN_SCHEME = 'dockerfile-coach-explain';

/** Serves the last checklist of each Dockerfile; a new one refreshes the open preview. */
class ExplainDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  set(uri: vscode.Uri, markdown: string): void {
    this.texts.set(uri.toString(), markdown);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** One virtual document per Dockerfile: `<name>.task.md`, the Dockerfile's URI in the query keeps it unique. */
export function explainUri(dockerfile: vscode.Uri): vscode.Uri {
  const name = path.posix.basename(dockerfile.path) || 'Dockerfile';
  return vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name}.task.md`, query: dockerfile.toString() });
}

export function registerExplainTask(context: vscode.ExtensionContext, client: LanguageClient): void {
  const docs = new ExplainDocuments();
  context.subscriptions.push(
    docs,
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, docs),
    vscode.commands.registerCommand(EXPLAIN_TASK_COMMAND, async (resource?: vscode.Uri) => {
      const editor = vscode.window.activeTextEditor;
      // From the editor title or context menu the command gets the Dockerfile's URI.
      const document =
        resource instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === resource.toString()) : editor?.document;
      if (!document || document.languageId !== 'dockerfile') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile to see the checklist of its task.'));
        return;
      }
      const params: ExplainTaskParams = { uri: client.code2ProtocolConverter.asUri(document.uri) };
      let result: ExplainTaskResult;
      try {
        result = await client.sendRequest<ExplainTaskResult>(EXPLAIN_TASK_REQUEST, params);
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not explain the task: {0}', e instanceof Error ? e.message : String(e)));
        return;
      }
      const uri = explainUri(document.uri);
      docs.set(uri, result.markdown);
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    }),
  );
}

/** The status-bar item: the task the active Dockerfile is checked against, and why. */
import * as vscode from 'vscode';
import type { TaskStatusParams } from '../../server/src/lsp/protocol';

const CHECKED_SCHEMES = ['file', 'untitled'];

export class TaskStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('dockerfileCoach.task', vscode.StatusBarAlignment.Right, 100);
  private readonly statuses = new Map<string, TaskStatusParams>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(command: string) {
    this.item.name = vscode.l10n.t('Dockerfile Coach task');
    this.item.command = command;
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      // Changing an editor's language mode closes and reopens its document.
      vscode.workspace.onDidOpenTextDocument(() => this.render()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.statuses.delete(document.uri.toString());
        this.render();
      }),
    ];
    this.render();
  }

  update(status: TaskStatusParams): void {
    this.statuses.set(status.uri, status);
    this.render();
  }

  statusOf(uri: vscode.Uri): TaskStatusParams | undefined {
    return this.statuses.get(uri.toString());
  }

  private render(): void {
    const document = vscode.window.activeTextEditor?.document;
    // Diff views and other schemes show Dockerfiles the server does not check.
    if (!document || document.languageId !== 'dockerfile' || !CHECKED_SCHEMES.includes(document.uri.scheme)) {
      this.item.hide();
      return;
    }
    const status = this.statusOf(document.uri);
    if (status) {
      this.item.text = vscode.l10n.t('Coach: {0}', status.task);
      this.item.tooltip = [status.title, vscode.l10n.t('Why: {0}', status.reason), vscode.l10n.t('Click to choose the task')].join('\n');
    } else {
      this.item.text = vscode.l10n.t('Coach: …');
      this.item.tooltip = vscode.l10n.t('Checking this Dockerfile…');
    }
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

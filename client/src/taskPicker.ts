/** `dockerfileCoach.pickTask`: choose the task for the active Dockerfile, or go back to auto-detection. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TASKS } from '../../server/src/engine/tasks';
import { TASK_NAMES, type Lang } from '../../server/src/engine/types';
import { SET_TASK_REQUEST, SetTaskParams } from '../../server/src/lsp/protocol';
import type { TaskStatusBar } from './statusBar';

interface TaskItem extends vscode.QuickPickItem {
  task: string | null;
}

/** The same choice the server makes for `dockerfileCoach.language`, for the task titles. */
function titleLang(): Lang {
  const setting = vscode.workspace.getConfiguration('dockerfileCoach').get<string>('language', 'auto');
  if (setting === 'en' || setting === 'ru') return setting;
  return vscode.env.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export async function pickTask(client: LanguageClient, statusBar: TaskStatusBar): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'dockerfile') {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a Dockerfile to choose the task it is checked against.'));
    return;
  }
  const status = statusBar.statusOf(document.uri);
  const current = status?.source === 'override' ? status.task : null;
  const lang = titleLang();
  const items: TaskItem[] = [
    {
      task: null,
      label: 'auto',
      description: vscode.l10n.t('Detect the task'),
      detail: vscode.l10n.t('From a "# coach: task=" comment, dockerfile-coach.json, the dockerfileCoach.task setting or the project files'),
    },
    ...TASK_NAMES.map((name): TaskItem => ({ task: name, label: name, description: TASKS[name].title[lang] })),
  ];
  for (const item of items) if (item.task === current) item.label = `$(check) ${item.label}`;
  const choice = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Dockerfile Coach: check this Dockerfile as'),
    placeHolder: status ? vscode.l10n.t('Now: {0} ({1})', status.task, status.reason) : undefined,
  });
  if (!choice) return;
  const params: SetTaskParams = { uri: client.code2ProtocolConverter.asUri(document.uri), task: choice.task };
  try {
    await client.sendRequest(SET_TASK_REQUEST, params);
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not set the task: {0}', e instanceof Error ? e.message : String(e)));
  }
}

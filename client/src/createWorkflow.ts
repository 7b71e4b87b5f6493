/**
 * "Create GitHub Actions workflow for this task": writes `.github/workflows/docker-image.yml` (built by
 * server/src/workflows/generate.ts) for the active Dockerfile, asking before it overwrites a workflow.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { WORKFLOW_FILE, generateWorkflow } from '../../server/src/workflows/generate';

export const CREATE_WORKFLOW_COMMAND = 'dockerfileCoach.createWorkflow';

const DOCKERFILE_GLOB = '**/{Dockerfile,Containerfile,*.Dockerfile,Dockerfile.*,*.containerfile}';

async function pickDockerfile(folder: vscode.WorkspaceFolder | undefined): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active && active.languageId === 'dockerfile' && active.uri.scheme === 'file') return active.uri;
  const found = await vscode.workspace.findFiles(
    folder ? new vscode.RelativePattern(folder, DOCKERFILE_GLOB) : DOCKERFILE_GLOB,
    '**/node_modules/**',
    50,
  );
  if (found.length <= 1) return found[0];
  const picked = await vscode.window.showQuickPick(
    found.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { placeHolder: vscode.l10n.t('Which Dockerfile does the workflow build?') },
  );
  return picked?.uri;
}

export async function createWorkflow(): Promise<void> {
  const activeUri = vscode.window.activeTextEditor?.document.uri;
  const folder = (activeUri && vscode.workspace.getWorkspaceFolder(activeUri)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Open the folder of your task first: the workflow goes into its .github/workflows.'));
    return;
  }
  const dockerfile = await pickDockerfile(folder);
  if (!dockerfile) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No Dockerfile found in {0}.', folder.name));
    return;
  }
  const root = vscode.workspace.getWorkspaceFolder(dockerfile) ?? folder;
  const yes = vscode.l10n.t('Yes, upload the findings (SARIF)');
  const no = vscode.l10n.t('No, only build and push');
  const sarif = await vscode.window.showQuickPick([no, yes], { placeHolder: vscode.l10n.t('Also run Dockerfile Coach in the workflow and show its findings in code scanning?') });
  if (sarif === undefined) return;
  const target = vscode.Uri.joinPath(root.uri, ...WORKFLOW_FILE.split('/'));
  let exists = false;
  try {
    await vscode.workspace.fs.stat(target);
    exists = true;
  } catch {
    exists = false;
  }
  if (exists) {
    const overwrite = vscode.l10n.t('Overwrite');
    const answer = await vscode.window.showWarningMessage(vscode.l10n.t('{0} already exists. Overwrite it?', WORKFLOW_FILE), { modal: true }, overwrite);
    if (answer !== overwrite) return;
  }
  const rel = path.posix.relative(root.uri.path, dockerfile.path);
  const text = generateWorkflow({ dockerfile: rel, sarif: sarif === yes });
  // One workspace edit: undoable, and an open editor of the old workflow follows it.
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(target, { overwrite: true, contents: new TextEncoder().encode(text) });
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write {0}.', WORKFLOW_FILE));
    return;
  }
  await vscode.window.showTextDocument(target);
}

export function registerCreateWorkflow(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.commands.registerCommand(CREATE_WORKFLOW_COMMAND, createWorkflow));
}

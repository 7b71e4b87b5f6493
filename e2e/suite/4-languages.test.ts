/** The language contributions: .dockerignore files get their own language (VS Code has none for them). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { closeAll, exampleDir, restoreExamples } from './helpers';

async function languageOf(file: string): Promise<string> {
  return (await vscode.workspace.openTextDocument(vscode.Uri.file(file))).languageId;
}

describe('Languages', () => {
  afterEach(async () => {
    await closeAll();
    restoreExamples();
  });

  it('.dockerignore and <name>.dockerignore are dockerignore; Dockerfile, Containerfile, Dockerfile.<x> stay dockerfile', async () => {
    const dir = exampleDir('gate/solution');
    assert.strictEqual(await languageOf(path.join(dir, '.dockerignore')), 'dockerignore');
    // "Dockerfile.*" (the dockerfile language's pattern) also matches this name: the longer pattern wins.
    for (const [name, language] of [
      ['Dockerfile.dockerignore', 'dockerignore'],
      ['Containerfile', 'dockerfile'],
      ['Dockerfile.dev', 'dockerfile'],
    ]) {
      fs.writeFileSync(path.join(dir, name), name.includes('ignore') ? 'node_modules\n' : 'FROM scratch\n');
      assert.strictEqual(await languageOf(path.join(dir, name)), language, name);
    }
    assert.strictEqual(await languageOf(path.join(dir, 'Dockerfile')), 'dockerfile');
  });

  it('the dockerignore language comments lines with #', async () => {
    const file = path.join(exampleDir('gate/solution'), '.dockerignore');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
    const first = editor.document.lineAt(0).text;
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await vscode.commands.executeCommand('editor.action.commentLine');
    assert.strictEqual(editor.document.lineAt(0).text, `# ${first}`);
  });
});

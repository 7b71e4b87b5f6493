/** The lightbulb: for every finding with a fix, the preferred code action edits the files as the engine's fix does. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { FIRST_ATTEMPTS } from './1-examples.test';
import { applyEdits, closeAll, dockerfileOf, engine, expectShown, open, restoreExamples, ruleOf, shown } from './helpers';

function sameRange(d: vscode.Diagnostic, r: { start: { line: number; character: number }; end: { line: number; character: number } }): boolean {
  return d.range.start.line === r.start.line && d.range.start.character === r.start.character && d.range.end.line === r.end.line && d.range.end.character === r.end.character;
}

/**
 * Saves every changed document, each by its own save(): workspace.saveAll() saves the open editors only,
 * and a file a fix created (.dockerignore) is changed without being open in an editor.
 */
async function saveAll(what: string): Promise<void> {
  for (const doc of vscode.workspace.textDocuments) {
    if (!doc.isDirty || (await doc.save())) continue;
    // A save conflict: VS Code may still hold a model of this file from an earlier test, and the tests put
    // the files back behind its back (restoreExamples). Write the buffer as the save would, then reload.
    await vscode.workspace.fs.writeFile(doc.uri, Buffer.from(doc.getText(), 'utf8'));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.ok(!doc.isDirty, `${what}: ${doc.uri.fsPath} saved`);
  }
}

describe('Quick fixes', () => {
  afterEach(async () => {
    await closeAll();
    restoreExamples();
  });

  for (const example of FIRST_ATTEMPTS) {
    it(`${example}: each finding's preferred quick fix, applied in VS Code, gives the engine's fixed text and clears the finding`, async () => {
      const baseline = engine(example);
      let applied = 0;
      for (const [file, findings] of baseline) {
        for (const finding of findings.filter((f) => f.fixes.length > 0)) {
          const what = `${path.relative(path.dirname(dockerfileOf(example)), file)}: ${finding.ruleId} at ${finding.range.start.line + 1}:${finding.range.start.character + 1}`;
          await open(dockerfileOf(example)); // its check publishes the findings in the other files too
          const editor = await open(file);
          await expectShown(example, baseline, what, 60_000);
          const diagnostic = shown(file).find((d) => ruleOf(d) === finding.ruleId && sameRange(d, finding.range));
          assert.ok(diagnostic, `${what}: shown`);

          // Code actions come back without their diagnostics from this command: the engine's fix titles tell
          // which of the actions at this range (other findings may overlap it) belong to this finding.
          const offered = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
          const titles = finding.fixes.map((f) => f.title);
          const actions = offered.filter((a) => titles.includes(a.title));
          assert.deepStrictEqual(actions.map((a) => a.title), titles, `${what}: the lightbulb offers the engine's fixes (offered: ${offered.map((a) => a.title).join(' | ')})`);
          // The one Ctrl+. Enter and the CLI's --fix take: the preferred fix, else the first.
          const action = actions.find((a) => a.isPreferred) ?? actions[0];
          const fix = finding.fixes.find((f) => f.title === action.title)!;

          const before = new Map<string, string>();
          for (const f of [file, ...(fix.otherFiles ?? []).map((o) => path.join(path.dirname(dockerfileOf(example)), o.file))]) {
            before.set(f, fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
          }
          assert.ok(action.edit, `${what}: the action carries its edit`);
          assert.ok(await vscode.workspace.applyEdit(action.edit), `${what}: VS Code applied "${action.title}"`);
          if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));

          assert.strictEqual(editor.document.getText(), applyEdits(before.get(file)!, fix.edits), `${what}: text after "${action.title}"`);
          for (const other of fix.otherFiles ?? []) {
            const otherPath = path.join(path.dirname(dockerfileOf(example)), other.file);
            const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(otherPath));
            const want = other.create !== undefined && before.get(otherPath) === '' ? other.create : applyEdits(before.get(otherPath)!, other.edits ?? []);
            assert.strictEqual(doc.getText(), want, `${what}: ${other.file} after "${action.title}"`);
          }

          // Saved, as a student would: the server then reads every file as the CLI does.
          await saveAll(what);
          const after = engine(example);
          assert.ok(
            // Same rule and message: positions shift with the edit (another flag moves into a dropped one's place).
            !(after.get(file) ?? []).some((f) => f.ruleId === finding.ruleId && f.message === finding.message),
            `${what}: "${action.title}" removes the finding`,
          );
          await expectShown(example, after, `${what}, after "${action.title}"`);
          applied++;
          await closeAll();
          restoreExamples();
        }
      }
      assert.ok(applied > 0, `${example}: some finding has a fix`);
    });
  }

  it('Fix all applies every preferred fix at once (source.fixAll.dockerfileCoach)', async () => {
    const example = 'gate/first-attempt';
    const editor = await open(dockerfileOf(example));
    await expectShown(example, engine(example), example, 60_000);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      new vscode.Range(0, 0, editor.document.lineCount, 0),
      'source.fixAll.dockerfileCoach',
    );
    const fixAll = actions.find((a) => a.kind?.value === 'source.fixAll.dockerfileCoach');
    assert.ok(fixAll?.edit, `a fix-all action: ${actions.map((a) => a.title).join(', ')}`);
    const before = engine(example).get(dockerfileOf(example))!.length;
    assert.ok(await vscode.workspace.applyEdit(fixAll.edit));
    await saveAll('after Fix all');
    const after = engine(example);
    assert.ok(after.get(dockerfileOf(example))!.length < before, 'fewer findings after Fix all');
    await expectShown(example, after, 'after Fix all');
  });
});

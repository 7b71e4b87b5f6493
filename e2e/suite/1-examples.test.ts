/** Opening each example Dockerfile: what the editor shows, checked against the engine and the course. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { SOURCE, closeAll, dockerfileOf, engine, expectShown, findingsOf, open, replaceText, restoreExamples, ruleOf, shown, waitFor } from './helpers';

/**
 * The course's traps in each first attempt (examples/README.md): rule id and 1-based line. Each must
 * be among the findings as an error; the engine may find more, which the comparison with the CLI covers.
 */
export const TRAPS: Record<string, [string, number][]> = {
  'gate/first-attempt': [
    ['pinned-base-image', 1],
    ['non-root-user', 1],
    ['legacy-builder', 5],
    ['production-install', 5],
    ['no-baked-secrets', 8],
    ['exec-form', 11],
  ],
  'scratch/first-attempt': [
    ['multi-stage', 1],
    ['non-root-user', 1],
    ['exec-form', 9],
  ],
  'distroless/first-attempt': [
    ['multi-stage', 1],
    ['non-root-user', 1],
    ['exec-form', 8],
  ],
};
export const FIRST_ATTEMPTS = Object.keys(TRAPS);
const SOLUTIONS = ['gate/solution', 'scratch/solution', 'distroless/solution'];

describe('Opening each example Dockerfile', () => {
  afterEach(async () => {
    await closeAll();
    restoreExamples();
  });

  for (const example of FIRST_ATTEMPTS) {
    it(`${example}: the engine's findings (rule ids, ranges, severities, messages), the course's traps among them, with docs links`, async () => {
      const editor = await open(dockerfileOf(example));
      assert.strictEqual(editor.document.languageId, 'dockerfile');
      const expected = engine(example);
      for (const [rule, line] of TRAPS[example]) {
        const hit = findingsOf(expected, example, rule).find((f) => f.range.start.line === line - 1);
        assert.ok(hit, `${example}: the course's trap ${rule} on line ${line} is found`);
        assert.strictEqual(hit.severity, 'error', `${example}: ${rule} fails the task (error)`);
      }
      // The first check after opening can wait for the extension to start: a minute, not 30 s.
      await expectShown(example, expected, example, 60_000);
      const brokenLinks = shown(dockerfileOf(example)).flatMap((d) => {
        const target = typeof d.code === 'object' ? d.code.target : undefined;
        if (!target) return [`${ruleOf(d)}: no docs link`];
        if (!target.path.endsWith(`/docs/rules/${ruleOf(d)}.md`)) return [`${ruleOf(d)}: links to ${target.toString()}`];
        return fs.existsSync(target.fsPath) ? [] : [`${ruleOf(d)}: ${target.fsPath} does not exist`];
      });
      assert.deepStrictEqual(brokenLinks, [], `${example}: every finding links to its rule's page in docs/rules/`);
    });
  }

  for (const example of SOLUTIONS) {
    it(`${example}: no error, and an edit is checked as it is typed`, async () => {
      const editor = await open(dockerfileOf(example));
      const clean = engine(example);
      const errors = (clean.get(dockerfileOf(example)) ?? []).filter((f) => f.severity === 'error');
      assert.deepStrictEqual(errors.map((f) => f.ruleId), [], `${example} passes the task`);
      // An empty list is also what VS Code holds before any check: make a finding come and go.
      const original = editor.document.getText();
      const probe = `${original.trimEnd()}\nRUN --mount=type=cache,target=/root/.cache true\n`;
      const withProbe = engine(example, { text: probe });
      assert.ok(findingsOf(withProbe, example, 'legacy-builder').length > 0, 'the probe line is a finding');
      await replaceText(editor.document, probe);
      await expectShown(example, withProbe, `${example} with RUN --mount added`, 60_000);
      await replaceText(editor.document, original);
      await expectShown(example, clean, `${example} as it was`);
    });
  }

  it('a Dockerfile that is not saved yet (untitled) is checked too', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'dockerfile', content: 'FROM node:lts-alpine\nCMD yarn start\n' });
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor(() => {
      const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.source === SOURCE);
      return d.length > 0 && d;
    }, 'diagnostics of an untitled Dockerfile');
    assert.ok(diags.some((d) => ruleOf(d) === 'exec-form'), `exec-form among ${diags.map(ruleOf).join(', ')}`);
  });
});

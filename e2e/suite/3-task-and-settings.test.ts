/** What changes the checks while the file is open: the task picker, the task comment, settings, coach-ignore, the language. */
import * as assert from 'assert';
import * as vscode from 'vscode';
import { closeAll, displayLang, dockerfileOf, engine, expectShown, findingsOf, open, pickTask, replaceText, resetSettings, restoreExamples } from './helpers';

const GATE = 'gate/first-attempt';
const CYRILLIC = /[А-Яа-яЁё]/;
const config = () => vscode.workspace.getConfiguration('dockerfileCoach');

describe('Task, settings and comments, live', () => {
  afterEach(async () => {
    await resetSettings();
    await closeAll();
    restoreExamples();
  });

  it('the task-picker command switches the task (gate -> generic -> auto) and the findings follow', async () => {
    await open(dockerfileOf(GATE));
    const gate = engine(GATE);
    await expectShown(GATE, gate, 'detected task gate', 60_000);
    const generic = engine(GATE, { task: 'generic' });
    assert.notDeepStrictEqual(generic, gate, 'the engine finds otherwise for generic');
    await pickTask('quickInput.last'); // generic, the last item
    await expectShown(GATE, generic, 'after picking generic');
    await pickTask('quickInput.first'); // auto: detection again
    await expectShown(GATE, gate, 'after picking auto');
  });

  it('a "# coach: task=" comment chooses the task as it is typed', async () => {
    const editor = await open(dockerfileOf(GATE));
    await expectShown(GATE, engine(GATE), GATE, 60_000);
    const text = `# coach: task=scratch\n${editor.document.getText()}`;
    const scratch = engine(GATE, { text });
    assert.ok(findingsOf(scratch, GATE, 'multi-stage').length > 0, 'scratch wants a multi-stage build');
    await replaceText(editor.document, text);
    await expectShown(GATE, scratch, 'with # coach: task=scratch');
  });

  it('dockerfileCoach.rules takes effect live: off removes a rule, warning lowers it, unset restores it', async () => {
    await open(dockerfileOf(GATE));
    const gate = engine(GATE);
    await expectShown(GATE, gate, GATE, 60_000);
    assert.ok(findingsOf(gate, GATE, 'non-root-user').length > 0);

    await config().update('rules', { 'non-root-user': 'off' }, vscode.ConfigurationTarget.Workspace);
    const off = engine(GATE, { config: { rules: { 'non-root-user': 'off' } } });
    assert.deepStrictEqual(findingsOf(off, GATE, 'non-root-user'), []);
    await expectShown(GATE, off, 'non-root-user: off');

    await config().update('rules', { 'non-root-user': 'warning' }, vscode.ConfigurationTarget.Workspace);
    const warning = engine(GATE, { config: { rules: { 'non-root-user': 'warning' } } });
    assert.ok(findingsOf(warning, GATE, 'non-root-user').every((f) => f.severity === 'warning'));
    await expectShown(GATE, warning, 'non-root-user: warning');

    await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await expectShown(GATE, gate, 'rules unset');
  });

  it('a "# coach-ignore <rule>" comment above an instruction removes that finding', async () => {
    const editor = await open(dockerfileOf(GATE));
    await expectShown(GATE, engine(GATE), GATE, 60_000);
    const lines = editor.document.getText().split('\n');
    const cmd = lines.findIndex((l) => l.startsWith('CMD '));
    assert.ok(cmd > 0 && findingsOf(engine(GATE), GATE, 'exec-form').some((f) => f.range.start.line === cmd), 'exec-form on the CMD line');
    lines.splice(cmd, 0, '# coach-ignore exec-form -- the e2e test says so');
    const text = lines.join('\n');
    const ignored = engine(GATE, { text });
    assert.deepStrictEqual(findingsOf(ignored, GATE, 'exec-form'), [], 'the engine honours the comment');
    await replaceText(editor.document, text);
    await expectShown(GATE, ignored, 'with # coach-ignore exec-form');
  });

  it('dockerfileCoach.language: ru gives Russian messages live, and back', async () => {
    await open(dockerfileOf(GATE));
    await expectShown(GATE, engine(GATE), GATE, 60_000);
    await config().update('language', 'ru', vscode.ConfigurationTarget.Workspace);
    const ru = engine(GATE, { lang: 'ru' });
    assert.ok(findingsOf(ru, GATE, 'non-root-user').every((f) => CYRILLIC.test(f.message)), 'the engine speaks Russian');
    await expectShown(GATE, ru, 'language ru');
    await config().update('language', 'en', vscode.ConfigurationTarget.Workspace);
    await expectShown(GATE, engine(GATE, { lang: 'en' }), 'language en');
  });

  it(`dockerfileCoach.language: auto follows VS Code's display language (${vscode.env.language})`, async () => {
    // Run with COACH_E2E_LOCALE=ru under `--locale ru`: the messages are then Russian without any setting.
    const wanted = process.env.COACH_E2E_LOCALE;
    if (wanted) assert.strictEqual(vscode.env.language, wanted, 'VS Code runs with the display language asked for');
    await open(dockerfileOf(GATE));
    const expected = engine(GATE, { lang: displayLang() });
    if (displayLang() === 'ru') assert.ok(findingsOf(expected, GATE, 'non-root-user').every((f) => CYRILLIC.test(f.message)));
    await expectShown(GATE, expected, `display language ${vscode.env.language}`, 60_000);
  });
});

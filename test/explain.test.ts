/** "Explain this task": the task's checklist as Markdown (server/src/engine/explain.ts). */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkDockerfile } from '../server/src/engine/engine';
import { escapeMarkdown, explainTask } from '../server/src/engine/explain';
import { memoryProject } from '../server/src/engine/project';
import type { Rule } from '../server/src/engine/types';

const DOCS = 'https://example.test/docs/rules/';
export const GATE_FILES = {
  'package.json': JSON.stringify({ name: 'gate', main: 'index.js', scripts: { start: 'node index.js' } }),
  'yarn.lock': '',
  'index.js': 'const algo = process.env.HMAC_ALGO, secret = process.env.HMAC_SECRET;\nrequire("http").createServer().listen(3000);\n',
};
/** Passes every gate rule but exec-form (error, line 3), exposed-port (information, line 1) and runtime-env (information, line 3). */
export const GATE = 'FROM node:18.16.0-alpine3.17\nUSER node\nCMD yarn start\n';

const explain = (lang: 'en' | 'ru', text = GATE, files: Record<string, string> = GATE_FILES, rules?: readonly Rule[]) =>
  explainTask(checkDockerfile({ text, project: memoryProject(files), lang, docsBase: DOCS, ...(rules ? { rules } : {}) }), lang, DOCS, rules);

describe('explainTask on a small gate Dockerfile', () => {
  it('English: title, reason, summary, passed rules marked, failed rules with finding lines and docs links', () => {
    const lines = explain('en').split('\n');
    assert.deepEqual(lines.slice(0, 7), [
      '# Gate task: Node.js HMAC service',
      '',
      '**Why this task:** package.json, yarn.lock and index.js found',
      '',
      '## Course requirements',
      '',
      '**22 of 25** checked requirements pass.',
    ]);
    for (const expected of [
      `- ✅ **Rule 1. Run the final stage as a non-root user** — passes ([docs/rules/non-root-user.md](${DOCS}non-root-user.md))`,
      // The task's own rule sits with the course rule of the same number.
      `- ✅ **Rule 3. Official node image on alpine 3.17, an LTS release** — passes ([docs/rules/gate-base-image.md](${DOCS}gate-base-image.md))`,
      `- ❌ **Rule 6. CMD and ENTRYPOINT in exec form** — 1 finding ([docs/rules/exec-form.md](${DOCS}exec-form.md))`,
      '  - line 3: CMD is in shell form: the container runs `/bin/sh -c`, so your program is not PID 1 and does not get SIGTERM on `docker stop`. Write it as a JSON array, e.g. \\["yarn", "start"\\]. (error)',
      `- ⚠️ **Rule 16. EXPOSE the port the app listens on** — 1 finding ([docs/rules/exposed-port.md](${DOCS}exposed-port.md))`,
      '  - line 1: No EXPOSE: the app listens on 3000 (index.js:2, listen(3000)). EXPOSE documents it for `docker run -P` and for whoever runs the image; add `EXPOSE 3000`. (information)',
      `- ✅ **Rule 17. Listen on all interfaces, not localhost** — passes ([docs/rules/listen-address.md](${DOCS}listen-address.md))`,
      `- ⚠️ **Rule 17. HMAC_ALGO and HMAC_SECRET at run time** — 1 finding ([docs/rules/runtime-env.md](${DOCS}runtime-env.md))`,
      '  - line 3: The app reads HMAC_ALGO and HMAC_SECRET at run time (HMAC_ALGO, HMAC_SECRET without a default): start it as `docker run -e HMAC_ALGO=sha256 -e HMAC_SECRET=<secret> -p 9000:9000 <image>`. (information)',
    ]) {
      assert.ok(lines.includes(expected), `missing line:\n${expected}\nin:\n${lines.join('\n')}`);
    }
    // A finding line follows its rule; every rule of the task is listed once, in rule-number order.
    assert.equal(lines[lines.indexOf(`- ❌ **Rule 6. CMD and ENTRYPOINT in exec form** — 1 finding ([docs/rules/exec-form.md](${DOCS}exec-form.md))`) + 1].startsWith('  - line 3: '), true);
    const numbers = lines.filter((l) => l.startsWith('- ')).map((l) => Number(/\*\*Rule (\d+)\./.exec(l)?.[1]));
    assert.equal(numbers.length, 25);
    assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
    assert.equal(lines.at(-1), '');
    assert.ok(!lines.includes('## Other notes'));
  });

  it('Russian: the same checklist in the message language', () => {
    const lines = explain('ru').split('\n');
    assert.deepEqual(lines.slice(0, 7), [
      '# Gate Task: сервис HMAC на Node.js',
      '',
      '**Почему это задание:** найдены package.json, yarn.lock и index.js',
      '',
      '## Требования курса',
      '',
      'Выполнено **22 из 25** проверяемых требований.',
    ]);
    for (const expected of [
      `- ✅ **Правило 1. Запуск финальной стадии не от root** — выполнено ([docs/rules/non-root-user.md](${DOCS}non-root-user.md))`,
      `- ❌ **Правило 6. CMD и ENTRYPOINT в exec-форме** — замечаний: 1 ([docs/rules/exec-form.md](${DOCS}exec-form.md))`,
      '  - строка 3: CMD записан в shell-форме: контейнер запускает `/bin/sh -c`, программа не становится PID 1 и не получает SIGTERM при `docker stop`. Запишите его JSON-массивом, например \\["yarn", "start"\\]. (ошибка)',
      `- ⚠️ **Правило 16. EXPOSE — порт, который слушает приложение** — замечаний: 1 ([docs/rules/exposed-port.md](${DOCS}exposed-port.md))`,
      '  - строка 1: Нет EXPOSE: приложение слушает порт 3000 (index.js:2, listen(3000)). EXPOSE сообщает о нём `docker run -P` и тем, кто запускает образ; добавьте `EXPOSE 3000`. (информация)',
    ]) {
      assert.ok(lines.includes(expected), `missing line:\n${expected}\nin:\n${lines.join('\n')}`);
    }
  });

  it('a rule turned off (task profile or dockerfile-coach.json) is listed as not checked and not counted', () => {
    const files = { ...GATE_FILES, 'dockerfile-coach.json': JSON.stringify({ rules: { 'exposed-port': 'off' } }) };
    const lines = explain('en', GATE, files).split('\n');
    assert.ok(lines.includes(`- ➖ **Rule 16. EXPOSE the port the app listens on** — off, not checked ([docs/rules/exposed-port.md](${DOCS}exposed-port.md))`), lines.join('\n'));
    assert.ok(lines.includes('**22 of 24** checked requirements pass.'));
    const generic = explain('ru', 'FROM alpine:3.17\n', {}).split('\n');
    assert.equal(generic[0], '# Обычный Dockerfile (общие правила курса)');
    assert.ok(generic.includes(`- ➖ **Правило 10. Multi-Stage — как требует задание** — отключено, не проверяется ([docs/rules/multi-stage.md](${DOCS}multi-stage.md))`), generic.join('\n'));
  });
});

describe('explainTask, exact document', () => {
  const rule = (id: string, courseRule: number, found: boolean): Rule => ({
    id,
    courseRule,
    title: { en: `Title ${id}`, ru: `Заголовок ${id}` },
    defaultSeverity: 'warning',
    tasks: ['gate'],
    messages: { m: { en: 'Use `COPY *.json` not <ADD> [x]', ru: 'Используйте `COPY *.json`, а не <ADD> [x]' } },
    check: ({ analysis }) => (found ? [{ messageId: 'm', range: analysis.instructions[1].range }] : []),
  });
  const rules = [rule('b-rule', 2, true), rule('a-rule', 1, false)];
  const text = '# coach: task=gate\nFROM x\n# coach-ignore no-such-rule\nUSER y\n';

  it('English', () => {
    assert.equal(
      explain('en', text, {}, rules),
      [
        '# Gate task: Node.js HMAC service',
        '',
        '**Why this task:** # coach: task=gate on line 1',
        '',
        '## Course requirements',
        '',
        '**1 of 2** checked requirements pass.',
        '',
        `- ✅ **Rule 1. Title a-rule** — passes ([docs/rules/a-rule.md](${DOCS}a-rule.md))`,
        `- ⚠️ **Rule 2. Title b-rule** — 1 finding ([docs/rules/b-rule.md](${DOCS}b-rule.md))`,
        '  - line 4: Use `COPY *.json` not &lt;ADD&gt; \\[x\\] (warning)',
        '',
        '## Other notes',
        '',
        '- `coach-config`, line 3: Unknown rule id "no-such-rule" in a coach-ignore comment: it silences nothing. (warning)',
        '',
      ].join('\n'),
    );
  });

  it('Russian', () => {
    assert.equal(
      explain('ru', text, {}, rules),
      [
        '# Gate Task: сервис HMAC на Node.js',
        '',
        '**Почему это задание:** # coach: task=gate в строке 1',
        '',
        '## Требования курса',
        '',
        'Выполнено **1 из 2** проверяемых требований.',
        '',
        `- ✅ **Правило 1. Заголовок a-rule** — выполнено ([docs/rules/a-rule.md](${DOCS}a-rule.md))`,
        `- ⚠️ **Правило 2. Заголовок b-rule** — замечаний: 1 ([docs/rules/b-rule.md](${DOCS}b-rule.md))`,
        '  - строка 4: Используйте `COPY *.json`, а не &lt;ADD&gt; \\[x\\] (предупреждение)',
        '',
        '## Прочие замечания',
        '',
        '- `coach-config`, строка 3: Неизвестный идентификатор правила «no-such-rule» в комментарии coach-ignore: он ничего не отключает. (предупреждение)',
        '',
      ].join('\n'),
    );
  });

  it('escapeMarkdown keeps code spans and escapes the rest', () => {
    assert.equal(escapeMarkdown('a *b* `c *d*` <e> [f]'), 'a \\*b\\* `c *d*` &lt;e&gt; \\[f\\]');
  });
});

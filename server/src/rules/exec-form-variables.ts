/**
 * RULES.md 7: `$VAR` inside an exec-form CMD/ENTRYPOINT is passed to the program literally.
 */
import { ALL_TASKS } from '../engine/types';
import type { Finding, Rule } from '../engine/types';
import { finalCommandInstructions } from './exec-form';
import { isExecForm, t } from './util';

const SHELLS = /^(?:\/usr)?(?:\/bin\/)?(?:sh|bash|ash|dash|zsh)$/;
const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * The name of the first `${name...}` or `$name` in `value`, as
 * `/\$(?:\{(NAME)[^}]*\}|(NAME))/.exec(value)` finds it, in linear time: that expression scans to the end
 * of the text from every `${` when no `}` follows (`${a${a${a...`: 80,000 characters took 1.2 s).
 */
export function firstVariable(value: string): string | undefined {
  const lastClose = value.lastIndexOf('}');
  for (let i = value.indexOf('$'); i !== -1; i = value.indexOf('$', i + 1)) {
    const braced = value[i + 1] === '{';
    NAME.lastIndex = braced ? i + 2 : i + 1;
    const name = NAME.exec(value)?.[0];
    if (name === undefined) continue;
    // Braced: a `}` somewhere after the name closes it.
    if (!braced || lastClose >= NAME.lastIndex) return name;
  }
  return undefined;
}

export const execFormVariables: Rule = {
  id: 'exec-form-variables',
  courseRule: 7,
  title: t('No variables in exec form', 'Никаких переменных в exec-форме'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    literal: t(
      '`{text}` is passed to the program literally: exec form runs no shell, so `${name}` is not replaced. Let the program read {name} from its environment (for flags: a default taken from the environment in the code).',
      '`{text}` будет передан программе буквально: exec-форма не запускает shell, и `${name}` не подставляется. Пусть программа сама читает {name} из окружения (для флагов — значение по умолчанию из окружения в коде).',
    ),
  },
  check({ analysis }) {
    const findings: Finding[] = [];
    for (const instr of finalCommandInstructions(analysis)) {
      if (!isExecForm(instr)) continue;
      const words = analysis.shell(instr).commands[0]?.words ?? [];
      // `sh -c "..."` expands its own variables; no-shell-scripts reports that wrapper instead.
      if (words.length > 1 && SHELLS.test(words[0].value) && words[1].value === '-c') continue;
      for (const w of words) {
        const name = firstVariable(w.value);
        if (name === undefined) continue;
        findings.push({ messageId: 'literal', data: { text: w.value, name }, range: analysis.rangeOf(w.start, w.end) });
      }
    }
    return findings;
  },
};

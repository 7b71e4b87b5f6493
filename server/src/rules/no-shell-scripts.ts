/**
 * RULES.md 5: ENTRYPOINT/CMD run the program itself: no `entrypoint.sh`, no `sh -c` / `bash -c` wrapper.
 */
import { ALL_TASKS } from '../engine/types';
import type { Finding, Rule } from '../engine/types';
import type { Word } from '../engine/shell';
import { parseShellText } from '../engine/shell';
import { finalCommandInstructions, toExecArray } from './exec-form';
import { isExecForm, t } from './util';

const SHELLS = /^(?:\/usr)?(?:\/bin\/)?(?:sh|bash|ash|dash|zsh)$/;
/** `-c`, and combined short options that include it: `-ec`, `-lc`. */
const COMMAND_FLAG = /^-[a-zA-Z]*c[a-zA-Z]*$/;
/** Launchers that only start the next word: look past them for the real program. */
const LAUNCHERS = /^(?:(?:\/usr)?\/bin\/)?(?:env|tini|dumb-init|exec)$|^--$/;

export const noShellScripts: Rule = {
  id: 'no-shell-scripts',
  courseRule: 5,
  title: t('No shell scripts or sh -c wrappers', 'Никаких shell-скриптов и обёрток sh -c'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    wrapper: t(
      '{keyword} wraps the program in `{shell} -c`: the shell becomes PID 1 and the task forbids scripts. Run the program directly.',
      '{keyword} оборачивает программу в `{shell} -c`: PID 1 становится shell, а задание запрещает скрипты. Запускайте программу напрямую.',
    ),
    script: t(
      '{keyword} runs the script `{script}`; the task says: no entrypoint.sh or other sh scripts. Run the program itself (for example `node index.js` or the binary) and pass settings as environment variables.',
      '{keyword} запускает скрипт `{script}`, а задание требует: никаких entrypoint.sh и других sh-скриптов. Запускайте саму программу (например, `node index.js` или бинарник), а настройки передавайте переменными окружения.',
    ),
  },
  check({ analysis }) {
    const findings: Finding[] = [];
    for (const instr of finalCommandInstructions(analysis)) {
      const { commands } = analysis.shell(instr);
      const keyword = instr.keyword;
      const words = commands[0]?.words;
      if (!words || words.length === 0) continue;
      let skip = 0;
      while (skip < words.length - 1 && LAUNCHERS.test(words[skip].value)) skip++;
      const first = words.slice(skip);
      const program = first[0];
      const span = (a: Word, b: Word) => analysis.rangeOf(a.start, b.end);
      if (SHELLS.test(program.value) && COMMAND_FLAG.test(first[1]?.value ?? '')) {
        const last = first[first.length - 1];
        const inner = first[2]?.value;
        let fix;
        if (isExecForm(instr) && skip === 0 && inner !== undefined && first.length === 3) {
          // `sh -c "exec node index.js"` -> ["node", "index.js"] when the inner command needs no shell.
          const parsed = parseShellText(inner);
          const words = parsed.commands[0]?.words.map((w) => w.value);
          if (parsed.features.size === 0 && parsed.commands.length === 1 && words && words.length > 0) {
            const argv = words[0] === 'exec' ? words.slice(1) : words;
            if (argv.length > 0) {
              const range = { start: analysis.args(instr)[0].getRange().start, end: instr.range.end };
              fix = { title: t('Run it directly: {suggestion}', 'Запускать напрямую: {suggestion}'), edits: [{ range, newText: toExecArray(argv) }] };
            }
          }
        }
        findings.push({
          messageId: 'wrapper',
          data: { keyword, shell: program.value, suggestion: fix ? fix.edits[0].newText : '' },
          range: span(program, last),
          fixes: fix ? [fix] : [],
        });
        continue;
      }
      const script = SHELLS.test(program.value) && first[1] ? first[1] : program;
      if (/\.(?:sh|bash)$/.test(script.value)) {
        findings.push({ messageId: 'script', data: { keyword, script: script.value }, range: span(script, script) });
      }
    }
    return findings;
  },
};

/**
 * RULES.md 6: CMD/ENTRYPOINT in exec form, so the program is PID 1 and receives signals.
 * A broken JSON array (single quotes, trailing comma) is silently run as shell form: flagged too.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr } from '../engine/analysis';
import type { Finding, Range, Rule } from '../engine/types';
import { isExecForm, once, t } from './util';
import { KeyMemo } from '../engine/keyMemo';

/** `["a", "b"]` as the course writes it. */
export const toExecArray = (words: string[]): string => `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;

const finalCommandsMemo = new KeyMemo<Analysis, readonly Instr[]>('finalCommands');

/**
 * CMD/ENTRYPOINT instructions that shape the final image: those of the final stage and the stages it is
 * built on. Once per analysis (four rules ask); shared, so read-only.
 */
export function finalCommandInstructions(analysis: Analysis): readonly Instr[] {
  return once(finalCommandsMemo, analysis, () => {
    const final = analysis.finalStage;
    if (!final) return [];
    const out: Instr[] = [];
    for (const stage of analysis.chain(final)) for (const i of stage.instructions) if (i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT') out.push(i);
    return out;
  });
}

/** The words of a shell-form command when it has no shell feature and so converts as it is. */
export function plainWords(analysis: Analysis, instr: Instr): string[] | undefined {
  const { commands, features } = analysis.shell(instr);
  if (features.size > 0 || commands.length !== 1) return undefined;
  return commands[0].words.map((w) => w.value);
}

export function argumentsRange(analysis: Analysis, instr: Instr): Range | undefined {
  const args = analysis.args(instr);
  if (args.length === 0) return undefined;
  return { start: args[0].getRange().start, end: args[args.length - 1].getRange().end };
}

/** Reads `['node', 'index.js',]` the way its author meant it. */
function lenientArray(text: string): string[] | undefined {
  const normalized = text
    .trim()
    .replace(/'((?:[^'\\]|\\.)*)'/g, (_, inner: string) => JSON.stringify(inner.replace(/\\'/g, "'")))
    .replace(/,\s*\]$/, ']');
  try {
    const value = JSON.parse(normalized) as unknown;
    if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    // not an array even when read leniently
  }
  return undefined;
}

export const execForm: Rule = {
  id: 'exec-form',
  courseRule: 6,
  title: t('CMD and ENTRYPOINT in exec form', 'CMD и ENTRYPOINT в exec-форме'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    shellForm: t(
      '{keyword} is in shell form: the container runs `/bin/sh -c`, so your program is not PID 1 and does not get SIGTERM on `docker stop`. Write it as a JSON array, e.g. {suggestion}.',
      '{keyword} записан в shell-форме: контейнер запускает `/bin/sh -c`, программа не становится PID 1 и не получает SIGTERM при `docker stop`. Запишите его JSON-массивом, например {suggestion}.',
    ),
    shellFormNeedsShell: t(
      '{keyword} is in shell form and uses shell features ({features}), so it runs under `/bin/sh -c`, not as PID 1. Move the logic into the program or the image, and run the program itself in exec form.',
      '{keyword} записан в shell-форме и использует возможности shell ({features}), поэтому работает через `/bin/sh -c`, а не как PID 1. Перенесите логику в программу или образ и запускайте саму программу в exec-форме.',
    ),
    brokenJson: t(
      '{keyword} looks like a JSON array but is not valid JSON (use double quotes, no trailing comma). Docker then runs it as a shell command, brackets included.',
      '{keyword} похож на JSON-массив, но это некорректный JSON (нужны двойные кавычки и никаких лишних запятых). Docker выполнит его как shell-команду вместе со скобками.',
    ),
  },
  check({ analysis }) {
    const findings: Finding[] = [];
    for (const instr of finalCommandInstructions(analysis)) {
      if (isExecForm(instr)) continue;
      const range = argumentsRange(analysis, instr);
      if (!range) continue;
      const keyword = instr.keyword;
      const raw = analysis.textOf(range);
      if (raw.trim().startsWith('[')) {
        const words = lenientArray(raw);
        findings.push({
          messageId: 'brokenJson',
          data: { keyword, suggestion: words ? toExecArray(words) : '' },
          range,
          fixes: words ? [{ title: t('Write {keyword} as valid JSON: {suggestion}', 'Исправить JSON в {keyword}: {suggestion}'), edits: [{ range, newText: toExecArray(words) }] }] : [],
        });
        continue;
      }
      const words = plainWords(analysis, instr);
      if (words) {
        const suggestion = toExecArray(words);
        findings.push({
          messageId: 'shellForm',
          data: { keyword, suggestion },
          range,
          fixes: [{ title: t('Convert to exec form: {suggestion}', 'Перевести в exec-форму: {suggestion}'), edits: [{ range, newText: suggestion }] }],
        });
      } else {
        const features = [...analysis.shell(instr).features].join(', ') || 'several commands';
        findings.push({ messageId: 'shellFormNeedsShell', data: { keyword, features }, range });
      }
    }
    return findings;
  },
};

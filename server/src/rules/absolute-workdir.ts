/**
 * RULES.md 14 (first half): WORKDIR is an absolute path, and it is set before COPY/ADD/RUN use
 * relative paths. A relative WORKDIR is resolved by Docker against the previous one, so the fix writes
 * that resolved path (it changes nothing the build does, it only makes it visible); it is offered only
 * when the previous working directory is known (a WORKDIR before it, scratch, or an official image
 * whose default is known).
 */
import { ALL_TASKS } from '../engine/types';
import type { Finding, Rule } from '../engine/types';
import { commandWrites, commandsWithCwd, copySpec, expandValue, isAbsolutePath, resolvePath, unquote, wordValue, workdirBefore } from './paths';
import { t } from './util';

const describeDefault = (dir: string | undefined): { where: string; where_ru: string } =>
  dir === undefined
    ? { where: "the base image's default working directory", where_ru: 'рабочую папку базового образа по умолчанию' }
    : { where: `the base image's default working directory, ${dir}`, where_ru: `рабочую папку базового образа по умолчанию, ${dir}` };

export const absoluteWorkdir: Rule = {
  id: 'absolute-workdir',
  courseRule: 14,
  title: t('WORKDIR is absolute and set before relative paths', 'WORKDIR — абсолютный и задан до относительных путей'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    relativeWorkdir: t(
      '`WORKDIR {path}` is relative: Docker resolves it against the previous working directory, so it silently depends on what came before (here it means {resolved}). The course asks for an absolute WORKDIR: write `WORKDIR {suggestion}`.',
      '`WORKDIR {path}` — относительный путь: Docker отсчитывает его от предыдущей рабочей папки, и результат незаметно зависит от того, что было выше (здесь это {resolved}). Курс требует абсолютный WORKDIR: напишите `WORKDIR {suggestion}`.',
    ),
    relativeCopyBeforeWorkdir: t(
      '{keyword} copies to the relative path `{dest}`, but no WORKDIR is set yet in this stage: the files land in {where}, which is easy to get wrong (CMD, later COPYs and the app look elsewhere). Set an absolute WORKDIR (e.g. `WORKDIR /app`) before it.',
      '{keyword} копирует в относительный путь `{dest}`, а WORKDIR в этой стадии ещё не задан: файлы попадут в {where_ru}, и тут легко ошибиться (CMD, следующие COPY и само приложение ищут их в другом месте). Задайте абсолютный WORKDIR (например, `WORKDIR /app`) перед этой инструкцией.',
    ),
    relativeRunBeforeWorkdir: t(
      '`{command}` writes to the relative path `{path}`, but no WORKDIR is set yet in this stage: it goes to {where}. Set an absolute WORKDIR (e.g. `WORKDIR /app`) before this RUN, or use an absolute path.',
      '`{command}` пишет по относительному пути `{path}`, а WORKDIR в этой стадии ещё не задан: он окажется в {where_ru}. Задайте абсолютный WORKDIR (например, `WORKDIR /app`) перед этим RUN или укажите абсолютный путь.',
    ),
  },
  checkStage({ analysis }, stage) {
    const findings: Finding[] = [];
    for (const instr of stage.instructions) {
      if (instr.keyword === 'WORKDIR') {
        const range = analysis.argsRange(instr);
        const rawText = (analysis.argsContent(instr) ?? '').trim();
        if (!range || rawText === '') continue;
        const raw = unquote(rawText);
        const value = expandValue(analysis, instr, raw);
        if (value === undefined || isAbsolutePath(value)) continue;
        const previous = workdirBefore(analysis, instr).dir;
        const resolved = resolvePath(previous, value);
        const data = {
          path: rawText,
          resolved: resolved ?? `<the base image's working directory>/${value}`,
          resolved_ru: resolved ?? `<рабочая папка базового образа>/${value}`,
          suggestion: resolved ?? `/${value.replace(/^(\.\/)+/, '')}`,
        };
        // A variable or an unknown starting point: rewriting would change what the build does.
        const fixable = resolved !== undefined && raw === value && !/[\s"'\\$]/.test(resolved);
        findings.push({
          messageId: 'relativeWorkdir',
          data,
          range,
          fixes: fixable ? [{ title: t('Write WORKDIR {suggestion}', 'Написать WORKDIR {suggestion}'), edits: [{ range, newText: resolved }] }] : [],
        });
        continue;
      }
      const wd = workdirBefore(analysis, instr);
      if (wd.setBy) continue;
      if (instr.keyword === 'COPY' || instr.keyword === 'ADD') {
        const spec = copySpec(analysis, instr);
        const dest = spec?.dest.value;
        if (!spec || dest === undefined || dest === '' || isAbsolutePath(dest)) continue;
        findings.push({ messageId: 'relativeCopyBeforeWorkdir', data: { keyword: instr.keyword, dest, ...describeDefault(wd.dir) }, range: spec.dest.range });
      } else if (instr.keyword === 'RUN') {
        // Only up to the first `cd`: after it the command chose its own directory.
        for (const { cmd } of commandsWithCwd(analysis, instr)) {
          if (cmd.words[0]?.value === 'cd') break;
          const write = commandWrites(cmd).find((w) => {
            const v = wordValue(analysis, instr, w.word);
            return w.kind !== 'delete' && v !== undefined && v !== '' && !isAbsolutePath(v) && !v.startsWith('~') && !v.startsWith('-');
          });
          if (!write) continue;
          const command = cmd.words.map((w) => w.value).join(' ');
          findings.push({
            messageId: 'relativeRunBeforeWorkdir',
            data: { command: command.length > 60 ? command.slice(0, 57) + '...' : command, path: write.word.value, ...describeDefault(wd.dir) },
            range: analysis.rangeOf(write.word.start, write.word.end),
            // A heuristic over known commands: advice, not a failed requirement.
            severity: 'warning',
          });
          break;
        }
      }
    }
    return findings;
  },
};

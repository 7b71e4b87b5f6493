/**
 * RULES.md 14 (second half): ADD of local files should be COPY. ADD also downloads URLs and unpacks
 * local tar archives; COPY does neither, so it says exactly what happens. An ADD that downloads or
 * unpacks does something COPY cannot: it is left alone (so is one whose sources are unknown).
 */
import { ALL_TASKS } from '../engine/types';
import type { Finding, Rule } from '../engine/types';
import { copySpec, isUrl } from './paths';
import { t } from './util';

/** What ADD unpacks (Docker detects the format by content, but these are what people name them). */
const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tar\.lzma|tlz)$/i;
/** Flags COPY accepts too; anything else (`--checksum`, `--keep-git-dir`) only makes sense on ADD. */
const COPY_FLAGS = new Set(['chown', 'chmod', 'link', 'from']);

export const copyNotAdd: Rule = {
  id: 'copy-not-add',
  courseRule: 14,
  title: t('COPY, not ADD, for local files', 'COPY, а не ADD, для локальных файлов'),
  defaultSeverity: 'warning',
  tasks: ALL_TASKS,
  messages: {
    addLocal: t(
      'ADD copies local files here, but it also unpacks archives and downloads URLs, so a reader cannot tell what it does (and a .tar you meant to copy would be unpacked). The course asks for COPY for local files: use `{copy}`.',
      'Здесь ADD копирует локальные файлы, но он ещё и распаковывает архивы и скачивает URL, так что по строке не понять, что произойдёт (а .tar, который нужно было просто скопировать, распакуется). Курс требует COPY для локальных файлов: используйте `{copy}`.',
    ),
  },
  check({ analysis }) {
    const findings: Finding[] = [];
    for (const instr of analysis.instructions) {
      if (instr.keyword !== 'ADD') continue;
      const spec = copySpec(analysis, instr);
      if (!spec) continue;
      if (spec.flags.some((f) => !COPY_FLAGS.has(f.getName()))) continue;
      const local = spec.sources.every((s) => s.value !== undefined && !isUrl(s.value) && !ARCHIVE.test(s.value) && !/[*?[]/.test(s.value));
      if (!local) continue;
      const range = instr.node.getInstructionRange();
      const written = analysis.textOf(range);
      const copy = written === written.toLowerCase() ? 'copy' : 'COPY';
      findings.push({
        messageId: 'addLocal',
        data: { copy },
        range,
        fixes: [{ title: t('Replace ADD with COPY', 'Заменить ADD на COPY'), edits: [{ range, newText: copy }] }],
      });
    }
    return findings;
  },
};

/**
 * RULES.md 19: no shell where there is none. scratch and distroless have no /bin/sh:
 * - a shell-form RUN in a stage built on them cannot run (`/bin/sh: no such file or directory`),
 *   unless the Dockerfile copied a /bin/sh in (which is then reported in the final stage);
 * - a shell-form CMD/ENTRYPOINT of such a final image cannot start;
 * - copying a shell, busybox or the musl loader into such a final stage, or a `:debug` distroless tag
 *   (it ships busybox), brings a shell back and defeats the minimal image.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { Finding, Rule } from '../engine/types';
import { isDistroless } from '../engine/image';
import { chainPlacements, copySpec, placedBy, resolvePath, workdirBefore } from './paths';
import { isExecForm, t } from './util';
import { finalCommandInstructions } from './exec-form';
import { trimTrailing } from '../engine/text';

const SHELL_NAMES = /^(?:sh|bash|ash|dash|zsh|ksh|mksh|fish|busybox)$/;
const MUSL_LOADER = /^ld-musl-[^/]*\.so(?:\.\d+)*$/;
/** Whole folders that bring a shell with them. */
const SHELL_DIRS = new Set(['/bin', '/usr/bin', '/busybox']);

interface Minimal {
  label: string;
  debug: boolean;
}

function minimalBase(analysis: Analysis, stage: Stage): Minimal | undefined {
  const root = analysis.rootBase(stage);
  if (root.kind === 'scratch') return { label: 'scratch', debug: false };
  if (root.kind === 'image' && isDistroless(root.ref)) {
    const tag = root.ref.tag ?? '';
    return { label: `gcr.io/${root.ref.repository}${tag ? ':' + tag : ''}`, debug: isDebugTag(tag) };
  }
  return undefined;
}

const ARCH = /^(?:amd64|arm64|arm|s390x|ppc64le|riscv64)$/;
const isDebugTag = (tag: string): boolean => /(?:^|-)debug(?:-|$)/.test(tag);

export const noShellInMinimalImage: Rule = {
  id: 'no-shell-in-minimal-image',
  courseRule: 19,
  title: t('No shell in scratch and distroless images', 'Никакого shell в scratch и distroless'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    runInMinimal: t(
      'This stage is built on {base}, which has no /bin/sh, so this shell-form RUN cannot run ("/bin/sh: no such file or directory"). Do this work in a builder stage and `COPY --from` its result; create folders there too and copy them with `--chown`.',
      'Эта стадия построена на {base}, где нет /bin/sh, поэтому shell-форма RUN не выполнится («/bin/sh: no such file or directory»). Сделайте это в стадии сборки и перенесите результат через `COPY --from`; папки тоже создайте там и скопируйте с `--chown`.',
    ),
    runShellProgram: t(
      'This RUN starts `{program}`, but {base} has no shell. Do this work in a builder stage and `COPY --from` its result.',
      'Этот RUN запускает `{program}`, но в {base} нет shell. Сделайте это в стадии сборки и перенесите результат через `COPY --from`.',
    ),
    shellFormCommand: t(
      '{keyword} is in shell form, which Docker runs with `/bin/sh -c`, but the final image is built on {base}, which has no /bin/sh: the container cannot start. Write it in exec form: a JSON array that starts the program itself.',
      '{keyword} записан в shell-форме, которую Docker запускает через `/bin/sh -c`, а итоговый образ построен на {base}, где /bin/sh нет: контейнер не запустится. Запишите его в exec-форме: JSON-массивом, который запускает саму программу.',
    ),
    copiesShell: t(
      '`{source}` brings a shell ({what}) into the final image on {base}: that defeats the point of a minimal image (no shell for an attacker to use) and the course forbids it. Remove it; run the program itself in exec form and do any shell work in a builder stage.',
      '`{source}` приносит shell ({what_ru}) в итоговый образ на {base}: это сводит на нет смысл минимального образа (злоумышленнику нечем воспользоваться) и запрещено курсом. Уберите это; запускайте саму программу в exec-форме, а работу shell делайте в стадии сборки.',
    ),
    debugTag: t(
      'The `{tag}` tag of distroless ships busybox, i.e. a shell: that defeats the point of distroless and the course forbids it. Use a tag without `debug` (e.g. `{suggestion}`).',
      'Тег `{tag}` у distroless содержит busybox, то есть shell: это сводит на нет смысл distroless и запрещено курсом. Используйте тег без `debug` (например, `{suggestion}`).',
    ),
  },
  check({ analysis }) {
    const findings: Finding[] = [];
    for (const stage of analysis.stages) {
      const minimal = minimalBase(analysis, stage);
      if (!minimal || minimal.debug) continue;
      for (const instr of stage.instructions) {
        if (instr.keyword === 'RUN') checkRun(analysis, stage, instr, minimal, findings);
      }
    }
    const final = analysis.finalStage;
    const minimal = final && minimalBase(analysis, final);
    if (!final || !minimal) return findings;
    if (!minimal.debug) {
      for (const instr of finalCommandInstructions(analysis)) {
        if (isExecForm(instr)) continue;
        findings.push({ messageId: 'shellFormCommand', data: { keyword: instr.keyword, base: minimal.label }, range: instr.node.getInstructionRange() });
      }
    }
    for (const s of analysis.chain(final)) {
      for (const instr of s.instructions) {
        const spec = copySpec(analysis, instr);
        if (!spec) continue;
        for (const source of spec.sources) {
          const what = shellIn(source.value, spec.dest.value);
          if (what) {
            findings.push({ messageId: 'copiesShell', data: { source: source.raw, base: minimal.label, what: what.en, what_ru: what.ru }, range: source.range });
            break;
          }
        }
      }
    }
    if (minimal.debug) {
      const root = analysis.chain(final).pop()!;
      const debug = debugFinding(analysis, root);
      if (debug) findings.push(debug);
    }
    return findings;
  },
};

function checkRun(analysis: Analysis, stage: Stage, instr: Instr, minimal: Minimal, findings: Finding[]): void {
  const range = instr.node.getInstructionRange();
  if (isExecForm(instr)) {
    const program = analysis.shell(instr).commands[0]?.words[0]?.value ?? '';
    if (SHELL_NAMES.test(program.split('/').pop() ?? '')) findings.push({ messageId: 'runShellProgram', data: { program, base: minimal.label }, range });
    return;
  }
  // A SHELL instruction or a copied /bin/sh may supply a shell; copying one is reported in the final stage.
  const shellProgram = shellOf(analysis, stage, instr) ?? '/bin/sh';
  const { placements, unknown } = chainPlacements(analysis, stage, instr);
  if (unknown) return;
  const abs = resolvePath(workdirBefore(analysis, instr).dir, shellProgram);
  if (abs === undefined || placedBy(placements, abs)) return;
  findings.push({ messageId: 'runInMinimal', data: { base: minimal.label }, range });
}

/** The program of the last SHELL instruction before `instr` in its chain. */
function shellOf(analysis: Analysis, stage: Stage, instr: Instr): string | undefined {
  let program: string | undefined;
  for (const s of analysis.chain(stage).reverse()) {
    for (const i of s.instructions) {
      if (i.index >= instr.index) break;
      if (i.keyword === 'SHELL') program = analysis.shell(i).commands[0]?.words[0]?.value;
    }
  }
  return program;
}

/** What shell a COPY source brings, judged by its name (and the destination's, for `COPY x /bin/sh`). */
function shellIn(source: string | undefined, dest: string | undefined): { en: string; ru: string } | undefined {
  for (const p of [source, dest]) {
    if (p === undefined) continue;
    const trimmed = trimTrailing(p, '/');
    const base = trimmed.split('/').pop() ?? '';
    if (base === 'busybox') return { en: 'busybox', ru: 'busybox' };
    if (SHELL_NAMES.test(base)) return { en: `the shell ${base}`, ru: `shell ${base}` };
    if (MUSL_LOADER.test(base)) return { en: 'the musl loader, so that busybox or a shell can run', ru: 'загрузчик musl, чтобы мог работать busybox или shell' };
    if (p === source && SHELL_DIRS.has(trimmed)) return { en: `the whole ${trimmed} folder, shell included`, ru: `всю папку ${trimmed} вместе с shell` };
  }
  return undefined;
}

function debugFinding(analysis: Analysis, root: Stage): Finding | undefined {
  const from = root.from;
  const tag = root.base.kind === 'image' ? root.base.ref.tag ?? '' : '';
  const tagRange = from.getImageTagRange();
  const written = from.getImageTag();
  const rest = tag.replace(/^debug(?:-|$)/, '').replace(/-debug(?=-|$)/, '');
  // `debug` -> `nonroot`, `debug-amd64` -> `nonroot-amd64`, `debug-nonroot` -> `nonroot`: a real distroless tag, never `latest`.
  const suggestion = rest === '' ? 'nonroot' : ARCH.test(rest) ? `nonroot-${rest}` : rest;
  const range = written === tag && tagRange ? tagRange : from.getImageRange() ?? root.fromInstr.node.getInstructionRange();
  // A digest pins the debug image itself: a new tag next to it would not match.
  const fixable = written === tag && tagRange !== null && from.getImageDigest() === null;
  return {
    messageId: 'debugTag',
    data: { tag, suggestion },
    range,
    fixes: fixable ? [{ title: t('Use the {suggestion} tag', 'Использовать тег {suggestion}'), edits: [{ range, newText: suggestion }] }] : [],
  };
}


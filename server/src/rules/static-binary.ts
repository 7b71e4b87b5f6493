/**
 * Scratch task: the binary must be static. With cgo on (the default when the builder has a C
 * toolchain, as the Debian-based golang images do), a program that uses net (net/http...) or os/user
 * links libc dynamically, and scratch has no libc: the container fails to start ("no such file or
 * directory"). The alpine golang images have no C toolchain, so cgo is off there unless gcc is added.
 * Fix: `CGO_ENABLED=0` on the build command.
 */
import type { Analysis, Stage } from '../engine/analysis';
import type { Finding, Fix, Rule, Severity } from '../engine/types';
import { goFacts } from '../engine/facts/go';
import { goBuilds, stagesFeedingFinal } from './facts-util';
import { insertLinesBefore, isExecForm, t } from './util';

export const staticBinary: Rule = {
  id: 'static-binary',
  courseRule: 19,
  title: t('A static binary for scratch (CGO_ENABLED=0)', 'Статический бинарник для scratch (CGO_ENABLED=0)'),
  defaultSeverity: 'error',
  tasks: ['scratch'],
  messages: {
    cgoOn: t(
      '`go build` runs with cgo on ({why}), and {uses}: the binary is linked against glibc, which scratch does not have, so the container fails to start ("exec /app.bin: no such file or directory"). Build it static: `CGO_ENABLED=0 go build ...`.',
      '`go build` выполняется с включённым cgo ({why}); {uses}. Поэтому бинарник слинкован с glibc, которой в scratch нет, и контейнер не запустится («exec /app.bin: no such file or directory»). Соберите статический: `CGO_ENABLED=0 go build ...`.',
    ),
    cgoOnAnyway: t(
      '`go build` runs with cgo on ({why}). The code imports nothing that needs libc today, so the binary happens to be static; one `import "net/http"` later it is not, and scratch has no libc. Set `CGO_ENABLED=0` so it stays static.',
      '`go build` выполняется с включённым cgo ({why}). Сейчас код не импортирует ничего, что требует libc, и бинарник случайно получается статическим; после первого `import "net/http"` это не так, а в scratch нет libc. Задайте `CGO_ENABLED=0`, чтобы он оставался статическим.',
    ),
  },
  check({ analysis }) {
    // The task's final image is scratch: even a Dockerfile not there yet builds for it.
    const final = analysis.finalStage;
    if (!final) return [];
    const feeding = stagesFeedingFinal(analysis);
    const findings: Finding[] = [];
    for (const build of goBuilds(analysis)) {
      if (!feeding.has(build.stage) || build.staticAnyway) continue;
      if (build.cgo === '0' || build.cgo === null) continue;
      const toolchain = cToolchain(analysis, build.stage);
      // cgo left at its default: off where there is no C toolchain (alpine golang), as RULES.md allows.
      if (build.cgo === undefined && toolchain.kind === 'none') continue;
      const facts = goFacts(analysis.project, build.target && !build.target.startsWith('/') ? build.target : undefined);
      const why =
        build.cgo === '1'
          ? { en: `CGO_ENABLED=1 is set`, ru: `задано CGO_ENABLED=1` }
          : toolchain.kind === 'glibc'
            ? { en: `the default in ${toolchain.image}, which has gcc`, ru: `по умолчанию в ${toolchain.image}, где есть gcc` }
            : toolchain.kind === 'installed'
              ? { en: `gcc is installed in this stage`, ru: `в этой стадии установлен gcc` }
              : { en: `the builder image may have a C toolchain`, ru: `в образе сборки может быть компилятор C` };
      let severity: Severity | undefined;
      let messageId = 'cgoOn';
      if (facts.cgo === 'no') {
        messageId = 'cgoOnAnyway';
        severity = 'warning';
      } else if (toolchain.kind === 'unknown') severity = 'warning';
      const uses =
        facts.cgo === 'yes'
          ? { en: `the code imports ${facts.cgoImports.join(', ')}, whose DNS and user lookups go through libc when cgo is on`, ru: `код импортирует ${facts.cgoImports.join(', ')}, где при включённом cgo поиск в DNS и пользователей идёт через libc` }
          : { en: 'the code may use packages that need libc', ru: 'код может использовать пакеты, которым нужна libc' };
      const goWord = build.command.words[build.goIndex];
      const range = analysis.rangeOf(goWord.start, build.command.words[Math.min(build.goIndex + 1, build.command.words.length - 1)].end);
      let fix: Fix;
      if (isExecForm(build.instr)) {
        fix = { title: t('Add ENV CGO_ENABLED=0 before the build', 'Добавить ENV CGO_ENABLED=0 перед сборкой'), edits: [insertLinesBefore(analysis, build.instr, ['ENV CGO_ENABLED=0'])] };
      } else if (build.cgo === '1' && build.cgoFrom === 'inline') {
        const assignment = build.command.assignments.find((a) => a.value.startsWith('CGO_ENABLED='))!;
        fix = { title: t('Build with CGO_ENABLED=0', 'Собирать с CGO_ENABLED=0'), edits: [{ range: analysis.rangeOf(assignment.start, assignment.end), newText: 'CGO_ENABLED=0' }] };
      } else {
        fix = { title: t('Build with CGO_ENABLED=0', 'Собирать с CGO_ENABLED=0'), edits: [{ range: analysis.rangeOf(goWord.start, goWord.start), newText: 'CGO_ENABLED=0 ' }] };
      }
      findings.push({
        messageId,
        data: { why: why.en, why_ru: why.ru, uses: uses.en, uses_ru: uses.ru },
        range,
        severity,
        fixes: [fix],
      });
    }
    return findings;
  },
};

type Toolchain = { kind: 'glibc'; image: string } | { kind: 'none' } | { kind: 'installed' } | { kind: 'unknown' };

/** Does the stage have a C toolchain, so that cgo is on by default? */
function cToolchain(analysis: Analysis, stage: Stage): Toolchain {
  // gcc installed in the stage (or its parents) turns cgo on even on alpine.
  for (const s of analysis.chain(stage)) {
    for (const instr of s.instructions) {
      if (instr.keyword !== 'RUN') continue;
      for (const c of analysis.shell(instr).commands) {
        const words = c.words.map((w) => w.value);
        const installs = (words[0] === 'apk' && words[1] === 'add') || ((words[0] === 'apt-get' || words[0] === 'apt') && words.includes('install'));
        if (installs && words.some((w) => /^(?:gcc|build-base|musl-dev|build-essential|clang|g\+\+)$/.test(w))) return { kind: 'installed' };
      }
    }
  }
  const root = analysis.rootBase(stage);
  if (root.kind !== 'image') return { kind: 'unknown' };
  const { ref } = root;
  const tag = ref.tag ?? '';
  if (ref.repository === 'golang' && !ref.registry) {
    if (/(^|-)alpine/.test(tag)) return { kind: 'none' };
    return { kind: 'glibc', image: `golang${tag ? ':' + tag : ''}` };
  }
  if (ref.repository === 'alpine' && !ref.registry) return { kind: 'none' };
  return { kind: 'unknown' };
}

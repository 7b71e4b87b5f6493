/**
 * RULES.md 18: references that cannot work.
 * - `COPY --from=<name>` naming no earlier stage: the legacy builder takes it for an image and tries to
 *   pull it ("pull access denied"). A real image reference (a tag, a digest, a registry or a
 *   `namespace/name`) is allowed; a bare word that names no stage is most likely a typo of a stage name.
 * - `COPY --from` or `FROM` naming a later stage, or the stage itself: not built yet, so pulled too.
 * - Two stages with one name.
 * - In a final stage on scratch or distroless base/static (which ship no programs), an exec-form
 *   ENTRYPOINT/CMD program that no COPY/ADD of the stage (or of the stages it is built FROM) puts there.
 *   Paths are compared after WORKDIR resolution and PATH lookup; anything unknown keeps the rule silent.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Stage } from '../engine/analysis';
import type { Finding, Range, Rule } from '../engine/types';
import { isDistroless } from '../engine/image';
import { chainPlacements, copySpec, entryCommand, placedBy, resolvePath, searchPath, workdirAtEnd } from './paths';
import { t } from './util';

/** Distroless images that contain no program of their own (java, python3, nodejs ... do). */
const EMPTY_DISTROLESS = /^distroless\/(?:static|base|base-nossl|cc)(?:-debian\d+)?$/;


/** Looks like an image someone means to pull, not a stage name: a tag, digest, registry or namespace. */
const looksLikeImage = (name: string): boolean => /[:@/]/.test(name);

export const brokenReferences: Rule = {
  id: 'broken-references',
  courseRule: 18,
  title: t('No broken stage and file references', 'Никаких ссылок на несуществующие стадии и файлы'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    unknownStage: t(
      '`--from={name}` names no stage of this Dockerfile (stages: {stages}). The legacy builder then treats it as an image and tries to pull `{name}`, which fails ("pull access denied") or copies from a stranger\'s image. Use the name of an earlier stage (`FROM ... AS {name}`), or a full image reference with a tag if you really mean an image.',
      '`--from={name}` не называет ни одну стадию этого Dockerfile (стадии: {stages_ru}). Legacy-сборщик тогда считает это образом и пытается скачать `{name}` — сборка падает («pull access denied») или копирует из чужого образа. Укажите имя более ранней стадии (`FROM ... AS {name}`) или, если нужен именно образ, полную ссылку на него с тегом.',
    ),
    stageIndexOutOfRange: t(
      '`--from={name}` refers to stage number {name}, but only stages 0-{max} come before this instruction. Use the index or, better, the name of an earlier stage.',
      '`--from={name}` ссылается на стадию номер {name}, а до этой инструкции есть только стадии 0-{max}. Укажите номер или, лучше, имя более ранней стадии.',
    ),
    laterStage: t(
      '`{reference}` names stage {name}, which is defined later (line {line}): stages are built in order, so it does not exist yet and the legacy builder tries to pull an image called `{name}`. Move that stage above this one.',
      '`{reference}` ссылается на стадию {name}, которая описана ниже (строка {line}): стадии собираются по порядку, её ещё нет, и legacy-сборщик попытается скачать образ `{name}`. Перенесите ту стадию выше этой.',
    ),
    selfReference: t(
      '`--from={name}` names the stage it is in: a stage cannot copy from itself (it is not built yet). Copy from an earlier stage, or use a plain COPY from the build context.',
      '`--from={name}` ссылается на ту же стадию, в которой стоит: стадия не может копировать сама из себя (она ещё не собрана). Копируйте из более ранней стадии или обычным COPY из контекста сборки.',
    ),
    duplicateStage: t(
      'Stage name `{name}` is already used on line {line}: `COPY --from={name}` and `FROM {name}` can only mean one of them, and BuildKit rejects the file outright. Give each stage its own name.',
      'Имя стадии `{name}` уже занято в строке {line}: `COPY --from={name}` и `FROM {name}` могут означать только одну из них, а BuildKit вообще отвергнет такой файл. Дайте каждой стадии своё имя.',
    ),
    programNotCopied: t(
      '{keyword} runs `{program}`, but the final image is built on {base}, which contains no programs, and no COPY/ADD of this stage puts anything at {path}: the container fails to start ("exec: {program}: no such file or directory"). Copy the binary there (e.g. `COPY --from=<builder> /path/to/binary {path}`) or fix the path.',
      '{keyword} запускает `{program}`, но итоговый образ построен на {base}, где нет никаких программ, и ни один COPY/ADD этой стадии не кладёт ничего в {path}: контейнер не запустится («exec: {program}: no such file or directory»). Скопируйте туда бинарник (например, `COPY --from=<стадия> /путь/к/бинарнику {path}`) или исправьте путь.',
    ),
    programNotInPath: t(
      '{keyword} runs `{program}` by name, so it is looked up in PATH ({dirs}), but the final image is built on {base}, which contains no programs, and no COPY/ADD of this stage puts `{program}` in any of those folders: the container fails to start ("executable file not found in $PATH"). Copy the binary there, or run it by its absolute path (e.g. `["/{program}"]`).',
      '{keyword} запускает `{program}` по имени, значит, его ищут в PATH ({dirs}), но итоговый образ построен на {base}, где нет никаких программ, и ни один COPY/ADD этой стадии не кладёт `{program}` ни в одну из этих папок: контейнер не запустится («executable file not found in $PATH»). Скопируйте туда бинарник или запускайте его по абсолютному пути (например, `["/{program}"]`).',
    ),
  },
  check({ analysis }) {
    const findings: Finding[] = [];
    duplicateNames(analysis, findings);
    fromReferences(analysis, findings);
    return findings;
  },
  checkStage({ analysis }, stage) {
    const findings: Finding[] = [];
    copyFromReferences(analysis, stage, findings);
    if (stage.isFinal) {
      const missing = missingProgram(analysis, stage);
      if (missing) findings.push(missing);
    }
    return findings;
  },
};

function duplicateNames(analysis: Analysis, findings: Finding[]): void {
  const seen = new Map<string, Stage>();
  for (const stage of analysis.stages) {
    if (!stage.name) continue;
    const first = seen.get(stage.name);
    if (!first) {
      seen.set(stage.name, stage);
      continue;
    }
    const range = stage.from.getBuildStageRange() ?? stage.fromInstr.node.getInstructionRange();
    findings.push({ messageId: 'duplicateStage', data: { name: stage.name, line: first.fromInstr.range.start.line + 1 }, range });
  }
}

/** `FROM builder` above `FROM ... AS builder`: the analysis resolved it to an image called `builder`. */
function fromReferences(analysis: Analysis, findings: Finding[]): void {
  for (const stage of analysis.stages) {
    if (stage.base.kind !== 'image') continue;
    const name = stage.base.text.toLowerCase();
    const later = analysis.stages.find((s) => s.index > stage.index && s.name === name);
    if (!later) continue;
    const range = stage.from.getImageRange() ?? stage.fromInstr.node.getInstructionRange();
    findings.push({
      messageId: 'laterStage',
      data: { reference: `FROM ${stage.base.text}`, name, line: later.fromInstr.range.start.line + 1 },
      range,
    });
  }
}

function copyFromReferences(analysis: Analysis, stage: Stage, findings: Finding[]): void {
  const earlier = analysis.stages.slice(0, stage.index);
  for (const instr of stage.instructions) {
    if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') continue;
    const flag = fromFlag(instr.node);
    if (!flag) continue;
    const value = analysis.expandAt(instr, flag.value);
    // A build argument without a default may name anything.
    if (value.value === undefined || value.unknown.length > 0) continue;
    const name = value.value.trim().toLowerCase();
    if (name === '') continue;
    const range = flag.range;
    if (/^\d+$/.test(name)) {
      if (Number(name) >= stage.index) {
        findings.push(
          Number(name) === stage.index
            ? { messageId: 'selfReference', data: { name }, range }
            : { messageId: 'stageIndexOutOfRange', data: { name, max: Math.max(stage.index - 1, 0) }, range },
        );
      }
      continue;
    }
    if (earlier.some((s) => s.name === name)) continue;
    if (stage.name === name) {
      findings.push({ messageId: 'selfReference', data: { name }, range });
      continue;
    }
    const later = analysis.stages.find((s) => s.index > stage.index && s.name === name);
    if (later) {
      findings.push({ messageId: 'laterStage', data: { reference: `--from=${name}`, name, line: later.fromInstr.range.start.line + 1 }, range });
      continue;
    }
    if (looksLikeImage(name)) continue;
    const names = earlier.map((s) => s.name).filter((n): n is string => !!n);
    findings.push({
      messageId: 'unknownStage',
      data: { name, stages: names.length ? names.join(', ') : 'none named', stages_ru: names.length ? names.join(', ') : 'именованных нет' },
      range,
    });
  }
}

function fromFlag(node: unknown): { value: string; range: Range } | undefined {
  const flags = (node as { getFlags?: () => { getName(): string; getValue(): string | null; getValueRange(): Range | null; getRange(): Range }[] }).getFlags?.() ?? [];
  const f = flags.find((x) => x.getName() === 'from');
  const value = f?.getValue();
  if (!f || value === null || value === undefined) return undefined;
  return { value, range: f.getValueRange() ?? f.getRange() };
}

function missingProgram(analysis: Analysis, final: Stage): Finding | undefined {
  const root = analysis.rootBase(final);
  let base: string;
  if (root.kind === 'scratch') base = 'scratch';
  else if (root.kind === 'image' && isDistroless(root.ref) && EMPTY_DISTROLESS.test(root.ref.repository) && !/debug/.test(root.ref.tag ?? '')) {
    base = `gcr.io/${root.ref.repository}`;
  } else return undefined;
  const entry = entryCommand(analysis, final);
  if (!entry || !entry.exec) return undefined;
  const program = entry.argv[0];
  if (!program.literal || program.value === '' || program.value.includes('$')) return undefined;
  const { placements, unknown } = chainPlacements(analysis, final);
  // A COPY whose destination is unknown may have put it anywhere.
  if (unknown) return undefined;
  // Heredoc copies have no placement: they could name the file too.
  if (analysis.chain(final).some((s) => s.instructions.some((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !copySpec(analysis, i)))) return undefined;
  let candidates: string[];
  if (program.value.includes('/')) {
    const abs = resolvePath(workdirAtEnd(analysis, final).dir, program.value);
    if (abs === undefined) return undefined;
    candidates = [abs];
  } else {
    const dirs = searchPath(analysis, final);
    if (!dirs) return undefined;
    candidates = dirs.map((d) => resolvePath('/', `${d}/${program.value}`) ?? d);
  }
  if (candidates.some((c) => placedBy(placements, c))) return undefined;
  if (candidates.length > 1) {
    return {
      messageId: 'programNotInPath',
      data: { keyword: entry.instr.keyword, program: program.value, base, dirs: candidates.map((c) => c.slice(0, c.lastIndexOf('/'))).join(':') },
      range: program.range,
    };
  }
  return { messageId: 'programNotCopied', data: { keyword: entry.instr.keyword, program: program.value, base, path: candidates[0] }, range: program.range };
}

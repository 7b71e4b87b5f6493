/**
 * RULES.md 10: multi-stage required where the task builds a binary inside the Dockerfile and copies it
 * with `COPY --from`; forbidden where the task says "one image for everything".
 */
import * as path from 'path';
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Stage } from '../engine/analysis';
import type { Finding, Fix, Rule, TaskProfile } from '../engine/types';
import { keywordRange, t } from './util';

/** The final image each multi-stage task asks for. */
const FINAL_BASE: Partial<Record<TaskProfile['name'], string>> = {
  scratch: 'scratch',
  distroless: 'gcr.io/distroless/base-debian11:nonroot',
};
/** Instructions that only configure the image, so they can move to a final stage that has no shell. */
const RUNTIME_ONLY = new Set(['VOLUME', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'USER', 'LABEL', 'ENV', 'STOPSIGNAL']);

export const multiStage: Rule = {
  id: 'multi-stage',
  courseRule: 10,
  title: t('Multi-stage as the task requires', 'Multi-Stage — как требует задание'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    required: t(
      'The {task} task requires a multi-stage build: build the program in a builder stage (`FROM golang:... AS builder`) and copy only the result into the final image with `COPY --from=builder`.',
      'Задание {task} требует Multi-Stage: соберите программу в отдельной стадии (`FROM golang:... AS builder`) и скопируйте в итоговый образ только результат через `COPY --from=builder`.',
    ),
    noCopyFrom: t(
      'The final stage copies nothing from the builder stage: the built program must come in with `COPY --from=<stage>`.',
      'Итоговая стадия ничего не копирует из стадии сборки: собранная программа должна попасть в образ через `COPY --from=<стадия>`.',
    ),
    forbidden: t(
      'The {task} task forbids multi-stage builds ("one image for everything"): keep a single FROM.',
      'Задание {task} запрещает Multi-Stage («должно быть достаточно одного образа для всего»): оставьте один FROM.',
    ),
  },
  check({ analysis, task }) {
    const findings: Finding[] = [];
    const stages = analysis.stages;
    if (stages.length === 0) return findings;
    if (task.multiStage === 'forbidden') {
      for (const s of stages.slice(1)) findings.push({ messageId: 'forbidden', data: { task: task.name }, range: keywordRange(s.fromInstr) });
    } else if (task.multiStage === 'required') {
      const final = stages[stages.length - 1];
      if (stages.length < 2) {
        const fix = splitStageFix(analysis, final, task);
        findings.push({ messageId: 'required', data: { task: task.name, base: FINAL_BASE[task.name] ?? '' }, range: keywordRange(final.fromInstr), fixes: fix ? [fix] : [] });
      } else {
        const namesStage = (value: string | undefined) =>
          value !== undefined && (analysis.stageByName(value) !== undefined || (/^\d+$/.test(value) && Number(value) < final.index));
        const copiesFromStage = analysis.chain(final).some((s) => s.instructions.some((i) => i.keyword === 'COPY' && namesStage(fromFlag(i.node))));
        if (!copiesFromStage && final.base.kind !== 'stage') findings.push({ messageId: 'noCopyFrom', range: keywordRange(final.fromInstr) });
      }
    }
    return findings;
  },
};

/**
 * Turn a single Go stage into a builder plus the task's final stage: name the stage `build`, and after
 * its last RUN start `FROM <final>` with the built binary copied in. Only when `go build -o <file>`
 * names the binary and everything after the last RUN is image configuration (no shell needed).
 */
function splitStageFix(analysis: Analysis, stage: Stage, task: TaskProfile): Fix | undefined {
  const finalBase = FINAL_BASE[task.name];
  if (!finalBase || stage.name !== undefined) return undefined;
  const runs = stage.instructions.filter((i) => i.keyword === 'RUN');
  const lastRun = runs[runs.length - 1];
  if (!lastRun) return undefined;
  const after = stage.instructions.slice(stage.instructions.indexOf(lastRun) + 1);
  if (after.some((i) => !RUNTIME_ONLY.has(i.keyword))) return undefined;
  let binary: string | undefined;
  for (const run of runs) {
    for (const cmd of analysis.shell(run).commands) {
      const w = cmd.words.map((x) => x.value);
      const o = w.indexOf('-o');
      if (w[0] === 'go' && w[1] === 'build' && o > 1 && w[o + 1] && !w[o + 1].includes('$')) {
        binary = path.posix.resolve(workdirAt(analysis, stage, run), w[o + 1]);
      }
    }
  }
  if (!binary) return undefined;
  const image = stage.from.getImageRange();
  if (!image) return undefined;
  const eol = analysis.eol;
  const insertAt = { line: lastRun.range.end.line, character: analysis.lineText(lastRun.range.end.line).length };
  const target = `/${path.posix.basename(binary)}`;
  return {
    title: t('Split into a build stage and a {base} final stage', 'Разделить на стадию сборки и итоговую стадию {base}'),
    edits: [
      { range: { start: image.end, end: image.end }, newText: ' AS build' },
      { range: { start: insertAt, end: insertAt }, newText: `${eol}${eol}FROM ${finalBase}${eol}COPY --from=build ${binary} ${target}` },
    ],
  };
}

/** The WORKDIR in force for an instruction (absolute; `/` when none was set). */
function workdirAt(analysis: Analysis, stage: Stage, instr: Stage['instructions'][number]): string {
  let dir = '/';
  for (const i of stage.instructions) {
    if (i === instr) break;
    if (i.keyword !== 'WORKDIR') continue;
    const value = analysis.expandAt(i, (analysis.argsContent(i) ?? '').trim()).value;
    if (value === undefined) return '/';
    dir = path.posix.resolve(dir, value);
  }
  return dir;
}

function fromFlag(node: unknown): string | undefined {
  const flags = (node as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags?.() ?? [];
  return flags.find((f) => f.getName() === 'from')?.getValue() ?? undefined;
}

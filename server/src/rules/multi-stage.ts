/**
 * RULES.md 10: multi-stage required where the task builds a binary inside the Dockerfile and copies it
 * with `COPY --from`; forbidden where the task says "one image for everything".
 */
import { ALL_TASKS } from '../engine/types';
import type { Finding, Rule } from '../engine/types';
import { keywordRange, t } from './util';

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
        findings.push({ messageId: 'required', data: { task: task.name }, range: keywordRange(final.fromInstr) });
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

function fromFlag(node: unknown): string | undefined {
  const flags = (node as { getFlags?: () => { getName(): string; getValue(): string | null }[] }).getFlags?.() ?? [];
  return flags.find((f) => f.getName() === 'from')?.getValue() ?? undefined;
}

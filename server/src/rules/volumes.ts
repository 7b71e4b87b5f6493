/**
 * RULES.md 20: volumes.
 * - VOLUME paths are absolute: a relative one is refused when the container starts ("mount destination
 *   ... not absolute"; older engines silently mounted it under `/`).
 * - A RUN after the VOLUME line that changes the volume's path: the legacy builder runs each step with
 *   a fresh anonymous volume there and throws the change away (BuildKit keeps it, so the Dockerfile
 *   behaves differently per builder). COPY/ADD are not affected and are not reported.
 * - A volume must not hold the program itself (the entry binary, or the script an interpreter runs):
 *   a mounted volume hides it, and a named volume keeps the old copy across image upgrades.
 */
import { ALL_TASKS } from '../engine/types';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { Finding, Fix, Range, Rule } from '../engine/types';
import { commandWrites, commandsWithCwd, entryCommand, expandValue, isAbsolutePath, isInside, resolvePath, wordPath, workdirAtEnd, workdirBefore } from './paths';
import type { PathWrite } from './paths';
import type { ShellCommand } from '../engine/shell';
import { flatMap, isExecForm, once, t } from './util';
import { KeyMemo } from '../engine/keyMemo';
import { pushAll } from '../engine/arrays';

interface VolumePath {
  raw: string;
  value: string | undefined;
  range: Range;
  json: boolean;
}

export function volumePaths(analysis: Analysis, instr: Instr): VolumePath[] {
  const node = instr.node as unknown as { getJSONStrings?: () => { getRange(): Range }[] };
  if (isExecForm(instr) && node.getJSONStrings) {
    return node.getJSONStrings().map((s) => {
      const text = analysis.textOf(s.getRange());
      let raw = text.slice(1, -1);
      try {
        raw = JSON.parse(text) as string;
      } catch {
        // keep the text between the quotes
      }
      return { raw, value: expandValue(analysis, instr, raw), range: s.getRange(), json: true };
    });
  }
  return analysis.args(instr).map((a) => ({ raw: a.getValue(), value: expandValue(analysis, instr, a.getValue()), range: a.getRange(), json: false }));
}

/** Interpreters whose first operand is the program that really runs (`node index.js`). */
const INTERPRETERS = /^(?:node|nodejs|python[\d.]*|ruby|php|perl|bun|deno)$/;

export const volumes: Rule = {
  id: 'volumes',
  courseRule: 20,
  title: t('Volumes: absolute, not changed after VOLUME, not holding the program', 'Тома: абсолютные, не меняются после VOLUME, не содержат программу'),
  defaultSeverity: 'error',
  tasks: ALL_TASKS,
  messages: {
    relativeVolume: t(
      '`VOLUME {path}` is relative: the container fails to start ("mount destination {path} not absolute"; old engines mounted it at /{path}, not where the app writes). Write an absolute path: `VOLUME {suggestion}`.',
      '`VOLUME {path}` — относительный путь: контейнер не запустится («mount destination {path} not absolute»; старые версии Docker монтировали его в /{path}, а не туда, куда пишет приложение). Укажите абсолютный путь: `VOLUME {suggestion}`.',
    ),
    runChangesVolume: t(
      '`{command}` changes {path}, which is the volume {volume} declared on line {line}. The legacy builder (`DOCKER_BUILDKIT=0`) runs every later step with a fresh empty volume there and discards the change (BuildKit keeps it), so the image does not get it (e.g. the folder stays root-owned). Make the change before the VOLUME line.',
      '`{command}` меняет {path}, а это том {volume}, объявленный в строке {line}. Legacy-сборщик (`DOCKER_BUILDKIT=0`) выполняет каждый следующий шаг с новым пустым томом в этом месте и отбрасывает изменение (BuildKit его сохраняет), так что в образ оно не попадёт (например, папка останется принадлежать root). Делайте это изменение до строки VOLUME.',
    ),
    volumeHoldsProgram: t(
      'The volume {volume} holds the program the container runs ({program}): a mounted volume hides it (the container fails to start), and a named volume keeps the old copy after the image is upgraded. Keep the program outside the volume and mount only the data folder.',
      'Том {volume} содержит саму программу, которую запускает контейнер ({program}): подключённый том скроет её (контейнер не запустится), а именованный том сохранит старую копию после обновления образа. Держите программу вне тома и подключайте томом только папку с данными.',
    ),
  },
  check({ analysis, task }) {
    const findings: Finding[] = [];
    for (const stage of analysis.stages) {
      for (const instr of stage.instructions) {
        if (instr.keyword !== 'VOLUME') continue;
        const paths = volumePaths(analysis, instr);
        for (const p of paths) {
          if (p.value === undefined || p.value === '' || isAbsolutePath(p.value)) continue;
          findings.push(relativeFinding(analysis, instr, p));
        }
        pushAll(findings, changesAfter(analysis, stage, instr, paths, task.legacyBuilder));
      }
    }
    const held = programInVolume(analysis);
    if (held) findings.push(held);
    return findings;
  },
};

function relativeFinding(analysis: Analysis, instr: Instr, p: VolumePath): Finding {
  const value = p.value as string;
  const resolved = resolvePath(workdirBefore(analysis, instr).dir, value);
  const suggestion = resolved ?? `/${value.replace(/^(\.\/)+/, '')}`;
  const fixable = resolved !== undefined && p.raw === value && (p.json || !/[\s"'\\]/.test(resolved));
  const fixes: Fix[] = fixable
    ? [{ title: t('Write VOLUME {suggestion} (the path from the working directory)', 'Написать VOLUME {suggestion} (путь от рабочей папки)'), edits: [{ range: p.range, newText: p.json ? JSON.stringify(resolved) : resolved }] }]
    : [];
  return { messageId: 'relativeVolume', data: { path: value, suggestion }, range: p.range, fixes };
}

/** RUNs after the VOLUME (in its stage and in stages built FROM it) that write inside a volume path. */
function changesAfter(analysis: Analysis, stage: Stage, volume: Instr, paths: VolumePath[], legacy: boolean): Finding[] {
  const abs = paths.map((p) => (p.value !== undefined && isAbsolutePath(p.value) ? resolvePath('/', p.value) : undefined)).filter((p): p is string => p !== undefined && p !== '/');
  if (abs.length === 0) return [];
  const hits: { instr: Instr; range: Range; data: Record<string, string | number> }[] = [];
  const later = stageRuns(analysis, stage).filter((i) => i.index > volume.index);
  for (const run of later) {
    for (const { cmd, writes } of runWrites(analysis, run)) {
      const write = writes.find((x) => abs.some((v) => isInside(x.path, v)));
      if (!write) continue;
      const command = cmd.words.map((w) => w.value).join(' ');
      hits.push({
        instr: run,
        range: analysis.rangeOf(write.w.word.start, write.w.word.end),
        data: {
          command: command.length > 60 ? command.slice(0, 57) + '...' : command,
          path: write.path as string,
          volume: abs.find((v) => isInside(write.path as string, v)) as string,
          line: volume.range.start.line + 1,
        },
      });
      break;
    }
  }
  const sameStage = hits.filter((h) => h.instr.stage === stage);
  const fix = sameStage.length ? moveVolumeFix(analysis, volume, sameStage[sameStage.length - 1].instr) : undefined;
  return hits.map((h) => ({
    messageId: 'runChangesVolume',
    data: h.data,
    range: h.range,
    // BuildKit keeps the change: outside the legacy-builder tasks this is a portability warning.
    ...(legacy ? {} : { severity: 'warning' as const }),
    fixes: fix && h.instr.stage === stage ? [fix] : [],
  }));
}

/** The RUNs of a stage and of the stages built on it, in file order; once per stage (each VOLUME asks). */
function stageRuns(analysis: Analysis, stage: Stage): Instr[] {
  return once(runsMemo, stage, () => flatMap(analysis.stages.filter((s) => analysis.chain(s).includes(stage)), (s) => s.instructions.filter((i) => i.keyword === 'RUN')));
}
const runsMemo = new KeyMemo<Stage, Instr[]>('runsMemo');

/** Each command of a RUN with the paths it writes that are known; once per RUN (each VOLUME before it asks). */
function runWrites(analysis: Analysis, run: Instr): { cmd: ShellCommand; writes: { w: PathWrite; path: string }[] }[] {
  return once(writesMemo, run, () =>
    commandsWithCwd(analysis, run).map(({ cmd, cwd }) => ({
      cmd,
      writes: flatMap(commandWrites(cmd), (w) => {
        const path = wordPath(analysis, run, w.word, cwd);
        return path === undefined ? [] : [{ w, path }];
      }),
    })),
  );
}
const writesMemo = new KeyMemo<Instr, { cmd: ShellCommand; writes: { w: PathWrite; path: string }[] }[]>('writesMemo');

/** Move the VOLUME instruction (its own lines) below the last RUN that changes the volume. */
function moveVolumeFix(analysis: Analysis, volume: Instr, lastRun: Instr): Fix | undefined {
  const raw = analysis.argsContent(volume) ?? '';
  // A variable might read differently further down; a heredoc RUN's end is not a safe anchor.
  if (/\$/.test(raw) || analysis.heredocCount(lastRun) > 0) return undefined;
  // Only whole lines: the instruction must own its first and last lines.
  const prev = analysis.instructions[volume.index - 1];
  const next = analysis.instructions[volume.index + 1];
  if ((prev && prev.range.end.line === volume.range.start.line) || (next && next.range.start.line === volume.range.end.line)) return undefined;
  const startLine = volume.range.start.line;
  const endLine = volume.range.end.line;
  const start = analysis.offsetAt({ line: startLine, character: 0 });
  const lineEnd = analysis.offsetAt({ line: endLine, character: analysis.lineText(endLine).length });
  const text = analysis.text.slice(start, lineEnd);
  const deleteEnd = endLine + 1 < analysis.doc.lineCount ? analysis.offsetAt({ line: endLine + 1, character: 0 }) : lineEnd;
  const runEndLine = lastRun.range.end.line;
  const at = { line: runEndLine, character: analysis.lineText(runEndLine).length };
  if (analysis.offsetAt(at) >= (analysis.swallowedFrom ?? Infinity)) return undefined;
  return {
    title: t(`Move VOLUME below line ${runEndLine + 1}`, `Перенести VOLUME ниже строки ${runEndLine + 1}`),
    edits: [
      { range: analysis.rangeOf(start, deleteEnd), newText: '' },
      { range: { start: at, end: at }, newText: analysis.eol + text },
    ],
  };
}

/** A volume of the final image that contains the program (or the interpreter's script) it starts. */
function programInVolume(analysis: Analysis): Finding | undefined {
  const final = analysis.finalStage;
  if (!final) return undefined;
  const entry = entryCommand(analysis, final);
  if (!entry) return undefined;
  const cwd = workdirAtEnd(analysis, final).dir;
  const programs: string[] = [];
  const first = entry.argv[0];
  const name = first.value.split('/').pop() ?? '';
  if (first.literal && first.value.includes('/')) {
    const p = resolvePath(cwd, first.value);
    if (p) programs.push(p);
  }
  if (INTERPRETERS.test(name)) {
    const script = entry.argv.slice(1).find((a) => !a.value.startsWith('-'));
    if (script && script.literal && !script.value.includes('$')) {
      const p = resolvePath(cwd, script.value);
      if (p) programs.push(p);
    }
  }
  if (programs.length === 0) return undefined;
  for (const s of analysis.chain(final).reverse()) {
    for (const instr of s.instructions) {
      if (instr.keyword !== 'VOLUME') continue;
      for (const v of volumePaths(analysis, instr)) {
        if (v.value === undefined || !isAbsolutePath(v.value)) continue;
        const volume = resolvePath('/', v.value) as string;
        const held = volume === '/' ? undefined : programs.find((p) => isInside(p, volume));
        if (held) return { messageId: 'volumeHoldsProgram', data: { volume, program: held }, range: v.range };
      }
    }
  }
  return undefined;
}

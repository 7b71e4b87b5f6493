/** Inputs for the fuzz suite and the benchmark: a seed corpus and mutations of it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { memoryProject, ProjectFiles } from '../../server/src/engine/project';
import type { Range, TaskName } from '../../server/src/engine/types';
import { TASK_NAMES } from '../../server/src/engine/types';

export const SNIPPETS = [
  'FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn install\nENV HMAC_SECRET=abc\nCMD yarn start\n',
  'ARG V=1.19\nFROM golang:${V} AS build\nARG TARGETARCH\nRUN --mount=type=cache,target=/go CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER app\nENTRYPOINT ["/app", "-port=$APP_PORT"]\n',
  '# syntax=docker/dockerfile:1\nFROM alpine AS a\nRUN <<EOF\napk add curl\necho hi\nEOF\nCOPY --link --chmod=755 x /x\nFROM a\nUSER root\nCMD ["sh", "-c", "exec ./run.sh"]\n',
  '# escape=`\nFROM python:3.11\nRUN pip install flask `\n  gunicorn\nCMD python app.py\n',
  'FROM gcr.io/distroless/base-debian11\nCOPY app /app\nCMD [\'/app\',]\n',
  'FROM node:18.16.0-alpine3.17\r\nUSER node\r\nRUN npm install && \\\r\n  npm run build\r\nCMD node index.js\r\n',
];

export function corpus(): string[] {
  const out = [...SNIPPETS];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Dockerfile/.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.resolve(__dirname, '..', '..', '..', 'examples'));
  return out;
}

export const NASTY = ['\\', '\\\n', '"', "'", '${', '$', '<<EOF\n', '<<-EOT\n', 'EOF\n', '\r', '\r\n', '\uFEFF', '\t', 'ё', '[', ']', ',', '#', '\n', '--mount=type=cache ', 'USER ', 'FROM ', 'AS ', '&&', '|', ';', '\u0000', 'x'.repeat(300)];

export interface ExampleProject {
  task: TaskName;
  dockerfile: string;
  /** Every other file of the example, by its path relative to the example's folder. */
  files: Record<string, string>;
}

/** The examples' projects (each task's first attempt and solution) with their Dockerfile apart. */
export function exampleProjects(): ExampleProject[] {
  const root = path.resolve(__dirname, '..', '..', '..', 'examples');
  const out: ExampleProject[] = [];
  for (const task of ['gate', 'scratch', 'distroless'] as const) {
    for (const attempt of ['first-attempt', 'solution']) {
      const dir = path.join(root, task, attempt);
      const files: Record<string, string> = {};
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else files[path.relative(dir, p).split(path.sep).join('/')] = fs.readFileSync(p, 'utf8');
        }
      };
      walk(dir);
      const { Dockerfile: dockerfile, ...rest } = files;
      out.push({ task, dockerfile, files: rest });
    }
  }
  return out;
}

/** Every own member name of Object.prototype, `__proto__` included (test/prototype-names.test.ts). */
export const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** `toString` -> `qqQqqqqq`: letters by case, anything else as it is. */
export const neutralOf = (name: string): string => name.replace(/[a-z]/g, 'q').replace(/[A-Z]/g, 'Q');

const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * The text with its `index`-th word (modulo the word count) replaced by `word`. Not a word right after
 * a lone `-` (`sh -c`): that is a cluster of one-letter options, whose letters matter.
 */
export function replaceWord(text: string, index: number, word: string): string {
  const spots = [...text.matchAll(WORD)].filter((m) => !/(?:^|[^\w-])-$/.test(text.slice(Math.max(0, (m.index ?? 0) - 2), m.index)));
  if (spots.length === 0) return text + word;
  const spot = spots[index % spots.length];
  return text.slice(0, spot.index) + word + text.slice((spot.index ?? 0) + spot[0].length);
}

export type Mutation =
  | { kind: 'deleteLine'; at: number }
  | { kind: 'duplicateLine'; at: number }
  | { kind: 'spliceLines'; at: number; from: number; source: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'deleteChars'; at: number; length: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('spliceLines' as const), at: fc.nat(), from: fc.nat(), source: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('deleteChars' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

export function mutate(text: string, m: Mutation, all: string[]): string {
  const lines = text.split('\n');
  const line = (n: number) => n % Math.max(lines.length, 1);
  switch (m.kind) {
    case 'deleteLine':
      lines.splice(line(m.at), 1);
      return lines.join('\n');
    case 'duplicateLine':
      lines.splice(line(m.at), 0, lines[line(m.at)] ?? '');
      return lines.join('\n');
    case 'spliceLines': {
      const other = all[m.source % all.length].split('\n');
      lines.splice(line(m.at), 0, ...other.slice(m.from % other.length, (m.from % other.length) + 3));
      return lines.join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
    case 'deleteChars': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + text.slice(at + m.length);
    }
  }
}

export function inside(range: Range, text: string): boolean {
  const lines = text.split(/\r\n|\r|\n/);
  const ok = (p: Range['start']) => p.line >= 0 && p.line < Math.max(lines.length, 1) && p.character >= 0 && p.character <= (lines[p.line]?.length ?? 0);
  const order = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && order;
}

/** The fuzz suite's defaults (test/fuzz.test.ts): cases per CI run and the seed that makes them the same every run. */
export const FUZZ_RUNS = 400;
export const FUZZ_SEED = 20261123;

/**
 * The arbitraries of one fuzz case, in the order fc.property takes them: which corpus entry to start
 * from (modulo the corpus size), the mutations applied to it, and the task to check it under. Keep in
 * step with test/fuzz.test.ts (which spells them out) so the benchmark times the suite's inputs.
 */
export const fuzzCase = [fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom<TaskName>(...TASK_NAMES)] as const;

/** The text of a fuzz case: corpus entry `pick` with `mutations` applied in order. */
export function fuzzText(all: string[], pick: number, mutations: Mutation[]): string {
  return mutations.reduce((t, m) => mutate(t, m, all), all[pick % all.length]);
}

/** The project beside every fuzzed Dockerfile: a package.json and an empty yarn.lock. */
export function fuzzProject(): ProjectFiles {
  return memoryProject({ 'package.json': '{"main":"index.js"}', 'yarn.lock': '' });
}

export interface FuzzInput {
  pick: number;
  mutations: Mutation[];
  task: TaskName;
  text: string;
}

/**
 * The inputs a fuzz run with `runs` cases and `seed` tries, in order (for the benchmark): fast-check
 * generates them exactly as for the suite's property, with a predicate that only records them.
 */
export function fuzzInputs(runs: number = FUZZ_RUNS, seed: number = FUZZ_SEED, all: string[] = corpus()): FuzzInput[] {
  const inputs: FuzzInput[] = [];
  fc.assert(
    fc.property(...fuzzCase, (pick, mutations, task) => {
      inputs.push({ pick, mutations, task, text: fuzzText(all, pick, mutations) });
    }),
    { numRuns: runs, seed },
  );
  return inputs;
}

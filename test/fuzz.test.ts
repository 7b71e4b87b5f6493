/**
 * Never crash, never corrupt: seeded fuzzing over mutated Dockerfiles. For every input the check finishes
 * without throwing and without an internal-error diagnostic, every range lies inside the document, every
 * fix applies cleanly, a fix removes its own finding, and fixing everything twice changes nothing the
 * second time. FUZZ_RUNS=<n> runs longer; FUZZ_SEED=<n> replays a failure.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkDockerfile, fixAll } from '../server/src/engine/engine';
import { applyEdits } from '../server/src/engine/edits';
import { memoryProject } from '../server/src/engine/project';
import type { Diagnostic, Range, TaskName } from '../server/src/engine/types';
import { TASK_NAMES } from '../server/src/engine/types';

const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

const SNIPPETS = [
  'FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN yarn install\nENV HMAC_SECRET=abc\nCMD yarn start\n',
  'ARG V=1.19\nFROM golang:${V} AS build\nARG TARGETARCH\nRUN --mount=type=cache,target=/go CGO_ENABLED=0 go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\nUSER app\nENTRYPOINT ["/app", "-port=$APP_PORT"]\n',
  '# syntax=docker/dockerfile:1\nFROM alpine AS a\nRUN <<EOF\napk add curl\necho hi\nEOF\nCOPY --link --chmod=755 x /x\nFROM a\nUSER root\nCMD ["sh", "-c", "exec ./run.sh"]\n',
  '# escape=`\nFROM python:3.11\nRUN pip install flask `\n  gunicorn\nCMD python app.py\n',
  'FROM gcr.io/distroless/base-debian11\nCOPY app /app\nCMD [\'/app\',]\n',
  'FROM node:18.16.0-alpine3.17\r\nUSER node\r\nRUN npm install && \\\r\n  npm run build\r\nCMD node index.js\r\n',
];

function corpus(): string[] {
  const out = [...SNIPPETS];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Dockerfile/.test(e.name)) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.resolve(__dirname, '..', '..', 'examples'));
  return out;
}

const NASTY = ['\\', '\\\n', '"', "'", '${', '$', '<<EOF\n', '<<-EOT\n', 'EOF\n', '\r', '\r\n', '\uFEFF', '\t', 'ё', '[', ']', ',', '#', '\n', '--mount=type=cache ', 'USER ', 'FROM ', 'AS ', '&&', '|', ';', '\u0000', 'x'.repeat(300)];

type Mutation =
  | { kind: 'deleteLine'; at: number }
  | { kind: 'duplicateLine'; at: number }
  | { kind: 'spliceLines'; at: number; from: number; source: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'deleteChars'; at: number; length: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('deleteLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('spliceLines' as const), at: fc.nat(), from: fc.nat(), source: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8 })) }),
  fc.record({ kind: fc.constant('deleteChars' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
);

function mutate(text: string, m: Mutation, all: string[]): string {
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

function inside(range: Range, text: string): boolean {
  const lines = text.split(/\r\n|\r|\n/);
  const ok = (p: Range['start']) => p.line >= 0 && p.line < Math.max(lines.length, 1) && p.character >= 0 && p.character <= (lines[p.line]?.length ?? 0);
  const order = range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character);
  return ok(range.start) && ok(range.end) && order;
}

const count = (ds: Diagnostic[], ruleId: string) => ds.filter((d) => d.ruleId === ruleId).length;
const key = (d: Diagnostic) => `${d.ruleId}|${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}|${d.message}`;

describe('fuzz', () => {
  it(`survives ${RUNS} mutated Dockerfiles (seed ${SEED})`, () => {
    const all = corpus();
    let tried = 0;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom<TaskName>(...TASK_NAMES), (pick, mutations, task) => {
        tried++;
        const text = mutations.reduce((t, m) => mutate(t, m, all), all[pick % all.length]);
        const project = memoryProject({ 'package.json': '{"main":"index.js"}', 'yarn.lock': '' });
        const result = checkDockerfile({ text, project, task });
        assert.deepEqual(result.diagnostics.filter((d) => d.ruleId === 'internal-error').map((d) => d.message), []);
        for (const d of result.diagnostics) {
          assert.ok(inside(d.range, text), `${d.ruleId} range outside the document`);
          for (const fix of d.fixes) {
            for (const e of fix.edits) assert.ok(inside(e.range, text), `${d.ruleId} fix edit outside the document`);
            const fixed = applyEdits(text, fix.edits);
            const again = checkDockerfile({ text: fixed, project, task });
            // A duplicate finding may move into the fixed one's place; then the rule's count must still drop.
            const fixedIt = !again.diagnostics.some((x) => key(x) === key(d)) || count(again.diagnostics, d.ruleId) < count(result.diagnostics, d.ruleId);
            assert.ok(fixedIt, `${d.ruleId}: "${fix.title}" left its own finding in place in:\n${text}`);
          }
        }
        const once = fixAll({ text, project, task });
        const twice = fixAll({ text: once.text, project, task });
        assert.equal(twice.text, once.text, 'fixing everything twice changed the text the second time');
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`fuzz: ${tried} inputs tried`);
  });
});

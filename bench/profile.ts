/**
 * A loop of checks to profile, not part of `npm run bench`:
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof out/bench/profile.js [lines=5000] [iterations=40] [check|parse|ours|validate|typing]
 *   node out/bench/profileTop.js /tmp/prof/<file>.cpuprofile
 *
 * `typing` types one character per iteration into a RUN in the middle of the file, checks each version
 * with the previous one's snapshot (its parse and per-stage findings) as the language server does
 * (incremental.ts, ruleCache.ts), and prints the p50 / p95 of those checks. `ours` is the check's own
 * parse (engine/parse.ts), `parse` dockerfile-ast's.
 */
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { checkDockerfile } from '../server/src/engine/engine';
import { parseDockerfile } from '../server/src/engine/parse';
import type { ParseSnapshot } from '../server/src/engine/incremental';
import { generateDockerfile } from './generate';
import { gateProject } from './inprocess';
import { summarize } from './stats';

const lines = Number(process.argv[2] ?? 5000);
const iterations = Number(process.argv[3] ?? 40);
const what = process.argv[4] ?? 'check';
const { text } = generateDockerfile(lines);
const project = gateProject();

if (what === 'typing') {
  let current = text;
  let previous: ParseSnapshot = checkDockerfile({ text: current, project, task: 'gate' }).analysis.parseSnapshot;
  const at = current.indexOf('apk add', Math.floor(current.length / 2)) + 'apk add '.length;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    current = current.slice(0, at + i) + 'x' + current.slice(at + i);
    const t = process.hrtime.bigint();
    previous = checkDockerfile({ text: current, project, task: 'gate', previous }).analysis.parseSnapshot;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const s = summarize(times);
  console.log(`typing x${iterations} on ${lines} lines, incremental checks: p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms`);
} else {
  const runs: Record<string, () => unknown> = {
    parse: () => DockerfileParser.parse(text),
    ours: () => parseDockerfile(text),
    validate: () => validate(text),
    check: () => checkDockerfile({ text, project, task: 'gate' }),
  };
  const run = runs[what] ?? runs.check;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) run();
  console.log(`${what} x${iterations} on ${lines} lines: ${(Number(process.hrtime.bigint() - t0) / 1e6 / iterations).toFixed(2)} ms each`);
}

/**
 * Two builds of the check compared in one process, not part of `npm run bench`:
 *
 *   node out/bench/abWorkers.js <out dir A> <out dir B> [blocks=60] [lines=50]
 *
 * An out dir is a `tsc -p .` output inside the repository, where it finds node_modules (`cp -r out
 * out-a` before a change, then `npx tsc -p .` and compare `out-a` with `out`). Each
 * build runs in a worker thread of its own (its own module instances, so each patches its own
 * dockerfile-ast), and the workers take turns in blocks of `AB_RUNS` (400) runs of the check and
 * `validate`, so a machine that speeds up and slows down by 1.5 to 2 times from one process to the
 * next (see docs/performance.md) slows both alike. Prints each build's medians and the median over
 * blocks of B's check time over A's in the same turn. The same build against itself gave 0.96 to 1.10
 * on this machine in runs of 16 to 60 turns (0.57 once, in a run of 8): smaller differences are not
 * measured, and a short run is not a measurement. `AB_MODE=alone` runs the check
 * only (for `lines=5000`, with `AB_RUNS=10 AB_WARM=20`).
 */
import { Worker, isMainThread, parentPort, workerData } from 'worker_threads';
import { performance } from 'perf_hooks';
import * as path from 'path';
import { median } from './stats';
import type { Candidate } from './inprocess';

interface Job {
  dir: string;
  lines: number;
  alone: boolean;
}
type Medians = Record<string, number>;

async function compare(): Promise<void> {
  const [a, b, blocksArg, linesArg] = process.argv.slice(2);
  if (!a || !b) {
    console.error('usage: node out/bench/abWorkers.js <out dir A> <out dir B> [blocks=60] [lines=50]');
    process.exit(2);
  }
  const blocks = Number(blocksArg ?? 60);
  const runs = Number(process.env.AB_RUNS ?? 400);
  const warm = Number(process.env.AB_WARM ?? 3000);
  const dirs = [path.resolve(a), path.resolve(b)];
  const workers = dirs.map((dir) => new Worker(__filename, { workerData: { dir, lines: Number(linesArg ?? 50), alone: process.env.AB_MODE === 'alone' } satisfies Job }));
  for (const [i, w] of workers.entries()) {
    w.on('error', (e) => {
      console.error(`abWorkers: the build in ${dirs[i]} failed: ${e.stack ?? e}`);
      process.exit(1);
    });
  }
  const turn = (w: Worker, n: number) =>
    new Promise<Medians>((resolve) => {
      w.once('message', resolve);
      w.postMessage(n);
    });
  for (const w of workers) await turn(w, warm);
  const results: Medians[][] = [[], []];
  // The order alternates too: each build goes first in half of the blocks.
  for (let block = 0; block < blocks; block++) {
    for (let k = 0; k < 2; k++) {
      const i = (block + k) % 2;
      results[i].push(await turn(workers[i], runs));
    }
  }
  dirs.forEach((dir, i) => {
    const names = Object.keys(results[i][0]);
    const cells = names.map((name) => `${name} ${median(results[i].map((r) => r[name])).toFixed(4)} ms`);
    const ratio = names.includes('validate') ? `  check/validate ${median(results[i].map((r) => r.check / r.validate)).toFixed(3)}` : '';
    console.log(`${i === 0 ? 'A' : 'B'} ${dir}: ${cells.join('  ')}${ratio}`);
  });
  console.log(`B/A check time, median over ${blocks} turns: ${median(results[0].map((r, block) => results[1][block].check / r.check)).toFixed(3)}`);
  await Promise.all(workers.map((w) => w.terminate()));
}

function serve(job: Job): void {
  // The build's own bench module: its check and validate, on the project the bench uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build under test is chosen at run time
  const build = require(`${job.dir}/bench/inprocess`) as typeof import('./inprocess');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateDockerfile } = require(`${job.dir}/bench/generate`) as typeof import('./generate');
  const { text } = generateDockerfile(job.lines);
  const wanted = job.alone ? ['check'] : ['check', 'validate'];
  const candidates: Candidate[] = build.candidates(build.gateProject()).filter((c) => wanted.includes(c.name));
  let sink: unknown;
  parentPort!.on('message', (runs: number) => {
    const times = candidates.map((): number[] => []);
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < candidates.length; k++) {
        const i = (r + k) % candidates.length;
        const t0 = performance.now();
        sink = candidates[i].run(text);
        times[i].push(performance.now() - t0);
      }
    }
    parentPort!.postMessage(Object.fromEntries(candidates.map((c, i) => [c.name, median(times[i])])));
    return sink;
  });
}

if (isMainThread) void compare();
else serve(workerData as Job);

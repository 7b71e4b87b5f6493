/**
 * Does loading our parse (engine/parse.ts, which replaces two dockerfile-ast methods with gated ones)
 * slow the bench's anchors? Times dockerfile-ast's parse and dockerfile-utils' validate in fresh
 * processes, with and without parse.ts loaded, taking turns; not part of `npm run bench`:
 *
 *   node out/bench/anchorGate.js [lines=500] [processes per side=3]
 */
import { spawnSync } from 'child_process';
import { performance } from 'perf_hooks';
import { median } from './stats';

const lines = Number(process.argv[2] ?? 500);
const child = process.argv[4];

if (child !== undefined) {
  if (child === 'gated') require('../server/src/engine/parse');
  // Loaded after parse.ts on the gated side, as in the bench.
  const { DockerfileParser } = require('dockerfile-ast') as typeof import('dockerfile-ast');
  const { validate } = require('dockerfile-utils') as typeof import('dockerfile-utils');
  const { generateDockerfile } = require('./generate') as typeof import('./generate');
  const { text } = generateDockerfile(lines);
  const rounds = lines >= 5000 ? 60 : lines >= 500 ? 600 : 4000;
  const times = { parse: [] as number[], validate: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of [['parse', () => DockerfileParser.parse(text)], ['validate', () => validate(text)]] as const) {
      const t0 = performance.now();
      run();
      if (r >= rounds / 4) times[name].push(performance.now() - t0);
    }
  }
  process.stdout.write(JSON.stringify({ parse: median(times.parse), validate: median(times.validate) }));
} else {
  const perSide = Number(process.argv[3] ?? 3);
  const results: Record<string, { parse: number; validate: number }[]> = { plain: [], gated: [] };
  for (let i = 0; i < perSide; i++) {
    for (const side of ['plain', 'gated']) {
      const out = spawnSync(process.execPath, [__filename, String(lines), '0', side], { encoding: 'utf8' });
      results[side].push(JSON.parse(out.stdout));
    }
  }
  for (const side of ['plain', 'gated']) {
    const rows = results[side];
    const fmt = (k: 'parse' | 'validate') => rows.map((r) => r[k].toFixed(3)).join(', ');
    console.log(`${side.padEnd(6)} ${lines} lines: parse ${fmt('parse')} ms; validate ${fmt('validate')} ms (median per process)`);
  }
}

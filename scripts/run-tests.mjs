// Runs every compiled test file (out/test/**/*.test.js) with node's test runner, in phases: the fast
// suites two at a time, then the Docker and VS Code suites alone, so their load cannot upset the
// timing-sensitive language-server tests. Ends with one "N passed, N failed" line for all phases.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';

const root = process.argv[2] ?? 'out/test';
const only = process.argv.slice(3);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js') && (only.length === 0 || only.some((o) => p.includes(o)))) files.push(p);
  }
})(root);
files.sort();
const heavy = (f) => f.includes(`${join('test', 'docker')}`) || f.endsWith('e2e.test.js');
const phases = [
  { name: 'unit and protocol', files: files.filter((f) => !heavy(f)), concurrency: 2 },
  { name: 'docker', files: files.filter((f) => f.includes(join('test', 'docker'))), concurrency: 1 },
  { name: 'vscode e2e', files: files.filter((f) => f.endsWith('e2e.test.js')), concurrency: 1 },
].filter((p) => p.files.length > 0);

let passed = 0;
let failed = 0;
let skipped = 0;
let status = 0;
for (const phase of phases) {
  process.stdout.write(`\n# phase: ${phase.name} (${phase.files.length} files)\n`);
  const child = spawn(process.execPath, ['--test', `--test-concurrency=${phase.concurrency}`, ...phase.files], { stdio: ['inherit', 'pipe', 'inherit'] });
  let tail = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    tail = (tail + chunk.toString()).slice(-4000);
  });
  const code = await new Promise((resolve) => child.on('close', resolve));
  const count = (label) => Number(new RegExp(`^# ${label} (\\d+)$`, 'm').exec(tail)?.[1] ?? 0);
  passed += count('pass');
  failed += count('fail') + count('cancelled');
  skipped += count('skipped');
  if (code !== 0) status = 1;
}
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(status);

/**
 * The end-to-end suites (e2e/run.js) as part of `npm test`: the grammars, the vscode-API suite in
 * code-server (English, then under --locale ru) and a student's UI session in chromium. They need the
 * e2e setup (code-server, Node 24, chromium: `bash scripts/ci/e2e.sh --setup-only`); without it each
 * test says so by name and is skipped, except under CI (CI set), where a missing setup is a failure.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNNER = path.join(ROOT, 'e2e', 'run.js');
const LOGS = path.join(ROOT, 'e2e', 'logs');

// e2e/lib/env.js is plain JavaScript outside this project's sources: loaded at run time.
const { missingSetup } = require(path.join(ROOT, 'e2e', 'lib', 'env.js')) as { missingSetup(o?: { needBrowser?: boolean }): string | undefined };

const SUITES: [name: string, title: string][] = [
  ['grammar', 'e2e: TextMate grammars (vscode-tmgrammar-test)'],
  ['api', 'e2e: vscode-API suite in code-server'],
  ['ru', 'e2e: vscode-API suite under --locale ru'],
  ['ui', 'e2e: UI, a student session on the gate example (chromium)'],
];

/** Runs one suite of e2e/run.js; its output goes to e2e/logs/npm-test-<suite>.log (tail shown on failure). */
function runSuite(suite: string): Promise<{ code: number | null; log: string; closing: string }> {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `npm-test-${suite}.log`);
  const out = fs.createWriteStream(logFile);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUNNER, suite], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      out.end(() => {
        const log = fs.readFileSync(logFile, 'utf8');
        const closing = /^e2e: \d+ passed, \d+ failed.*$/m.exec(log)?.[0] ?? '(no summary line)';
        resolve({ code, log, closing });
      });
    });
  });
}

/**
 * Mocha's "N failing" block (which test, which error, where), put first in a failure's message: CI
 * records keep a message's head and tail, and the block sits in the middle of a long log.
 */
function mochaFailures(log: string): string {
  const lines = log.split('\n');
  const start = lines.findIndex((l) => /^\s*\d+ failing\s*$/.test(l));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^\s*vscode-api: \d+ passed/.test(l));
  return `--- mocha's failures ---\n${lines.slice(start, end < 0 ? start + 40 : Math.min(end, start + 40)).join('\n')}\n`;
}

for (const [suite, title] of SUITES) {
  test(title, { timeout: 20 * 60_000 }, async (t) => {
    const missing = missingSetup({ needBrowser: suite !== 'grammar' });
    if (missing) {
      if (process.env.CI) assert.fail(`${title}: the e2e setup is missing under CI: ${missing}`);
      t.skip(`${title} skipped: ${missing}`);
      return;
    }
    const { code, log, closing } = await runSuite(suite);
    for (const line of log.split('\n').filter((l) => /^\s+(passed|failed|skipped)\s/.test(l))) t.diagnostic(line.trim());
    // A step the session could not take here (the build, without a Docker engine): its own skipped subtest.
    for (const m of log.matchAll(/^\s*skipped: (.+?) \((.+)\)$/gm)) {
      await t.test(`${title}: ${m[1]}`, (st) => st.skip(`${m[1]} skipped: ${m[2]}`));
    }
    assert.equal(code, 0, `${title}: ${closing}\n${mochaFailures(log)}--- last lines of e2e/logs/npm-test-${suite}.log ---\n${log.split('\n').slice(-80).join('\n')}`);
  });
}

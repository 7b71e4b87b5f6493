#!/usr/bin/env node
// npm run test:e2e: Dockerfile Coach in a real VS Code (code-server 4.139 = VS Code 1.139) on this machine.
//   grammar  the TextMate grammars in syntaxes/, with vscode-tmgrammar-test against VS Code's Dockerfile grammar
//   api      the vscode-API suite (e2e/suite), on a copy of examples/, as extensionDevelopmentPath/extensionTestsPath
//   ru       the same suite's display-language tests under `code-server --locale ru`
//   ui       a student's session in chromium (e2e/ui/student-session.js); screenshots in e2e/screenshots/
// Usage: node e2e/run.js [grammar|api|ru|ui ...]   (default: all). Needs the e2e setup
// (bash scripts/ci/e2e.sh --setup-only) and a built extension (npm run build; the npm script does it).
// Ends with "e2e: N passed, N failed[, N skipped]"; exit code 1 when anything failed.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const env = require('./lib/env');

const ALL = ['grammar', 'api', 'ru', 'ui'];
const only = process.argv.slice(2).filter((a) => ALL.includes(a));
const suites = only.length ? only : ALL;
const missing = env.missingSetup({ needBrowser: suites.some((s) => s !== 'grammar') });
if (missing) {
  console.error(`e2e: cannot run: ${missing}`);
  process.exit(2);
}
if (!fs.existsSync(path.join(env.ROOT, 'dist', 'extension.js'))) {
  console.error('e2e: cannot run: dist/ is not built (npm run build)');
  process.exit(2);
}
const { prepareHome, installExtension, startCodeServer } = require('./lib/codeServer');
const { runExtensionTests } = require('./lib/extTests');
const { runStudentSession } = require('./ui/student-session');

const T0 = Date.now();
const results = []; // { name, status: 'passed'|'failed'|'skipped', ms, note }
const log = (s) => console.log(`[e2e ${((Date.now() - T0) / 1000).toFixed(1)}s] ${s}`);

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-coach-e2e-'));
// Screenshots and logs are kept after the run; a suite replaces only its own (ui-*, api-*, ru-*).
for (const dir of [env.SCREENSHOTS, env.LOGS]) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) if (suites.some((s) => f.startsWith(`${s}-`) || f === `code-server-${s}.log`)) fs.rmSync(path.join(dir, f));
}

/** A fresh copy of examples/ (or one example) to open: tests edit and save files. */
function workspaceCopy(name, from = path.join(env.ROOT, 'examples')) {
  const dir = path.join(TMP, name);
  fs.cpSync(from, dir, { recursive: true });
  return dir;
}

async function step(name, fn) {
  const t = Date.now();
  log(`--- ${name}`);
  try {
    const r = (await fn()) || {};
    results.push({ name, status: r.skipped ? 'skipped' : 'passed', ms: Date.now() - t, note: r.note });
  } catch (e) {
    results.push({ name, status: 'failed', ms: Date.now() - t, note: e && e.message ? e.message.split('\n')[0] : String(e) });
    console.error(e && e.stack ? e.stack : e);
  }
  const r = results[results.length - 1];
  log(`${r.status}: ${name} (${(r.ms / 1000).toFixed(1)} s)${r.note ? ` - ${r.note}` : ''}`);
}

/** Runs `fn(cs)` against a code-server started with `opts`; always stops it (by its process group). */
async function withCodeServer(opts, fn) {
  const cs = await startCodeServer(opts);
  log(`code-server ${cs.url} ready in ${cs.readyMs} ms (log: ${path.relative(env.ROOT, opts.logFile)})`);
  try {
    return await fn(cs);
  } finally {
    await cs.stop();
  }
}

function compileSuite() {
  const tsc = path.join(env.ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', env.E2E], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the vscode-API suite does not compile (tsc -p e2e)');
}

async function apiSuite(name, { extraArgs = [], testEnv = {}, prepare } = {}) {
  const home = prepareHome(path.join(TMP, `home-${name}`));
  if (prepare) prepare(home);
  const workspace = workspaceCopy(`ws-${name}`);
  const outcome = await withCodeServer({ home, smoke: true, extraArgs, logFile: path.join(env.LOGS, `code-server-${name}.log`) }, (cs) =>
    runExtensionTests({
      cs,
      workspace,
      extensionDevelopmentPath: env.ROOT,
      extensionTestsPath: path.join(env.E2E, 'out', 'suite', 'index.js'),
      env: { ...testEnv, ...(process.env.COACH_E2E_GREP ? { COACH_E2E_GREP: process.env.COACH_E2E_GREP } : {}) },
      screenshot: path.join(env.SCREENSHOTS, `${name}-suite-end.png`),
      log: (s) => console.log(`  ${s}`),
    }),
  );
  if (outcome.code !== 0) throw new Error(`extension tests: exit code ${outcome.code}${outcome.summary ? ` (${outcome.summary})` : ''}`);
  return { note: outcome.summary };
}

(async () => {

  if (suites.includes('grammar')) {
    await step('grammars (vscode-tmgrammar-test)', async () => {
      // --config: the root package.json, so the grammars load as the extension contributes them (injectTo too).
      const cli = path.join(env.NM, 'vscode-tmgrammar-test', 'dist', 'unit.js');
      const r = spawnSync(process.execPath, [cli, '--config', path.join(env.ROOT, 'package.json'), '-g', env.DOCKER_GRAMMAR, 'e2e/grammar-tests/*.test.*'], {
        cwd: env.ROOT,
        encoding: 'utf8',
      });
      process.stdout.write(r.stdout.replace(/^/gm, '  '));
      process.stderr.write(r.stderr);
      if (r.status !== 0) throw new Error(`vscode-tmgrammar-test exited ${r.status}`);
    });
  }

  if (suites.includes('api') || suites.includes('ru')) compileSuite();

  if (suites.includes('api')) await step('vscode-API suite (code-server, smoke-test driver)', () => apiSuite('api'));

  if (suites.includes('ru')) {
    await step('vscode-API suite under --locale ru', () =>
      apiSuite('ru', {
        extraArgs: ['--locale', 'ru'],
        testEnv: { COACH_E2E_LOCALE: 'ru', COACH_E2E_GREP: env.LOCALE_TESTS },
        // code-server takes --locale only for a language with an installed language pack, and the
        // Marketplace is out of reach: an entry for an empty Russian pack makes VS Code's display
        // language ru (vscode.env.language) with the UI left in English. The extension sees what it
        // would see with the real pack.
        prepare: (home) =>
          fs.writeFileSync(
            path.join(home.dir, 'ud', 'languagepacks.json'),
            JSON.stringify({
              ru: {
                hash: 'dockerfile-coach-e2e-1',
                extensions: [{ extensionIdentifier: { id: 'dockerfile-coach-e2e.language-pack-ru' }, version: '0.0.1' }],
                translations: { vscode: path.join(env.E2E, 'fixtures', 'empty.i18n.json') },
                label: 'русский',
              },
            }),
          ),
      }),
    );
  }

  if (suites.includes('ui')) {
    await step('UI: a student session on the gate example (chromium)', async () => {
      // Installed from a .vsix, as a student gets it; a plain server, whose notification toasts show.
      const home = prepareHome(path.join(TMP, 'home-ui'), { 'terminal.integrated.gpuAcceleration': 'off' });
      installExtension(home, (s) => log(s));
      const workspace = workspaceCopy('gate', path.join(env.ROOT, 'examples', 'gate', 'first-attempt'));
      return withCodeServer({ home, logFile: path.join(env.LOGS, 'code-server-ui.log') }, (cs) =>
        runStudentSession({ url: cs.url, workspace, shots: env.SCREENSHOTS, log: (s) => console.log(`  ${s}`) }),
      );
    });
  }

  fs.rmSync(TMP, { recursive: true, force: true });
  const count = (s) => results.filter((r) => r.status === s).length;
  console.log('\ne2e results:');
  for (const r of results) console.log(`  ${r.status.padEnd(7)} ${r.name} (${(r.ms / 1000).toFixed(1)} s)${r.note ? ` - ${r.note}` : ''}`);
  console.log(`  screenshots: ${path.relative(env.ROOT, env.SCREENSHOTS)}/   logs: ${path.relative(env.ROOT, env.LOGS)}/   total ${((Date.now() - T0) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${count('passed')} passed, ${count('failed')} failed${count('skipped') ? `, ${count('skipped')} skipped` : ''}`);
  process.exit(count('failed') ? 1 : 0);
})();

#!/usr/bin/env node
// npm run test:vscode: the same vscode-API suite as `npm run test:e2e`, in a desktop VS Code that
// @vscode/test-electron downloads (needs internet; on Linux without a display run it under xvfb-run).
// Then the display-language tests once more under `--locale ru`, with the Russian language pack from
// the Marketplace. Options: --version <stable|insiders|1.x.y> (default stable), --no-locale.
// Where only npm and Debian are reachable (CI here), use `npm run test:e2e`: code-server instead.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const env = require('./lib/env');

// Needs only e2e's JavaScript packages, not code-server or chromium: `cd e2e && npm ci --ignore-scripts`
// is enough (scripts/ci/e2e.sh --setup-only installs them too).
for (const pkg of ['@vscode/test-electron', 'mocha', '@types/mocha']) {
  if (!fs.existsSync(path.join(env.NM, pkg, 'package.json'))) {
    console.error(`test:vscode: cannot run: ${pkg} is not installed (cd e2e && npm ci --ignore-scripts)`);
    process.exit(2);
  }
}
const { downloadAndUnzipVSCode, resolveCliPathFromVSCodeExecutablePath, runTests } = require('@vscode/test-electron');

const args = process.argv.slice(2);
const version = args.includes('--version') ? args[args.indexOf('--version') + 1] : 'stable';
const cachePath = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'dockerfile-coach', 'vscode-test');

(async () => {
  const tsc = path.join(env.ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  if (spawnSync(process.execPath, [tsc, '-p', env.E2E], { stdio: 'inherit' }).status !== 0) process.exit(1);

  let vscodeExecutablePath;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath });
  } catch (e) {
    console.error(`test:vscode: could not download VS Code ${version} (${e.message}). Offline? Use npm run test:e2e (code-server).`);
    process.exit(2);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-coach-vscode-'));
  /** A fresh user-data dir with quiet settings (no welcome page, trust prompt, update checks). */
  const userDataDir = (name) => {
    const dir = path.join(tmp, `ud-${name}`);
    fs.mkdirSync(path.join(dir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'User', 'settings.json'), JSON.stringify(require('./lib/codeServer').QUIET_SETTINGS, null, 2));
    return dir;
  };
  const run = async (name, { launchArgs = [], testsEnv = {}, userData = userDataDir(name) } = {}) => {
    const workspace = path.join(tmp, `ws-${name}`);
    fs.cpSync(path.join(env.ROOT, 'examples'), workspace, { recursive: true });
    console.log(`--- test:vscode ${name}`);
    return runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: env.ROOT,
      extensionTestsPath: path.join(env.E2E, 'out', 'suite', 'index.js'),
      extensionTestsEnv: { ...testsEnv, ...(process.env.COACH_E2E_GREP ? { COACH_E2E_GREP: process.env.COACH_E2E_GREP } : {}) },
      launchArgs: [workspace, '--user-data-dir', userData, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', ...launchArgs],
    });
  };

  let failed = 0;
  try {
    // Own extensions dir: else test-electron makes one in ./.vscode-test of the repository.
    await run('api', { launchArgs: ['--disable-extensions', '--extensions-dir', path.join(tmp, 'ext-api')] });
  } catch (e) {
    failed++;
    console.error(`test:vscode api: ${e.message || e}`);
  }
  if (!args.includes('--no-locale')) {
    try {
      // A separate extensions dir holding only the Russian language pack (--locale ru needs it),
      // installed with the user-data dir the run uses: the pack is registered there (languagepacks.json).
      const extensionsDir = path.join(tmp, 'ext-ru');
      const userData = userDataDir('ru');
      const cli = resolveCliPathFromVSCodeExecutablePath(vscodeExecutablePath);
      const r = spawnSync(cli, ['--user-data-dir', userData, '--extensions-dir', extensionsDir, '--install-extension', 'MS-CEINTL.vscode-language-pack-ru'], {
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
      if (r.status !== 0) throw new Error('could not install the Russian language pack');
      await run('ru', {
        userData,
        launchArgs: ['--locale', 'ru', '--extensions-dir', extensionsDir],
        testsEnv: { COACH_E2E_LOCALE: 'ru', COACH_E2E_GREP: env.LOCALE_TESTS },
      });
    } catch (e) {
      failed++;
      console.error(`test:vscode ru: ${e.message || e}`);
    }
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`test:vscode: ${failed ? 'failed' : 'passed'}`);
  process.exit(failed ? 1 : 0);
})();

// Starts and stops code-server (VS Code 1.139 server + web workbench) on 127.0.0.1, in its own
// process group, with throwaway user-data and extensions dirs.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { ROOT, NODE24, CS_ENTRY } = require('./env');

/** User settings that keep a fresh workbench quiet: no welcome page, trust dialog, chat or update checks. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
};

/** Makes `dir` a code-server home: config (else ~/.config/code-server is written), user data, extensions. */
function prepareHome(dir, settings = {}) {
  fs.mkdirSync(path.join(dir, 'ud', 'User'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'ext'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config.yaml'), 'auth: none\n');
  fs.writeFileSync(path.join(dir, 'ud', 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return {
    dir,
    args: ['--config', path.join(dir, 'config.yaml'), '--user-data-dir', path.join(dir, 'ud'), '--extensions-dir', path.join(dir, 'ext')],
  };
}

/** Packs the built extension exactly as it ships (.vscodeignore applies) and installs it into `home`. */
function installExtension(home, log = console.log) {
  const vsix = path.join(home.dir, 'dockerfile-coach.vsix');
  const vsce = path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '-o', vsix], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const out = execFileSync(NODE24, [CS_ENTRY, ...home.args, '--install-extension', vsix], { encoding: 'utf8' });
  log(out.trim().split('\n').pop());
}

const running = new Set();
/** Stops every process of the group: the server, its extension hosts, file watchers, language servers. */
function killGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}
// A crash or Ctrl+C of the runner must not leave a server behind.
process.on('exit', () => { for (const cs of running) killGroup(cs.pid, 'SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { for (const cs of running) killGroup(cs.pid, 'SIGKILL'); process.exit(130); });
}

/**
 * Starts code-server; resolves once /healthz answers. `port` 0 lets the kernel choose (read back from
 * the log), so parallel runs never collide. `smoke` adds enable-smoke-test-driver: the workbench then
 * honours ?payload= (extension tests) but shows no notification toasts.
 */
async function startCodeServer({ home, logFile, port = 0, host = '127.0.0.1', auth = 'none', smoke = false, extraArgs = [], env = {} }) {
  const log = fs.openSync(logFile, 'w');
  const args = [CS_ENTRY, ...home.args, '--bind-addr', `${host}:${port}`, '--auth', auth,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    ...(smoke ? ['--vscode-option', 'enable-smoke-test-driver'] : []), ...extraArgs];
  const t0 = Date.now();
  // detached: its own session and process group (setsid), so one kill reaches every child.
  const child = spawn(NODE24, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  fs.closeSync(log);
  const cs = { pid: child.pid, url: undefined, logFile, startedAt: t0, exited: false };
  running.add(cs);
  child.on('exit', () => { cs.exited = true; });
  cs.stop = () => stopCodeServer(cs, child);
  try {
    const deadline = Date.now() + 60000;
    while (!cs.url) {
      if (cs.exited) throw new Error(`code-server exited at start:\n${fs.readFileSync(logFile, 'utf8')}`);
      if (Date.now() > deadline) throw new Error(`code-server did not start in 60 s:\n${fs.readFileSync(logFile, 'utf8')}`);
      const m = /HTTP server listening on (http:\/\/[^\s/]+)/.exec(fs.readFileSync(logFile, 'utf8'));
      if (m) cs.url = m[1];
      else await sleep(100);
    }
    while (!(await fetch(`${cs.url}/healthz`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline) throw new Error('code-server never answered /healthz');
      await sleep(100);
    }
  } catch (e) {
    await cs.stop();
    throw e;
  }
  cs.readyMs = Date.now() - t0;
  return cs;
}

async function stopCodeServer(cs, child) {
  if (!running.has(cs)) return;
  running.delete(cs);
  killGroup(cs.pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (!cs.exited && Date.now() < deadline) await sleep(50);
  // The group outlives its leader when a child ignores SIGTERM (seen: a file watcher orphan).
  killGroup(cs.pid, 'SIGKILL');
  child.unref();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

module.exports = { QUIET_SETTINGS, prepareHome, installExtension, startCodeServer, sleep };

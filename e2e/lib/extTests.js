// Runs a vscode-API test module (extensionDevelopmentPath + extensionTestsPath, the contract of
// @vscode/test-electron) inside code-server. code-server has no such CLI flags: the web workbench takes
// them from the ?payload= URL parameter, and only when the server runs with enable-smoke-test-driver.
// The workbench reports the end through window.codeAutomationExit(code).
'use strict';
const path = require('path');
const { launchBrowser } = require('./browser');

// Offline noise in the browser console (gallery look-ups, blocked resources), not worth printing.
const NOISE = /open-vsx\.org|Failed to load resource|ERR_NAME_NOT_RESOLVED|allow-same-origin|web worker extension host|vsda/;

/**
 * @returns {Promise<{code: number|string, ms: number, summary: string|undefined}>} code 0 = passed;
 * 'timeout' when the workbench never reported.
 */
async function runExtensionTests({ cs, workspace, extensionDevelopmentPath, extensionTestsPath, env = {}, screenshot, timeoutMs = 600_000, log = console.log }) {
  const host = new URL(cs.url).host;
  const remote = (p) => `vscode-remote://${host}${path.resolve(p)}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(extensionDevelopmentPath)],
    ['extensionTestsPath', remote(extensionTestsPath)],
    // Environment variables of the extension host (like runTests' extensionTestsEnv).
    ['extensionEnvironment', JSON.stringify(env)],
  ]);
  const browser = await launchBrowser();
  const t0 = Date.now();
  let timer;
  let summary;
  try {
    const { page } = browser;
    let finished = false;
    let report;
    const exited = new Promise((resolve) => { report = resolve; });
    await page.exposeFunction('codeAutomationExit', (code) => { finished = true; report(code); });
    // The extension host's console is mirrored to the browser's: that is where mocha's report arrives.
    page.on('console', (m) => {
      if (finished && !process.env.VERBOSE) return; // shutdown noise after the report
      let text = m.text().replace(/^%c\s*(\w+)\s*color: #\w+\s*/, '');
      if (m.type() === 'error' && !process.env.VERBOSE) text = text.split('\n')[0];
      if (NOISE.test(text) && !process.env.VERBOSE) return;
      const s = /^vscode-api: \d+ passed, \d+ failed.*$/m.exec(text);
      if (s) summary = s[0];
      log(text);
    });
    await page.goto(`${cs.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
    const code = await Promise.race([exited, new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); })]);
    if (screenshot) await page.screenshot({ path: screenshot }).catch(() => {});
    return { code, ms: Date.now() - t0, summary };
  } finally {
    clearTimeout(timer);
    await browser.close();
  }
}

module.exports = { runExtensionTests };

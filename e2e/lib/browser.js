// Debian's chromium, headless, driven by playwright-core, with a fresh profile per launch.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');
const { CHROMIUM } = require('./env');

async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  // Playwright refuses --user-data-dir in args: the profile is launchPersistentContext's first argument.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-coach-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] || (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

module.exports = { launchBrowser };

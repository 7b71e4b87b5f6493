/**
 * Entry of the vscode-API suite, loaded by the extension host as `extensionTestsPath`: the contract of
 * @vscode/test-electron (a module whose run() rejects on failure), so the same files run under
 * `npm run test:vscode` (desktop VS Code) and `npm run test:e2e` (code-server, through the browser).
 * COACH_E2E_GREP limits the run to tests whose full title matches (a regular expression).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import Mocha = require('mocha');

export function run(): Promise<void> {
  // Reporters log printf-style (console.log('%s) %s', ...)); code-server relays each argument apart.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const log = base.consoleLog;
  base.consoleLog = (...args) => log(util.format(...args));
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  if (process.env.COACH_E2E_GREP) mocha.grep(new RegExp(process.env.COACH_E2E_GREP));
  for (const file of fs.readdirSync(__dirname).sort()) {
    if (file.endsWith('.test.js')) mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const { passes = 0, pending = 0 } = runner.stats ?? {};
      // The closing line CI reads, and the one the code-server runner relays.
      console.log(`vscode-api: ${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ''}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
  });
}

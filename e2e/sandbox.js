#!/usr/bin/env node
// npm run sandbox: Dockerfile Coach in VS Code in your browser, without installing VS Code. Starts
// code-server (VS Code 1.139) on 127.0.0.1 with the freshly built extension, on a copy of examples/,
// and prints the URL. Ctrl+C stops it (the whole process group) and removes the copy.
//   --port <n>       fixed port (default: a free one)
//   --password       ask for a random password (printed) instead of --auth none on loopback
//   --in-place       open examples/ itself: your edits and saves change the repository
//   --dir <folder>   open another folder
// First run: installs the e2e setup (code-server + Node 24, ~2.5 min, once per machine) if missing.
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const env = require('./lib/env');

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

if (env.missingSetup({ needBrowser: false })) {
  console.log(`sandbox: ${env.missingSetup({ needBrowser: false })}; installing it now`);
  const r = spawnSync('bash', [path.join(env.ROOT, 'scripts', 'ci', 'e2e.sh'), '--setup-only', '--no-browser'], { stdio: 'inherit' });
  if (r.status !== 0 || env.missingSetup({ needBrowser: false })) process.exit(1);
}
const { prepareHome, installExtension, startCodeServer } = require('./lib/codeServer');

(async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-coach-sandbox-'));
  const examples = path.join(env.ROOT, 'examples');
  let folder = opt('--dir') ? path.resolve(opt('--dir')) : examples;
  if (!opt('--dir') && !args.includes('--in-place')) {
    folder = path.join(tmp, 'examples');
    fs.cpSync(examples, folder, { recursive: true });
  }
  const home = prepareHome(path.join(tmp, 'home'));
  installExtension(home, (s) => console.log(`sandbox: ${s}`));
  const password = args.includes('--password') ? crypto.randomBytes(12).toString('base64url') : undefined;
  const cs = await startCodeServer({
    home,
    port: Number(opt('--port') || 0),
    auth: password ? 'password' : 'none',
    env: password ? { PASSWORD: password } : {},
    logFile: path.join(tmp, 'code-server.log'),
  });
  const stop = async () => {
    await cs.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(0);
  };
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`
Dockerfile Coach in VS Code ${require(path.join(env.CODE_SERVER, 'lib', 'vscode', 'package.json')).version} (code-server), with the extension built from this tree:

    ${cs.url}/?folder=${encodeURIComponent(folder)}
${password ? `\n    password: ${password}\n` : ''}
Folder: ${folder}${folder.startsWith(tmp) ? ' (a copy of examples/: change anything)' : ''}
Only this machine can connect (127.0.0.1). Open a Dockerfile, e.g. gate/first-attempt/Dockerfile.
Server log: ${cs.logFile}. Ctrl+C stops it.`);
  // Stay up until Ctrl+C; end too if code-server dies.
  const timer = setInterval(() => {
    if (cs.exited) {
      console.error(`sandbox: code-server exited; see ${cs.logFile}`);
      clearInterval(timer);
      process.exit(1);
    }
  }, 1000);
})().catch((e) => {
  console.error(`sandbox: ${e.stack || e}`);
  process.exit(1);
});

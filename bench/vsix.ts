/**
 * The packaged extension: finds or builds dockerfile-coach.vsix, extracts it to a temporary folder and
 * says where its server bundle is, so the bench can start the server a user installs rather than the
 * development build in dist/.
 *
 * The repository's .vsix is reused when it is newer than every file that goes into it (package.json,
 * the sources bundled into dist/, docs, syntaxes, l10n, ...). Otherwise it is rebuilt with the two
 * commands of `npm run package` (`node scripts/build.mjs --minify`, then `vsce package
 * --no-dependencies --no-rewrite-relative-links`), run in a staging folder rather than in the
 * repository: `npm run package` minifies dist/ in place, which the tests and the other sections use, and
 * a build started meanwhile by anyone else (`npm run build`, `npm test`) would put unminified bundles
 * into the .vsix. The result replaces dockerfile-coach.vsix (what `npm run package` writes), so the next
 * run reuses it. BENCH_VSIX=<file> measures a given .vsix as is.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from './lsp';

export const VSIX = path.join(REPO_ROOT, 'dockerfile-coach.vsix');

/** What the bundler reads (symlinked into the staging folder). */
const BUILD_INPUTS = ['server', 'client'];
/** What vsce packages besides dist/*.js (copied; .vscodeignore's allow-list picks from them). */
const PACKAGE_INPUTS = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'LICENSE.md', 'LICENSE.txt', 'package.nls.json', 'package.nls.ru.json', 'icon.png', 'images', 'docs', 'syntaxes', 'l10n'];
/** A newer file than the .vsix among these makes it stale. */
const INPUTS = [...PACKAGE_INPUTS, 'package-lock.json', 'scripts/build.mjs', 'server/src', 'client/src'];

function newestInput(): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const visit = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else if (st.mtimeMs > newest.mtimeMs) newest = { file: path.relative(REPO_ROOT, p), mtimeMs: st.mtimeMs };
  };
  for (const i of INPUTS) visit(path.join(REPO_ROOT, i));
  return newest;
}

export interface VsixSource {
  file: string;
  /** How the bench got it: given by BENCH_VSIX, reused as up to date, or built now. */
  origin: 'BENCH_VSIX' | 'up to date' | 'built';
  /** Why it was rebuilt (the newest input), when it was. */
  reason?: string;
  buildMs?: number;
}

/** The .vsix to measure, building it when it is missing or stale. Throws when the build fails. */
export function findOrBuildVsix(log: (line: string) => void): VsixSource {
  if (process.env.BENCH_VSIX) return { file: path.resolve(process.env.BENCH_VSIX), origin: 'BENCH_VSIX' };
  const newest = newestInput();
  const have = fs.existsSync(VSIX) ? fs.statSync(VSIX).mtimeMs : 0;
  if (have > newest.mtimeMs) return { file: VSIX, origin: 'up to date' };
  const reason = have === 0 ? `${path.basename(VSIX)} is missing` : `${newest.file} is newer than ${path.basename(VSIX)}`;
  log(`  packaging: ${reason}; building it in a staging folder`);
  const t0 = Date.now();
  buildVsix(VSIX);
  return { file: VSIX, origin: 'built', reason, buildMs: Date.now() - t0 };
}

/** `npm run package`'s two steps in a staging folder; the .vsix is then moved to `out`. */
export function buildVsix(out: string): void {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-package-'));
  let done = false;
  const run = (cmd: string, args: string[]) => {
    // Output goes to stderr: stdout carries the bench's tables.
    const r = spawnSync(cmd, args, { cwd: stage, stdio: ['ignore', 2, 2] });
    if (r.error || r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}; its output is on stderr)`);
  };
  try {
    for (const i of BUILD_INPUTS) fs.symlinkSync(path.join(REPO_ROOT, i), path.join(stage, i), 'dir');
    run(process.execPath, [path.join(REPO_ROOT, 'scripts', 'build.mjs'), '--minify']);
    for (const i of BUILD_INPUTS) fs.unlinkSync(path.join(stage, i));
    for (const i of PACKAGE_INPUTS) {
      const from = path.join(REPO_ROOT, i);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(stage, i), { recursive: true });
    }
    const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const tmp = path.join(stage, 'out.vsix');
    run(process.execPath, [vsce, 'package', '--no-dependencies', '--no-rewrite-relative-links', '-o', tmp]);
    // Same folder as `out` first, so the rename that replaces it is atomic.
    const next = `${out.replace(/\.vsix$/, '')}.${process.pid}.tmp.vsix`;
    fs.copyFileSync(tmp, next);
    fs.renameSync(next, out);
    done = true;
  } finally {
    // The links first, so that nothing below can reach the repository's folders.
    for (const i of BUILD_INPUTS) {
      const link = path.join(stage, i);
      if (fs.lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(link);
    }
    // When a build fails, esbuild's service process may still be writing the other bundles for a moment.
    if (!done) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

export interface Extracted {
  dir: string;
  serverJs: string;
  files: number;
  /** Sum of the uncompressed sizes. */
  bytes: number;
  serverJsBytes: number;
  /** The largest files, uncompressed, paths relative to the .vsix root. */
  largest: { file: string; bytes: number }[];
  tool: string;
}

/** Extracts a .vsix (a zip) into a new temporary folder: with Debian's unzip when present, otherwise yauzl. */
export async function extractVsix(file: string): Promise<Extracted> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coach-vsix-'));
  let tool = 'unzip';
  const unzip = spawnSync('unzip', ['-q', '-o', file, '-d', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (unzip.error || unzip.status !== 0) {
    tool = 'yauzl';
    await extractWithYauzl(file, dir);
  }
  const sizes: { file: string; bytes: number }[] = [];
  const visit = (p: string) => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else sizes.push({ file: path.relative(dir, p), bytes: st.size });
  };
  visit(dir);
  const serverJs = path.join(dir, 'extension', 'dist', 'server.js');
  if (!fs.existsSync(serverJs)) throw new Error(`${file} has no extension/dist/server.js`);
  return {
    dir,
    serverJs,
    files: sizes.length,
    bytes: sizes.reduce((n, s) => n + s.bytes, 0),
    serverJsBytes: fs.statSync(serverJs).size,
    largest: [...sizes].sort((a, b) => b.bytes - a.bytes).slice(0, 4),
    tool,
  };
}

/** yauzl is already installed (a dependency of @vscode/vsce); it has no type declarations here. */
interface ZipEntry {
  fileName: string;
}
interface ZipFile {
  readEntry(): void;
  on(event: 'entry', cb: (e: ZipEntry) => void): void;
  on(event: 'end', cb: () => void): void;
  on(event: 'error', cb: (e: Error) => void): void;
  openReadStream(e: ZipEntry, cb: (err: Error | null, stream: NodeJS.ReadableStream) => void): void;
}

function extractWithYauzl(file: string, dir: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yauzl = require('yauzl') as { open(f: string, o: { lazyEntries: boolean }, cb: (err: Error | null, zip: ZipFile) => void): void };
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('error', reject);
      zip.on('end', resolve);
      zip.on('entry', (entry) => {
        const target = path.resolve(dir, entry.fileName);
        if (!target.startsWith(dir + path.sep)) return reject(new Error(`zip entry outside the folder: ${entry.fileName}`));
        if (entry.fileName.endsWith('/')) {
          fs.mkdirSync(target, { recursive: true });
          return zip.readEntry();
        }
        fs.mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const out = fs.createWriteStream(target);
          out.on('error', reject);
          out.on('close', () => zip.readEntry());
          stream.pipe(out);
        });
      });
      zip.readEntry();
    });
  });
}

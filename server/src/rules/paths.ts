/**
 * Paths inside the image, for the rules that reason about files (rules 11-14 and 18-21): COPY/ADD
 * arguments with variables expanded, the working directory in force at an instruction (WORKDIR with
 * Docker's resolution and stage inheritance), what a stage's COPY/ADD put where, and .dockerignore.
 * Everything returns undefined when it depends on a value that cannot be known: callers stay silent then.
 */
import * as path from 'path';
import type { Flag } from 'dockerfile-ast';
import type { Analysis, Instr, Stage } from '../engine/analysis';
import type { ImageRef } from '../engine/image';
import { isDistroless } from '../engine/image';
import type { ProjectFiles } from '../engine/project';
import type { ShellCommand, Word } from '../engine/shell';
import type { Range } from '../engine/types';
import { flatMap, isExecForm, once } from './util';
import { KeyMemo } from '../engine/keyMemo';
import { table } from '../engine/lookup';
import { trimTrailing } from '../engine/text';

export const isAbsolutePath = (p: string): boolean => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

/** `/a/./b/../c/` -> `/a/c`; the root stays `/`. */
export function normalizePath(p: string): string {
  // Most paths are already normal: skip path.posix.normalize (a hot spot on long files).
  if (p.startsWith('/') && !p.includes('//') && !p.includes('/.') && (p.length === 1 || !p.endsWith('/'))) return p;
  const n = path.posix.normalize(p);
  return n.length > 1 ? trimTrailing(n, '/') : n;
}

/** An absolute path for `p` as seen from `cwd` (undefined when `p` is relative and `cwd` unknown). */
export function resolvePath(cwd: string | undefined, p: string): string | undefined {
  if (isAbsolutePath(p)) return normalizePath(p);
  if (cwd === undefined) return undefined;
  return normalizePath(cwd === '/' ? '/' + p : cwd + '/' + p);
}

/** `child` is `parent` or lies below it. */
export function isInside(child: string, parent: string): boolean {
  return parent === '/' || child === parent || child.startsWith(parent + '/');
}

/** Docker removes one pair of quotes around WORKDIR/VOLUME/USER words. */
export const unquote = (s: string): string => s.replace(/^(["'])(.*)\1$/s, '$2');

/**
 * A value as the builder sees it: variables expanded in the instruction's scope. Undefined when it
 * depends on a build argument without a default, or on a variable nothing declares (other rules
 * report those; guessing here would only add noise).
 */
export function expandValue(analysis: Analysis, instr: Instr, raw: string): string | undefined {
  const e = analysis.expandAt(instr, raw);
  return e.value === undefined || e.undeclared.length > 0 ? undefined : e.value;
}

// ---------------------------------------------------------------------------------------------
// COPY / ADD

export interface PathArg {
  /** As written (JSON strings decoded). */
  raw: string;
  /** Expanded, or undefined when unknown. */
  value: string | undefined;
  start: number;
  end: number;
  range: Range;
}

export interface CopySpec {
  instr: Instr;
  keyword: 'COPY' | 'ADD';
  sources: PathArg[];
  dest: PathArg;
  /** `--from=` as written and expanded; undefined without the flag. */
  from: { raw: string; value: string | undefined; range: Range } | undefined;
  /** `--chown=` expanded (undefined without the flag or when unknown; `chownUnknown` tells which). */
  chown: string | undefined;
  chownUnknown: boolean;
  flags: readonly Flag[];
  json: boolean;
}

const specCache = new KeyMemo<Instr, CopySpec | undefined>('specCache');

/** The arguments of a COPY/ADD; undefined for heredoc copies and broken instructions. */
export function copySpec(analysis: Analysis, instr: Instr): CopySpec | undefined {
  if (instr.keyword !== 'COPY' && instr.keyword !== 'ADD') return undefined;
  return once(specCache, instr, () => computeCopySpec(analysis, instr));
}

function computeCopySpec(analysis: Analysis, instr: Instr): CopySpec | undefined {
  const node = instr.node as unknown as { getJSONStrings?(): { getRange(): Range }[] };
  if (analysis.heredocCount(instr) > 0) return undefined;
  const json = isExecForm(instr);
  let args: { raw: string; start: number; end: number }[];
  if (json && node.getJSONStrings) {
    args = node.getJSONStrings().map((s) => {
      const start = analysis.offsetAt(s.getRange().start);
      const end = analysis.offsetAt(s.getRange().end);
      let raw = analysis.text.slice(start + 1, end - 1);
      try {
        raw = JSON.parse(analysis.text.slice(start, end)) as string;
      } catch {
        // keep the text between the quotes
      }
      return { raw, start, end };
    });
  } else {
    args = analysis.args(instr).map((a) => ({ raw: a.getValue(), start: analysis.offsetAt(a.getRange().start), end: analysis.offsetAt(a.getRange().end) }));
  }
  if (args.length < 2) return undefined;
  const conv = (a: { raw: string; start: number; end: number }): PathArg => ({
    raw: a.raw,
    value: expandValue(analysis, instr, a.raw),
    start: a.start,
    end: a.end,
    range: analysis.rangeOf(a.start, a.end),
  });
  const flags = analysis.flags(instr);
  const fromFlag = flags.find((f) => f.getName() === 'from');
  const chownFlag = flags.find((f) => f.getName() === 'chown');
  const fromRaw = fromFlag?.getValue() ?? undefined;
  const chownRaw = chownFlag?.getValue() ?? undefined;
  const chown = chownRaw === undefined ? undefined : expandValue(analysis, instr, chownRaw);
  return {
    instr,
    keyword: instr.keyword as 'COPY' | 'ADD',
    sources: args.slice(0, -1).map(conv),
    dest: conv(args[args.length - 1]),
    from:
      fromFlag && fromRaw !== undefined
        ? { raw: fromRaw, value: expandValue(analysis, instr, fromRaw), range: fromFlag.getValueRange() ?? fromFlag.getRange() }
        : undefined,
    chown,
    chownUnknown: chownRaw !== undefined && chown === undefined,
    flags,
    json,
  };
}

export const isUrl = (s: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || /^git@/.test(s);
export const hasGlob = (s: string): boolean => /[*?[]/.test(s);

/** A context source that stands for the whole build context (`.`, `./`, `*`, `./*`). */
export function isWholeContext(source: string): boolean {
  const s = trimTrailing(source.replace(/^(?:\.\/)+/, ''), '/');
  return s === '' || s === '.' || s === '*';
}

/** Where a COPY/ADD puts things: the destination as an absolute path, and whether it is a folder. */
export interface Placement {
  spec: CopySpec;
  path: string;
  /** Sources land inside `path` (several sources, a trailing `/`, a glob, the whole context). */
  dir: boolean;
}

/** The destination of a COPY/ADD resolved against the working directory (undefined when unknown). */
export function placement(analysis: Analysis, spec: CopySpec): Placement | undefined {
  return once(placementMemo, spec, () => computePlacement(analysis, spec));
}
const placementMemo = new KeyMemo<CopySpec, Placement | undefined>('placementMemo');

function computePlacement(analysis: Analysis, spec: CopySpec): Placement | undefined {
  const dest = spec.dest.value;
  if (dest === undefined) return undefined;
  const abs = resolvePath(workdirBefore(analysis, spec.instr).dir, dest);
  if (abs === undefined) return undefined;
  const dir = dest.endsWith('/') || dest === '.' || spec.sources.length > 1 || spec.sources.some((s) => s.value === undefined || hasGlob(s.value));
  return { spec, path: abs, dir };
}

/**
 * The COPY/ADD instructions of a stage and the stages it is built FROM, in build order (a parent
 * stage comes earlier in the file, so the indices ascend). Listed once per stage.
 */
export function chainCopies(analysis: Analysis, stage: Stage): readonly Instr[] {
  return once(chainCopiesMemo, stage, () => flatMap(analysis.chain(stage).reverse(), (s) => s.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')));
}
const chainCopiesMemo = new KeyMemo<Stage, Instr[]>('chainCopiesMemo');

/** The COPY/ADD placements of a stage and the stages it is built FROM, in build order. */
export function chainPlacements(analysis: Analysis, stage: Stage, before?: Instr): { placements: Placement[]; unknown: boolean } {
  const placements: Placement[] = [];
  let unknown = false;
  for (const i of chainCopies(analysis, stage)) {
    if (before && i.index >= before.index) break;
    const spec = copySpec(analysis, i);
    const p = spec && placement(analysis, spec);
    if (p) placements.push(p);
    else unknown = true;
  }
  return { placements, unknown };
}

/**
 * Can the placements put a file at `file`? Permissive on purpose: a single source may be a folder,
 * so anything below a destination may have come with it.
 */
export function placedBy(placements: Placement[], file: string): Placement | undefined {
  return placements.find((p) => isInside(file, p.path));
}

// ---------------------------------------------------------------------------------------------
// WORKDIR

export interface WorkdirState {
  /** The working directory, or undefined when it cannot be known. */
  dir: string | undefined;
  /** The WORKDIR instruction that set it in this Dockerfile (undefined: the base image's default). */
  setBy: Instr | undefined;
}

/** Default working directories of official images that set one (others default to `/`). */
const IMAGE_WORKDIR: Readonly<Record<string, string>> = table({
  golang: '/go',
  php: '/var/www/html',
  wordpress: '/var/www/html',
  drupal: '/var/www/html',
  joomla: '/var/www/html',
  httpd: '/usr/local/apache2',
  tomcat: '/usr/local/tomcat',
  jetty: '/var/lib/jetty',
  ghost: '/var/lib/ghost',
  redmine: '/usr/src/redmine',
  redis: '/data',
  sonarqube: '/opt/sonarqube',
});
/** Official images known to leave the working directory at `/`. */
const ROOT_WORKDIR = new Set([
  'node', 'alpine', 'debian', 'ubuntu', 'busybox', 'python', 'ruby', 'openjdk', 'eclipse-temurin', 'amazoncorretto', 'rust',
  'nginx', 'centos', 'fedora', 'rockylinux', 'almalinux', 'amazonlinux', 'oraclelinux', 'archlinux', 'buildpack-deps', 'perl',
  'pypy', 'erlang', 'elixir', 'gcc', 'postgres', 'mysql', 'mariadb', 'mongo', 'bash', 'docker', 'caddy', 'traefik', 'haskell', 'swift',
]);

/** The working directory a base image starts with, when known. */
export function imageWorkdir(ref: ImageRef): string | undefined {
  if (isDistroless(ref)) return '/';
  if (ref.registry !== undefined) return undefined;
  const name = ref.repository;
  if (name in IMAGE_WORKDIR) return IMAGE_WORKDIR[name];
  return ROOT_WORKDIR.has(name) ? '/' : undefined;
}

interface StageWorkdirs {
  before: Map<number, WorkdirState>;
  end: WorkdirState;
}

const workdirCache = new KeyMemo<Analysis, Map<Stage, StageWorkdirs>>('workdirCache');

function stageWorkdirs(analysis: Analysis, stage: Stage, depth = 0): StageWorkdirs {
  let perAnalysis = workdirCache.get(analysis);
  if (!perAnalysis) workdirCache.set(analysis, (perAnalysis = new Map()));
  const cached = perAnalysis.get(stage);
  if (cached) return cached;
  let state: WorkdirState;
  const base = stage.base;
  if (base.kind === 'stage' && base.stage !== stage && depth < 64) state = stageWorkdirs(analysis, base.stage, depth + 1).end;
  else if (base.kind === 'scratch') state = { dir: '/', setBy: undefined };
  else if (base.kind === 'image') state = { dir: imageWorkdir(base.ref), setBy: undefined };
  else state = { dir: undefined, setBy: undefined };
  const before = new Map<number, WorkdirState>();
  for (const instr of stage.instructions) {
    before.set(instr.index, state);
    if (instr.keyword !== 'WORKDIR') continue;
    const raw = unquote((analysis.argsContent(instr) ?? '').trim());
    const value = raw === '' ? undefined : expandValue(analysis, instr, raw);
    state = { dir: value === undefined ? undefined : resolvePath(state.dir, value), setBy: instr };
  }
  const result = { before, end: state };
  perAnalysis.set(stage, result);
  return result;
}

/** The working directory in force when `instr` runs (WORKDIR before it in its stage and parent stages). */
export function workdirBefore(analysis: Analysis, instr: Instr): WorkdirState {
  if (!instr.stage) return { dir: undefined, setBy: undefined };
  return stageWorkdirs(analysis, instr.stage).before.get(instr.index) ?? { dir: undefined, setBy: undefined };
}

/** The working directory at the end of a stage: where the container starts when it is the final stage. */
export function workdirAtEnd(analysis: Analysis, stage: Stage): WorkdirState {
  return stageWorkdirs(analysis, stage).end;
}

// ---------------------------------------------------------------------------------------------
// The program a container starts

export interface EntryCommand {
  /** ENTRYPOINT's words followed by CMD's (CMD is dropped when ENTRYPOINT resets it). */
  argv: { value: string; range: Range; literal: boolean }[];
  /** The instruction that supplies the program (argv[0]). */
  instr: Instr;
  exec: boolean;
}

/**
 * What the final image runs: the last ENTRYPOINT and CMD along the final stage's chain. An ENTRYPOINT
 * resets a CMD inherited from a parent stage (Docker does the same with the base image's CMD).
 */
export function entryCommand(analysis: Analysis, stage: Stage): EntryCommand | undefined {
  let entrypoint: Instr | undefined;
  let cmd: Instr | undefined;
  for (const s of analysis.chain(stage).reverse()) {
    let cmdSetHere = false;
    for (const i of s.instructions) {
      if (i.keyword === 'CMD') {
        cmd = i;
        cmdSetHere = true;
      } else if (i.keyword === 'ENTRYPOINT') {
        entrypoint = i;
        if (!cmdSetHere) cmd = undefined;
      }
    }
  }
  const words = (i: Instr | undefined) => {
    if (!i) return [];
    const exec = isExecForm(i);
    const { commands, features } = analysis.shell(i);
    if (!exec && commands.length !== 1) return undefined;
    const cmd0 = commands[0];
    if (!cmd0) return [];
    // In shell form, only a plain first word is a program path we can judge.
    return cmd0.words.map((w) => ({ value: w.value, range: analysis.rangeOf(w.start, w.end), literal: exec || (!w.expands && !features.has('unterminated')) }));
  };
  const ep = words(entrypoint);
  const c = words(cmd);
  if (ep === undefined || c === undefined) return undefined;
  const argv = [...ep, ...c];
  const instr = ep.length > 0 ? entrypoint : cmd;
  if (!instr || argv.length === 0) return undefined;
  return { argv, instr, exec: isExecForm(instr) };
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The `PATH` the container searches for a bare program name (ENV PATH of the final stage, else Docker's default). */
export function searchPath(analysis: Analysis, stage: Stage): string[] | undefined {
  const last = stage.instructions[stage.instructions.length - 1] ?? stage.fromInstr;
  // scopeAt gives the variables *before* an instruction: a trailing ENV/ARG would be missed, so give up there.
  if (last.keyword === 'ENV' || last.keyword === 'ARG') return undefined;
  const env = analysis.scopeAt(last).get('PATH');
  if (env === undefined) return DEFAULT_PATH.split(':');
  if (!env.known) return undefined;
  return env.value.split(':').filter((p) => p.startsWith('/'));
}

// ---------------------------------------------------------------------------------------------
// .dockerignore

export interface IgnorePattern {
  text: string;
  negate: boolean;
  re: RegExp;
}

/** The patterns of the project's .dockerignore, or undefined when it has none. */
export function readDockerignore(project: ProjectFiles): IgnorePattern[] | undefined {
  const text = project.read('.dockerignore');
  if (text === undefined) return undefined;
  // Several rules read it on every check: compile its patterns once per content.
  if (lastIgnore?.text !== text) lastIgnore = { text, patterns: parseDockerignore(text) };
  return lastIgnore.patterns;
}
let lastIgnore: { text: string; patterns: IgnorePattern[] } | undefined;

function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negate = line.startsWith('!');
    const p = trimTrailing(path.posix.normalize((negate ? line.slice(1) : line).trim()).replace(/^\/+/, ''), '/');
    if (!p || p === '.') continue;
    out.push({ text: line, negate, re: globToRegExp(p) });
  }
  return out;
}

/** Is a context path excluded? Docker: a pattern matching a parent folder excludes it too; the last match wins. */
export function isIgnored(rel: string, patterns: IgnorePattern[]): boolean {
  const parts = rel.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const p of patterns) {
    if (prefixes.some((c) => p.re.test(c))) ignored = !p.negate;
  }
  return ignored;
}

/**
 * Go's filepath.Match (`*` stays inside one folder), plus `**` for any number of folders where
 * `doubleStar` (.dockerignore; COPY sources have no `**`).
 */
export function globToRegExp(glob: string, doubleStar = true): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (doubleStar && glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let cls = glob.slice(i + 1, close);
        if (cls.startsWith('^') || cls.startsWith('!')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < glob.length) re += '\\' + glob[++i];
    else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    // A malformed class: Docker rejects the pattern; match nothing rather than throw.
    return /(?!)/;
  }
}

/** A glob in a shell word or COPY source matched against a path (one folder per `*`). */
export function globMatches(glob: string, p: string): boolean {
  return globToRegExp(glob.replace(/^\/+/, '')).test(p.replace(/^\/+/, ''));
}

// ---------------------------------------------------------------------------------------------
// What a shell command writes


export type WriteKind = 'create' | 'modify' | 'delete';

export interface PathWrite {
  word: Word;
  kind: WriteKind;
}

/** The program's name without its folder: `/bin/mkdir` -> `mkdir`. */
export const programName = (w: Word | undefined): string => (w ? w.value.slice(w.value.lastIndexOf('/') + 1) : '');

/** Options that take the next word as their value, per program. */
const VALUE_OPTIONS: Readonly<Record<string, Set<string>>> = table({
  mkdir: new Set(['-m', '--mode', '--context']),
  cp: new Set(['-t', '--target-directory', '-S', '--suffix']),
  mv: new Set(['-t', '--target-directory', '-S', '--suffix']),
  ln: new Set(['-t', '--target-directory', '-S', '--suffix']),
  install: new Set(['-m', '--mode', '-o', '--owner', '-g', '--group', '-t', '--target-directory', '-S', '--suffix']),
  chown: new Set(['--reference', '--from']),
  chgrp: new Set(['--reference']),
  chmod: new Set(['--reference']),
  touch: new Set(['-d', '--date', '-r', '--reference', '-t']),
  rm: new Set([]),
  unzip: new Set(['-d', '-x']),
  curl: new Set(['-o', '--output', '-H', '--header', '-d', '--data', '-u', '--user', '-A', '--user-agent', '-X', '--request', '-e', '--referer', '--retry', '-m', '--max-time', '--connect-timeout', '-w', '--write-out', '-T', '--upload-file', '-x', '--proxy', '-b', '--cookie', '-c', '--cookie-jar', '-F', '--form', '-r', '--range', '-z', '--time-cond', '--cacert', '--cert', '-E', '--key', '--output-dir']),
  wget: new Set(['-O', '--output-document', '-P', '--directory-prefix', '-o', '--output-file', '-a', '--append-output', '-t', '--tries', '-T', '--timeout', '-U', '--user-agent', '--header', '-e', '--execute', '--user', '--password']),
  git: new Set(['-b', '--branch', '--depth', '-o', '--origin', '-c', '--config', '--reference', '--separate-git-dir', '-j', '--jobs', '--filter', '-u', '--upload-pack', '--template', '-C']),
  go: new Set(['-o', '-ldflags', '-gcflags', '-asmflags', '-tags', '-mod', '-modfile', '-p', '-pkgdir', '-buildmode', '-compiler', '-gccgoflags', '-installsuffix', '-overlay', '-pgo', '-toolexec', '-C']),
  adduser: new Set(['-h', '--home', '-g', '--gecos', '-s', '--shell', '-G', '--ingroup', '-u', '--uid', '-k', '--conf', '--gid', '--firstuid', '--lastuid']),
  useradd: new Set(['-d', '--home-dir', '-b', '--base-dir', '-c', '--comment', '-e', '--expiredate', '-f', '--inactive', '-g', '--gid', '-G', '--groups', '-k', '--skel', '-K', '--key', '-p', '--password', '-R', '--root', '-s', '--shell', '-u', '--uid', '-Z', '--selinux-user']),
  tar: new Set(['-C', '--directory', '-f', '--file', '-T', '--files-from', '-X', '--exclude-from']),
  pip: new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--src', '--cache-dir', '--trusted-host', '--platform', '--python-version', '--progress-bar', '--timeout', '--retries', '--proxy', '--log', '--upgrade-strategy', '--only-binary', '--no-binary']),
});

interface ParsedArgs {
  operands: Word[];
  /** Option name -> the words holding its value (`-o x` or `-o=x`/`--output=x` as a synthetic word). */
  values: Map<string, Word[]>;
  flags: Set<string>;
}

/** Split a command's words after the program into options and operands (`--` ends the options). */
export function parseArgs(program: string, words: Word[]): ParsedArgs {
  const valued = VALUE_OPTIONS[program] ?? new Set<string>();
  const out: ParsedArgs = { operands: [], values: new Map(), flags: new Set() };
  const add = (name: string, w: Word) => out.values.set(name, [...(out.values.get(name) ?? []), w]);
  let optionsDone = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = w.value;
    if (optionsDone || !v.startsWith('-') || v === '-') {
      out.operands.push(w);
      continue;
    }
    if (v === '--') {
      optionsDone = true;
      continue;
    }
    const eq = v.indexOf('=');
    if (eq > 0) {
      const name = v.slice(0, eq);
      const valueWord: Word = { ...w, value: v.slice(eq + 1), start: w.start + eq + 1 };
      out.flags.add(name);
      add(name, valueWord);
      continue;
    }
    out.flags.add(v);
    if (valued.has(v)) {
      if (words[i + 1]) add(v, words[++i]);
      continue;
    }
    // Short options glued to their value (`-ofile`, `-C/dir`) for programs whose option takes one.
    if (/^-[A-Za-z]/.test(v) && v.length > 2 && valued.has(v.slice(0, 2)) && !v.startsWith('--')) {
      add(v.slice(0, 2), { ...w, value: v.slice(2), start: w.start + 2 });
    }
    // Combined short flags (`-rf`): every letter counts.
    if (/^-[A-Za-z]+$/.test(v)) for (const c of v.slice(1)) out.flags.add(`-${c}`);
  }
  return out;
}

/**
 * The paths a command writes to, as words (relative or absolute as written). A small, known list of
 * programs; anything else writes nothing we can tell (redirections are not words and are not seen).
 */
export function commandWrites(cmd: ShellCommand): readonly PathWrite[] {
  return once(writesMemo, cmd, () => computeCommandWrites(cmd));
}
const writesMemo = new KeyMemo<ShellCommand, PathWrite[]>('writesMemo');

function computeCommandWrites(cmd: ShellCommand): PathWrite[] {
  const [head, ...rest] = cmd.words;
  const program = programName(head);
  const out: PathWrite[] = [];
  const a = () => parseArgs(program, rest);
  switch (program) {
    case 'mkdir':
    case 'touch':
      for (const w of a().operands) out.push({ word: w, kind: 'create' });
      break;
    case 'cp':
    case 'mv':
    case 'ln':
    case 'install': {
      const p = a();
      const target = p.values.get('-t') ?? p.values.get('--target-directory');
      if (program === 'install' && (p.flags.has('-d') || p.flags.has('--directory'))) {
        for (const w of p.operands) out.push({ word: w, kind: 'create' });
      } else if (target) out.push({ word: target[target.length - 1], kind: 'create' });
      else if (p.operands.length >= 2) out.push({ word: p.operands[p.operands.length - 1], kind: 'create' });
      if (program === 'mv') for (const w of p.operands.slice(0, target ? undefined : -1)) out.push({ word: w, kind: 'delete' });
      break;
    }
    case 'rm':
    case 'rmdir':
      for (const w of a().operands) out.push({ word: w, kind: 'delete' });
      break;
    case 'chown':
    case 'chgrp':
    case 'chmod': {
      const p = a();
      // The first operand is the owner or mode, unless --reference gave it.
      const targets = p.values.has('--reference') ? p.operands : p.operands.slice(1);
      for (const w of targets) out.push({ word: w, kind: 'modify' });
      break;
    }
    case 'unzip': {
      const d = a().values.get('-d');
      if (d) out.push({ word: d[d.length - 1], kind: 'create' });
      break;
    }
    case 'curl': {
      const o = a().values;
      for (const w of [...(o.get('-o') ?? []), ...(o.get('--output') ?? [])]) out.push({ word: w, kind: 'create' });
      break;
    }
    case 'wget': {
      const o = a().values;
      for (const w of [...(o.get('-O') ?? []), ...(o.get('--output-document') ?? []), ...(o.get('-P') ?? []), ...(o.get('--directory-prefix') ?? [])]) {
        if (w.value !== '-') out.push({ word: w, kind: 'create' });
      }
      break;
    }
    case 'git': {
      if (rest[0]?.value !== 'clone') break;
      const p = parseArgs('git', rest.slice(1));
      if (p.operands.length >= 2) out.push({ word: p.operands[1], kind: 'create' });
      break;
    }
    case 'go': {
      if (rest[0]?.value !== 'build') break;
      const o = parseArgs('go', rest.slice(1)).values.get('-o');
      if (o) out.push({ word: o[o.length - 1], kind: 'create' });
      break;
    }
    case 'adduser':
    case 'useradd': {
      // The home folder the new user gets (and owns).
      const o = a().values;
      for (const w of [...(o.get('-h') ?? []), ...(o.get('--home') ?? []), ...(o.get('-d') ?? []), ...(o.get('--home-dir') ?? [])]) {
        out.push({ word: w, kind: 'create' });
      }
      break;
    }
    case 'tar': {
      const p = a();
      const extract = p.flags.has('-x') || p.flags.has('--extract') || /^[a-zA-Z]*x/.test(rest[0]?.value ?? '');
      const dir = p.values.get('-C') ?? p.values.get('--directory');
      if (extract && dir) out.push({ word: dir[dir.length - 1], kind: 'modify' });
      break;
    }
  }
  return out;
}

/** A word's value with Docker-level variables expanded (a RUN's `$X` is the shell's, but ARG/ENV give it the same value). */
export function wordValue(analysis: Analysis, instr: Instr, w: Word): string | undefined {
  if (!w.expands) return w.value;
  // `$(...)` and backticks are the shell's own doing: unknowable here.
  if (/\$\(|`/.test(w.value)) return undefined;
  return expandValue(analysis, instr, w.value);
}

export interface CommandAt {
  cmd: ShellCommand;
  /** The shell's working directory when the command runs (after earlier `cd`s of the same RUN). */
  cwd: string | undefined;
}

/** The commands of a RUN with the working directory each one runs in. */
export function commandsWithCwd(analysis: Analysis, instr: Instr): readonly CommandAt[] {
  return once(cwdMemo, instr, () => computeCommandsWithCwd(analysis, instr));
}
const cwdMemo = new KeyMemo<Instr, CommandAt[]>('cwdMemo');

function computeCommandsWithCwd(analysis: Analysis, instr: Instr): CommandAt[] {
  let cwd = workdirBefore(analysis, instr).dir;
  const out: CommandAt[] = [];
  for (const cmd of analysis.shell(instr).commands) {
    out.push({ cmd, cwd });
    if (programName(cmd.words[0]) === 'cd') {
      const target = cmd.words[1];
      const v = target ? wordValue(analysis, instr, target) : undefined;
      cwd = v === undefined || v === '-' || v.startsWith('~') ? undefined : resolvePath(cwd, v);
    }
  }
  return out;
}

/** An absolute path for a word of a command, or undefined when unknown (variables, `~`, unknown cwd). */
export function wordPath(analysis: Analysis, instr: Instr, w: Word, cwd: string | undefined): string | undefined {
  const v = wordValue(analysis, instr, w);
  if (v === undefined || v === '' || v.startsWith('~')) return undefined;
  return resolvePath(cwd, v);
}

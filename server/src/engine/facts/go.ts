/**
 * Facts about a Go project, read from its sources (the main package in the root or under cmd/, and the
 * packages of the same module it imports; go.mod for the module path): the address it listens on, the
 * folders it writes uploads to, the flags it defines and whether their defaults come from the
 * environment, and the imports that make a cgo build link libc. Token patterns, no parser: whatever
 * the patterns cannot read with certainty is `unknown`.
 */
import * as path from 'path';
import type { ProjectFiles } from '../project';
import type { Range } from '../types';
import { Lexed, Token, isIdent, isPunct, lex, matching, splitArgs } from './lexer';
import { memoByContent, memoByProject } from './cache';
import type { Loc } from './node';
import { trimTrailing } from '../text';
import { pushAll } from '../arrays';

/** A value the Go code computes, as far as it can be known. Offsets are into `file`. */
export type GoValue =
  | { kind: 'string'; value: string; file: string; start: number; end: number; exact: boolean }
  | { kind: 'number'; value: number; file: string; start: number; end: number }
  | { kind: 'env'; name: string; fallback: GoValue | undefined }
  | { kind: 'flag'; flag: GoFlag }
  | { kind: 'unknown' };

export interface GoFlag {
  /** The flag's name (`port` for `-port`); undefined when it is not a literal. */
  name: string | undefined;
  /** `String`, `Int`, `Bool`, ... */
  type: string;
  file: string;
  /** The whole `flag.String(...)` call. */
  range: Range;
  /** The default as written, evaluated: for `envOr("APP_PORT", "9000")` the `"9000"`. */
  default: GoValue;
  /** The environment variable the default (or a later override) comes from. */
  env: { name: string; via: string } | undefined;
  /** The value may come from somewhere the patterns do not understand. */
  envUnknown: boolean;
  /** The variable holding the flag: a pointer (`port := flag.String`) or a bound variable (`flag.StringVar(&port, ...)`). */
  variable: string | undefined;
  pointer: boolean;
}

/** One part of a listen address: the host or the port. */
export type AddrPart =
  /** `quoted`: `loc` is a whole string literal (quotes included), not text inside one. */
  | { kind: 'literal'; value: string; loc: Loc | undefined; quoted?: boolean; flag?: GoFlag }
  | { kind: 'env'; name: string; fallback: string | undefined; flag?: GoFlag }
  | { kind: 'unknown'; flag?: GoFlag };

export interface GoListen {
  file: string;
  /** The call (`http.ListenAndServe(...)`) or the `Addr:` field. */
  range: Range;
  host: AddrPart;
  port: AddrPart;
}

export interface GoWriteDir {
  /** The folder as the code names it (`./upload`). */
  path: string;
  loc: Loc | undefined;
  /** Through a flag (its default is `path`) or an environment variable (its fallback is `path`). */
  flag: GoFlag | undefined;
  env: string | undefined;
  /** The code creates it itself (os.MkdirAll / os.Mkdir). */
  created: boolean;
  /** Where the program writes into it (os.Create, ...). */
  writes: Loc[];
}

export type Certainty = 'yes' | 'no' | 'unknown';

export interface GoFacts {
  /** go.mod's module path. */
  module: string | undefined;
  /** The Go files read (relative to the Dockerfile's folder). */
  files: string[];
  /** Every file was found and read cleanly. */
  complete: boolean;
  imports: string[];
  /** Does a cgo build link libc dynamically (net, os/user, import "C", ...)? */
  cgo: Certainty;
  /** The imports that make it so. */
  cgoImports: string[];
  listens: GoListen[];
  flags: GoFlag[];
  /** The flags may take values from the environment in a way not tied to one flag (flag.VisitAll, an env/flag library). */
  envBridge: boolean;
  writeDirs: GoWriteDir[];
  /** Names read with os.Getenv / os.LookupEnv. */
  envReads: string[];
  /** Where it reads multipart uploads (r.FormFile, ParseMultipartForm): big ones are spooled to os.TempDir(). */
  multipart: Loc | undefined;
}

/**
 * Facts of the Go program a Dockerfile builds. `target` is what `go build` is given (`.`, `cmd/main.go`,
 * `./cmd/app`), relative to the project; without it (or when it is not in the project) every main
 * package in the root and under cmd/ is read.
 */
export function goFacts(project: ProjectFiles, target?: string): GoFacts {
  return memoByProject(project, `go:${target ?? ''}`, (p) => computeGoFacts(p, target));
}

const MAX_FILES = 60;
const FLAG_TYPES = new Set(['String', 'Int', 'Int64', 'Uint', 'Uint64', 'Bool', 'Float64', 'Duration']);
const ENV_FLAG_LIBRARIES = /(^|\/)(ff|envconfig|env|viper|cobra|cli|kong|kingpin|pflag|go-flags|flag)(\/v\d+)?$|namsral|peterbourgon|kelseyhightower|caarlos0|spf13|urfave|alecthomas|jessevdk|ilyakaznacheev|joho\/godotenv|sethvargo/;
/** Standard packages that never pull in the net package's cgo resolver or os/user's cgo lookups. */
const CGO_FREE_STD = new Set([
  'bufio', 'bytes', 'context', 'embed', 'encoding/base64', 'encoding/binary', 'encoding/csv', 'encoding/hex', 'encoding/json', 'errors',
  'flag', 'fmt', 'hash', 'hash/crc32', 'io', 'io/fs', 'io/ioutil', 'log', 'math', 'math/big', 'math/rand', 'os', 'os/exec', 'os/signal',
  'path', 'path/filepath', 'regexp', 'runtime', 'sort', 'strconv', 'strings', 'sync', 'sync/atomic', 'syscall', 'time', 'unicode',
  'unicode/utf8', 'unicode/utf16', 'crypto/hmac', 'crypto/md5', 'crypto/rand', 'crypto/sha1', 'crypto/sha256', 'crypto/sha512',
  'container/list', 'container/heap', 'text/tabwriter', 'compress/gzip', 'archive/tar', 'archive/zip', 'mime', 'html', 'net/url',
  'net/netip', 'unsafe', 'errors', 'encoding/xml', 'encoding/gob', 'os/exec', 'text/template',
]);

function cgoSensitive(importPath: string): boolean {
  if (importPath === 'C' || importPath === 'runtime/cgo' || importPath === 'os/user' || importPath === 'plugin') return true;
  if (importPath === 'net' || (importPath.startsWith('net/') && importPath !== 'net/url' && importPath !== 'net/netip')) return true;
  // These import net themselves.
  return ['crypto/tls', 'crypto/x509', 'log/syslog', 'expvar', 'mime/multipart', 'database/sql'].includes(importPath);
}

const isStd = (p: string): boolean => p === 'C' || !p.split('/')[0].includes('.');

function computeGoFacts(project: ProjectFiles, target: string | undefined): GoFacts {
  const modText = project.read('go.mod');
  const module = modText ? /^[^\S\r\n\u2028\u2029]*module\s+("?)([^\s"]+)\1/m.exec(modText)?.[2] : undefined;
  const facts: GoFacts = { module, files: [], complete: true, imports: [], cgo: 'unknown', cgoImports: [], listens: [], flags: [], envBridge: false, writeDirs: [], envReads: [], multipart: undefined };

  let start = targetFiles(project, target);
  if (start.length === 0) start = mainPackageFiles(project);
  if (start.length === 0) {
    facts.complete = false;
    return facts;
  }
  const parsed: GoFile[] = [];
  const queue = [...start];
  const seen = new Set(queue);
  const importSet = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = project.read(file);
    if (text === undefined) {
      facts.complete = false;
      continue;
    }
    const f = parseGoFile(file, text);
    parsed.push(f);
    facts.files.push(file);
    if (!f.ok) facts.complete = false;
    for (const imp of f.imports) {
      importSet.add(imp.path);
      if (module && (imp.path === module || imp.path.startsWith(module + '/'))) {
        const dir = imp.path === module ? '.' : imp.path.slice(module.length + 1);
        for (const g of goFilesIn(project, dir)) {
          if (seen.has(g)) continue;
          if (seen.size >= MAX_FILES) {
            facts.complete = false;
            break;
          }
          seen.add(g);
          queue.push(g);
        }
      }
    }
  }
  facts.imports = [...importSet].sort();
  const inModule = (p: string) => !!module && (p === module || p.startsWith(module + '/'));
  const external = facts.imports.filter((p) => !isStd(p) && !inModule(p));
  facts.cgoImports = facts.imports.filter(cgoSensitive);
  if (facts.cgoImports.length > 0) facts.cgo = 'yes';
  else if (external.length === 0 && facts.complete && facts.imports.every((p) => inModule(p) || CGO_FREE_STD.has(p))) facts.cgo = 'no';
  if (external.some((p) => ENV_FLAG_LIBRARIES.test(p))) facts.envBridge = true;

  // Facts that cross files go through one program-wide view (helpers and constants of the same package),
  // computed again only when a file changed (parsed files are shared objects while their content is).
  const derived = programFacts(parsed);
  facts.flags = derived.flags;
  facts.envBridge = facts.envBridge || derived.envBridge;
  facts.listens = derived.listens;
  facts.writeDirs = derived.writeDirs;
  facts.envReads = derived.envReads;
  for (const f of parsed) {
    const tok = f.t.find((x) => x.kind === 'ident' && /^(?:FormFile|ParseMultipartForm|MultipartReader)$/.test(x.value));
    if (tok) {
      facts.multipart = f.loc(tok.start, tok.end);
      break;
    }
  }
  return facts;
}

type ProgramFacts = Pick<GoFacts, 'flags' | 'envBridge' | 'listens' | 'writeDirs' | 'envReads'>;
const programCache = new WeakMap<GoFile, { files: GoFile[]; facts: ProgramFacts }>();

function programFacts(files: GoFile[]): ProgramFacts {
  const hit = files.length > 0 ? programCache.get(files[0]) : undefined;
  if (hit && hit.files.length === files.length && hit.files.every((f, i) => f === files[i])) return hit.facts;
  const program = new GoProgram(files);
  const facts: ProgramFacts = { flags: program.flags(), envBridge: program.envBridge(), listens: program.listens(), writeDirs: program.writeDirs(), envReads: program.envReads() };
  if (files.length > 0) programCache.set(files[0], { files, facts });
  return facts;
}

/** The files `go build <target>` compiles, when the target is in the project. */
function targetFiles(project: ProjectFiles, target: string | undefined): string[] {
  if (target === undefined) return [];
  const rel = trimTrailing(path.posix.normalize(target.replace(/\\/g, '/')).replace(/^\.\//, ''), '/') || '.';
  if (rel.startsWith('..') || rel.includes('...')) return [];
  if (rel.endsWith('.go')) return project.read(rel) !== undefined ? [rel] : [];
  return goFilesIn(project, rel);
}

function goFilesIn(project: ProjectFiles, dir: string): string[] {
  const d = dir === '' ? '.' : dir;
  return project
    .list(d)
    .filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'))
    .sort()
    .map((n) => (d === '.' ? n : `${d}/${n}`));
}

/** Files of `package main` in the project root and under cmd/. */
// `[^\S\r\n...]*`, not `\s*`: with the `m` flag `\s*` ran on over every blank line from every line start
// (quadratic in a run of them).
const isMainPackage = (project: ProjectFiles, file: string): boolean => /^[^\S\r\n\u2028\u2029]*package\s+main\b/m.test(stripGoComments(project.read(file) ?? ''));

function mainPackageFiles(project: ProjectFiles): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    const files = goFilesIn(project, dir);
    const main = files.filter((f) => isMainPackage(project, f));
    pushAll(out, main);
    if (depth >= 4) return;
    for (const name of project.list(dir)) {
      if (name.startsWith('.') || name.includes('.') || name === 'vendor' || name === 'node_modules' || name === 'testdata') continue;
      visit(dir === '.' ? name : `${dir}/${name}`, depth + 1);
    }
  };
  for (const f of goFilesIn(project, '.')) if (isMainPackage(project, f)) out.push(f);
  visit('cmd', 1);
  return out;
}

const stripGoComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');

interface Binding {
  file: GoFile;
  /** Token range of the value expression; `from === to` when the name has no value we can read. */
  from: number;
  to: number;
}

interface FuncDecl {
  name: string;
  params: string[];
  bodyFrom: number;
  bodyTo: number;
}

interface Import {
  path: string;
  /** The name the file uses for it. */
  name: string;
}

/** One lexed Go file, with automatic semicolons inserted as Go's own lexer does. */
class GoFile {
  readonly t: Token[];
  readonly ok: boolean;
  readonly imports: Import[] = [];
  readonly bindings = new Map<string, { from: number; to: number }[]>();
  readonly funcs: FuncDecl[] = [];

  constructor(
    readonly file: string,
    readonly lx: Lexed,
  ) {
    this.t = withSemicolons(lx);
    this.ok = lx.ok;
    this.readImports();
    this.readDeclarations();
  }

  loc(start: number, end: number): Loc {
    return { file: this.file, range: this.lx.lines.range(start, end) };
  }

  /** The name this file uses for an imported package (`flag`, or its alias). */
  pkg(importPath: string): string | undefined {
    return this.imports.find((i) => i.path === importPath)?.name;
  }

  /** `pkg.Name(` at index i. */
  isCall(i: number, pkg: string | undefined, names: readonly string[]): boolean {
    const t = this.t;
    return pkg !== undefined && isIdent(t[i], pkg) && isPunct(t[i + 1], '.') && isIdent(t[i + 2]) && names.includes(t[i + 2].value) && isPunct(t[i + 3], '(') && !isPunct(t[i - 1], '.');
  }

  /** End (exclusive) of the statement or expression starting at `from`. */
  stmtEnd(from: number): number {
    const t = this.t;
    let depth = 0;
    for (let i = from; i < t.length; i++) {
      const tok = t[i];
      if (tok.kind !== 'punct') continue;
      if (tok.value === '(' || tok.value === '[' || tok.value === '{') depth++;
      else if (tok.value === ')' || tok.value === ']' || tok.value === '}') {
        if (depth === 0) return i;
        depth--;
      } else if (tok.value === ';' && depth === 0) return i;
    }
    return t.length;
  }

  private readImports(): void {
    const t = this.t;
    for (let i = 0; i < t.length; i++) {
      if (!isIdent(t[i], 'import')) continue;
      const one = (j: number): number => {
        let name: string | undefined;
        if (isIdent(t[j]) || isPunct(t[j], '.')) {
          name = t[j].value;
          j++;
        }
        if (t[j]?.kind === 'string') {
          const p = t[j].value;
          this.imports.push({ path: p, name: name ?? p.split('/').pop()!.replace(/^go-|\.v\d+$|-go$/g, '') });
        }
        return j + 1;
      };
      if (isPunct(t[i + 1], '(')) {
        const close = matching(t, i + 1);
        let j = i + 2;
        while (j < close && j > 0) {
          if (isPunct(t[j], ';')) {
            j++;
            continue;
          }
          j = one(j);
        }
        i = close > 0 ? close : i;
      } else one(i + 1);
    }
  }

  private addBinding(name: string, from: number, to: number): void {
    if (name === '_') return;
    const list = this.bindings.get(name);
    if (list) list.push({ from, to });
    else this.bindings.set(name, [{ from, to }]);
  }

  private readDeclarations(): void {
    const t = this.t;
    for (let i = 0; i < t.length; i++) {
      const tok = t[i];
      if (isIdent(tok, 'func')) {
        this.readFunc(i);
        continue;
      }
      if ((isIdent(tok, 'const') || isIdent(tok, 'var')) && !isPunct(t[i - 1], '.')) {
        if (isPunct(t[i + 1], '(')) {
          const close = matching(t, i + 1);
          let j = i + 2;
          while (j < close && j > 0) {
            const end = Math.min(this.stmtEnd(j), close);
            this.readSpec(j, end);
            j = end + 1;
          }
          if (close > 0) i = close;
        } else {
          const end = this.stmtEnd(i + 1);
          this.readSpec(i + 1, end);
          // The spec's own `=` is not a later assignment.
          i = Math.max(i, end - 1);
        }
        continue;
      }
      // a, b := x, y   |   a = x (a later assignment: the name no longer holds one value)
      if (isIdent(tok) && !isPunct(t[i - 1], '.') && !isPunct(t[i - 1], ',')) {
        let j = i;
        const names: string[] = [];
        while (isIdent(t[j]) && (isPunct(t[j + 1], ',') || isPunct(t[j + 1], ':=') || isPunct(t[j + 1], '='))) {
          names.push(t[j].value);
          if (!isPunct(t[j + 1], ',')) break;
          j += 2;
        }
        const op = t[j + 1];
        if (names.length > 0 && (isPunct(op, ':=') || isPunct(op, '='))) {
          const end = this.stmtEnd(j + 2);
          const values = splitArgs(t, j + 2, end);
          names.forEach((n, k) => (values.length === names.length ? this.addBinding(n, values[k][0], values[k][1]) : this.addBinding(n, j + 2, j + 2)));
          i = j + 1;
        }
      }
    }
  }

  /** `NAMES [Type] [= VALUES]` of a const/var spec. */
  private readSpec(from: number, to: number): void {
    const t = this.t;
    const names: string[] = [];
    let j = from;
    while (isIdent(t[j])) {
      names.push(t[j].value);
      if (!isPunct(t[j + 1], ',')) break;
      j += 2;
    }
    let eq = -1;
    for (let k = j; k < to; k++) if (isPunct(t[k], '=')) {
      eq = k;
      break;
    }
    if (eq < 0) {
      for (const n of names) this.addBinding(n, from, from);
      return;
    }
    const values = splitArgs(t, eq + 1, to);
    names.forEach((n, k) => (values.length === names.length ? this.addBinding(n, values[k][0], values[k][1]) : this.addBinding(n, from, from)));
  }

  private readFunc(i: number): void {
    const t = this.t;
    let j = i + 1;
    if (isPunct(t[j], '(')) j = matching(t, j) + 1; // method receiver
    if (j <= 0 || !isIdent(t[j]) || !isPunct(t[j + 1], '(')) return;
    const name = t[j].value;
    const close = matching(t, j + 1);
    if (close < 0) return;
    const params = splitArgs(t, j + 2, close).map(([a]) => (isIdent(t[a]) ? t[a].value : '_'));
    let k = close + 1;
    while (k < t.length && !isPunct(t[k], '{') && !isPunct(t[k], ';')) {
      if (isPunct(t[k], '(')) k = matching(t, k);
      if (k < 0) return;
      k++;
    }
    if (!isPunct(t[k], '{')) return;
    const end = matching(t, k);
    if (end < 0) return;
    this.funcs.push({ name, params, bodyFrom: k + 1, bodyTo: end });
  }
}

/** Go inserts a semicolon at a line break after an identifier, a literal, `)`, `]`, `}`, `++`, `--` or return/break/... */
function withSemicolons(lx: Lexed): Token[] {
  const out: Token[] = [];
  const t = lx.tokens;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    out.push(tok);
    const next = t[i + 1];
    const breaks = next ? lx.lines.lineOf(tok.end) !== lx.lines.lineOf(next.start) : true;
    const ends =
      tok.kind === 'ident' || tok.kind === 'number' || tok.kind === 'string' || (tok.kind === 'punct' && [')', ']', '}', '++', '--'].includes(tok.value));
    if (breaks && ends) out.push({ kind: 'punct', value: ';', start: tok.end, end: tok.end });
  }
  return out;
}

export function parseGoFile(file: string, text: string): GoFile {
  return memoByContent(`go:${file}`, text, () => new GoFile(file, lex(text, 'go')));
}

interface EnvHelper {
  keyIndex: number;
  fallbackIndex: number | undefined;
}

/** The files of one program read together: constants, helpers and flags may live in any of them. */
class GoProgram {
  private readonly helpers = new Map<string, EnvHelper>();
  private flagList: GoFlag[] | undefined;
  /** The flags by the variable that holds them (`p:` pointer, `v:` bound variable) and by name: big programs define many. */
  private readonly flagsByVariable = new Map<string, GoFlag>();
  private readonly flagsByName = new Map<string, GoFlag>();

  constructor(private readonly files: GoFile[]) {
    for (const f of files) {
      for (const fn of f.funcs) {
        const helper = envHelperOf(f, fn);
        if (helper) this.helpers.set(fn.name, helper);
      }
    }
  }

  private binding(name: string): Binding | undefined {
    let found: Binding | undefined;
    for (const f of this.files) {
      for (const b of f.bindings.get(name) ?? []) {
        // Two definitions: the name does not hold one value.
        if (found) return undefined;
        found = { file: f, ...b };
      }
    }
    return found && found.from < found.to ? found : undefined;
  }

  /** Evaluate tokens [from, to) of a file. */
  evaluate(f: GoFile, from: number, to: number, depth = 0): GoValue {
    const t = f.t;
    const unknown: GoValue = { kind: 'unknown' };
    if (depth > 10 || from >= to) return unknown;
    if (isPunct(t[from], '(') && matching(t, from) === to - 1) return this.evaluate(f, from + 1, to - 1, depth + 1);
    if (to - from === 1) {
      const tok = t[from];
      if (tok.kind === 'string') {
        const raw = f.lx.text.slice(tok.start + 1, tok.end - 1);
        return { kind: 'string', value: tok.value, file: f.file, start: tok.start, end: tok.end, exact: raw === tok.value };
      }
      if (tok.kind === 'number') {
        const value = Number(tok.value.replace(/_/g, ''));
        return Number.isFinite(value) ? { kind: 'number', value, file: f.file, start: tok.start, end: tok.end } : unknown;
      }
      if (tok.kind === 'ident') {
        const flag = this.flagByVariable(tok.value, false);
        if (flag) return { kind: 'flag', flag };
        const b = this.binding(tok.value);
        return b ? this.evaluate(b.file, b.from, b.to, depth + 1) : unknown;
      }
      return unknown;
    }
    // *port: the value of a pointer flag.
    if (isPunct(t[from], '*') && to - from === 2 && isIdent(t[from + 1])) {
      const flag = this.flagByVariable(t[from + 1].value, true);
      return flag ? { kind: 'flag', flag } : unknown;
    }
    const os = f.pkg('os');
    if (f.isCall(from, os, ['Getenv', 'LookupEnv']) && matching(t, from + 3) === to - 1 && t[from + 4]?.kind === 'string' && to - from === 6) {
      return { kind: 'env', name: t[from + 4].value, fallback: undefined };
    }
    // envOr("APP_PORT", "9000"): a helper that reads its first argument from the environment.
    if (isIdent(t[from]) && isPunct(t[from + 1], '(') && matching(t, from + 1) === to - 1) {
      const helper = this.helpers.get(t[from].value);
      if (helper) {
        const args = splitArgs(t, from + 2, to - 1);
        const key = args[helper.keyIndex];
        if (key && key[1] - key[0] === 1 && t[key[0]].kind === 'string') {
          const fb = helper.fallbackIndex !== undefined ? args[helper.fallbackIndex] : undefined;
          return { kind: 'env', name: t[key[0]].value, fallback: fb ? this.evaluate(f, fb[0], fb[1], depth + 1) : undefined };
        }
        return unknown;
      }
    }
    // strconv.Itoa(x), fmt.Sprint(x), string(x): the same value as text.
    const strconv = f.pkg('strconv');
    const fmt = f.pkg('fmt');
    if ((f.isCall(from, strconv, ['Itoa', 'FormatInt']) || f.isCall(from, fmt, ['Sprint'])) && matching(t, from + 3) === to - 1) {
      const args = splitArgs(t, from + 4, to - 1);
      return args.length >= 1 ? this.evaluate(f, args[0][0], args[0][1], depth + 1) : unknown;
    }
    return unknown;
  }

  flags(): GoFlag[] {
    if (this.flagList) return this.flagList;
    this.flagList = [];
    const list = this.flagList;
    for (const f of this.files) {
      const t = f.t;
      const flagPkg = f.pkg('flag');
      if (!flagPkg) continue;
      // Receivers that define flags: the package itself, flag.CommandLine, a flag.NewFlagSet(...).
      const receivers = new Set([flagPkg]);
      for (const [name, defs] of f.bindings) {
        if (defs.some((d) => f.isCall(d.from, flagPkg, ['NewFlagSet']) || (isIdent(t[d.from], flagPkg) && isIdent(t[d.from + 2], 'CommandLine')))) receivers.add(name);
      }
      for (let i = 0; i < t.length; i++) {
        let at = i;
        if (isIdent(t[i], flagPkg) && isPunct(t[i + 1], '.') && isIdent(t[i + 2], 'CommandLine') && isPunct(t[i + 3], '.')) at = i + 2;
        else if (!(isIdent(t[i]) && receivers.has(t[i].value)) || isPunct(t[i - 1], '.')) continue;
        if (!isPunct(t[at + 1], '.') || !isIdent(t[at + 2]) || !isPunct(t[at + 3], '(')) continue;
        const method = t[at + 2].value;
        const bound = method.endsWith('Var') && FLAG_TYPES.has(method.slice(0, -3));
        if (!FLAG_TYPES.has(method) && !bound) continue;
        const close = matching(t, at + 3);
        if (close < 0) continue;
        const args = splitArgs(t, at + 4, close);
        const off = bound ? 1 : 0;
        const nameArg = args[off];
        const defArg = args[off + 1];
        if (!nameArg || !defArg) continue;
        let variable: string | undefined;
        if (bound) {
          const [a, b] = args[0];
          if (isPunct(t[a], '&') && b - a === 2 && isIdent(t[a + 1])) variable = t[a + 1].value;
        } else if ((isPunct(t[i - 1], ':=') || isPunct(t[i - 1], '=')) && isIdent(t[i - 2])) {
          variable = t[i - 2].value;
        }
        const flag: GoFlag = {
          name: nameArg[1] - nameArg[0] === 1 && t[nameArg[0]].kind === 'string' ? t[nameArg[0]].value : undefined,
          type: bound ? method.slice(0, -3) : method,
          file: f.file,
          range: f.lx.lines.range(t[i].start, t[close].end),
          default: { kind: 'unknown' },
          env: undefined,
          envUnknown: false,
          variable,
          pointer: !bound,
        };
        list.push(flag);
        if (variable !== undefined && !this.flagsByVariable.has(`${flag.pointer ? 'p' : 'v'}:${variable}`)) this.flagsByVariable.set(`${flag.pointer ? 'p' : 'v'}:${variable}`, flag);
        if (flag.name !== undefined && !this.flagsByName.has(flag.name)) this.flagsByName.set(flag.name, flag);
        // Evaluated after the push: a default may name another flag's variable.
        const def = this.evaluate(f, defArg[0], defArg[1]);
        if (def.kind === 'env') {
          flag.env = { name: def.name, via: 'default' };
          flag.default = def.fallback ?? { kind: 'unknown' };
        } else {
          flag.default = def;
          // A default computed by code we cannot read may still read the environment.
          if (def.kind === 'unknown' && this.mentionsEnv(f, defArg[0], defArg[1])) flag.envUnknown = true;
        }
      }
    }
    this.findOverrides(list);
    return list;
  }

  private flagByVariable(name: string, pointer: boolean): GoFlag | undefined {
    this.flags();
    return this.flagsByVariable.get(`${pointer ? 'p' : 'v'}:${name}`);
  }

  /** Does the expression call os.Getenv/LookupEnv, or a function we could not read? */
  private mentionsEnv(f: GoFile, from: number, to: number): boolean {
    const t = f.t;
    for (let i = from; i < to; i++) {
      if (isIdent(t[i], 'Getenv') || isIdent(t[i], 'LookupEnv') || isIdent(t[i], 'Environ')) return true;
      if (isIdent(t[i]) && isPunct(t[i + 1], '(') && !this.helpers.has(t[i].value)) return true;
    }
    return false;
  }

  /** `flag.Set("dbUrl", os.Getenv("APP_DB_URL"))`, or `*dbURL = v` after `os.LookupEnv("APP_DB_URL")`. */
  private findOverrides(list: GoFlag[]): void {
    for (const f of this.files) {
      const t = f.t;
      for (let i = 0; i < t.length; i++) {
        // X.Set("name", value)
        if (isPunct(t[i], '.') && isIdent(t[i + 1], 'Set') && isPunct(t[i + 2], '(') && t[i + 3]?.kind === 'string' && isPunct(t[i + 4], ',')) {
          const close = matching(t, i + 2);
          const flag = this.flagsByName.get(t[i + 3].value);
          if (!flag || close < 0) continue;
          const env = this.envNameIn(f, i + 5, close);
          if (env) flag.env = { name: env, via: 'Set' };
          else flag.envUnknown = true;
          continue;
        }
        // *ptr = ...  |  bound = ... (not the declaration itself)
        let flag: GoFlag | undefined;
        if (isPunct(t[i], '*') && isIdent(t[i + 1]) && isPunct(t[i + 2], '=') && (isPunct(t[i - 1], ';') || isPunct(t[i - 1], '{'))) {
          flag = this.flagByVariable(t[i + 1].value, true);
        } else if (isIdent(t[i]) && isPunct(t[i + 1], '=') && (isPunct(t[i - 1], ';') || isPunct(t[i - 1], '{'))) {
          flag = this.flagByVariable(t[i].value, false);
        }
        if (!flag) continue;
        // The environment read that feeds it: in the assignment, or in the `if` header around it.
        const stmtEnd = f.stmtEnd(i);
        const fromLine = Math.max(0, f.lx.lines.lineOf(t[i].start) - 2);
        let from = i;
        while (from > 0 && f.lx.lines.lineOf(t[from - 1].start) >= fromLine) from--;
        const env = this.envNameIn(f, from, stmtEnd);
        if (env) flag.env = flag.env ?? { name: env, via: 'assignment' };
        else flag.envUnknown = true;
      }
    }
  }

  private envNameIn(f: GoFile, from: number, to: number): string | undefined {
    const t = f.t;
    const os = f.pkg('os');
    for (let i = from; i < to; i++) {
      if (f.isCall(i, os, ['Getenv', 'LookupEnv']) && t[i + 4]?.kind === 'string') return t[i + 4].value;
      if (isIdent(t[i]) && isPunct(t[i + 1], '(') && this.helpers.has(t[i].value)) {
        const close = matching(t, i + 1);
        const key = splitArgs(t, i + 2, close)[this.helpers.get(t[i].value)!.keyIndex];
        if (key && t[key[0]].kind === 'string') return t[key[0]].value;
      }
    }
    return undefined;
  }

  /** flag.VisitAll(func ...{ ... os.Getenv ... }): every flag may come from the environment under some name. */
  envBridge(): boolean {
    for (const f of this.files) {
      const t = f.t;
      for (let i = 0; i < t.length; i++) {
        if (!isIdent(t[i], 'VisitAll') && !isIdent(t[i], 'Visit')) continue;
        if (!isPunct(t[i + 1], '(')) continue;
        const close = matching(t, i + 1);
        if (close < 0) return true;
        for (let k = i + 2; k < close; k++) if (isIdent(t[k], 'Getenv') || isIdent(t[k], 'LookupEnv') || isIdent(t[k], 'Environ')) return true;
        // The visitor may be a named function that reads the environment.
        for (let k = i + 2; k < close; k++) {
          const fn = isIdent(t[k]) ? this.funcNamed(t[k].value) : undefined;
          if (fn && fn.file.t.slice(fn.fn.bodyFrom, fn.fn.bodyTo).some((x) => isIdent(x, 'Getenv') || isIdent(x, 'LookupEnv'))) return true;
        }
      }
    }
    return false;
  }

  private funcNamed(name: string): { file: GoFile; fn: FuncDecl } | undefined {
    for (const file of this.files) for (const fn of file.funcs) if (fn.name === name) return { file, fn };
    return undefined;
  }

  listens(): GoListen[] {
    const out: GoListen[] = [];
    for (const f of this.files) {
      const t = f.t;
      const http = f.pkg('net/http');
      const net = f.pkg('net');
      for (let i = 0; i < t.length; i++) {
        let addr: [number, number] | undefined;
        let end = i;
        if (f.isCall(i, http, ['ListenAndServe', 'ListenAndServeTLS'])) {
          const close = matching(t, i + 3);
          if (close < 0) continue;
          addr = splitArgs(t, i + 4, close)[0];
          end = close;
        } else if (f.isCall(i, net, ['Listen'])) {
          const close = matching(t, i + 3);
          if (close < 0) continue;
          const args = splitArgs(t, i + 4, close);
          if (args.length < 2 || !(t[args[0][0]].kind === 'string' && /^tcp[46]?$/.test(t[args[0][0]].value))) continue;
          addr = args[1];
          end = close;
        } else if (isIdent(t[i], 'Addr') && isPunct(t[i + 1], ':') && this.inHttpServerLiteral(f, i)) {
          // http.Server{Addr: ...}
          const stop = splitArgs(t, i + 2, f.stmtEnd(i + 2))[0];
          if (!stop) continue;
          addr = stop;
          end = stop[1] - 1;
        } else continue;
        if (!addr) continue;
        const { host, port } = this.address(f, addr[0], addr[1]);
        out.push({ file: f.file, range: f.lx.lines.range(t[i].start, t[end].end), host, port });
      }
    }
    return out;
  }

  private inHttpServerLiteral(f: GoFile, at: number): boolean {
    const t = f.t;
    let depth = 0;
    for (let i = at - 1; i >= 0; i--) {
      if (isPunct(t[i], '}')) depth++;
      else if (isPunct(t[i], '{')) {
        if (depth === 0) return isIdent(t[i - 1], 'Server') && isPunct(t[i - 2], '.');
        depth--;
      }
    }
    return false;
  }

  /** Split an address expression into host and port. */
  address(f: GoFile, from: number, to: number): { host: AddrPart; port: AddrPart } {
    const unknown: { host: AddrPart; port: AddrPart } = { host: { kind: 'unknown' }, port: { kind: 'unknown' } };
    const pieces = this.pieces(f, from, to, 0);
    const locate = (file: string, start: number, end: number) => locIn(this.files, file, start, end);
    return (pieces && splitAddress(pieces, locate)) ?? unknown;
  }

  /** An address expression as a list of pieces: literal text and opaque values (`":" + *port`). */
  private pieces(f: GoFile, from: number, to: number, depth: number): Piece[] | undefined {
    const t = f.t;
    if (depth > 8 || from >= to) return undefined;
    if (isPunct(t[from], '(') && matching(t, from) === to - 1) return this.pieces(f, from + 1, to - 1, depth + 1);
    // a + b + c
    const plus: number[] = [];
    let d = 0;
    for (let i = from; i < to; i++) {
      const tok = t[i];
      if (tok.kind !== 'punct') continue;
      if ('([{'.includes(tok.value)) d++;
      else if (')]}'.includes(tok.value)) d--;
      else if (d === 0 && tok.value === '+') plus.push(i);
    }
    if (plus.length > 0) {
      const out: Piece[] = [];
      let start = from;
      for (const p of [...plus, to]) {
        const sub = this.pieces(f, start, p, depth + 1);
        if (!sub) return undefined;
        pushAll(out, sub);
        start = p + 1;
      }
      return out;
    }
    const fmt = f.pkg('fmt');
    const net = f.pkg('net');
    if (f.isCall(from, net, ['JoinHostPort']) && matching(t, from + 3) === to - 1) {
      const args = splitArgs(t, from + 4, to - 1);
      if (args.length !== 2) return undefined;
      const host = this.pieces(f, args[0][0], args[0][1], depth + 1);
      const port = this.pieces(f, args[1][0], args[1][1], depth + 1);
      if (!host || !port) return undefined;
      return [...host, { text: ':', value: undefined }, ...port];
    }
    if (f.isCall(from, fmt, ['Sprintf']) && matching(t, from + 3) === to - 1) {
      const args = splitArgs(t, from + 4, to - 1);
      const format = args[0] && args[0][1] - args[0][0] === 1 && t[args[0][0]].kind === 'string' ? t[args[0][0]].value : undefined;
      if (format === undefined) return undefined;
      const out: Piece[] = [];
      const re = /%([-+# 0]*\d*)([sdv])|%%/g;
      let last = 0;
      let argIndex = 1;
      let m: RegExpExecArray | null;
      while ((m = re.exec(format))) {
        if (m.index > last) out.push({ text: format.slice(last, m.index), value: undefined });
        if (m[0] === '%%') out.push({ text: '%', value: undefined });
        else {
          const arg = args[argIndex++];
          if (!arg) return undefined;
          const sub = this.pieces(f, arg[0], arg[1], depth + 1);
          if (!sub) return undefined;
          pushAll(out, sub);
        }
        last = re.lastIndex;
      }
      if (last < format.length) out.push({ text: format.slice(last), value: undefined });
      return out;
    }
    // An identifier bound to an address expression: follow it.
    if (to - from === 1 && isIdent(t[from]) && !this.flagByVariable(t[from].value, true) && !this.flagByVariable(t[from].value, false)) {
      const b = this.binding(t[from].value);
      if (b) return this.pieces(b.file, b.from, b.to, depth + 1);
    }
    const v = this.evaluate(f, from, to, depth + 1);
    if (v.kind === 'string') return [{ text: v.value, value: v }];
    if (v.kind === 'number') return [{ text: String(v.value), value: v }];
    if (v.kind === 'unknown') return [{ text: undefined, value: v }];
    return [{ text: undefined, value: v }];
  }

  writeDirs(): GoWriteDir[] {
    const dirs: GoWriteDir[] = [];
    const byPath = new Map<string, GoWriteDir>();
    const add = (p: Resolved, created: boolean, at: Loc | undefined) => {
      let d = byPath.get(p.path);
      if (!d) {
        d = { path: p.path, loc: p.loc, flag: p.flag, env: p.env, created: false, writes: [] };
        dirs.push(d);
        byPath.set(p.path, d);
      }
      if (created) d.created = true;
      else if (at) d.writes.push(at);
    };
    for (const f of this.files) {
      const t = f.t;
      const os = f.pkg('os');
      const ioutil = f.pkg('io/ioutil');
      for (let i = 0; i < t.length; i++) {
        const mk = f.isCall(i, os, ['MkdirAll', 'Mkdir']);
        const file = f.isCall(i, os, ['Create', 'OpenFile', 'WriteFile']) || f.isCall(i, ioutil, ['WriteFile']);
        const temp = f.isCall(i, os, ['CreateTemp', 'MkdirTemp']) || f.isCall(i, ioutil, ['TempFile', 'TempDir']);
        if (!mk && !file && !temp) continue;
        const close = matching(t, i + 3);
        if (close < 0) continue;
        const arg = splitArgs(t, i + 4, close)[0];
        if (!arg) continue;
        const at = f.loc(t[i].start, t[close].end);
        const dir = mk || temp ? this.pathValue(f, arg[0], arg[1]) : this.dirOf(f, arg[0], arg[1]);
        // `os.CreateTemp("", ...)` writes to the system temp folder, not a folder of the app's.
        if (!dir || dir.path === '') continue;
        add(dir, mk, at);
      }
    }
    return dirs.filter((d) => d.writes.length > 0 || d.created);
  }

  /** The folder of a file path expression: filepath.Join(dir, name), dir + "/" + name, "./upload/x". */
  private dirOf(f: GoFile, from: number, to: number): Resolved | undefined {
    const t = f.t;
    const fp = f.pkg('path/filepath');
    const pp = f.pkg('path');
    if ((f.isCall(from, fp, ['Join']) || f.isCall(from, pp, ['Join'])) && matching(t, from + 3) === to - 1) {
      const args = splitArgs(t, from + 4, to - 1);
      if (args.length < 2) return undefined;
      const parts = args.slice(0, -1).map(([a, b]) => this.pathValue(f, a, b));
      if (parts.some((p) => !p)) return undefined;
      const first = parts[0]!;
      // One folder argument keeps its spelling (`./upload`); several are joined as Go joins them.
      return parts.length === 1 ? first : { ...first, path: path.posix.join(...parts.map((p) => p!.path)) };
    }
    const pieces = this.pieces(f, from, to, 0);
    if (!pieces || pieces.length < 2) return undefined;
    // dir + "/" + name: everything before the last "/" in literal text.
    let lastSlash = -1;
    pieces.forEach((p, k) => {
      if (p.text !== undefined && p.text.includes('/')) lastSlash = k;
    });
    if (lastSlash < 0) return undefined;
    const head = pieces.slice(0, lastSlash);
    const slashPiece = pieces[lastSlash];
    const before = slashPiece.text!.slice(0, slashPiece.text!.lastIndexOf('/'));
    if (head.length === 0) return before ? { path: before, loc: undefined, flag: undefined, env: undefined } : undefined;
    if (head.length === 1 && before === '') {
      const v = head[0].value;
      return v ? this.resolvedOf(v) : undefined;
    }
    return undefined;
  }

  private pathValue(f: GoFile, from: number, to: number): Resolved | undefined {
    return this.resolvedOf(this.evaluate(f, from, to));
  }

  private resolvedOf(v: GoValue): Resolved | undefined {
    const literal = (x: GoValue): { path: string; loc: Loc | undefined } | undefined =>
      x.kind === 'string' ? { path: x.value, loc: locIn(this.files, x.file, x.start, x.end) } : undefined;
    if (v.kind === 'string') return { ...literal(v)!, flag: undefined, env: undefined };
    if (v.kind === 'flag') {
      const lit = literal(v.flag.default);
      return lit ? { ...lit, flag: v.flag, env: v.flag.env?.name } : undefined;
    }
    if (v.kind === 'env' && v.fallback) {
      const lit = literal(v.fallback);
      return lit ? { ...lit, flag: undefined, env: v.name } : undefined;
    }
    return undefined;
  }

  envReads(): string[] {
    const names = new Set<string>();
    for (const f of this.files) {
      const os = f.pkg('os');
      for (let i = 0; i < f.t.length; i++) if (f.isCall(i, os, ['Getenv', 'LookupEnv']) && f.t[i + 4]?.kind === 'string') names.add(f.t[i + 4].value);
      for (let i = 0; i < f.t.length; i++) {
        const h = isIdent(f.t[i]) && isPunct(f.t[i + 1], '(') ? this.helpers.get(f.t[i].value) : undefined;
        if (!h) continue;
        const key = splitArgs(f.t, i + 2, matching(f.t, i + 1))[h.keyIndex];
        if (key && f.t[key[0]].kind === 'string') names.add(f.t[key[0]].value);
      }
    }
    return [...names].sort();
  }
}

interface Resolved {
  path: string;
  loc: Loc | undefined;
  flag: GoFlag | undefined;
  env: string | undefined;
}

interface Piece {
  /** Literal text, when the piece is known text. */
  text: string | undefined;
  value: GoValue | undefined;
}

function locIn(files: GoFile[], file: string, start: number, end: number): Loc | undefined {
  const f = files.find((x) => x.file === file);
  return f ? f.loc(start, end) : undefined;
}

type Locate = (file: string, start: number, end: number) => Loc | undefined;

/** `host:port` from pieces: split at the last `:` of literal text; each side one value or literal text. */
function splitAddress(pieces: Piece[], locate: Locate): { host: AddrPart; port: AddrPart } | undefined {
  let at = -1;
  pieces.forEach((p, k) => {
    if (p.text !== undefined && p.text.includes(':')) at = k;
  });
  if (at < 0) {
    // No literal colon: a single value holding the whole address (a flag like -addr=":9999").
    if (pieces.length === 1 && pieces[0].value) return wholeAddress(pieces[0].value, locate);
    return undefined;
  }
  const colonPiece = pieces[at];
  const text = colonPiece.text!;
  const idx = text.lastIndexOf(':');
  const hostText = text.slice(0, idx);
  const portText = text.slice(idx + 1);
  // Text on both sides of the colon in one piece, and more pieces beyond it: not an address we can read.
  if (hostText !== '' && pieces.slice(0, at).some((p) => p.text !== '')) return undefined;
  if (portText !== '' && pieces.slice(at + 1).some((p) => p.text !== '')) return undefined;
  const literalSide = (s: string, offset: number): AddrPart => {
    const v = colonPiece.value;
    // Inside an exact string literal the text has its own range (+1 for the opening quote).
    const loc = v && v.kind === 'string' && v.exact ? locate(v.file, v.start + 1 + offset, v.start + 1 + offset + s.length) : undefined;
    return { kind: 'literal', value: s, loc };
  };
  /** One side of the colon: its own text in the colon's piece, else the one piece beyond it, else empty text at `emptyAt`. */
  const side = (list: Piece[], own: AddrPart | undefined, emptyAt: number): AddrPart => {
    if (own) return own;
    const nonEmpty = list.filter((p) => p.text !== '');
    if (nonEmpty.length === 1) return partOf(nonEmpty[0], locate);
    if (nonEmpty.length === 0) return literalSide('', emptyAt);
    return { kind: 'unknown' };
  };
  const bracketed = hostText.startsWith('[') && hostText.endsWith(']');
  const host = side(pieces.slice(0, at), hostText !== '' ? literalSide(bracketed ? hostText.slice(1, -1) : hostText, bracketed ? 1 : 0) : undefined, 0);
  const port = side(pieces.slice(at + 1), portText !== '' ? literalSide(portText, idx + 1) : undefined, idx + 1);
  return { host, port };
}

function partOf(p: Piece, locate: Locate): AddrPart {
  const v = p.value;
  if (!v) return p.text !== undefined ? { kind: 'literal', value: p.text, loc: undefined } : { kind: 'unknown' };
  if (v.kind === 'string' || v.kind === 'number') return { kind: 'literal', value: String(v.value), loc: locate(v.file, v.start, v.end), quoted: v.kind === 'string' };
  if (v.kind === 'env') return { kind: 'env', name: v.name, fallback: fallbackText(v.fallback) };
  if (v.kind === 'flag') {
    const flag = v.flag;
    if (flag.env) return { kind: 'env', name: flag.env.name, fallback: fallbackText(flag.default), flag };
    const def = fallbackText(flag.default);
    const d = flag.default;
    const loc = d.kind === 'string' || d.kind === 'number' ? locate(d.file, d.start, d.end) : undefined;
    return def !== undefined && !flag.envUnknown ? { kind: 'literal', value: def, loc, flag } : { kind: 'unknown', flag };
  }
  return { kind: 'unknown' };
}

/** A value that is the whole address (a flag `-addr` with default ":9999"). */
function wholeAddress(v: GoValue, locate: Locate): { host: AddrPart; port: AddrPart } | undefined {
  let text: string | undefined;
  let flag: GoFlag | undefined;
  let env: string | undefined;
  if (v.kind === 'string') text = v.value;
  else if (v.kind === 'flag') {
    flag = v.flag;
    text = fallbackText(v.flag.default);
    env = v.flag.env?.name;
    if (v.flag.envUnknown) return { host: { kind: 'unknown', flag }, port: { kind: 'unknown', flag } };
  } else if (v.kind === 'env') {
    env = v.name;
    text = fallbackText(v.fallback);
  }
  if (text === undefined || !text.includes(':')) return undefined;
  const idx = text.lastIndexOf(':');
  const host = text.slice(0, idx).replace(/^\[|\]$/g, '');
  const port = text.slice(idx + 1);
  if (env) return { host: { kind: 'env', name: env, fallback: host, flag }, port: { kind: 'env', name: env, fallback: port, flag } };
  const lit = v.kind === 'string' ? v : v.kind === 'flag' && v.flag.default.kind === 'string' ? v.flag.default : undefined;
  const at = (offset: number, s: string) => (lit && lit.exact ? locate(lit.file, lit.start + 1 + offset, lit.start + 1 + offset + s.length) : undefined);
  return { host: { kind: 'literal', value: host, loc: at(0, host), flag }, port: { kind: 'literal', value: port, loc: at(idx + 1, port), flag } };
}

function fallbackText(v: GoValue | undefined): string | undefined {
  if (!v) return undefined;
  if (v.kind === 'string') return v.value;
  if (v.kind === 'number') return String(v.value);
  return undefined;
}

/** A helper like `envOr(key, def string) string` that returns os.Getenv/LookupEnv(key), or def. */
function envHelperOf(f: GoFile, fn: FuncDecl): EnvHelper | undefined {
  const t = f.t;
  const os = f.pkg('os');
  let keyIndex = -1;
  for (let i = fn.bodyFrom; i < fn.bodyTo; i++) {
    if (f.isCall(i, os, ['Getenv', 'LookupEnv']) && isIdent(t[i + 4]) && isPunct(t[i + 5], ')')) {
      const k = fn.params.indexOf(t[i + 4].value);
      if (k >= 0) {
        keyIndex = k;
        break;
      }
    }
  }
  if (keyIndex < 0) return undefined;
  // The fallback: another parameter the helper returns.
  let fallbackIndex: number | undefined;
  for (let i = fn.bodyFrom; i < fn.bodyTo; i++) {
    if (!isIdent(t[i], 'return')) continue;
    const end = f.stmtEnd(i + 1);
    for (let k = i + 1; k < end; k++) {
      const p = isIdent(t[k]) ? fn.params.indexOf(t[k].value) : -1;
      if (p >= 0 && p !== keyIndex) fallbackIndex = p;
    }
  }
  return { keyIndex, fallbackIndex };
}

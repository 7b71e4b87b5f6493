/**
 * Facts about a Node.js project, read from its sources rather than from what the developers claim:
 * package.json (main, scripts, dependencies), and from the entry file and the local modules it
 * requires: the port and host it listens on, the environment variables it reads, and the values a
 * `FIXME:` comment marks as hardcoded (HMAC_ALGO, HMAC_SECRET). Token patterns, no parser: what the
 * patterns cannot read with certainty is `unknown`, and rules stay silent about it.
 */
import * as path from 'path';
import type { ProjectFiles } from '../project';
import type { Range } from '../types';
import { Lexed, Token, isIdent, isPunct, lex, matching, splitArgs } from './lexer';
import { memoByContent, memoByProject } from './cache';
import { pushAll } from '../arrays';

/** A place in a project file (path relative to the Dockerfile's folder). */
export interface Loc {
  file: string;
  range: Range;
}

export interface PackageInfo {
  main: string | undefined;
  scripts: Record<string, string>;
  dependencies: string[];
  devDependencies: string[];
}

/** A value a source file computes; literals carry where they are written. */
export type JsValue =
  | { kind: 'number'; value: number; loc: Loc; start: number; end: number }
  | { kind: 'string'; value: string; loc: Loc; start: number; end: number; quote: string }
  | { kind: 'env'; name: string; loc: Loc; fallback?: Extract<JsValue, { kind: 'number' | 'string' }> }
  | { kind: 'function' }
  | { kind: 'unknown' };

export type PortFact =
  | { kind: 'literal'; value: number; loc: Loc }
  | { kind: 'env'; name: string; fallback: number | undefined; loc: Loc }
  | { kind: 'unknown' };

export type HostFact =
  /** No host argument: Node listens on every interface. */
  | { kind: 'all' }
  | { kind: 'literal'; value: string; loc: Loc; quote: string }
  | { kind: 'env'; name: string; fallback: { value: string; loc: Loc; quote: string } | undefined; loc: Loc }
  | { kind: 'unknown' };

export interface ListenFact {
  file: string;
  /** `listen(...)`, from the name to the closing parenthesis. */
  range: Range;
  port: PortFact;
  host: HostFact;
}

export interface EnvRead {
  name: string;
  loc: Loc;
  /** `process.env.X || 'default'` (or `??`). */
  hasDefault: boolean;
}

export type HmacVariable = 'HMAC_ALGO' | 'HMAC_SECRET';

export interface HardcodedValue {
  variable: HmacVariable;
  /** The `FIXME:` comment. */
  comment: Loc & { text: string };
  /** The comment's own line (with its line break) when nothing else is on it, else the trailing comment. */
  commentRemoval: Range;
  /** The hardcoded string literal. */
  literal: Loc & { raw: string; value: string; quote: string };
  /** The literal is the whole value (`const x = 'v'`, a call argument): replacing it is a safe fix. */
  wholeValue: boolean;
  /** The code already reads the variable and the literal is only its fallback (`process.env.X || 'v'`). */
  fallbackOf: { name: string; end: number } | undefined;
  /** For fallbacks: the range from the end of `process.env.X` to the end of the literal. */
  fallbackRange: Range | undefined;
}

export interface NodeFacts {
  packageJson: PackageInfo | undefined;
  /** package.json exists but is not valid JSON. */
  packageJsonError: boolean;
  /** The file `node` runs: `main` from package.json, else index.js; undefined when it does not exist. */
  entry: string | undefined;
  /** Files read: the entry and the local modules it requires. */
  files: string[];
  /** Every file was found and read cleanly, and no require was dynamic. */
  complete: boolean;
  listens: ListenFact[];
  envReads: EnvRead[];
  /** `process.env[name]` or `process.env` passed on whole: any variable may be read. */
  dynamicEnv: boolean;
  hardcoded: HardcodedValue[];
}

/** Facts of the project around a Dockerfile; computed once per check, files lexed once per content. */
export function nodeFacts(project: ProjectFiles, entryOverride?: string): NodeFacts {
  return memoByProject(project, `node:${entryOverride ?? ''}`, (p) => computeNodeFacts(p, entryOverride));
}

export function readPackageInfo(text: string): PackageInfo | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const obj = raw as Record<string, unknown>;
  const strings = (v: unknown): Record<string, string> => {
    const out: Record<string, string> = {};
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
    return out;
  };
  return {
    main: typeof obj.main === 'string' ? obj.main : undefined,
    scripts: strings(obj.scripts),
    dependencies: Object.keys(strings(obj.dependencies)),
    devDependencies: Object.keys(strings(obj.devDependencies)),
  };
}

const MAX_FILES = 25;

function computeNodeFacts(project: ProjectFiles, entryOverride: string | undefined): NodeFacts {
  const pkgText = project.read('package.json');
  const packageJson = pkgText === undefined ? undefined : readPackageInfo(pkgText);
  const facts: NodeFacts = {
    packageJson,
    packageJsonError: pkgText !== undefined && packageJson === undefined,
    entry: undefined,
    files: [],
    complete: true,
    listens: [],
    envReads: [],
    dynamicEnv: false,
    hardcoded: [],
  };
  const wanted = entryOverride ?? packageJson?.main ?? 'index.js';
  const entry = resolveModule(project, '', wanted);
  if (!entry) {
    facts.complete = false;
    return facts;
  }
  facts.entry = entry;
  const queue = [entry];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = project.read(file);
    if (text === undefined) {
      facts.complete = false;
      continue;
    }
    facts.files.push(file);
    const parsed = parseJsFile(file, text);
    if (!parsed.ok) facts.complete = false;
    pushAll(facts.listens, parsed.listens);
    pushAll(facts.envReads, parsed.envReads);
    pushAll(facts.hardcoded, parsed.hardcoded);
    if (parsed.dynamicEnv) facts.dynamicEnv = true;
    if (parsed.dynamicRequire) facts.complete = false;
    for (const spec of parsed.requires) {
      const next = resolveModule(project, path.posix.dirname(file), spec);
      if (!next) {
        facts.complete = false;
        continue;
      }
      if (seen.has(next)) continue;
      if (seen.size >= MAX_FILES) {
        facts.complete = false;
        break;
      }
      seen.add(next);
      queue.push(next);
    }
  }
  return facts;
}

/** Node's resolution of a relative module (file, +.js/.cjs/.mjs/.json, folder/index.js), relative to the project. */
function resolveModule(project: ProjectFiles, fromDir: string, spec: string): string | undefined {
  const base = path.posix.normalize(path.posix.join(fromDir || '.', spec.replace(/\\/g, '/'))).replace(/^\.\//, '');
  if (base.startsWith('../') || base === '..') return undefined;
  const candidates = [base, `${base}.js`, `${base}.cjs`, `${base}.mjs`, `${base}/index.js`];
  for (const c of candidates) {
    if (!/\.(?:c|m)?js$/.test(c)) continue;
    if (project.read(c) !== undefined) return c;
  }
  return undefined;
}

interface ParsedJs {
  ok: boolean;
  listens: ListenFact[];
  envReads: EnvRead[];
  hardcoded: HardcodedValue[];
  dynamicEnv: boolean;
  requires: string[];
  dynamicRequire: boolean;
}

/** Per-file facts, cached by the file's path and content. */
export function parseJsFile(file: string, text: string): ParsedJs {
  return memoByContent(`js:${file}`, text, () => new JsFile(file, lex(text, 'js')).facts());
}

interface Binding {
  /** Token range of the initializer. */
  from: number;
  to: number;
  kind: 'value' | 'function';
}

const NUMBER_WRAPPERS = new Set(['Number', 'parseInt', 'parseFloat', 'String']);

class JsFile {
  private readonly t: Token[];
  private readonly bindings = new Map<string, Binding[]>();
  private readonly reassigned = new Set<string>();

  constructor(
    private readonly file: string,
    private readonly lx: Lexed,
  ) {
    this.t = lx.tokens;
    this.collectBindings();
  }

  facts(): ParsedJs {
    const { requires, dynamicRequire } = this.requires();
    const env = this.envReads();
    return {
      ok: this.lx.ok,
      listens: this.listens(),
      envReads: env.reads,
      dynamicEnv: env.dynamic,
      hardcoded: this.hardcoded(),
      requires,
      dynamicRequire,
    };
  }

  private loc(start: number, end: number): Loc {
    return { file: this.file, range: this.lx.lines.range(start, end) };
  }

  /** `const|let|var NAME = expr`, `function NAME(`; names assigned again later are not constants. */
  private collectBindings(): void {
    const t = this.t;
    for (let i = 0; i < t.length; i++) {
      const tok = t[i];
      if (tok.kind !== 'ident') continue;
      if ((tok.value === 'const' || tok.value === 'let' || tok.value === 'var') && isIdent(t[i + 1]) && isPunct(t[i + 2], '=')) {
        const from = i + 3;
        const to = this.exprEnd(from);
        this.addBinding(t[i + 1].value, { from, to, kind: this.isFunctionExpr(from, to) ? 'function' : 'value' });
        i = i + 2;
      } else if (tok.value === 'function' && isIdent(t[i + 1]) && isPunct(t[i + 2], '(')) {
        this.addBinding(t[i + 1].value, { from: i, to: i + 1, kind: 'function' });
      } else if (
        isPunct(t[i + 1], '=') ||
        (t[i + 1]?.kind === 'punct' && ['+=', '-=', '||=', '??=', '&&=', '++', '--'].includes(t[i + 1].value))
      ) {
        // A plain assignment (not a declaration, not a property): the name does not hold one value.
        const prev = t[i - 1];
        const declared = prev && prev.kind === 'ident' && (prev.value === 'const' || prev.value === 'let' || prev.value === 'var');
        if (!declared && !isPunct(prev, '.') && !isPunct(prev, '?.')) this.reassigned.add(tok.value);
      }
    }
  }

  private addBinding(name: string, b: Binding): void {
    const list = this.bindings.get(name);
    if (list) list.push(b);
    else this.bindings.set(name, [b]);
  }

  private binding(name: string): Binding | undefined {
    const list = this.bindings.get(name);
    if (!list || list.length !== 1 || this.reassigned.has(name)) return undefined;
    return list[0];
  }

  private isFunctionExpr(from: number, to: number): boolean {
    const t = this.t;
    let i = from;
    if (isIdent(t[i], 'async')) i++;
    if (isIdent(t[i], 'function')) return true;
    if (isIdent(t[i]) && isPunct(t[i + 1], '=>')) return true;
    if (isPunct(t[i], '(')) {
      const close = matching(t, i);
      return close > 0 && close < to && isPunct(t[close + 1], '=>');
    }
    return false;
  }

  /**
   * End (exclusive) of an expression starting at `from`: a top-level `;` or `,`, a closing bracket of
   * an enclosing construct, or a line break where the expression is complete (automatic semicolons).
   */
  private exprEnd(from: number): number {
    const t = this.t;
    let depth = 0;
    for (let i = from; i < t.length; i++) {
      const tok = t[i];
      if (tok.kind === 'punct') {
        if (tok.value === '(' || tok.value === '[' || tok.value === '{') depth++;
        else if (tok.value === ')' || tok.value === ']' || tok.value === '}') {
          if (depth === 0) return i;
          depth--;
        } else if (depth === 0 && (tok.value === ';' || tok.value === ',')) return i;
      }
      if (depth === 0 && i > from) {
        const prev = t[i - 1];
        const newLine = this.lx.lines.lineOf(prev.end) !== this.lx.lines.lineOf(tok.start);
        const prevOpen = prev.kind === 'punct' && !['++', '--', ')', ']', '}'].includes(prev.value);
        const continues = tok.kind === 'punct' && !['(', '[', '{', '!', '++', '--', '+', '-', '`'].includes(tok.value);
        if (newLine && !prevOpen && !continues) return i;
      }
    }
    return t.length;
  }

  /** What the expression tokens[from, to) evaluate to, as far as it can be known. */
  evaluate(from: number, to: number, depth = 0): JsValue {
    const t = this.t;
    const unknown: JsValue = { kind: 'unknown' };
    if (depth > 8 || from >= to) return unknown;
    // Strip wrapping parentheses.
    if (isPunct(t[from], '(') && matching(t, from) === to - 1) return this.evaluate(from + 1, to - 1, depth + 1);
    // `a || b`, `a ?? b`: the environment with a fallback, or the first literal.
    let d = 0;
    for (let i = from; i < to; i++) {
      const tok = t[i];
      if (tok.kind !== 'punct') continue;
      if (tok.value === '(' || tok.value === '[' || tok.value === '{') d++;
      else if (tok.value === ')' || tok.value === ']' || tok.value === '}') d--;
      else if (d === 0 && (tok.value === '?' || tok.value === ':')) return unknown;
      else if (d === 0 && (tok.value === '||' || tok.value === '??')) {
        const left = this.evaluate(from, i, depth + 1);
        const right = this.evaluate(i + 1, to, depth + 1);
        if (left.kind === 'env' && !left.fallback && (right.kind === 'number' || right.kind === 'string')) return { ...left, fallback: right };
        if ((left.kind === 'number' && left.value !== 0) || (left.kind === 'string' && left.value !== '')) return left;
        return unknown;
      }
    }
    const first = t[from];
    if (to - from === 1) {
      if (first.kind === 'number') {
        const value = Number(first.value.replace(/_/g, ''));
        return Number.isFinite(value) ? { kind: 'number', value, loc: this.loc(first.start, first.end), start: first.start, end: first.end } : unknown;
      }
      if (first.kind === 'string') return { kind: 'string', value: first.value, loc: this.loc(first.start, first.end), start: first.start, end: first.end, quote: first.quote ?? "'" };
      if (first.kind === 'ident') {
        const b = this.binding(first.value);
        if (!b) return unknown;
        return b.kind === 'function' ? { kind: 'function' } : this.evaluate(b.from, b.to, depth + 1);
      }
      return unknown;
    }
    const env = this.envAt(from);
    if (env && env.next === to) return { kind: 'env', name: env.name, loc: this.loc(t[from].start, t[env.next - 1].end) };
    // Number(x), parseInt(x, 10), +x: the value of x (a port is a port, as a number or as text).
    if (first.kind === 'ident' && NUMBER_WRAPPERS.has(first.value) && isPunct(t[from + 1], '(') && matching(t, from + 1) === to - 1) {
      const args = splitArgs(t, from + 2, to - 1);
      return args.length >= 1 ? this.evaluate(args[0][0], args[0][1], depth + 1) : unknown;
    }
    if (isPunct(first, '+')) return this.evaluate(from + 1, to, depth + 1);
    if (this.isFunctionExpr(from, to)) return { kind: 'function' };
    return unknown;
  }

  /** `process.env.NAME` or `process.env['NAME']` at `i`: the name and the index after it. */
  private envAt(i: number): { name: string; next: number } | undefined {
    const t = this.t;
    if (!isIdent(t[i], 'process') || !isPunct(t[i + 1], '.') || !isIdent(t[i + 2], 'env')) return undefined;
    if (isPunct(t[i - 1], '.')) return undefined;
    if ((isPunct(t[i + 3], '.') || isPunct(t[i + 3], '?.')) && isIdent(t[i + 4])) return { name: t[i + 4].value, next: i + 5 };
    if (isPunct(t[i + 3], '[') && t[i + 4]?.kind === 'string' && isPunct(t[i + 5], ']')) return { name: t[i + 4].value, next: i + 6 };
    return undefined;
  }

  private listens(): ListenFact[] {
    const t = this.t;
    const out: ListenFact[] = [];
    for (let i = 1; i < t.length; i++) {
      if (!isIdent(t[i], 'listen') || !(isPunct(t[i - 1], '.') || isPunct(t[i - 1], '?.')) || !isPunct(t[i + 1], '(')) continue;
      const close = matching(t, i + 1);
      if (close < 0) continue;
      const args = splitArgs(t, i + 2, close);
      const range = this.lx.lines.range(t[i].start, t[close].end);
      if (args.length === 0) continue;
      let port: PortFact = { kind: 'unknown' };
      let host: HostFact = { kind: 'unknown' };
      const [a0from, a0to] = args[0];
      if (isPunct(t[a0from], '{') && matching(t, a0from) === a0to - 1) {
        // listen({ port, host }): the options form.
        const props = this.objectProps(a0from, a0to - 1);
        const p = props.get('port');
        port = p ? toPort(this.evaluate(p[0], p[1])) : { kind: 'unknown' };
        const h = props.get('host');
        host = h ? toHost(this.evaluate(h[0], h[1])) : props.has('path') ? { kind: 'unknown' } : { kind: 'all' };
      } else {
        port = toPort(this.evaluate(a0from, a0to));
        if (args.length === 1) host = { kind: 'all' };
        else {
          const v = this.evaluate(args[1][0], args[1][1]);
          host = v.kind === 'function' ? { kind: 'all' } : toHost(v);
        }
      }
      out.push({ file: this.file, range, port, host });
    }
    return out;
  }

  /** Properties of an object literal between `{` at `open` and `}` at `close`: name -> value tokens. */
  private objectProps(open: number, close: number): Map<string, [number, number]> {
    const t = this.t;
    const props = new Map<string, [number, number]>();
    for (const [from, to] of splitArgs(t, open + 1, close)) {
      const key = t[from];
      if (!key || (key.kind !== 'ident' && key.kind !== 'string')) continue;
      if (isPunct(t[from + 1], ':')) props.set(key.value, [from + 2, to]);
      else if (to === from + 1 && key.kind === 'ident') props.set(key.value, [from, to]);
    }
    return props;
  }

  private envReads(): { reads: EnvRead[]; dynamic: boolean } {
    const t = this.t;
    const reads: EnvRead[] = [];
    let dynamic = false;
    for (let i = 0; i < t.length; i++) {
      if (!isIdent(t[i], 'process') || !isPunct(t[i + 1], '.') || !isIdent(t[i + 2], 'env') || isPunct(t[i - 1], '.')) continue;
      const env = this.envAt(i);
      if (env) {
        const after = t[env.next];
        const hasDefault = isPunct(after, '||') || isPunct(after, '??');
        reads.push({ name: env.name, loc: this.loc(t[i].start, t[env.next - 1].end), hasDefault });
        continue;
      }
      // const { A, B = 'x' } = process.env
      if (isPunct(t[i - 1], '=') && isPunct(t[i - 2], '}')) {
        let open = i - 2;
        let depth = 0;
        for (; open >= 0; open--) {
          if (isPunct(t[open], '}')) depth++;
          else if (isPunct(t[open], '{') && --depth === 0) break;
        }
        if (open >= 0) {
          for (const [from, to] of splitArgs(t, open + 1, i - 2)) {
            const key = t[from];
            if (!isIdent(key)) continue;
            reads.push({ name: key.value, loc: this.loc(key.start, key.end), hasDefault: t.slice(from, to).some((x) => isPunct(x, '=')) });
          }
          continue;
        }
      }
      // process.env[name], or process.env handed over whole: any name may be read.
      dynamic = true;
    }
    return { reads, dynamic };
  }

  private requires(): { requires: string[]; dynamicRequire: boolean } {
    const t = this.t;
    const requires: string[] = [];
    let dynamicRequire = false;
    for (let i = 0; i < t.length; i++) {
      const tok = t[i];
      let spec: Token | undefined;
      if (isIdent(tok, 'require') && isPunct(t[i + 1], '(') && !isPunct(t[i - 1], '.')) {
        if (t[i + 2]?.kind === 'string' && isPunct(t[i + 3], ')')) spec = t[i + 2];
        else dynamicRequire = true;
      } else if (isIdent(tok, 'import') && isPunct(t[i + 1], '(')) {
        if (t[i + 2]?.kind === 'string' && isPunct(t[i + 3], ')')) spec = t[i + 2];
        else dynamicRequire = true;
      } else if ((isIdent(tok, 'from') || isIdent(tok, 'import')) && t[i + 1]?.kind === 'string' && !isPunct(t[i - 1], '.')) {
        spec = t[i + 1];
      }
      if (spec && (spec.value.startsWith('./') || spec.value.startsWith('../'))) requires.push(spec.value);
    }
    return { requires, dynamicRequire };
  }

  /** `FIXME:` comments on or right above a hardcoded HMAC algorithm or secret. */
  private hardcoded(): HardcodedValue[] {
    const out: HardcodedValue[] = [];
    const t = this.t;
    const lines = this.lx.lines;
    const hmacArgs = this.createHmacArguments();
    for (const c of this.lx.comments) {
      if (!/\bFIXME\b/.test(c.text)) continue;
      const commentLine = lines.lineOf(c.start);
      // Tokens are in source order: the first one after the comment, found by bisection.
      const next = firstTokenFrom(t, c.end);
      const trailing = next > 0 && lines.lineOf(t[next - 1].start) === commentLine;
      // The statement the comment is about: the one on its line (trailing comment) or the next one.
      let first = next;
      if (trailing) {
        first = next - 1;
        while (first > 0 && lines.lineOf(t[first - 1].start) === commentLine) first--;
      }
      if (first < 0 || first >= t.length) continue;
      const stmtEnd = this.statementEnd(first);
      const target = this.fixmeTarget(first, stmtEnd, c.text, hmacArgs);
      if (!target) continue;
      const removal =
        !c.block && !trailing
          ? lines.range(lines.lineStart(commentLine), commentLine + 1 < lines.lineCount ? lines.lineStart(commentLine + 1) : c.end)
          : lines.range(trailingCommentStart(this.lx.text, c.start), c.end);
      out.push({ ...target, comment: { ...this.loc(c.start, c.end), text: c.text.trim() }, commentRemoval: removal });
    }
    return out;
  }

  /** End (exclusive) of the statement starting at token `first`. */
  private statementEnd(first: number): number {
    const t = this.t;
    let i = first;
    if (isIdent(t[i], 'const') || isIdent(t[i], 'let') || isIdent(t[i], 'var')) {
      // A declaration may declare several names: the statement ends after the last initializer.
      let end = this.exprEnd(i + 3);
      while (isPunct(t[end], ',')) end = this.exprEnd(end + 3);
      return end;
    }
    i = this.exprEnd(first);
    return i;
  }

  /** The HMAC literal in a FIXME'd statement, or undefined when the statement is not about HMAC or not certain. */
  private fixmeTarget(from: number, to: number, commentText: string, hmacArgs: Map<string, HmacVariable>): Omit<HardcodedValue, 'comment' | 'commentRemoval'> | undefined {
    const t = this.t;
    // const name = <value>  |  name = <value>  |  key: <value>
    let name: string | undefined;
    let valueFrom = from;
    let valueTo = to;
    if ((isIdent(t[from], 'const') || isIdent(t[from], 'let') || isIdent(t[from], 'var')) && isIdent(t[from + 1]) && isPunct(t[from + 2], '=')) {
      name = t[from + 1].value;
      valueFrom = from + 3;
      valueTo = this.exprEnd(valueFrom);
    } else if ((isIdent(t[from]) || t[from]?.kind === 'string') && (isPunct(t[from + 1], '=') || isPunct(t[from + 1], ':'))) {
      name = t[from].value;
      valueFrom = from + 2;
      valueTo = this.exprEnd(valueFrom);
    }
    const variable = name === undefined ? undefined : (hmacArgs.get(name) ?? classifyByName(name, commentText));
    // createHmac('sha256', 'secret') written inline: the argument's position says which is which.
    if (variable === undefined) {
      for (let i = from; i < to; i++) {
        if (!isIdent(t[i], 'createHmac') || !isPunct(t[i + 1], '(')) continue;
        const close = matching(t, i + 1);
        if (close < 0) continue;
        const args = splitArgs(t, i + 2, close);
        const variables: HmacVariable[] = ['HMAC_ALGO', 'HMAC_SECRET'];
        for (let k = 0; k < Math.min(args.length, 2); k++) {
          const [a, b] = args[k];
          if (b - a === 1 && t[a].kind === 'string') return this.literalTarget(variables[k], a, true, undefined);
        }
      }
      return undefined;
    }
    // The value: one string literal, or `process.env.X || 'literal'`.
    if (valueTo - valueFrom === 1 && t[valueFrom].kind === 'string') return this.literalTarget(variable, valueFrom, true, undefined);
    const env = this.envAt(valueFrom);
    if (env && (isPunct(t[env.next], '||') || isPunct(t[env.next], '??')) && t[env.next + 1]?.kind === 'string' && env.next + 2 === valueTo) {
      return this.literalTarget(variable, env.next + 1, true, { name: env.name, end: t[env.next - 1].end });
    }
    if (env && env.next === valueTo) return undefined;
    // Anything else (Buffer.from('x'), 'a' + 'b'): point at the first literal, no safe rewrite.
    for (let i = valueFrom; i < valueTo; i++) {
      if (this.envAt(i)) return undefined;
      if (t[i].kind === 'string') return this.literalTarget(variable, i, false, undefined);
    }
    return undefined;
  }

  private literalTarget(variable: HmacVariable, index: number, wholeValue: boolean, fallbackOf: { name: string; end: number } | undefined): Omit<HardcodedValue, 'comment' | 'commentRemoval'> {
    const tok = this.t[index];
    return {
      variable,
      literal: { ...this.loc(tok.start, tok.end), raw: this.lx.text.slice(tok.start, tok.end), value: tok.value, quote: tok.quote ?? "'" },
      wholeValue,
      fallbackOf,
      fallbackRange: fallbackOf ? this.lx.lines.range(fallbackOf.end, tok.end) : undefined,
    };
  }

  /** Names passed to crypto.createHmac(algorithm, secret): the surest way to tell which is which. */
  private createHmacArguments(): Map<string, HmacVariable> {
    const t = this.t;
    const out = new Map<string, HmacVariable>();
    for (let i = 0; i < t.length; i++) {
      if (!isIdent(t[i], 'createHmac') || !isPunct(t[i + 1], '(')) continue;
      const close = matching(t, i + 1);
      if (close < 0) continue;
      const args = splitArgs(t, i + 2, close);
      if (args[0] && args[0][1] - args[0][0] === 1 && isIdent(t[args[0][0]])) out.set(t[args[0][0]].value, 'HMAC_ALGO');
      if (args[1] && args[1][1] - args[1][0] === 1 && isIdent(t[args[1][0]])) out.set(t[args[1][0]].value, 'HMAC_SECRET');
    }
    return out;
  }
}

/** Index of the first token that starts at or after `offset` (tokens.length when none). */
function firstTokenFrom(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid].start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function classifyByName(name: string, comment: string): HmacVariable | undefined {
  if (/^HMAC_(ALGO|SECRET)$/.test(name)) return name as HmacVariable;
  const says = (re: RegExp) => re.test(name) || re.test(comment);
  const algo = says(/algo|algorithm|digest|hash/i);
  const secret = says(/secret|key|passw/i);
  return algo === secret ? undefined : algo ? 'HMAC_ALGO' : 'HMAC_SECRET';
}

/** Where a trailing `// comment` begins, with the spaces before it. */
function trailingCommentStart(text: string, commentStart: number): number {
  let i = commentStart;
  while (i > 0 && (text[i - 1] === ' ' || text[i - 1] === '\t')) i--;
  return i;
}

function toPort(v: JsValue): PortFact {
  const asNumber = (x: Extract<JsValue, { kind: 'number' | 'string' }>): number | undefined => {
    const n = x.kind === 'number' ? x.value : /^\d+$/.test(x.value.trim()) ? Number(x.value) : undefined;
    return n !== undefined && Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
  };
  if (v.kind === 'number' || v.kind === 'string') {
    const n = asNumber(v);
    return n === undefined ? { kind: 'unknown' } : { kind: 'literal', value: n, loc: v.loc };
  }
  if (v.kind === 'env') {
    const fallback = v.fallback ? asNumber(v.fallback) : undefined;
    if (v.fallback && fallback === undefined) return { kind: 'unknown' };
    return { kind: 'env', name: v.name, fallback, loc: v.fallback?.loc ?? v.loc };
  }
  return { kind: 'unknown' };
}

function toHost(v: JsValue): HostFact {
  if (v.kind === 'string') return { kind: 'literal', value: v.value, loc: v.loc, quote: v.quote };
  if (v.kind === 'env') {
    if (v.fallback && v.fallback.kind !== 'string') return { kind: 'unknown' };
    return { kind: 'env', name: v.name, loc: v.loc, fallback: v.fallback?.kind === 'string' ? { value: v.fallback.value, loc: v.fallback.loc, quote: v.fallback.quote } : undefined };
  }
  return { kind: 'unknown' };
}

/** Addresses that accept connections only from inside the container. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === 'ip6-localhost' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/**
 * A small shell tokenizer for the commands of RUN/CMD/ENTRYPOINT (shell form): it joins continuation
 * lines, understands quotes, `$(...)`, backticks, comments, redirections and heredocs, and splits
 * the text into simple commands on `&&`, `||`, `;`, `|`, `&` and newlines. Every word keeps its
 * offsets in the document, so rules can point at it and fixes can rewrite it.
 */
import type { Analysis, Instr } from './analysis';
import { KeyMemo } from './keyMemo';

export interface Word {
  /** The word after quote removal (expansions left as written). */
  value: string;
  /** The word as written, in the joined (continuation-free) text. */
  raw: string;
  /** Document offsets: first character and one past the last. */
  start: number;
  end: number;
  /** Contains an unquoted or double-quoted `$`, or a backtick. */
  expands: boolean;
}

export interface ShellCommand {
  /** argv: the command name and its arguments (assignments and redirections removed). */
  words: Word[];
  /** `NAME=value` words before the command name. */
  assignments: Word[];
  start: number;
  end: number;
}

/** Shell features that make a command impossible to turn into an exec-form JSON array. */
export type ShellFeature = 'unterminated' | 'operator' | 'expansion' | 'glob' | 'redirect' | 'subshell' | 'assignment' | 'heredoc' | 'tilde' | 'comment';

export interface ShellParse {
  commands: ShellCommand[];
  features: Set<ShellFeature>;
}

const RESERVED_PREFIX = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', 'time', '{']);
const RESERVED_ALONE = new Set(['fi', 'done', 'esac', '}']);
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', '/bin/sh', '/bin/bash', '/bin/ash', '/bin/dash', '/usr/bin/bash', '/usr/bin/env']);

/**
 * Where the joined text's characters are in the document: runs of consecutive offsets (a few per
 * instruction), not one number per character. `at(i)` is the document offset of character i, and
 * `at(length)` the end of the joined span.
 */
export class OffsetMap {
  /** Run k starts at joined index `joinedStarts[k]` and document offset `docStarts[k]`. */
  private readonly joinedStarts: number[] = [];
  private readonly docStarts: number[] = [];

  /** The identity map of a plain string. */
  static identity(): OffsetMap {
    const m = new OffsetMap();
    m.add(0, 0);
    return m;
  }

  add(joinedStart: number, docStart: number): void {
    this.joinedStarts.push(joinedStart);
    this.docStarts.push(docStart);
  }

  at(i: number): number {
    const starts = this.joinedStarts;
    // The last run starting at or before i.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= i) lo = mid + 1;
      else hi = mid;
    }
    const k = lo - 1;
    return this.docStarts[k] + (i - starts[k]);
  }
}

/** Joins continuation lines; `map.at(i)` is the document offset of the joined text's character i. */
export function joinContinuations(text: string, start: number, end: number, escape: string): { joined: string; map: OffsetMap } {
  // Copy runs of plain text in one slice each: most instructions have a few continuations at most.
  const parts: string[] = [];
  const map = new OffsetMap();
  let length = 0;
  let runStart = start;
  let i = start;
  const copyRun = (to: number) => {
    if (to <= runStart) return;
    parts.push(text.slice(runStart, to));
    map.add(length, runStart);
    length += to - runStart;
  };
  while (i < end) {
    const at = text.indexOf(escape, i);
    if (at < 0 || at >= end) break;
    let j = at + 1;
    while (j < end && (text[j] === ' ' || text[j] === '\t')) j++;
    let nl = 0;
    if (text[j] === '\r' && text[j + 1] === '\n') nl = 2;
    else if (text[j] === '\n') nl = 1;
    if (nl === 0) {
      i = at + 1;
      continue;
    }
    copyRun(at);
    i = j + nl;
    // Docker drops empty lines and comment lines inside a continued instruction.
    for (;;) {
      let k = i;
      while (k < end && (text[k] === ' ' || text[k] === '\t')) k++;
      if (k < end && (text[k] === '#' || text[k] === '\n' || (text[k] === '\r' && text[k + 1] === '\n'))) {
        const eol = text.indexOf('\n', k);
        if (eol < 0 || eol >= end) {
          i = end;
          break;
        }
        i = eol + 1;
        continue;
      }
      break;
    }
    runStart = i;
  }
  copyRun(end);
  map.add(length, end);
  return { joined: parts.join(''), map };
}

/**
 * Exec form: arguments that Docker parses as a JSON array of strings. dockerfile-ast also accepts
 * `["a",]`, which Docker runs as a shell command, so the text itself is parsed here.
 */
export function isExecForm(instr: Instr): boolean {
  let exec = execFormMemo.get(instr);
  if (exec === undefined) execFormMemo.set(instr, (exec = computeIsExecForm(instr)));
  return exec;
}
const execFormMemo = new KeyMemo<Instr, boolean>('execFormMemo');

function computeIsExecForm(instr: Instr): boolean {
  const node = instr.node as unknown as { getOpeningBracket?: () => unknown; getJSONStrings?: () => unknown[] };
  if (!node.getOpeningBracket?.() || (node.getJSONStrings?.().length ?? 0) === 0) return false;
  const args = instr.node.getArgumentsContent();
  try {
    const value = JSON.parse(args ?? '') as unknown;
    return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string');
  } catch {
    return false;
  }
}

/**
 * The instruction's text from its first argument on, continuations joined (`from`: where the first
 * argument starts in `joined`); undefined without arguments. dockerfile-ast's getArguments() finds
 * that start char by char with string copies; it is only asked when flags (`--mount`), a lone CR
 * or a leading escape make the plain reading uncertain.
 */
export function shellScript(analysis: Analysis, instr: Instr): { joined: string; map: OffsetMap; from: number } | undefined {
  const keywordEnd = analysis.offsetAt(instr.node.getInstructionRange().end);
  const rest = analysis.text.slice(keywordEnd, instr.end);
  if (!/\r(?!\n)/.test(rest)) {
    const { joined, map } = joinContinuations(analysis.text, keywordEnd, instr.end, analysis.escape);
    const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
    let from = 0;
    while (from < joined.length && isSpace(joined[from])) from++;
    if (from === joined.length) return undefined;
    let to = from;
    while (to < joined.length && !isSpace(joined[to])) to++;
    // A first word without `--` ends dockerfile-ast's flag search: there are no flags to skip.
    const first = joined.slice(from, to);
    if (!first.includes('--') && !first.includes(analysis.escape)) return { joined, map, from };
  }
  const args = analysis.args(instr);
  if (args.length === 0) return undefined;
  const start = analysis.offsetAt(args[0].getRange().start);
  return { ...joinContinuations(analysis.text, start, instr.end, analysis.escape), from: 0 };
}

export function parseShellCommands(analysis: Analysis, instr: Instr): ShellParse {
  const features = new Set<ShellFeature>();
  const node = instr.node as unknown as { getJSONStrings?: () => { getRange(): import('./types').Range }[] };
  if (isExecForm(instr) && node.getJSONStrings) {
    const words: Word[] = node.getJSONStrings().map((s) => {
      const start = analysis.offsetAt(s.getRange().start);
      const end = analysis.offsetAt(s.getRange().end);
      const raw = analysis.text.slice(start, end);
      let value = raw.slice(1, -1);
      try {
        value = JSON.parse(raw) as string;
      } catch {
        // keep the text between the quotes
      }
      return { value, raw, start, end, expands: false };
    });
    return { commands: words.length ? [{ words, assignments: [], start: words[0].start, end: words[words.length - 1].end }] : [], features };
  }
  const script = shellScript(analysis, instr);
  if (!script) return { commands: [], features };
  const { joined, map, from } = script;
  const commands: ShellCommand[] = [];
  new Tokenizer(joined, map, features, commands).run(from, joined.length);
  // A script the shell cannot parse runs nothing: rules must not guess at its commands.
  return { commands: features.has('unterminated') ? [] : commands, features };
}

/** The same parse `delta` characters further on (the parse itself when nothing moved). */
export function moveShellParse(parse: ShellParse, delta: number): ShellParse {
  if (delta === 0) return parse;
  // Spelled out, not spread: every RUN after an edit is moved on every keystroke.
  const move = (w: Word): Word => ({ value: w.value, raw: w.raw, start: w.start + delta, end: w.end + delta, expands: w.expands });
  return {
    commands: parse.commands.map((c) => ({ words: c.words.map(move), assignments: c.assignments.map(move), start: c.start + delta, end: c.end + delta })),
    features: parse.features,
  };
}

/** Tokenizes a plain string (offsets are into that string). */
export function parseShellText(text: string): ShellParse {
  const features = new Set<ShellFeature>();
  const commands: ShellCommand[] = [];
  new Tokenizer(text, OffsetMap.identity(), features, commands).run(0, text.length);
  return { commands, features };
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  script: boolean;
}

/** Ends a word: whitespace (as JavaScript's \\s) or a shell operator character. */
/** ASCII word breaks by char code: whitespace (as `\s` has it) and `;&|<>()`. */
const ASCII_WORD_BREAK = new Uint8Array(128);
for (const c of '\t\n\v\f\r ;&|<>()') ASCII_WORD_BREAK[c.charCodeAt(0)] = 1;

/** `/[\s;&|<>()]/.test(c)` for one character, without a regular expression for ASCII (a test per character of every RUN). */
export function isWordBreak(c: string): boolean {
  const code = c.charCodeAt(0);
  return code < 128 ? ASCII_WORD_BREAK[code] === 1 : /\s/.test(c);
}

/** Letters, digits and `-_./:=,+@%^!{}]` and such: characters with no meaning inside a word. */
function isPlain(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x2d || code === 0x5f || code === 0x2e || code === 0x2f || code === 0x3a || code === 0x3d || code === 0x2c || code === 0x2b || code === 0x40 || code === 0x25
  );
}

class Tokenizer {
  private pos = 0;
  private limit = 0;
  private words: Word[] = [];
  private assignments: Word[] = [];
  private redirectNext = false;
  private pending: PendingHeredoc[] = [];
  private heredocInCommand: PendingHeredoc[] = [];

  constructor(
    private readonly s: string,
    private readonly map: OffsetMap,
    private readonly features: Set<ShellFeature>,
    private readonly out: ShellCommand[],
  ) {}

  run(from: number, to: number): void {
    this.pos = from;
    this.limit = to;
    while (this.pos < this.limit) {
      const c = this.s[this.pos];
      if (c === ' ' || c === '\t' || c === '\r') {
        this.pos++;
      } else if (c === '\n') {
        this.endCommand();
        this.pos++;
        if (this.pending.length) this.readHeredocBodies();
      } else if (c === '#') {
        this.features.add('comment');
        while (this.pos < this.limit && this.s[this.pos] !== '\n') this.pos++;
      } else if (c === '&' || c === '|' || c === ';') {
        if (c === '&' && this.s[this.pos + 1] === '>') {
          this.features.add('redirect');
          this.redirectNext = true;
          this.pos += this.s[this.pos + 2] === '>' ? 3 : 2;
          continue;
        }
        this.features.add('operator');
        this.endCommand();
        this.pos += this.s[this.pos + 1] === c ? 2 : 1;
      } else if (c === '(' || c === ')') {
        this.features.add('subshell');
        this.endCommand();
        this.pos++;
      } else if (c === '>' || c === '<') {
        this.redirection();
      } else if (/[0-9]/.test(c) && this.isFdRedirect()) {
        this.pos++;
      } else {
        this.word();
      }
    }
    this.endCommand();
  }

  private isFdRedirect(): boolean {
    let j = this.pos;
    while (j < this.limit && /[0-9]/.test(this.s[j])) j++;
    return (this.s[j] === '>' || this.s[j] === '<') && this.atWordStart();
  }

  private atWordStart(): boolean {
    const prev = this.s[this.pos - 1];
    return this.pos === 0 || prev === ' ' || prev === '\t' || prev === '\n' || prev === ';' || prev === '&' || prev === '|';
  }

  private redirection(): void {
    this.features.add('redirect');
    if (this.s.startsWith('<<', this.pos) && this.s[this.pos + 2] !== '<') {
      this.features.add('heredoc');
      let j = this.pos + 2;
      const stripTabs = this.s[j] === '-';
      if (stripTabs) j++;
      while (this.s[j] === ' ' || this.s[j] === '\t') j++;
      let delim = '';
      while (j < this.limit && !/[\s;&|<>()]/.test(this.s[j])) delim += this.s[j++];
      delim = delim.replace(/^(['"])(.*)\1$/, '$2');
      const hd: PendingHeredoc = { delimiter: delim, stripTabs, script: false };
      this.pending.push(hd);
      this.heredocInCommand.push(hd);
      this.pos = j;
      return;
    }
    this.pos++;
    while (this.s[this.pos] === '>' || this.s[this.pos] === '<' || this.s[this.pos] === '&' || this.s[this.pos] === '|') this.pos++;
    this.redirectNext = true;
  }

  private readHeredocBodies(): void {
    const bodies = this.pending;
    this.pending = [];
    for (const hd of bodies) {
      const bodyStart = this.pos;
      let bodyEnd = this.limit;
      let next = this.limit;
      let lineStart = this.pos;
      while (lineStart < this.limit) {
        let eol = this.s.indexOf('\n', lineStart);
        if (eol < 0 || eol > this.limit) eol = this.limit;
        let line = this.s.slice(lineStart, eol).replace(/\r$/, '');
        if (hd.stripTabs) line = line.replace(/^\t+/, '');
        if (line === hd.delimiter) {
          bodyEnd = lineStart;
          next = Math.min(eol + 1, this.limit);
          break;
        }
        lineStart = eol + 1;
      }
      if (hd.script) {
        const inner = new Tokenizer(this.s, this.map, this.features, this.out);
        inner.run(bodyStart, bodyEnd);
      }
      this.pos = next;
    }
  }

  private word(): void {
    const begin = this.pos;
    let value = '';
    let expands = false;
    let quoted = false;
    while (this.pos < this.limit) {
      const c = this.s[this.pos];
      if (isWordBreak(c)) break;
      if (c === '\\') {
        if (this.pos + 1 < this.limit) value += this.s[this.pos + 1];
        this.pos += 2;
      } else if (c === "'") {
        quoted = true;
        const close = this.s.indexOf("'", this.pos + 1);
        const stop = close < 0 || close >= this.limit ? this.unterminated() : close;
        value += this.s.slice(this.pos + 1, stop);
        this.pos = stop + 1;
      } else if (c === '"') {
        quoted = true;
        this.pos++;
        while (this.pos < this.limit && this.s[this.pos] !== '"') {
          const d = this.s[this.pos];
          if (d === '\\' && this.pos + 1 < this.limit) {
            value += /[$`"\\\n]/.test(this.s[this.pos + 1]) ? this.s[this.pos + 1] : d + this.s[this.pos + 1];
            this.pos += 2;
          } else if (d === '$' || d === '`') {
            expands = true;
            const end = this.expansionEnd(this.pos);
            value += this.s.slice(this.pos, end);
            this.pos = end;
          } else {
            value += d;
            this.pos++;
          }
        }
        if (this.pos >= this.limit) this.unterminated();
        this.pos++;
      } else if (c === '$' || c === '`') {
        expands = true;
        const end = this.expansionEnd(this.pos);
        value += this.s.slice(this.pos, end);
        this.pos = end;
      } else {
        if (c === '*' || c === '?' || c === '[') this.features.add('glob');
        if (c === '~' && this.pos === begin) this.features.add('tilde');
        // A run of plain characters in one slice.
        let j = this.pos + 1;
        while (j < this.limit && isPlain(this.s.charCodeAt(j))) j++;
        value += this.s.slice(this.pos, j);
        this.pos = j;
      }
    }
    this.pos = Math.min(this.pos, this.limit);
    if (this.pos === begin) {
      this.pos++;
      return;
    }
    if (expands) this.features.add('expansion');
    const end = this.pos;
    const word: Word = {
      value,
      raw: this.s.slice(begin, end),
      start: this.map.at(begin),
      end: this.map.at(end - 1) + 1,
      expands,
    };
    if (this.redirectNext) {
      this.redirectNext = false;
      return;
    }
    if (this.words.length === 0 && !quoted && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.raw)) {
      this.features.add('assignment');
      this.assignments.push(word);
      return;
    }
    if (this.words.length === 0 && !quoted && RESERVED_PREFIX.has(value)) return;
    this.words.push(word);
  }

  /** A quote or expansion that never closes: the shell would refuse the whole script. */
  private unterminated(): number {
    this.features.add('unterminated');
    return this.limit;
  }

  /** End of a `$...`, `${...}`, `$(...)` or backtick expansion starting at `at`. */
  private expansionEnd(at: number): number {
    const s = this.s;
    if (s[at] === '`') {
      const close = s.indexOf('`', at + 1);
      return close < 0 || close >= this.limit ? this.unterminated() : close + 1;
    }
    const open = s[at + 1];
    if (open === '{' || open === '(') {
      const closeCh = open === '{' ? '}' : ')';
      let depth = 0;
      for (let j = at + 1; j < this.limit; j++) {
        if (s[j] === open) depth++;
        else if (s[j] === closeCh && --depth === 0) return j + 1;
      }
      return this.unterminated();
    }
    let j = at + 1;
    if (/[@*#?$!0-9-]/.test(s[j] ?? '')) return j + 1;
    while (j < this.limit && /[A-Za-z0-9_]/.test(s[j])) j++;
    return j;
  }

  private endCommand(): void {
    this.redirectNext = false;
    if (this.words.length === 1 && RESERVED_ALONE.has(this.words[0].value)) this.words = [];
    const first = this.words[0];
    for (const hd of this.heredocInCommand) {
      // A heredoc is a script when nothing reads it but a shell (`RUN <<EOF`, `RUN sh <<EOF`).
      hd.script = !first || (SHELLS.has(first.value) && this.words.length === 1);
    }
    this.heredocInCommand = [];
    if (this.words.length || this.assignments.length) {
      let start = Infinity;
      let end = -Infinity;
      for (const list of [this.assignments, this.words]) {
        for (const w of list) {
          if (w.start < start) start = w.start;
          if (w.end > end) end = w.end;
        }
      }
      this.out.push({ words: this.words, assignments: this.assignments, start, end });
    }
    this.words = [];
    this.assignments = [];
  }
}

/**
 * A tokenizer for JavaScript and Go sources, just enough to read facts out of them (calls, literals,
 * simple declarations). No parser: facts are read from token patterns, and whatever the patterns do
 * not recognise stays unknown. Strings come decoded; comments are kept apart with their offsets.
 */
import type { Range } from '../types';

export type TokenKind = 'ident' | 'number' | 'string' | 'template' | 'regex' | 'punct';

export interface Token {
  kind: TokenKind;
  /** Identifier or punctuation as written; a string's decoded value; a template's raw text. */
  value: string;
  /** Offsets into the source: first character and one past the last. */
  start: number;
  end: number;
  /** For strings: the quote character (`'`, `"`, `` ` ``). */
  quote?: string;
}

export interface Comment {
  /** The comment's text without `//`, `/*`, `*\/`. */
  text: string;
  start: number;
  end: number;
  block: boolean;
}

export interface Lexed {
  text: string;
  tokens: Token[];
  comments: Comment[];
  /** False when a string, template or comment never ends: the file cannot be read with certainty. */
  ok: boolean;
  lines: LineMap;
}

/** Offsets to LSP positions (UTF-16 code units, which is what JavaScript strings index). */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): Range['start'] {
    const line = this.lineOf(offset);
    return { line, character: offset - this.starts[line] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** Offset of the end of a line's text (before its line break). */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    let end = this.starts[line + 1];
    if (this.text[end - 1] === '\n') end--;
    if (this.text[end - 1] === '\r') end--;
    return end;
  }

  get lineCount(): number {
    return this.starts.length;
  }
}

const PUNCT3 = ['===', '!==', '...', '??=', '||=', '&&=', '**=', '<<=', '>>=', '&^='];
const PUNCT2 = ['||', '??', '&&', '=>', ':=', '==', '!=', '<=', '>=', '+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=', '++', '--', '<-', '<<', '>>', '?.', '**', '&^'];
const JS_REGEX_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

export function lex(text: string, lang: 'js' | 'go'): Lexed {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let ok = true;
  let i = 0;
  const n = text.length;
  if (lang === 'js' && text.startsWith('#!')) while (i < n && text[i] !== '\n') i++;
  if (text.charCodeAt(0) === 0xfeff) i = Math.max(i, 1);

  const regexAllowed = (): boolean => {
    const prev = tokens[tokens.length - 1];
    if (!prev) return true;
    if (prev.kind === 'ident') return JS_REGEX_KEYWORDS.has(prev.value);
    if (prev.kind === 'punct') return !(prev.value === ')' || prev.value === ']' || prev.value === '}' || prev.value === '++' || prev.value === '--');
    return false;
  };

  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      let j = i + 2;
      while (j < n && text[j] !== '\n' && text[j] !== '\r') j++;
      comments.push({ text: text.slice(i + 2, j), start: i, end: j, block: false });
      i = j;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      if (close < 0) ok = false;
      comments.push({ text: text.slice(i + 2, close < 0 ? n : close), start: i, end, block: true });
      i = end;
      continue;
    }
    if (/[A-Za-z_$\u0080-\uffff]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$\u0080-\uffff]/.test(text[j])) j++;
      tokens.push({ kind: 'ident', value: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < n && /[0-9A-Za-z_.]/.test(text[j])) {
        // An exponent sign belongs to the number (1e-3).
        if ((text[j] === 'e' || text[j] === 'E') && (text[j + 1] === '+' || text[j + 1] === '-') && !/^0[xX]/.test(text.slice(i, j))) j += 2;
        else j++;
      }
      tokens.push({ kind: 'number', value: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    // JS strings, Go strings and runes: the same escapes are enough to find where they end.
    if (c === '"' || c === "'") {
      const r = readQuoted(text, i, c);
      if (!r.closed) ok = false;
      tokens.push({ kind: 'string', value: r.value, start: i, end: r.end, quote: c });
      i = r.end;
      continue;
    }
    if (c === '`') {
      if (lang === 'go') {
        const close = text.indexOf('`', i + 1);
        const end = close < 0 ? n : close + 1;
        if (close < 0) ok = false;
        // Raw strings keep their text; Go drops carriage returns from them.
        tokens.push({ kind: 'string', value: text.slice(i + 1, close < 0 ? n : close).replace(/\r/g, ''), start: i, end, quote: '`' });
        i = end;
      } else {
        const r = readTemplate(text, i);
        if (!r.closed) ok = false;
        tokens.push(r.plain !== undefined ? { kind: 'string', value: r.plain, start: i, end: r.end, quote: '`' } : { kind: 'template', value: text.slice(i, r.end), start: i, end: r.end });
        i = r.end;
      }
      continue;
    }
    if (c === '/' && lang === 'js' && regexAllowed()) {
      const end = readRegex(text, i);
      if (end > 0) {
        tokens.push({ kind: 'regex', value: text.slice(i, end), start: i, end });
        i = end;
        continue;
      }
    }
    const three = text.slice(i, i + 3);
    const two = text.slice(i, i + 2);
    const p = PUNCT3.includes(three) ? three : PUNCT2.includes(two) ? two : c;
    tokens.push({ kind: 'punct', value: p, start: i, end: i + p.length });
    i += p.length;
  }
  return { text, tokens, comments, ok, lines: new LineMap(text) };
}

function readQuoted(text: string, at: number, quote: string): { value: string; end: number; closed: boolean } {
  let value = '';
  let i = at + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === quote) return { value, end: i + 1, closed: true };
    if (c === '\n' || c === '\r') return { value, end: i, closed: false };
    if (c === '\\') {
      const d = text[i + 1] ?? '';
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v' };
      if (d in simple && !(d === '0' && /[0-9]/.test(text[i + 2] ?? ''))) {
        value += simple[d];
        i += 2;
      } else if (d === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
        i += 4;
      } else if (d === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
      } else if (d === '\r' || d === '\n') {
        // A line continuation inside a JS string.
        i += d === '\r' && text[i + 2] === '\n' ? 3 : 2;
      } else {
        value += d;
        i += 2;
      }
      continue;
    }
    value += c;
    i++;
  }
  return { value, end: text.length, closed: false };
}

/** A template literal; `plain` is its value when it has no `${...}`. */
function readTemplate(text: string, at: number): { end: number; closed: boolean; plain: string | undefined } {
  let i = at + 1;
  let plain: string | undefined = '';
  while (i < text.length) {
    const c = text[i];
    if (c === '`') return { end: i + 1, closed: true, plain };
    if (c === '\\') {
      if (plain !== undefined) plain += text[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '$' && text[i + 1] === '{') {
      plain = undefined;
      i = skipBraces(text, i + 1);
      continue;
    }
    if (plain !== undefined) plain += c;
    i++;
  }
  return { end: text.length, closed: false, plain };
}

/** From a `{`, the offset after its matching `}` (strings and nested templates skipped). */
function skipBraces(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      i = readQuoted(text, i, c).end;
      continue;
    } else if (c === '`') {
      i = readTemplate(text, i).end;
      continue;
    }
    i++;
  }
  return text.length;
}

/** End of a regex literal starting at `at`, or -1 when it is not one (then `/` is division). */
function readRegex(text: string, at: number): number {
  let i = at + 1;
  let inClass = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n' || c === '\r') return -1;
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      i++;
      while (i < text.length && /[a-z]/i.test(text[i])) i++;
      return i;
    }
    i++;
  }
  return -1;
}

/** Index of the token that closes the bracket opened at `open` (`(`, `[`, `{`), or -1. */
export function matching(tokens: readonly Token[], open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.value in pairs) stack.push(pairs[t.value]);
    else if (t.value === ')' || t.value === ']' || t.value === '}') {
      if (stack.pop() !== t.value) return -1;
      if (stack.length === 0) return i;
    }
  }
  return -1;
}

/** Split the tokens between `from` and `to` (exclusive) at top-level commas. */
export function splitArgs(tokens: readonly Token[], from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (t.kind !== 'punct') continue;
    if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
    else if (t.value === ')' || t.value === ']' || t.value === '}') depth--;
    else if (t.value === ',' && depth === 0) {
      out.push([start, i]);
      start = i + 1;
    }
  }
  if (start < to) out.push([start, to]);
  return out;
}

export const isPunct = (t: Token | undefined, value: string): boolean => t !== undefined && t.kind === 'punct' && t.value === value;
export const isIdent = (t: Token | undefined, value?: string): boolean => t !== undefined && t.kind === 'ident' && (value === undefined || t.value === value);

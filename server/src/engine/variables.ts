/**
 * Docker's variable substitution in instructions (`$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME:+word}`),
 * over values that may be unknown (an ARG without a default can come from `--build-arg`).
 */
import { pushAll } from './arrays';

export type VarValue = { known: true; value: string } | { known: false };
/** The variables visible somewhere: a Map, or a snapshot that shares most of its entries (see ScopeSnapshot). */
export interface Scope {
  get(name: string): VarValue | undefined;
  has(name: string): boolean;
}

/**
 * A read-only scope made of a shared base and the few changes since: a stage with many ARG/ENV takes a
 * snapshot after each of them, and copying the whole scope every time was quadratic. The changes are a
 * prefix of lists that only grow (a later entry for a name wins), so a snapshot copies nothing: copying
 * them into a Map per snapshot was most of what a keystroke's scopes allocated at 5,000 lines.
 */
export class ScopeSnapshot implements Scope {
  constructor(
    private readonly base: ReadonlyMap<string, VarValue>,
    private readonly names: readonly string[],
    private readonly values: readonly VarValue[],
    private readonly length: number,
  ) {}

  get(name: string): VarValue | undefined {
    for (let i = this.length - 1; i >= 0; i--) if (this.names[i] === name) return this.values[i];
    return this.base.get(name);
  }

  has(name: string): boolean {
    for (let i = this.length - 1; i >= 0; i--) if (this.names[i] === name) return true;
    return this.base.has(name);
  }
}

export const UNKNOWN: VarValue = { known: false };
export const known = (value: string): VarValue => ({ known: true, value });

export interface Expansion {
  /** The expanded text, or undefined when it depends on an unknown value. */
  value: string | undefined;
  /** Names used that nothing in scope declares: Docker expands them to the empty string. */
  undeclared: string[];
  /** Names used whose value cannot be known here. */
  unknown: string[];
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

/**
 * How deep `${a:-${b:-...}}` defaults are expanded. Deeper ones count as unknown: each level is a call
 * and a copy of the rest of the text, and 100,000 levels overflowed the stack (and took 16 s to get there).
 */
export const MAX_EXPANSION_DEPTH = 32;

/** `depth`: how many defaults this text is nested in (see MAX_EXPANSION_DEPTH). */
export function expand(text: string, scope: Scope, escape = '\\', depth = 0): Expansion {
  // Without a `$` there is nothing to substitute (an escape only matters before a `$`).
  if (text.indexOf('$') === -1) return { value: text, undeclared: [], unknown: [] };
  if (depth > MAX_EXPANSION_DEPTH) return { value: undefined, undeclared: [], unknown: [] };
  const undeclared: string[] = [];
  const unknown: string[] = [];
  let out = '';
  let isKnown = true;
  const lookup = (name: string): string | undefined => {
    const v = scope.get(name);
    if (v === undefined) {
      undeclared.push(name);
      return '';
    }
    if (!v.known) {
      unknown.push(name);
      isKnown = false;
      return undefined;
    }
    return v.value;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === escape && text[i + 1] === '$') {
      out += '$';
      i += 2;
      continue;
    }
    if (c !== '$') {
      // The plain run up to the next `$` or escape character, in one slice.
      let j = i + 1;
      while (j < text.length && text[j] !== '$' && text[j] !== escape) j++;
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = findClose(text, i + 2);
      if (close < 0) {
        out += text.slice(i);
        break;
      }
      const inner = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::([-+])(.*))?$/s.exec(inner);
      if (!m) {
        out += text.slice(i, close + 1);
      } else {
        const [, name, op, word] = m;
        const declared = scope.get(name);
        if (op === '-') {
          if (declared === undefined) {
            const w = expand(word ?? '', scope, escape, depth + 1);
            mergeInto(w);
            out += w.value ?? '';
          } else if (!declared.known) {
            unknown.push(name);
            isKnown = false;
          } else if (declared.value === '') {
            const w = expand(word ?? '', scope, escape, depth + 1);
            mergeInto(w);
            out += w.value ?? '';
          } else {
            out += declared.value;
          }
        } else if (op === '+') {
          if (declared === undefined) {
            // unset: empty, and not a mistake (that is what :+ is for)
          } else if (!declared.known) {
            unknown.push(name);
            isKnown = false;
          } else if (declared.value !== '') {
            const w = expand(word ?? '', scope, escape, depth + 1);
            mergeInto(w);
            out += w.value ?? '';
          }
        } else {
          out += lookup(name) ?? '';
        }
      }
      i = close + 1;
      continue;
    }
    NAME.lastIndex = i + 1;
    const m = NAME.exec(text);
    if (!m) {
      out += c;
      i++;
      continue;
    }
    out += lookup(m[0]) ?? '';
    i = NAME.lastIndex;
  }
  return { value: isKnown ? out : undefined, undeclared, unknown };

  function mergeInto(w: Expansion): void {
    pushAll(undeclared, w.undeclared);
    pushAll(unknown, w.unknown);
    if (w.value === undefined) isKnown = false;
  }
}

function findClose(text: string, from: number): number {
  let depth = 1;
  for (let j = from; j < text.length; j++) {
    if (text[j] === '{') depth++;
    else if (text[j] === '}' && --depth === 0) return j;
  }
  return -1;
}

/** True when the text refers to a variable at all. */
export function hasVariable(text: string, escape = '\\'): boolean {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === escape && text[i + 1] === '$') {
      i++;
      continue;
    }
    if (text[i] === '$' && /[A-Za-z_{]/.test(text[i + 1] ?? '')) return true;
  }
  return false;
}

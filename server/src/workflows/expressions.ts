/**
 * Where `${{ expression }}`, `${VAR}` references end, for the workflow rules' linear scans (image-name,
 * image-tag). Regular expressions that look for the closing braces from every `${{` are quadratic in a
 * long run of unclosed ones (80,000 characters took 15 s); here the next `}`, `}}` and line break from
 * every position are found once, right to left, and each question is then answered in O(1), whatever
 * order a scan asks in.
 */
export class Expressions {
  /** Per position: the next `}`, the next `}}`, the next line terminator (the text's length: none). */
  private readonly brace: Int32Array;
  private readonly doubleBrace: Int32Array;
  private readonly lineEnd: Int32Array;

  constructor(private readonly text: string) {
    const n = text.length;
    this.brace = new Int32Array(n + 2).fill(n);
    this.doubleBrace = new Int32Array(n + 2).fill(n);
    this.lineEnd = new Int32Array(n + 2).fill(n);
    for (let k = n - 1; k >= 0; k--) {
      const c = text[k];
      this.brace[k] = c === '}' ? k : this.brace[k + 1];
      this.doubleBrace[k] = c === '}' && text[k + 1] === '}' ? k : this.doubleBrace[k + 1];
      this.lineEnd[k] = c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029' ? k : this.lineEnd[k + 1];
    }
  }

  /** The end of the `${{...}}` at k as `/\$\{\{[^}]*\}\}/` reads it (its first `}` doubled), or -1. */
  braced(k: number): number {
    if (!this.text.startsWith('${{', k)) return -1;
    const close = this.brace[k + 3];
    return close < this.text.length && this.text[close + 1] === '}' ? close + 2 : -1;
  }

  /** The end of the `${{...}}` at k as `/\$\{\{.*?\}\}/` reads it (the first `}}`, on its line), or -1. */
  onLine(k: number): number {
    if (!this.text.startsWith('${{', k)) return -1;
    const close = this.doubleBrace[k + 3];
    return close < this.text.length && this.lineEnd[k + 3] >= close ? close + 2 : -1;
  }

  /** The end of the `${...}` at k as `/\$\{[^}]*\}/` reads it, or -1. */
  variable(k: number): number {
    if (!this.text.startsWith('${', k)) return -1;
    const close = this.brace[k + 2];
    return close < this.text.length ? close + 1 : -1;
  }
}

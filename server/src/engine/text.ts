/**
 * String helpers that stay linear where a regular expression does not: V8 tries an unanchored
 * `/\/+$/` or `/[ \t]+$/` at every position of a long run of those characters that does not reach the
 * end (`COPY ////...//x`), which is quadratic: 40,000 spaces before a last word took a check 1 s.
 * test/redos.test.ts times such inputs against their length.
 */

/** `s` without the characters of `chars` at its end (`s.replace(/[<chars>]+$/, '')`). */
export function trimTrailing(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * The next index of `needle` at or after a position, for positions that only grow: each answer serves
 * the later positions it still lies after, so a scan asks indexOf a linear number of characters in all.
 */
export function nextIndexOf(text: string, needle: string): (from: number) => number {
  let askedFrom = Infinity;
  let answer = -1;
  return (from) => {
    if (!(from >= askedFrom && (answer === -1 || answer >= from))) answer = text.indexOf(needle, from);
    askedFrom = from;
    return answer;
  };
}

/** As nextIndexOf, for the next line terminator (`\n`, `\r`, U+2028, U+2029: what `.` does not match). */
export function nextLineTerminator(text: string): (from: number) => number {
  const terminators = /[\n\r\u2028\u2029]/g;
  let askedFrom = Infinity;
  let answer = -1;
  return (from) => {
    if (!(from >= askedFrom && (answer === -1 || answer >= from))) {
      terminators.lastIndex = from;
      answer = terminators.exec(text)?.index ?? -1;
    }
    askedFrom = from;
    return answer;
  };
}

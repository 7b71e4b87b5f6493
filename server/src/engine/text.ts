/**
 * String helpers that stay linear where a regular expression does not: V8 tries an unanchored
 * `/\/+$/` or `/[ \t]+$/` at every position of a long run of those characters that does not reach the
 * end (`COPY ////...//x`), which is quadratic: 40,000 spaces before a last word took a check 1 s.
 * test/long-runs.test.ts compares each helper with the expression it replaces.
 */

/** `s` without the characters of `chars` at its end (`s.replace(/[<chars>]+$/, '')`). */
export function trimTrailing(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return end === s.length ? s : s.slice(0, end);
}

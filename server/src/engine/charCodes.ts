/**
 * Character codes the scanners compare `charCodeAt` with (parse.ts, incremental.ts, rules). A const
 * enum, so tsc and esbuild write the numbers into the comparisons: imported constants were a property
 * load of the module object per comparison (a tenth of the tokenizer's time).
 */
export const enum Char {
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  SPACE = 0x20,
  DQUOTE = 0x22,
  HASH = 0x23,
  DOLLAR = 0x24,
  SQUOTE = 0x27,
  STAR = 0x2a,
  DOT = 0x2e,
  SLASH = 0x2f,
  LBRACKET = 0x5b,
  BACKSLASH = 0x5c,
  BACKTICK = 0x60,
}

/** Character codes the scanners compare `charCodeAt` with (parse.ts, incremental.ts, rules). */
export const TAB = 0x09;
export const LF = 0x0a;
export const CR = 0x0d;
export const SPACE = 0x20;
export const DQUOTE = 0x22;
export const HASH = 0x23;
export const DOLLAR = 0x24;
export const SQUOTE = 0x27;
export const STAR = 0x2a;
export const DOT = 0x2e;
export const SLASH = 0x2f;
export const LBRACKET = 0x5b;
export const BACKSLASH = 0x5c;
export const BACKTICK = 0x60;

/**
 * Incremental parsing: re-parse only the instructions an edit touched, reuse the previous version's
 * dockerfile-ast nodes for the rest, with a result identical to a full parse.
 *
 * Why it is exact (dockerfile-ast 0.7.1, lib/parser.js):
 * - After the parser directives, the parser's main loop sees "units": an instruction (with its
 *   continuation lines, heredoc bodies and comment lines inside it) or a one-line comment. Every unit
 *   starts at a line's first non-blank character and ends at a line break (or at the end of the
 *   text), and the parser never reads past that line break before the unit ends. So at the start of a
 *   line outside every instruction's line span (or at an instruction's first line) the parser is in its
 *   initial state, and what it makes of the lines from there on depends only on those lines and the
 *   escape character (which only the directive lines at the top set).
 * - A node computes everything (ranges, arguments, heredocs, flags) from its own TextDocument, reading
 *   only between its range's start and end. A node parsed from another text whose lines at the node's
 *   line numbers are the same gives the same results.
 * - So the lines from the start of the first instruction the edit touched to the end of the last
 *   one are re-parsed alone, in a padded text that keeps the directive lines at the top and blank
 *   lines up to the region, so the new nodes carry the right line numbers. A sentinel instruction on
 *   the line after the region proves the parser is back in its initial state there (the region does
 *   not end in a line continuation or an open heredoc that would take the following lines);
 *   otherwise, and in every case not covered, the text is parsed in full.
 * - Every node is attached to one new Dockerfile object holding all of them (as a full parse would),
 *   so node methods that consult the Dockerfile (`getVariables`, `getExpandedArguments`) see every
 *   instruction, and reads this version's document. A node whose lines are the same lines at the
 *   same line numbers (before the region; after it when no line was added or removed) is the previous
 *   version's object, re-pointed (`adoptNode`), with its Properties (which read their document too).
 *   When the edit added or removed lines, the nodes and comments after the region are copies with every
 *   range they store moved by that many lines (`cloneNode`). A version's nodes are taken over once: a
 *   second version made from the same one copies them (`ParseSnapshot.nodesTaken`), so two versions
 *   made from one (a test's branches) both stay whole. The version that gave its nodes away keeps
 *   its results, but its nodes now read the later text (the same at their lines) and resolve variables
 *   through the later Dockerfile.
 *
 * Lone CRs are replaced by LF before any of this (see Analysis): both texts compared here have only
 * `\n` and `\r\n` line breaks, with the same line structure as the editor's document.
 */
import { Dockerfile, Instruction, Comment, ParserDirective } from 'dockerfile-ast';
import { Dockerfile as DockerfileImpl } from 'dockerfile-ast/lib/dockerfile';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ShellParse } from './shell';
import type { VarValue } from './variables';
import type { RuleCacheSnapshot } from './ruleCache';
import { Char } from './charCodes';
import { organizeComments, parseDockerfile } from './parse';

/** A stage's ENV values at its end, and the offset its text ends at (the start of the next FROM's line). */
export interface StageEnv {
  end: number;
  env: ReadonlyMap<string, VarValue>;
}

/** What a later version needs from a parse to reuse it. */
export interface ParseSnapshot {
  /** The text parsed (lone CRs already replaced by LF). */
  readonly text: string;
  /** A document with the same offsets and lines as `text`, for line look-ups. */
  readonly doc: TextDocument;
  readonly df: Dockerfile;
  /**
   * The shell parses of this version's instructions by their text (escape character first), with the
   * offset they were parsed at: the next version re-uses them for unchanged instructions (Analysis.shell).
   */
  readonly shells?: ReadonlyMap<string, { start: number; parse: ShellParse }>;
  /** The ENV values each stage hands on, by stage index, as far as this version computed them (Analysis.envAtEnd). */
  readonly envAtEnd?: readonly (StageEnv | undefined)[];
  /** The rules' per-stage findings of this version (ruleCache.ts), set by the engine after the check. */
  rules?: RuleCacheSnapshot;
  /**
   * Set when a later version took this version's nodes over (re-pointed them, see adoptNode): a second
   * later version made from this one copies them instead, so that both later versions stay whole.
   */
  nodesTaken?: boolean;
}

export interface ParseStats {
  /** True when the whole text was parsed (no previous version, or a fallback). */
  fullParse: boolean;
  /** Why: `incremental`, `unchanged`, or the reason for the full parse. */
  reason: string;
  /** Lines handed to dockerfile-ast (the region, or every line on a full parse). */
  reparsedLines: number;
  /** Instructions re-parsed (all of them on a full parse). */
  reparsedInstructions: number;
  /** Instructions taken over from the previous version. */
  reusedInstructions: number;
  /** The re-parsed region, lines [from, to) of the new text; absent on a full parse. */
  region?: { from: number; to: number };
  /** How many characters at the start of the text are the previous version's (0 on a full parse). */
  samePrefix: number;
}

export interface ParseResult {
  df: Dockerfile;
  stats: ParseStats;
}

/** A keyword no Dockerfile uses, on the line after the region: it parses as its own instruction only if the region is closed. */
const SENTINEL = 'COACHREGIONEND';

/**
 * Parse `text` (no lone CRs), reusing `previous` where provably equivalent. `doc` is a document with
 * the same offsets and lines as `text` (the analysis's own).
 */
export function parseIncremental(text: string, doc: TextDocument, previous?: ParseSnapshot): ParseResult {
  if (!previous) return fullParse(text, 'no previous parse', doc);
  let result: ParseResult | string;
  try {
    result = reparse(text, doc, previous);
  } catch (e) {
    // Never let the optimisation break a check.
    result = `incremental parse failed: ${(e as Error).message}`;
  }
  return typeof result === 'string' ? fullParse(text, result, doc) : result;
}

/** `doc`, when it holds `text`, is the nodes' document (its line offsets computed once: parseDockerfile). */
function fullParse(text: string, reason: string, doc: TextDocument): ParseResult {
  const df = parseDockerfile(text, doc);
  const n = df.getInstructions().length;
  return { df, stats: { fullParse: true, reason, reparsedLines: countLines(text), reparsedInstructions: n, reusedInstructions: 0, samePrefix: 0 } };
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function reparse(text: string, doc: TextDocument, prev: ParseSnapshot): ParseResult | string {
  // The nodes read the analysis's own document when it holds the parsed text (no lone CR): its line
  // offsets are computed once, not once more for the parse.
  const document = doc.getText() === text ? doc : TextDocument.create('', '', 0, text);
  const old = prev.text;
  const oldNodes = prev.df.getInstructions();
  const directives = prev.df.getDirectives();
  if (old === text) {
    return { df: assemble(prev, document, directives, oldNodes, [], [], prev.df.getComments(), [], []), stats: stats('unchanged', 0, 0, oldNodes.length, 0, 0, text.length) };
  }
  // The changed span: common prefix and suffix, in characters.
  const minLen = Math.min(old.length, text.length);
  let a = 0;
  while (a < minLen && old.charCodeAt(a) === text.charCodeAt(a)) a++;
  let b = 0;
  const maxB = minLen - a;
  while (b < maxB && old.charCodeAt(old.length - 1 - b) === text.charCodeAt(text.length - 1 - b)) b++;
  const oldEnd = old.length - b;
  const newEnd = text.length - b;
  if (document === doc) shareLineOffsets(prev.doc, doc, a, oldEnd, newEnd);
  // Lines [0, first) are the same in both texts; so are the last `tail` lines, `delta` lines further in the new text.
  const first = doc.positionAt(a).line;
  const oldLines = prev.doc.lineCount;
  const newLines = doc.lineCount;
  const lastOldTouched = oldEnd > a ? prev.doc.positionAt(oldEnd - 1).line : first;
  const lastNewTouched = newEnd > a ? doc.positionAt(newEnd - 1).line : first;
  const tail = Math.min(oldLines - 1 - lastOldTouched, newLines - 1 - lastNewTouched);
  const delta = newLines - oldLines;
  const last = oldLines - 1 - tail;
  // The directive lines and the line that ends them decide the escape character and where parsing starts.
  if (first <= directives.length) return 'edit in the parser directive header';

  // The region (old lines): from the start of the instruction holding `first` to the end of the one holding `last`.
  const i0 = firstEndingAtOrAfter(oldNodes, first);
  let from = first;
  if (i0 < oldNodes.length && oldNodes[i0].getRange().start.line < from) from = oldNodes[i0].getRange().start.line;
  const j0 = firstEndingAtOrAfter(oldNodes, last);
  let oldTo = last + 1;
  if (j0 < oldNodes.length && oldNodes[j0].getRange().start.line <= last) oldTo = oldNodes[j0].getRange().end.line + 1;
  // Old nodes kept: those ending before the region, those starting at or after its end (moved by `delta` lines).
  const keptBefore = oldNodes.slice(0, i0);
  let k = i0;
  while (k < oldNodes.length && oldNodes[k].getRange().start.line < oldTo) k++;
  const keptAfter = oldNodes.slice(k);
  if (from < directives.length) return 'region reaches the directive header';

  // The padded text: directive lines, blank lines, the region (new lines [from, to)), and the sentinel unless the region ends the text.
  const to = oldTo + delta;
  if (to <= from && to < newLines) return 'empty region';
  const toEnd = to >= newLines;
  const lineStart = (line: number) => doc.offsetAt({ line, character: 0 });
  const regionStart = lineStart(from);
  const regionEnd = toEnd ? text.length : lineStart(to);
  const head = directives.length > 0 ? text.slice(0, lineStart(directives.length)) : '';
  const padded = head + '\n'.repeat(from - directives.length) + text.slice(regionStart, regionEnd) + (toEnd ? '' : SENTINEL);
  const part = parseDockerfile(padded);
  if (part.getDirectives().length !== directives.length || part.getEscapeCharacter() !== prev.df.getEscapeCharacter()) {
    return 'directives differ';
  }
  let regionNodes = part.getInstructions();
  if (!toEnd) {
    const s = regionNodes[regionNodes.length - 1];
    const r = s?.getRange();
    if (!s || s.getInstruction() !== SENTINEL || r.start.line !== to || r.start.character !== 0) {
      return 'region ends in a line continuation or an open heredoc';
    }
    regionNodes = regionNodes.slice(0, -1);
  }
  const regionComments = part.getComments();
  if (regionNodes.some((n) => n.getRange().start.line < from) || regionComments.some((c) => c.getRange().start.line < from || c.getRange().end.line >= to)) {
    return 'region parse out of bounds';
  }
  // Comments (standalone or inside instructions) kept from the previous version, outside the region.
  const commentsBefore: Comment[] = [];
  const commentsAfter: Comment[] = [];
  for (const c of prev.df.getComments()) {
    const line = c.getRange().start.line;
    if (line < from) commentsBefore.push(c);
    else if (line >= oldTo) commentsAfter.push(c);
  }
  const df = assemble(prev, document, directives, keptBefore, regionNodes, keptAfter, commentsBefore, regionComments, commentsAfter, delta);
  return { df, stats: stats('incremental', Math.max(0, to - from), regionNodes.length, keptBefore.length + keptAfter.length, from, Math.max(from, to), a) };
}

/** vscode-languageserver-textdocument 1.0.12's FullTextDocument: its line starts, computed on first use. */
interface LineOffsetsHolder {
  _lineOffsets?: number[];
  getLineOffsets?(): number[];
}

/**
 * Gives `doc` its line starts from `prevDoc`'s instead of a scan of the whole text (a keystroke at
 * 5,000 lines: 170 kB scanned and about 230 kB allocated). The texts differ only in old [a, oldEnd),
 * new [a, newEnd). A line starts at p when the character before p is LF, or CR not followed by LF at
 * p (so it depends on p - 1 and p): starts before `a` are the old ones, starts after `newEnd` the old
 * ones after `oldEnd` shifted, and the ones between are found by scanning just that part. Nothing is
 * done unless `doc` is that FullTextDocument with its line starts not computed yet.
 * test/incremental.test.ts compares the result with the library's own over seeded edits.
 */
export function shareLineOffsets(prevDoc: TextDocument, doc: TextDocument, a: number, oldEnd: number, newEnd: number): void {
  const prevHolder = prevDoc as unknown as LineOffsetsHolder;
  const holder = doc as unknown as LineOffsetsHolder;
  if (typeof prevHolder.getLineOffsets !== 'function' || !('_lineOffsets' in holder) || holder._lineOffsets !== undefined) return;
  const old = prevHolder.getLineOffsets();
  const text = doc.getText();
  const shift = newEnd - oldEnd;
  // Old starts before `a` (0 always starts a line), the scanned ones, old starts after `oldEnd` shifted.
  let before = 0;
  while (before < old.length && old[before] < a) before++;
  const scanned: number[] = before === 0 ? [0] : [];
  for (let p = Math.max(a, 1); p <= newEnd && p <= text.length; p++) {
    const c = text.charCodeAt(p - 1);
    if (c === Char.LF || (c === Char.CR && text.charCodeAt(p) !== Char.LF)) scanned.push(p);
  }
  let after = before;
  while (after < old.length && old[after] < oldEnd + 1) after++;
  // Sized once: growing it by push allocated about twice its size at 5,000 lines.
  const starts = new Array<number>(before + scanned.length + old.length - after);
  let n = 0;
  for (let i = 0; i < before; i++) starts[n++] = old[i];
  for (const p of scanned) starts[n++] = p;
  for (let i = after; i < old.length; i++) starts[n++] = old[i] + shift;
  holder._lineOffsets = starts;
}

function stats(reason: string, lines: number, reparsed: number, reused: number, from: number, to: number, samePrefix: number): ParseStats {
  return { fullParse: false, reason, reparsedLines: lines, reparsedInstructions: reparsed, reusedInstructions: reused, region: { from, to }, samePrefix };
}

/** Index of the first node whose range ends on or after `line` (nodes are in text order, disjoint in lines). */
function firstEndingAtOrAfter(nodes: Instruction[], line: number): number {
  let lo = 0;
  let hi = nodes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid].getRange().end.line < line) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * One Dockerfile holding every node, as a full parse builds it (lib/parser.js `parse`). Every node,
 * comment and directive is re-pointed at this version's document (the same lines at their line
 * numbers), so a version keeps no earlier text alive. Nodes and comments after the region move down
 * by `delta` lines.
 */
function assemble(
  prev: ParseSnapshot,
  document: TextDocument,
  directives: ParserDirective[],
  before: Instruction[],
  region: Instruction[],
  after: Instruction[],
  commentsBefore: Comment[],
  regionComments: Comment[],
  commentsAfter: Comment[],
  delta = 0,
): Dockerfile {
  const df = new DockerfileImpl(document);
  // The previous version's nodes are taken over once; after that they belong to the version that took them.
  const take = !prev.nodesTaken;
  prev.nodesTaken = true;
  const line = <T extends object>(c: T, by: number): T => (take && by === 0 ? adopt(c, document) : moved(repoint(c, document), by));
  const node = (n: Instruction, by: number): Instruction => (take && by === 0 ? adoptNode(n, df, document) : cloneNode(n, df, document, by));
  if (directives.length > 0) df.setDirectives(directives.map((d) => line(d, 0)));
  for (const c of commentsBefore) df.addComment(line(c, 0));
  // The region's nodes and comments are this parse's own.
  for (const c of regionComments) df.addComment(adopt(c, document));
  for (const c of commentsAfter) df.addComment(line(c, delta));
  for (const n of before) df.addInstruction(node(n, 0));
  for (const n of region) df.addInstruction(adoptNode(n, df, document));
  for (const n of after) df.addInstruction(node(n, delta));
  organizeComments(df);
  return df as unknown as Dockerfile;
}

/**
 * The node itself, re-pointed at this version's document and Dockerfile: for a node whose lines are
 * the same lines at the same line numbers (before the region, after it when no line was added or
 * removed, or just parsed), which gives every answer it gave before, from the same ranges, the
 * tokens kept on it (parse.ts nodeTokens) and its Properties. Not copied: a keystroke at 5,000 lines
 * copied 2,000 nodes, and tokenized them again. The previous version's Dockerfile holds the same
 * objects; it serves only as a later version's `previous` (ranges, keywords, lists), which this does
 * not change.
 */
function adoptNode(node: Instruction, df: DockerfileImpl, document: TextDocument): Instruction {
  const n = adopt(node, document) as unknown as Record<string, unknown>;
  n.dockerfile = df;
  if (n.property) adopt(n.property as object, document);
  // PropertyInstruction.getProperties caches its Properties, which read their document too.
  if (Array.isArray(n.properties)) for (const p of n.properties as object[]) adopt(p, document);
  return node;
}

/** The object itself reading `document` (a Line or Property of dockerfile-ast). */
function adopt<T extends object>(obj: T, document: TextDocument): T {
  (obj as Record<string, unknown>).document = document;
  return obj;
}

/** A shallow copy reading `document`. */
function repoint<T extends object>(obj: T, document: TextDocument): T {
  const c = copy(obj) as Record<string, unknown>;
  c.document = document;
  return c as T;
}

type Pos = { line: number; character: number };
type Rng = { start: Pos; end: Pos };

function shift(range: Rng | null | undefined, delta: number): Rng | null | undefined {
  if (!range || delta === 0) return range;
  return { start: { line: range.start.line + delta, character: range.start.character }, end: { line: range.end.line + delta, character: range.end.character } };
}

/** Shifts the ranges an object of dockerfile-ast stores (named `range` or `*Range`) by `delta` lines. */
function moved<T extends object>(obj: T, delta: number): T {
  if (delta === 0) return obj;
  const o = obj as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key === 'range' || key.endsWith('Range')) o[key] = shift(o[key] as Rng | null, delta);
  }
  return obj;
}

/**
 * A node of this version: same fields, this version's document and Dockerfile, Properties computed
 * again on demand, moved by `delta` lines. The fields a node sets when it is built (dockerfile-ast 0.7.1):
 * `range`, `instructionRange`; Arg's `property` (a Property, which reads its own document);
 * JSONInstruction's `openingBracket`, `closingBracket` (Argument) and `jsonStrings` (JSONArgument,
 * with `range` and `jsonRange`), and the `flags` its getArguments() caches (ModifiableInstruction:
 * Flags with `range`, `nameRange`, `valueRange` and FlagOptions with the same). The flags are kept:
 * computing them again costs a full tokenization of every instruction.
 */
function cloneNode(node: Instruction, df: DockerfileImpl, document: TextDocument, delta: number): Instruction {
  const clone = moved(repoint(node, document), delta) as unknown as Record<string, unknown>;
  clone.dockerfile = df;
  if (clone.property) clone.property = moved(repoint(clone.property as object, document), delta);
  if (delta !== 0) {
    for (const key of ['openingBracket', 'closingBracket']) {
      const arg = clone[key] as object | null | undefined;
      if (arg) clone[key] = moved(copy(arg), delta);
    }
    if (Array.isArray(clone.jsonStrings)) clone.jsonStrings = (clone.jsonStrings as object[]).map((j) => moved(copy(j), delta));
    // Flags (with their options) hold no document: kept, moved.
    if (Array.isArray(clone.flags)) {
      clone.flags = (clone.flags as Record<string, unknown>[]).map((f) => {
        const flag = moved(copy(f), delta);
        flag.options = (flag.options as object[]).map((o) => moved(copy(o), delta));
        return flag;
      });
    }
  }
  // PropertyInstruction.getProperties caches Properties, which read their document: computed again on demand.
  if ('properties' in clone) clone.properties = undefined;
  return clone as unknown as Instruction;
}

function copy<T extends object>(obj: T): T {
  return Object.assign(Object.create(Object.getPrototypeOf(obj)), obj) as T;
}

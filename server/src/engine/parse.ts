/**
 * Our parses: dockerfile-ast's `DockerfileParser.parse` with the same result, minus costs of its
 * own that a check should not pay. test/parse.test.ts compares every node's fields with the original
 * parse's.
 *
 * - **Arguments tokenized once per instruction.** While it parses, dockerfile-ast tokenizes a RUN's
 *   arguments five times (`getRawArguments`: the JSON form's `getRawArgumentsContent`, which calls
 *   `getFlags`, which calls `getArguments` again; the JSON form's own `getArguments` and
 *   `getArgumentsRange`; the heredoc scan), each time with two `positionAt` per token. That was about
 *   two thirds of a parse. During our parse the first tokenization of a node is kept and every call gets
 *   a new array of the same Arguments (callers shift the array). Sharing the Arguments is safe within
 *   the parse: nothing in it assigns to an Argument or its ranges (From's getters do, but the parse
 *   calls none of them), and the two places a parse keeps tokens (a Flag's ranges, a JSON form's
 *   brackets) never keep the same token. After the parse, calls get new Arguments each time, as before
 *   (during a check, copies of the node's kept tokens: see duringCheck).
 * - **Each instruction built once** (`createInstructionOnce` below): dockerfile-ast builds it a second
 *   time after looking for heredocs.
 * - **Comments assigned to stages in one pass** (`organizeComments` below).
 * - **Ranges without type tests** (`rangeCreateShortcut` below, also during checks).
 *
 * The methods are replaced once, when this module loads, by ones that do the above only while
 * `parseDockerfile` (or a check) runs and call dockerfile-ast's own otherwise (so dockerfile-utils' `validate`, the
 * bench's anchor, runs dockerfile-ast's code). Not swapped in and out per parse: re-assigning a
 * prototype's method on every parse made each young-generation collection promote about 2 MB of
 * earlier parses (9 ms instead of 0.1 ms per scavenge on a 50-line file).
 */
import { DockerfileParser, Dockerfile, Comment, Argument } from 'dockerfile-ast';
import { Dockerfile as DockerfileImpl } from 'dockerfile-ast/lib/dockerfile';
import { Instruction as InstructionImpl } from 'dockerfile-ast/lib/instruction';
import { Argument as ArgumentImpl } from 'dockerfile-ast/lib/argument';
import { Util as UtilImpl } from 'dockerfile-ast/lib/util';
import { Parser as ParserImpl } from 'dockerfile-ast/lib/parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Range as LspRange } from 'vscode-languageserver-types';
import { Char } from './charCodes';
import { KeyMemo } from './keyMemo';

type Pos = { line: number; character: number };
type Rng = { start: Pos; end: Pos };

/** True while parseDockerfile runs (parses are synchronous, so nothing else parses meanwhile). */
let ours = false;
// The calls for one node come together while it is built, so one entry is enough: the tokens of
// earlier nodes die young (a map of every node's tokens doubled a 5,000-line parse's collection
// time), and nothing is left on the nodes.
let lastNode: InstructionImpl | undefined;
let lastArgs: Argument[] = [];

const dockerfileProto = DockerfileImpl.prototype as unknown as { organizeComments(this: DockerfileImpl): void };
const instructionProto = InstructionImpl.prototype as unknown as { getRawArguments(this: InstructionImpl): Argument[] };
const originalOrganize = dockerfileProto.organizeComments;
const originalRaw = instructionProto.getRawArguments;
dockerfileProto.organizeComments = function (this: DockerfileImpl) {
  if (ours) organizeComments(this);
  else originalOrganize.call(this);
};
instructionProto.getRawArguments = function (this: InstructionImpl) {
  if (ours) {
    if (lastNode !== this) {
      // Not kept on the node: tokens made by the parse and kept through it cost a 5,000-line check
      // 20% more time in collections (they live through the parse's scavenges).
      lastArgs = tokenizeArguments(this);
      lastNode = this;
    }
    return lastArgs.slice();
  }
  if (checking) return nodeTokens(this).map(copyArgument);
  return originalRaw.call(this);
};

/**
 * dockerfile-ast's parser builds every instruction twice: at the end of its line, to look for heredocs
 * (`processHeredocs(this.createInstruction(...))`), and then, when there were none, again with the same
 * arguments to add it. During our parse the second call with the same arguments returns the first
 * node: processHeredocs only reads it (the keyword, the arguments, an ONBUILD's trigger made anew), so
 * it is the node the second build would make. The second build was about a tenth of a 50-line check
 * (docs/performance.md, Stop 18). Once: a third call builds anew.
 */
type CreateInstruction = (this: ParserImpl, dockerfile: DockerfileImpl, instruction: string, start: number, instructionEnd: number, end: number) => InstructionImpl;
const parserProto = ParserImpl.prototype as unknown as { createInstruction: CreateInstruction };
const originalCreateInstruction = parserProto.createInstruction;
// The last node built and the offsets it was built for; its Dockerfile and keyword are its own fields.
let builtNode: InstructionImpl | undefined;
let builtStart = -1;
let builtInstructionEnd = -1;
let builtEnd = -1;
parserProto.createInstruction = function createInstructionOnce(dockerfile, instruction, start, instructionEnd, end) {
  if (!ours) return originalCreateInstruction.call(this, dockerfile, instruction, start, instructionEnd, end);
  const node = builtNode as (InstructionImpl & { dockerfile: DockerfileImpl }) | undefined;
  builtNode = undefined;
  if (node !== undefined && node.dockerfile === dockerfile && node.getInstruction() === instruction && builtStart === start && builtInstructionEnd === instructionEnd && builtEnd === end) {
    return node;
  }
  const built = originalCreateInstruction.call(this, dockerfile, instruction, start, instructionEnd, end);
  builtNode = built;
  builtStart = start;
  builtInstructionEnd = instructionEnd;
  builtEnd = end;
  return built;
};

/** True while a check runs (duringCheck): dockerfile-ast's getters get copies of the kept tokens. */
let checking = false;
const tokensMemo = new KeyMemo<object, Argument[]>('nodeTokens');

/**
 * A node's tokens (what getRawArguments gives), made once per node after its parse and kept on it.
 * Shared and read-only: dockerfile-ast's own calls get copies outside the parse (From's getters write
 * to the ranges they get). A node copied by the incremental parse does not carry them (the memo is a
 * private field, which Object.assign does not copy): its ranges may have moved.
 */
export function nodeTokens(node: object): Argument[] {
  let tokens = tokensMemo.get(node);
  if (tokens === undefined) tokensMemo.set(node, (tokens = tokenizeArguments(node)));
  return tokens;
}

const copyArgument = (a: Argument): Argument => {
  const { start, end } = a.getRange();
  return new ArgumentImpl(a.getValue(), { start: { line: start.line, character: start.character }, end: { line: end.line, character: end.character } }) as unknown as Argument;
};

/**
 * Runs a check with dockerfile-ast's getRawArguments answered from the kept tokens (as new copies,
 * like its own): after the parse, From's getters, getArgumentsRange and the like tokenized again on
 * every call (15 times in a 50-line check).
 */
export function duringCheck<T>(run: () => T): T {
  const was = checking;
  checking = true;
  try {
    return run();
  } finally {
    checking = was;
    // Not kept past the outermost check: the hint holds its document.
    if (!was) hintDocument = undefined;
  }
}

/**
 * vscode-languageserver-types' `Range.create`, which dockerfile-ast calls for nearly every range it
 * makes (85 call sites), tests each of its four numbers with `Object.prototype.toString.call` (its
 * `Is.uinteger`), or its two positions with as many. During our parses and checks, four numbers in
 * range, or two positions, go straight to the object it would build (for such numbers its
 * Position.create changes nothing); anything else goes to the original.
 * The same module instance as dockerfile-ast's: package.json pins the version dockerfile-ast uses.
 */
const rangeNamespace = LspRange as unknown as { create(one: unknown, two: unknown, three?: unknown, four?: unknown): Rng };
const originalRangeCreate = rangeNamespace.create;
const UINTEGER_MAX = 2147483647;
const isUinteger = (n: unknown): n is number => typeof n === 'number' && n >= 0 && n <= UINTEGER_MAX;
const isPosition = (p: unknown): p is Pos => typeof p === 'object' && p !== null && isUinteger((p as Pos).line) && isUinteger((p as Pos).character);
rangeNamespace.create = function rangeCreateShortcut(one, two, three, four) {
  if (ours || checking) {
    if (isUinteger(one) && isUinteger(two) && isUinteger(three) && isUinteger(four)) {
      return { start: { line: one, character: two }, end: { line: three, character: four } };
    }
    if (three === undefined && four === undefined && isPosition(one) && isPosition(two)) return { start: one, end: two };
  }
  return originalRangeCreate(one, two, three, four);
};

/**
 * dockerfile-ast's `Util.isUTF8BOM`, called twice per parse with the text's first character, encodes it
 * into a Buffer and copies that into a Uint8Array to compare three bytes (1.5% of a 50-line check).
 * Those bytes are EF BB BF exactly when the string starts with U+FEFF (a lone surrogate encodes as
 * EF BF BD), so during our parses and checks one char code answers; the original otherwise.
 */
const utilNamespace = UtilImpl as unknown as { isUTF8BOM(char: string): boolean };
const originalIsBom = utilNamespace.isUTF8BOM;
utilNamespace.isUTF8BOM = function isBomShortcut(char: string) {
  if ((ours || checking) && typeof char === 'string') return char.charCodeAt(0) === 0xfeff;
  return originalIsBom.call(UtilImpl, char);
};

/**
 * The document the parse should use instead of making its own (`parseDockerfile`'s second argument):
 * the analysis already has one of the same text, and each computes its line offsets (1% of a 50-line
 * check). dockerfile-ast reads only its text, lines and offsets.
 */
let documentForParse: TextDocument | undefined;
const documentNamespace = TextDocument as unknown as { create(uri: string, languageId: string, version: number, content: string): TextDocument };
const originalDocumentCreate = documentNamespace.create;
documentNamespace.create = function documentCreateShared(uri, languageId, version, content) {
  if (ours && documentForParse !== undefined && documentForParse.getText() === content) return documentForParse;
  return originalDocumentCreate(uri, languageId, version, content);
};

/**
 * vscode-languageserver-textdocument's `positionAt` finds the line by a binary search over all line
 * starts; a parse and a check ask for offsets that mostly come in order (2% of a 50-line check). During
 * our parses and checks an integer offset starts from the line of the previous answer for the same
 * document and steps a few lines, and falls back to the binary search when the line is farther away;
 * the same answer either way (the last line starting at or before the offset, then the same step back
 * over a line break). Anything else goes to the original.
 */
type LineDocument = { _content: string; getLineOffsets(): number[] };
const documentProto = Object.getPrototypeOf(originalDocumentCreate('', '', 0, '')) as { positionAt(this: LineDocument, offset: number): Pos };
const originalPositionAt = documentProto.positionAt;
let hintDocument: LineDocument | undefined;
let hintLine = 0;
/** How many lines the hint steps over before it leaves the rest to a binary search. */
const HINT_STEPS = 4;
documentProto.positionAt = function positionAtFromHint(this: LineDocument, offset: number) {
  if (!(ours || checking) || !Number.isInteger(offset)) return originalPositionAt.call(this, offset);
  const content = this._content;
  const lineOffsets = this.getLineOffsets();
  const count = lineOffsets.length;
  if (count === 0) return originalPositionAt.call(this, offset);
  offset = Math.max(Math.min(offset, content.length), 0);
  let line = hintDocument === this && hintLine < count ? hintLine : 0;
  let steps = 0;
  while (line > 0 && lineOffsets[line] > offset && steps++ < HINT_STEPS) line--;
  while (line + 1 < count && lineOffsets[line + 1] <= offset && steps++ < HINT_STEPS) line++;
  if (lineOffsets[line] > offset || (line + 1 < count && lineOffsets[line + 1] <= offset)) {
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (lineOffsets[mid] > offset) high = mid;
      else low = mid + 1;
    }
    line = low - 1;
  }
  hintDocument = this;
  hintLine = line;
  const lineStart = lineOffsets[line];
  while (offset > lineStart && (content.charCodeAt(offset - 1) === Char.CR || content.charCodeAt(offset - 1) === Char.LF)) offset--;
  return { line, character: offset - lineStart };
};

/**
 * DockerfileParser.parse, with the memoized tokenization and the linear organizeComments; with
 * `document`, the nodes read that document when it holds `text` (else one of their own, as always).
 */
export function parseDockerfile(text: string, document?: TextDocument): Dockerfile {
  ours = true;
  documentForParse = document;
  try {
    return DockerfileParser.parse(text);
  } finally {
    ours = false;
    if (!checking) hintDocument = undefined;
    documentForParse = undefined;
    lastNode = undefined;
    lastArgs = [];
    builtNode = undefined;
  }
}

/** What tokenizeArguments reads of a node (dockerfile-ast's fields). */
interface NodeFields {
  document: TextDocument;
  range: Rng;
  instructionRange: Rng;
  escapeChar: string;
}


/**
 * dockerfile-ast 0.7.1's `Instruction.getRawArguments`, step for step (the same states, the same
 * branches, the same positions), but reading char codes and cutting each token's value out of the text
 * in slices instead of adding it up one character at a time (about a third of a check's allocation was
 * those strings). test/parse.test.ts compares it with the original token by token.
 */
export function tokenizeArguments(instruction: object): Argument[] {
  const { document, range: lineRange, instructionRange: range, escapeChar } = instruction as NodeFields;
  const text = document.getText();
  const escape = escapeChar.charCodeAt(0);
  const extra = document.offsetAt(range.end) - document.offsetAt(range.start);
  // content = the line range's text; fullArgs = content.substring(extra), as substring clamps it.
  const contentStart = document.offsetAt(lineRange.start);
  const contentLength = Math.max(0, document.offsetAt(lineRange.end) - contentStart);
  const from = contentStart + Math.min(Math.max(extra, 0), contentLength);
  const length = contentStart + contentLength - from;
  const offset = document.offsetAt(range.start) + extra;
  // fullArgs.charCodeAt(i) is text.charCodeAt(from + i) for i < length, NaN past its end.

  const args: Argument[] = [];
  const token = new TokenValue(text, from);
  // During our parses and checks positionAt steps from its previous answer (positionAtFromHint above).
  const push = (start: number, end: number) => {
    args.push(new ArgumentImpl(token.take(), { start: document.positionAt(offset + start), end: document.positionAt(offset + end) }) as unknown as Argument);
  };

  let start = false;
  let comment = false;
  let found = -1;
  let escapedWhitespaceDetected = false;
  let escaping = false;
  let escapeMarker = -1;
  for (let i = 0; i < length; i++) {
    const char = text.charCodeAt(from + i);
    if (char === Char.SPACE || char === Char.TAB || char === Char.CR || char === Char.LF) {
      if (escaping) {
        escapedWhitespaceDetected = true;
        if (char === Char.CR || char === Char.LF) {
          escapedWhitespaceDetected = false;
          if (comment) {
            comment = false;
            start = true;
          }
        }
        continue;
      } else if (found !== -1) {
        push(found, escapeMarker === -1 ? i : escapeMarker);
        escapeMarker = -1;
        found = -1;
      }
    } else if (char === escape) {
      const next = i + 1 < length ? text.charCodeAt(from + i + 1) : NaN;
      if (next === Char.SPACE || next === Char.TAB) {
        for (let j = i + 2; j < length; j++) {
          const c = text.charCodeAt(from + j);
          if (c === Char.SPACE || c === Char.TAB) continue;
          if (c === Char.CR || c === Char.LF) {
            // dockerfile-ast takes a CR here as a line break with or without an LF after it.
            if (c === Char.CR) j++;
            comment = false;
            escaping = true;
            start = true;
            if (found !== -1) escapeMarker = i;
            i = j;
          } else {
            escapeMarker = i;
            if (found === -1) i = j - 1;
          }
          break;
        }
      } else if (next === Char.CR || next === Char.LF) {
        comment = false;
        escaping = true;
        start = true;
        if (found !== -1 && escapeMarker === -1) escapeMarker = i;
        i += next === Char.CR ? 2 : 1;
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) {
          push(found, escapeMarker);
          found = -1;
        }
        escapeMarker = -1;
        escapedWhitespaceDetected = false;
        escaping = false;
        if (next === Char.DOLLAR) token.append(i, i + 2);
        else if (Number.isNaN(next)) break; // the escape character ends the text
        else token.append(i + 1, i + 2);
        if (found === -1) found = i;
        i++;
      }
    } else if (!comment) {
      if (start && char === Char.HASH) {
        comment = true;
      } else {
        if (escapedWhitespaceDetected && escapeMarker !== -1) {
          push(found, escapeMarker);
          found = -1;
        }
        escapedWhitespaceDetected = false;
        escaping = false;
        escapeMarker = -1;
        token.append(i, i + 1);
        if (found === -1) found = i;
      }
      start = false;
    }
  }
  if (found !== -1) push(found, escapeMarker === -1 ? length : escapeMarker);
  return args;
}

/**
 * A token's value while tokenizeArguments reads it: `done` plus the run [runStart, runEnd) of fullArgs
 * (at `from` in the text) not yet cut out. A class, not closures over locals: four closures per
 * instruction were a third of the tokenizer's allocations.
 */
class TokenValue {
  private done = '';
  private runStart = -1;
  private runEnd = -1;

  constructor(
    private readonly text: string,
    private readonly from: number,
  ) {}

  append(a: number, b: number): void {
    if (this.runStart !== -1 && this.runEnd === a) {
      this.runEnd = b;
      return;
    }
    if (this.runStart !== -1) this.done += this.text.slice(this.from + this.runStart, this.from + this.runEnd);
    this.runStart = a;
    this.runEnd = b;
  }

  /** The value so far; the next token starts empty. */
  take(): string {
    const value = this.runStart === -1 ? this.done : this.done + this.text.slice(this.from + this.runStart, this.from + this.runEnd);
    this.done = '';
    this.runStart = -1;
    return value;
  }
}

interface Template {
  getRange(): Rng;
  addComment(comment: Comment): void;
}

/**
 * dockerfile-ast's `Dockerfile.organizeComments` (the last step of a parse) gives each comment to the
 * global ARGs or to the build stage whose range holds it, testing every comment against every stage and
 * computing the stage's range again each time: comments x stages (a 40,000-line file with many stages
 * and comments took 3.6 s to parse). The same assignment in one pass: the ranges do not change while
 * comments are added (ImageTemplate.getRange reads only instructions), and stages come in document
 * order, so a comment can only be in the last stage starting at or before it (or, where two ranges
 * touch, the ones before it ending exactly there). test/parse.test.ts compares it with the original.
 */
export function organizeComments(dockerfile: DockerfileImpl): void {
  const { initialInstructions: initial, buildStages: stages } = dockerfile as unknown as { initialInstructions: Template; buildStages: Template[] };
  const initialRange = initial.getRange();
  const ranges = stages.map((s) => s.getRange());
  const before = (a: Pos, b: Pos) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  for (const comment of dockerfile.getComments()) {
    const { start, end } = comment.getRange();
    if (isInsideRange(end, initialRange)) {
      initial.addComment(comment);
      continue;
    }
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(ranges[mid].start, start)) lo = mid + 1;
      else hi = mid;
    }
    const holders: number[] = [];
    for (let i = lo - 1; i >= 0 && before(start, ranges[i].end); i--) if (isInsideRange(start, ranges[i])) holders.push(i);
    for (let k = holders.length - 1; k >= 0; k--) stages[holders[k]].addComment(comment);
  }
}

/** dockerfile-ast's Util.isInsideRange: both ends included. */
function isInsideRange(position: Pos, range: Rng): boolean {
  if (range.start.line === range.end.line) return range.start.line === position.line && range.start.character <= position.character && position.character <= range.end.character;
  if (range.start.line === position.line) return range.start.character <= position.character;
  if (range.end.line === position.line) return position.character <= range.end.character;
  return range.start.line < position.line && position.line < range.end.line;
}

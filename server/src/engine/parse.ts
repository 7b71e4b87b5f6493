/**
 * Our parses: dockerfile-ast's `DockerfileParser.parse` with the same result, minus two costs of its
 * own that a check should not pay. Both are swapped in for the duration of one synchronous parse call
 * and put back after it, so dockerfile-ast itself (and dockerfile-utils' `validate`, the bench's anchor)
 * is unchanged outside it. test/parse.test.ts compares every node's fields with the original parse's.
 *
 * - **Arguments tokenized once per instruction.** While it parses, dockerfile-ast tokenizes a RUN's
 *   arguments five times (`getRawArguments`: the JSON form's `getRawArgumentsContent`, which calls
 *   `getFlags`, which calls `getArguments` again; the JSON form's own `getArguments` and
 *   `getArgumentsRange`; the heredoc scan), each time with two `positionAt` per token. That was about
 *   two thirds of a parse. During our parse the first tokenization of a node is kept and every call gets
 *   a new array of the same Arguments (callers shift the array). Sharing the Arguments is safe within
 *   the parse: nothing in it assigns to an Argument or its ranges (From's getters do, but the parse
 *   calls none of them), and the two places a parse keeps tokens (a Flag's ranges, a JSON form's
 *   brackets) never keep the same token. After the parse, every call tokenizes afresh as before.
 * - **Comments assigned to stages in one pass** (`organizeComments` below).
 */
import { DockerfileParser, Dockerfile, Comment, Argument } from 'dockerfile-ast';
import { Dockerfile as DockerfileImpl } from 'dockerfile-ast/lib/dockerfile';
import { Instruction as InstructionImpl } from 'dockerfile-ast/lib/instruction';

type Pos = { line: number; character: number };
type Rng = { start: Pos; end: Pos };

/** DockerfileParser.parse, with the memoized tokenization and the linear organizeComments, for this call only. */
export function parseDockerfile(text: string): Dockerfile {
  const dockerfileProto = DockerfileImpl.prototype as unknown as { organizeComments(this: DockerfileImpl): void };
  const instructionProto = InstructionImpl.prototype as unknown as { getRawArguments(this: InstructionImpl): Argument[] };
  const originalOrganize = dockerfileProto.organizeComments;
  const originalRaw = instructionProto.getRawArguments;
  // The calls for one node come together while it is built, so one entry is enough: the tokens of
  // earlier nodes die young (a map of every node's tokens doubled a 5,000-line parse's collection
  // time), and nothing is left on the nodes.
  let lastNode: InstructionImpl | undefined;
  let lastArgs: Argument[] = [];
  dockerfileProto.organizeComments = function (this: DockerfileImpl) {
    organizeComments(this);
  };
  instructionProto.getRawArguments = function (this: InstructionImpl) {
    if (lastNode !== this) {
      lastArgs = originalRaw.call(this);
      lastNode = this;
    }
    return lastArgs.slice();
  };
  try {
    return DockerfileParser.parse(text);
  } finally {
    dockerfileProto.organizeComments = originalOrganize;
    instructionProto.getRawArguments = originalRaw;
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

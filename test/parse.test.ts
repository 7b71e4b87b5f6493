/**
 * Our parse (server/src/engine/parse.ts) builds the same tree as dockerfile-ast's own: every node has
 * the same class and the same fields, and its linear comment assignment gives each comment to the same
 * place as `Dockerfile.organizeComments` (the global ARGs or the build stages whose range holds it, in
 * the same order).
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Dockerfile, DockerfileParser } from 'dockerfile-ast';
import { duringCheck, parseDockerfile, tokenizeArguments } from '../server/src/engine/parse';
import { Parser as ParserImpl } from 'dockerfile-ast/lib/parser';
import { Analysis } from '../server/src/engine/analysis';
import { generateDockerfile, prng } from '../bench/generate';
import { corpus, fuzzInputs } from './fuzz/corpus';

type Ranged = { getRange(): { start: { line: number; character: number }; end: { line: number; character: number } }; getContent?(): string };
type Template = { getComments(): Ranged[] };

/** Where every comment went: the global ARGs' comments, then each stage's, as [line, character, content]. */
function placement(df: Dockerfile): unknown {
  const internals = df as unknown as { initialInstructions: Template; buildStages: Template[] };
  const list = (t: Template) => t.getComments().map((c) => [c.getRange().start.line, c.getRange().start.character, c.getRange().end.line, c.getRange().end.character, c.getContent?.()]);
  return { initial: list(internals.initialInstructions), stages: internals.buildStages.map(list), all: df.getComments().length };
}

/** Corpus files end to end: hundreds of stages and comments, where the original is slowest. */
function longCorpusFile(lines: number): string {
  const files = corpus().map((f) => f.replace(/\n?$/, '\n'));
  const out: string[] = [];
  for (let i = 0; out.length < lines; i++) out.push(...files[i % files.length].split('\n').slice(0, -1));
  return out.slice(0, lines).join('\n') + '\n';
}

/**
 * A node's own state, deeply, with class names: what every getter computes from. The document is given
 * by its text and the Dockerfile back-pointer only by its being there (it holds the nodes).
 */
function state(value: unknown, seen = new Set<unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '<cycle>';
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => state(v, seen));
  const out: Record<string, unknown> = { class: (value as object).constructor.name };
  for (const [key, v] of Object.entries(value)) {
    if (key === 'document') out[key] = (v as { getText(): string }).getText();
    else if (key === 'dockerfile') out[key] = v ? 'Dockerfile' : v;
    else out[key] = state(v, seen);
  }
  seen.delete(value);
  return out;
}

/** Every node of a parse as the parser left it, then what the commonest getters return. */
function tree(df: Dockerfile): unknown {
  const nodes = df.getInstructions().map((i) => state(i));
  const calls = df.getInstructions().map((i) => [i.getArguments().map((a) => [a.getValue(), a.getRange()]), i.getRawArgumentsContent(), i.getArgumentsRanges()]);
  return { nodes, calls, comments: df.getComments().map((c) => state(c)), directives: df.getDirectives().map((d) => state(d)) };
}

/** Instructions made of the characters the tokenizer branches on, with both escape characters. */
function tokenizerInputs(count: number): string[] {
  const rnd = prng(20261207);
  const pieces = ['a', 'b1', ' ', '\t', '\\', '`', '\n', '\r\n', '\r', '#', '$', '"', "'", '--x=1', '[', ']', '","', '<<EOF', 'EOF'];
  const keywords = ['RUN', 'COPY', 'ADD', 'FROM', 'CMD', 'ENV', 'LABEL', 'WORKDIR', 'USER', 'ONBUILD RUN', 'HEALTHCHECK CMD', 'EXPOSE', 'ARG'];
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    let body = '';
    const len = 1 + Math.floor(rnd() * 14);
    for (let k = 0; k < len; k++) body += pieces[Math.floor(rnd() * pieces.length)];
    const directive = rnd() < 0.25 ? '# escape=`\n' : '';
    out.push(`${directive}FROM x\n${keywords[Math.floor(rnd() * keywords.length)]} ${body}\nRUN z${rnd() < 0.5 ? ' \\' : ''}`);
  }
  return out;
}

describe('parse: tokenizeArguments is dockerfile-ast getRawArguments', () => {
  it('every instruction (and ONBUILD trigger) of the corpus, 2,000 fuzz inputs and 20,000 generated escape cases: the same tokens and ranges', () => {
    const texts = [...corpus(), ...fuzzInputs(2000).map((i) => i.text), ...tokenizerInputs(20000)];
    let tokens = 0;
    let escaped = 0;
    for (const text of texts) {
      const nodes: unknown[] = [];
      for (const node of DockerfileParser.parse(text).getInstructions()) {
        nodes.push(node);
        const trigger = (node as unknown as { getTriggerInstruction?(): unknown }).getTriggerInstruction?.();
        if (trigger) nodes.push(trigger);
      }
      for (const node of nodes) {
        const original = (node as { getRawArguments(): { getValue(): string; getRange(): unknown }[] }).getRawArguments();
        const ours = tokenizeArguments(node as object);
        const show = (args: { getValue(): string; getRange(): unknown }[]) => args.map((a) => [a.getValue(), a.getRange()]);
        assert.deepEqual(show(ours), show(original), `tokens differ in ${JSON.stringify(text)}`);
        tokens += ours.length;
        escaped += ours.filter((a) => a.getValue().includes('\\') || a.getValue().includes('`')).length;
      }
    }
    assert.ok(tokens > 100000 && escaped > 1000, `${tokens} tokens, ${escaped} with an escape character kept`);
  });

  it("Analysis.args (tokens less the flags), argsRange and argsContent are getArguments(), getArgumentsRange() and getArgumentsContent() on the corpus and 2,000 fuzz inputs", () => {
    let flagged = 0;
    for (const text of [...corpus(), ...fuzzInputs(2000).map((i) => i.text)]) {
      const analysis = new Analysis(text);
      for (const instr of analysis.instructions) {
        const show = (args: readonly { getValue(): string; getRange(): unknown }[]) => args.map((a) => [a.getValue(), a.getRange()]);
        assert.deepEqual(show(analysis.args(instr)), show(instr.node.getArguments()), `arguments differ in ${JSON.stringify(text)}`);
        assert.deepEqual(analysis.argsRange(instr), instr.node.getArgumentsRange(), `arguments range differs in ${JSON.stringify(text)}`);
        assert.equal(analysis.argsContent(instr), instr.node.getArgumentsContent(), `arguments content differs in ${JSON.stringify(text)}`);
        if (analysis.flags(instr).length > 0) flagged++;
      }
    }
    assert.ok(flagged > 200, `${flagged} instructions with flags`);
  });
});

describe('parse: the same tree as dockerfile-ast', () => {
  it('examples, corpus, 2,000 fuzz inputs, generated files and 5,000 generated escape cases: every node has the same class and fields', () => {
    const texts = [...corpus(), ...fuzzInputs(2000).map((i) => i.text), generateDockerfile(500).text, ...tokenizerInputs(5000)];
    let jsonForms = 0;
    let flags = 0;
    for (const text of texts) {
      const ours = parseDockerfile(text);
      assert.deepEqual(tree(ours), tree(DockerfileParser.parse(text)), `parsed differently: ${JSON.stringify(text.slice(0, 300))}`);
      for (const node of ours.getInstructions() as unknown as { jsonStrings?: unknown[]; flags?: unknown[] }[]) {
        if (node.jsonStrings && node.jsonStrings.length > 0) jsonForms++;
        if (node.flags && node.flags.length > 0) flags++;
      }
    }
    // The comparison covered the fields the parse fills from the tokens.
    assert.ok(jsonForms > 500 && flags > 200, `${jsonForms} JSON forms, ${flags} nodes with flags`);
  });

  it("after the parse, a node's arguments are fresh objects on every call, as dockerfile-ast gives them", () => {
    const df = parseDockerfile('FROM node:20 AS build\nRUN --mount=type=cache,target=/c yarn install\n');
    const run = df.getInstructions()[1];
    const [a, b] = [run.getArguments(), run.getArguments()];
    assert.notEqual(a, b);
    assert.notEqual(a[0], b[0]);
    assert.notEqual(a[0].getRange(), b[0].getRange());
    assert.deepEqual(a.map((x) => x.getValue()), ['yarn', 'install']);
    // From's getters assign to the ranges they are given; the next call is unaffected.
    const from = df.getFROMs()[0];
    assert.deepEqual(from.getImageNameRange(), { start: { line: 0, character: 5 }, end: { line: 0, character: 9 } });
    assert.deepEqual(from.getArguments()[0].getRange(), { start: { line: 0, character: 5 }, end: { line: 0, character: 12 } });
  });
});

describe("parse: each instruction built once (dockerfile-ast builds it again after its heredoc look)", () => {
  /** How many instruction nodes dockerfile-ast's Parser.createInstruction builds while `parse` runs. */
  function builds(parse: () => unknown): number {
    const parser = ParserImpl as unknown as { createInstruction: (...args: unknown[]) => unknown };
    const original = parser.createInstruction;
    let count = 0;
    parser.createInstruction = function (...args: unknown[]) {
      count++;
      return original.apply(this, args);
    };
    try {
      parse();
    } finally {
      parser.createInstruction = original;
    }
    return count;
  }

  it('four instructions: dockerfile-ast builds eight nodes, our parse four; a heredoc RUN is built again because its range grows', () => {
    const plain = 'FROM alpine\nRUN a\nCOPY x /y\nCMD ["b"]\n';
    assert.equal(builds(() => DockerfileParser.parse(plain)), 8);
    assert.equal(builds(() => parseDockerfile(plain)), 4);
    const heredoc = 'FROM alpine\nRUN <<EOF\necho hi\nEOF\nCMD ["b"]\n';
    assert.equal(builds(() => DockerfileParser.parse(heredoc)), 6);
    assert.equal(builds(() => parseDockerfile(heredoc)), 4);
    const run = parseDockerfile(heredoc).getInstructions()[1];
    assert.deepEqual(run.getRange(), { start: { line: 1, character: 0 }, end: { line: 3, character: 3 } });
  });
});

describe('parse: comments go where dockerfile-ast puts them', () => {
  it('examples, corpus, 2,000 fuzz inputs, generated and long files: the same placement', () => {
    const texts = [...corpus(), ...fuzzInputs(2000).map((i) => i.text), generateDockerfile(500).text, generateDockerfile(5000).text, longCorpusFile(3000)];
    let stagesWithComments = 0;
    let initialComments = 0;
    for (const text of texts) {
      const ours = placement(parseDockerfile(text)) as { initial: unknown[]; stages: unknown[][] };
      assert.deepEqual(ours, placement(DockerfileParser.parse(text)), `comments placed differently in ${JSON.stringify(text.slice(0, 300))}`);
      stagesWithComments += ours.stages.filter((s) => s.length > 0).length;
      initialComments += ours.initial.length;
    }
    // The comparison covered both kinds of placement.
    assert.ok(stagesWithComments > 1000 && initialComments > 50, `${stagesWithComments} stages with comments, ${initialComments} global comments`);
  });

  it('touching ranges, a comment before any instruction, comments only, escape directive and CRLF', () => {
    for (const text of [
      '# only a comment\n',
      '# a\n# b\nARG X=1\n# c\nFROM alpine\n# d\nRUN a\n# e\n',
      '#escape=`\n# c\nFROM alpine AS a\nRUN echo `\n# inside\n  b\n# after\nFROM a\n# last\n',
      'FROM alpine\r\n# c\r\nRUN x\r\n# tail\r\n',
      'ARG A\n# between\nARG B\nFROM x\nFROM y\n# y\n',
      '\uFEFF# bom\nFROM z\n#\n',
    ]) {
      assert.deepEqual(placement(parseDockerfile(text)), placement(DockerfileParser.parse(text)), JSON.stringify(text));
    }
  });

  it("outside parseDockerfile (and after one that threw) dockerfile-ast tokenizes afresh on every call, as its own code does", () => {
    const text = 'FROM alpine\n# c\nRUN --mount=type=cache,target=/x a b\n';
    const tokensTwice = (df: ReturnType<typeof parseDockerfile>) => {
      const run = df.getInstructions()[1];
      return [run.getArguments(), run.getArguments()];
    };
    assert.throws(() => parseDockerfile(undefined as unknown as string));
    for (const df of [parseDockerfile(text), DockerfileParser.parse(text)]) {
      const [first, second] = tokensTwice(df);
      assert.deepEqual(first.map((a) => a.getValue()), ['a', 'b']);
      assert.deepEqual(second.map((a) => a.getValue()), ['a', 'b']);
      assert.notEqual(first[0], second[0], 'a second call must make new Arguments');
    }
  });
});

describe('parse: during a check, the getters give what they give outside it', () => {
  // Every getter that tokenizes, read as plain values (ranges as numbers), and whether each call's
  // Arguments are new objects.
  const readGetters = (df: Dockerfile) =>
    df.getInstructions().map((node) => {
      const from = node as unknown as Record<string, (() => unknown) | undefined>;
      const fromGetters = ['getImage', 'getImageName', 'getImageRange', 'getImageNameRange', 'getImageTag', 'getImageTagRange', 'getImageDigest', 'getImageDigestRange', 'getBuildStage', 'getBuildStageRange', 'getRegistry', 'getRegistryRange'];
      const first = node.getArguments();
      const second = node.getArguments();
      return JSON.parse(
        JSON.stringify({
          args: first.map((a) => [a.getValue(), a.getRange()]),
          fresh: first.every((a, i) => a !== second[i] && a.getRange() !== second[i].getRange()),
          range: node.getArgumentsRange(),
          content: node.getArgumentsContent(),
          ranges: node.getArgumentsRanges(),
          variables: node.getVariables().map((v) => [v.getName(), v.getRange()]),
          // A new array each call, as dockerfile-ast's own (LABEL's override edits the one it gets).
          freshVariables: node.getVariables() !== node.getVariables(),
          flags: 'getFlags' in node ? (node as unknown as { getFlags(): { toString(): string; getRange(): unknown }[] }).getFlags().map((f) => [f.toString(), f.getRange()]) : [],
          from: node.getKeyword() === 'FROM' ? fromGetters.map((g) => (typeof from[g] === 'function' ? (from[g] as () => unknown).call(node) : 'absent')) : [],
        }),
      );
    });

  it('on the corpus and 2,000 fuzz inputs', () => {
    let froms = 0;
    for (const text of [...corpus(), ...fuzzInputs(2000).map((i) => i.text)]) {
      const outside = readGetters(parseDockerfile(text));
      const inside = duringCheck(() => readGetters(parseDockerfile(text)));
      assert.deepEqual(inside, outside, `getters differ during a check in ${JSON.stringify(text)}`);
      // Calling them twice in a check (From's getters write to the ranges they get) changes nothing either.
      const df = parseDockerfile(text);
      assert.deepEqual(duringCheck(() => [readGetters(df), readGetters(df)]), [outside, outside]);
      froms += outside.filter((n: { from: unknown[] }) => n.from.length > 0).length;
    }
    assert.ok(froms > 500, `${froms} FROM instructions compared`);
  });
});

describe("parse: Range.create's shortcut during our parses and checks", () => {
  // The module instance dockerfile-ast calls, whatever else npm installs beside it.
  const dockerfileAstTypes = require(require.resolve('vscode-languageserver-types', { paths: [require.resolve('dockerfile-ast')] })) as typeof import('vscode-languageserver-types');

  it('is installed on the Range.create that dockerfile-ast calls', () => {
    assert.equal(dockerfileAstTypes.Range.create.name, 'rangeCreateShortcut');
  });

  it('gives what the original gives, and the original error for what the original rejects', () => {
    const create = dockerfileAstTypes.Range.create as (...args: unknown[]) => unknown;
    const start = { line: 3, character: 4 };
    const end = { line: 5, character: 0 };
    const inside = (...args: unknown[]) => duringCheck(() => create(...args));
    assert.deepEqual(inside(1, 2, 3, 4), { start: { line: 1, character: 2 }, end: { line: 3, character: 4 } });
    assert.deepEqual(inside(0, 0, 2147483647, 2147483647), { start: { line: 0, character: 0 }, end: { line: 2147483647, character: 2147483647 } });
    const fromPositions = inside(start, end) as { start: unknown; end: unknown };
    assert.ok(fromPositions.start === start && fromPositions.end === end, 'the same position objects, as the original keeps them');
    const errorOf = (run: () => unknown) => {
      try {
        run();
      } catch (e) {
        return (e as Error).message;
      }
      return assert.fail('no error');
    };
    assert.equal(errorOf(() => inside(-1, 0, 0, 0)), 'Range#create called with invalid arguments[-1, 0, 0, 0]');
    for (const bad of [[0, 0, 2147483648, 0], [1.5, 0, NaN, 0], ['1', 0, 0, 0], [start, { line: -1, character: 0 }], [start]]) {
      assert.equal(errorOf(() => inside(...bad)), errorOf(() => create(...bad)), String(bad));
    }
    // 1.5 is no uinteger for the original either, but it passes its range test: both build the object.
    assert.deepEqual(inside(1.5, 0, 2, 0), create(1.5, 0, 2, 0));
    assert.deepEqual(inside(1, 2, 3, 4), create(1, 2, 3, 4), 'outside a check, the original');
  });
});

describe('parse: the nodes read the analysis document when it holds the parsed text', () => {
  const documentOf = (node: unknown) => (node as { document: { getText(): string } }).document;

  it('is installed on the TextDocument.create that dockerfile-ast calls', () => {
    const textDocument = require(require.resolve('vscode-languageserver-textdocument', { paths: [require.resolve('dockerfile-ast')] })) as typeof import('vscode-languageserver-textdocument');
    assert.equal(textDocument.TextDocument.create.name, 'documentCreateShared');
  });

  it("a full parse's nodes read the analysis's document; with a lone CR (a different parsed text) their own", () => {
    const analysis = new Analysis('FROM node:20\nRUN echo hi\n');
    assert.ok(analysis.df.getInstructions().every((n) => documentOf(n) === analysis.doc));
    const withCr = new Analysis('FROM node:20\rRUN echo hi\n');
    const nodes = withCr.df.getInstructions();
    assert.equal(nodes.length, 2);
    assert.ok(nodes.every((n) => documentOf(n) !== withCr.doc && documentOf(n).getText() === 'FROM node:20\nRUN echo hi\n'));
  });

  it('a document of another text is not used, and outside parseDockerfile create makes a new document', async () => {
    const { TextDocument } = await import('vscode-languageserver-textdocument');
    const other = TextDocument.create('file:///x', 'dockerfile', 0, 'FROM other\n');
    const df = parseDockerfile('FROM node:20\n', other);
    assert.equal(documentOf(df.getInstructions()[0]).getText(), 'FROM node:20\n');
    const same = TextDocument.create('file:///y', 'dockerfile', 0, 'FROM node:20\n');
    assert.equal(documentOf(parseDockerfile('FROM node:20\n', same).getInstructions()[0]), same);
    assert.notEqual(TextDocument.create('', '', 0, 'FROM node:20\n'), same);
    assert.notEqual(documentOf(DockerfileParser.parse('FROM node:20\n').getInstructions()[0]), same);
  });
});

describe("parse: Util.isUTF8BOM's shortcut during our parses and checks", () => {
  const dockerfileAstUtil = require(require.resolve('dockerfile-ast/lib/util', { paths: [require.resolve('dockerfile-ast')] })) as { Util: { isUTF8BOM(char: string): boolean } };
  const originalAnswer = (char: string) => {
    const bytes = Buffer.from(char, 'utf8');
    return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  };

  it('is installed on the Util that dockerfile-ast calls', () => {
    assert.equal(dockerfileAstUtil.Util.isUTF8BOM.name, 'isBomShortcut');
  });

  it("answers as the original's byte test for a BOM, lone surrogates, look-alikes and empty text, inside a check and outside", () => {
    const inputs = ['', '\uFEFF', '\uFEFFFROM x', '\uD83D', '\uDE00', '\uD83D\uDE00', '\uFFFE', '\uFFFD', 'ï', 'F', '\u00EF\u00BB\u00BF', '\u200B'];
    for (const char of inputs) {
      const expected = originalAnswer(char);
      assert.equal(duringCheck(() => dockerfileAstUtil.Util.isUTF8BOM(char)), expected, JSON.stringify(char));
      assert.equal(dockerfileAstUtil.Util.isUTF8BOM(char), expected, `outside: ${JSON.stringify(char)}`);
    }
    assert.equal(inputs.filter(originalAnswer).length, 2, 'two of them start with a BOM');
  });

  it('a BOM before a directive and before the first instruction parses as dockerfile-ast parses it', () => {
    for (const text of ['\uFEFF# escape=`\nFROM x\nRUN a `\n  b\n', '\uFEFFFROM node:20\nRUN echo hi\n', '\uFEFF\n# escape=`\nFROM x\n']) {
      assert.deepEqual(tree(parseDockerfile(text)), tree(DockerfileParser.parse(text)), JSON.stringify(text));
      assert.equal(parseDockerfile(text).getEscapeCharacter(), DockerfileParser.parse(text).getEscapeCharacter());
    }
  });
});

describe("parse: TextDocument positionAt's line hint during our parses and checks", () => {
  const textDocument = require(require.resolve('vscode-languageserver-textdocument', { paths: [require.resolve('dockerfile-ast')] })) as typeof import('vscode-languageserver-textdocument');

  /** The original's answer, from the same algorithm's definition: the last line starting at or before the offset. */
  function expected(text: string, offset: number): { line: number; character: number } {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '\r' || c === '\n') {
        if (c === '\r' && text[i + 1] === '\n') i++;
        starts.push(i + 1);
      }
    }
    let at = Math.max(Math.min(offset, text.length), 0);
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= at) line++;
    while (at > starts[line] && (text[at - 1] === '\r' || text[at - 1] === '\n')) at--;
    return { line, character: at - starts[line] };
  }

  it('is installed on the TextDocument prototype dockerfile-ast uses', () => {
    const doc = textDocument.TextDocument.create('file:///x', 'dockerfile', 0, 'FROM x\n');
    assert.equal((doc as unknown as { positionAt: { name: string } }).positionAt.name, 'positionAtFromHint');
  });

  it('answers as outside a check for offsets in order, backwards, at random and across two documents, with LF, CRLF and lone CR', () => {
    const rnd = prng(20261208);
    const texts = ['', 'x', '\n', '\r\n\r\n', 'a\rb\r\nc\n\nd', generateDockerfile(50).text, generateDockerfile(50).text.replace(/\n/g, '\r\n'), ...fuzzInputs(200, 7).map((i) => i.text)];
    let compared = 0;
    for (let k = 0; k < texts.length; k++) {
      const one = textDocument.TextDocument.create('file:///one', 'dockerfile', 0, texts[k]);
      const two = textDocument.TextDocument.create('file:///two', 'dockerfile', 0, texts[(k + 1) % texts.length]);
      const len = texts[k].length;
      const offsets = [-3, 0, len, len + 5, ...Array.from({ length: len + 1 }, (_, i) => i), ...Array.from({ length: len + 1 }, (_, i) => len - i), ...Array.from({ length: 60 }, () => Math.floor(rnd() * (len + 3)) - 1)];
      const inside = duringCheck(() => offsets.map((o, i) => [one.positionAt(o), i % 7 === 0 ? two.positionAt(o) : undefined]));
      const outside = offsets.map((o, i) => [one.positionAt(o), i % 7 === 0 ? two.positionAt(o) : undefined]);
      assert.deepEqual(inside, outside, `text ${k}`);
      offsets.forEach((o, i) => assert.deepEqual(inside[i][0], expected(texts[k], o), `text ${k} offset ${o}`));
      compared += offsets.length;
    }
    assert.ok(compared > 20000, `${compared} offsets compared`);
  });

  it('non-integer offsets get what the original gives', () => {
    const doc = textDocument.TextDocument.create('file:///x', 'dockerfile', 0, 'FROM x\nRUN a\r\nRUN b\n');
    for (const offset of [NaN, 1.5, 7.999, -0.5, Infinity, -Infinity]) {
      assert.deepEqual(duringCheck(() => doc.positionAt(offset)), doc.positionAt(offset), String(offset));
    }
  });
});

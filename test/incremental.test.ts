/**
 * Incremental parsing (server/src/engine/incremental.ts): a check given the previous version's
 * analysis gives exactly what a check from scratch gives, and re-parses only what an edit touched.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Argument, Dockerfile } from 'dockerfile-ast';
import { Analysis } from '../server/src/engine/analysis';
import { CheckResult, checkDockerfile } from '../server/src/engine/engine';
import type { ProjectFiles } from '../server/src/engine/project';
import type { Range, TaskName } from '../server/src/engine/types';
import { generateDockerfile, prng } from '../bench/generate';
import { gateProject } from '../bench/inprocess';
import { corpus } from './fuzz/corpus';
import { randomEdit, readCorpus, readExamples } from './editing';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { shareLineOffsets } from '../server/src/engine/incremental';

/** Every value the rules can read from dockerfile-ast, as plain data (positions included). */
function astFingerprint(df: Dockerfile, deep: boolean): unknown {
  const r = (x: { start: { line: number; character: number }; end: { line: number; character: number } } | null | undefined) =>
    x ? [x.start.line, x.start.character, x.end.line, x.end.character] : null;
  const call = (o: unknown, name: string, ...args: unknown[]): unknown => {
    const f = (o as Record<string, unknown>)[name];
    return typeof f === 'function' ? (f as (...a: unknown[]) => unknown).apply(o, args) : undefined;
  };
  const arg = (a: Argument) => [a.getValue(), r(a.getRange())];
  return {
    escape: df.getEscapeCharacter(),
    directives: df.getDirectives().map((d) => [d.getName(), d.getValue(), r(d.getRange()), r(d.getNameRange()), r(d.getValueRange())]),
    comments: df.getComments().map((c) => [c.getContent(), r(c.getRange()), r(c.getContentRange())]),
    initialArgs: df.getInitialARGs().length,
    froms: df.getFROMs().map((f) => [f.getImage(), f.getImageName(), f.getImageTag(), f.getImageDigest(), f.getBuildStage(), f.getRegistry(), r(f.getImageNameRange()), r(f.getRegistryRange()), r(f.getBuildStageRange())]),
    instructions: df.getInstructions().map((n) => {
      const out: unknown[] = [n.getInstruction(), n.getKeyword(), r(n.getRange()), r(n.getInstructionRange()), n.getTextContent(), n.getArgumentsContent(), n.getRawArgumentsContent(), r(n.getArgumentsRange())];
      out.push(n.getArguments().map(arg), n.getArgumentsRanges().map(r));
      type Ranged = { getName(): string; getValue(): string | null; getRange(): Range; getNameRange(): Range; getValueRange(): Range | null };
      const flags = (call(n, 'getFlags') as (Ranged & { getOptions(): Ranged[] })[] | undefined) ?? [];
      const ranged = (x: Ranged) => [x.getName(), x.getValue(), r(x.getRange()), r(x.getNameRange()), r(x.getValueRange())];
      out.push(flags.map((f) => [...ranged(f), f.getOptions().map(ranged)]));
      out.push(((call(n, 'getHeredocs') as { getName(): string; getStartRange(): never; getContentRange(): never; getDelimiterRange(): never }[] | undefined) ?? []).map((h) => [h.getName(), r(h.getStartRange()), r(h.getContentRange()), r(h.getDelimiterRange())]));
      out.push(((call(n, 'getJSONStrings') as { getValue(): string; getJSONValue(): string; getRange(): never }[] | undefined) ?? []).map((s) => [s.getValue(), s.getJSONValue(), r(s.getRange())]));
      out.push(r((call(n, 'getOpeningBracket') as { getRange(): never } | null | undefined)?.getRange()), r((call(n, 'getClosingBracket') as { getRange(): never } | null | undefined)?.getRange()));
      const props = (call(n, 'getProperties') as { getName(): string; getValue(): string | null; getUnescapedValue(): string | null; getAssignmentOperator(): string | null; getRange(): never; getNameRange(): never; getValueRange(): never }[] | undefined) ?? [];
      const single = call(n, 'getProperty') as (typeof props)[number] | null | undefined;
      out.push([...props, ...(single ? [single] : [])].map((p) => [p.getName(), p.getValue(), p.getUnescapedValue(), p.getAssignmentOperator(), r(p.getRange()), r(p.getNameRange()), r(p.getValueRange())]));
      if (deep) {
        // These consult the whole Dockerfile (resolveVariable): the nodes must belong to one that holds every instruction.
        out.push(n.getVariables().map((v) => [v.getName(), r(v.getRange()), r(v.getNameRange()), v.getModifier(), v.getSubstitutionParameter(), v.isDefined(), v.isBuildVariable(), v.isEnvironmentVariable()]));
        out.push(n.getExpandedArguments().map(arg));
        const trigger = call(n, 'getTriggerInstruction') as { getKeyword(): string; getArguments(): never[] } | null | undefined;
        if (trigger) out.push(trigger.getKeyword(), trigger.getArguments().map(arg));
      }
      return out;
    }),
  };
}

interface Tally {
  steps: number;
  incremental: number;
  /** Incremental steps where the number of lines changed (nodes after the region moved). */
  moved: number;
  reasons: Map<string, number>;
}

function checkBoth(text: string, previous: CheckResult, project: ProjectFiles, task: TaskName): { inc: CheckResult; full: CheckResult } {
  const inc = checkDockerfile({ text, project, task, previous: previous.analysis });
  const full = checkDockerfile({ text, project, task });
  return { inc, full };
}

function runSequences(name: string, sources: string[], seeds: number, steps: number, tally: Tally, deepEvery = 1): void {
  const project = gateProject();
  for (let s = 0; s < seeds; s++) {
    const seed = 0x1c0de + s * 7919 + name.length;
    const rnd = prng(seed);
    const task: TaskName = (['gate', 'generic', 'scratch', 'distroless'] as const)[s % 4];
    let text = sources[s % sources.length];
    let prev = checkDockerfile({ text, project, task });
    const history: string[] = [];
    for (let step = 0; step < steps; step++) {
      const edit = randomEdit(text, rnd, sources);
      text = edit.text;
      history.push(edit.what);
      const { inc, full } = checkBoth(text, prev, project, task);
      const where = `${name}: seed ${seed} (source ${s % sources.length}, task ${task}), step ${step}: ${history.join('; ')}\ntext: ${JSON.stringify(text.length > 3000 ? text.slice(0, 3000) + '…' : text)}\nstats: ${JSON.stringify(inc.analysis.parseStats)}`;
      tally.steps++;
      if (!inc.analysis.parseStats.fullParse) tally.incremental++;
      if (!inc.analysis.parseStats.fullParse && prev.analysis.doc.lineCount !== inc.analysis.doc.lineCount) tally.moved++;
      const reason = inc.analysis.parseStats.reason;
      tally.reasons.set(reason, (tally.reasons.get(reason) ?? 0) + 1);
      assert.deepEqual(inc.diagnostics, full.diagnostics, `diagnostics differ, ${where}`);
      assert.deepEqual(inc.task, full.task, `task differs, ${where}`);
      assert.deepEqual(
        inc.analysis.instructions.map((i) => [i.keyword, i.index, i.start, i.end, i.range, i.stage?.index]),
        full.analysis.instructions.map((i) => [i.keyword, i.index, i.start, i.end, i.range, i.stage?.index]),
        `analysis differs, ${where}`,
      );
      assert.equal(inc.analysis.swallowedFrom, full.analysis.swallowedFrom, `swallowedFrom differs, ${where}`);
      const deep = step % deepEvery === 0;
      assert.deepEqual(astFingerprint(inc.analysis.df, deep), astFingerprint(full.analysis.df, deep), `dockerfile-ast nodes differ, ${where}`);
      prev = inc;
    }
  }
}

/**
 * Branching histories: a version's nodes are re-pointed by every later version made from it (adoptNode),
 * so a previous version given again, after other versions were made from it or from its descendants,
 * must still give what a parse from scratch gives.
 */
function runBranches(name: string, sources: string[], seeds: number, steps: number): number {
  const project = gateProject();
  let checks = 0;
  for (let s = 0; s < seeds; s++) {
    const seed = 0xb4a7c + s * 6271 + name.length;
    const rnd = prng(seed);
    const task: TaskName = (['gate', 'generic', 'scratch', 'distroless'] as const)[s % 4];
    const history: { text: string; result: CheckResult }[] = [];
    const first = sources[s % sources.length];
    history.push({ text: first, result: checkDockerfile({ text: first, project, task }) });
    for (let step = 0; step < steps; step++) {
      // A parent: usually the latest version, sometimes an older one (its nodes re-pointed since).
      const parent = rnd() < 0.6 ? history[history.length - 1] : history[Math.floor(rnd() * history.length)];
      const children = [0, 1, 2].map(() => randomEdit(parent.text, rnd, sources));
      const results = children.map((c) => checkBoth(c.text, parent.result, project, task));
      // The first child once more, after its siblings re-pointed the parent's nodes.
      results.push(checkBoth(children[0].text, parent.result, project, task));
      [...children, children[0]].forEach((c, k) => {
        const { inc, full } = results[k];
        const where = `${name}: seed ${seed}, step ${step}, child ${k}: ${c.what}\ntext: ${JSON.stringify(c.text.length > 2000 ? c.text.slice(0, 2000) + '…' : c.text)}`;
        assert.deepEqual(inc.diagnostics, full.diagnostics, `diagnostics differ, ${where}`);
        assert.deepEqual(astFingerprint(inc.analysis.df, true), astFingerprint(full.analysis.df, true), `dockerfile-ast nodes differ, ${where}`);
        checks++;
      });
      const pick = Math.floor(rnd() * children.length);
      history.push({ text: children[pick].text, result: results[pick].inc });
    }
  }
  return checks;
}

describe('incremental parse: a previous version given again (branching edits)', () => {
  it('examples, corpus, fuzz snippets and a generated 500-line file: 24 sequences of 12 steps, 3 edits from each parent', () => {
    const sources = [...readExamples(), ...readCorpus(), ...corpus(), generateDockerfile(500).text];
    const checks = runBranches('branches', sources, 24, 12);
    assert.equal(checks, 24 * 12 * 4);
  });
});

describe('incremental parse: same results as a parse from scratch', () => {
  const tally: Tally = { steps: 0, incremental: 0, moved: 0, reasons: new Map() };
  it('examples, corpus and fuzz snippets: 64 seeded edit sequences of 25 steps', () => {
    const sources = [...readExamples(), ...readCorpus(), ...corpus()];
    assert.ok(sources.length >= 14, `${sources.length} sources`);
    runSequences('small files', sources, 64, 25, tally);
  });
  it('escape directive, CRLF, lone CR, heredocs: 32 sequences of 25 steps', () => {
    const sources = [
      '# escape=`\nFROM mcr.microsoft.com/windows AS build\nRUN dir `\n  c:\\ `\n  && echo hi\nCOPY a b\n\nRUN echo done\nUSER app\n',
      'FROM alpine:3.19\r\nRUN apk add \\\r\n  curl \\\r\n  git\r\n# note\r\nUSER app\r\nCMD ["sh"]\r\n',
      'FROM alpine:3.19\rRUN apk add curl\rUSER app\r\nCMD sh\r',
      'FROM alpine:3.19\nRUN <<EOF\napk add curl\necho hi\nEOF\nCOPY <<-EOT /x\n\tcontent\n\tEOT\nRUN a \\\n\n  # inside\n  b\nUSER app\n',
      '\uFEFFFROM node:18 AS a\nARG X=1\nFROM a\nONBUILD RUN echo $X\nENV A=${X:-2} B=$A\nLABEL a="b c" d=\'e\'\nHEALTHCHECK --interval=5s CMD curl -f localhost || exit 1\nUSER node\n',
      'ARG BASE=node:18\nARG TAG\nFROM ${BASE} AS base\nRUN echo "${TAG}"\nFROM base\nCOPY --from=base --chown=1:1 /a /b\nENTRYPOINT ["node", \n  "x"]\nRUN x \\',
    ];
    runSequences('edge cases', sources, 32, 25, tally);
  });
  it('generated 50- and 500-line files: 12 sequences of 15 steps', () => {
    runSequences('generated', [generateDockerfile(50).text, generateDockerfile(500).text], 12, 15, tally, 5);
  });
  it('most steps were incremental, and every fallback was seen', () => {
    const summary = [...tally.reasons].map(([r, n]) => `${r}: ${n}`).join(', ');
    assert.ok(tally.incremental > tally.steps * 0.6, `${tally.incremental} of ${tally.steps} steps incremental (${summary})`);
    assert.ok(tally.moved > tally.steps * 0.1, `${tally.moved} of ${tally.steps} incremental steps changed the number of lines (${summary})`);
    for (const r of ['incremental', 'region ends in a line continuation or an open heredoc', 'edit in the parser directive header']) {
      assert.ok(tally.reasons.has(r), `never saw "${r}" (${summary})`);
    }
    console.log(`# incremental: ${tally.incremental} of ${tally.steps} steps, ${tally.moved} of them with lines added or removed (${summary})`);
  });
});

/** The document a dockerfile-ast node reads (its `document` field). */
const documentOf = (node: object): unknown => (node as { document?: unknown }).document;

describe('incremental parse: what a keystroke re-parses', () => {
  const big = generateDockerfile(5000).text;
  const lines = big.split('\n');
  const project = gateProject();
  // A package line in the middle of a RUN with continuation lines, as the benchmark types into.
  const runLine = lines.findIndex((l, i) => i > 2500 && /^RUN /.test(l) && l.endsWith('\\') && lines[i + 1].endsWith('\\'));
  const typed = runLine + 1;
  const offsetOf = (text: string, line: number, character: number) => {
    let off = 0;
    for (let l = 0; l < line; l++) off = text.indexOf('\n', off) + 1;
    return off + character;
  };
  const insert = (text: string, line: number, character: number, s: string) => {
    const off = offsetOf(text, line, character);
    return text.slice(0, off) + s + text.slice(off);
  };
  const base = new Analysis(big, project);
  const runInstr = base.instructions.find((i) => i.range.start.line === runLine)!;
  const lineOf = (l: number) => lines[l];

  it('typing inside a RUN of the 5,000-line file re-parses only that RUN', () => {
    assert.ok(runInstr && runInstr.keyword === 'RUN' && runInstr.range.end.line > typed, `RUN at ${runLine}`);
    let prev = base;
    let text = big;
    for (let k = 0; k < 5; k++) {
      text = insert(text, typed, lineOf(typed).length - 2, 'x');
      const a = new Analysis(text, project, undefined, prev);
      assert.deepEqual(a.parseStats, {
        fullParse: false,
        reason: 'incremental',
        reparsedLines: runInstr.range.end.line - runLine + 1,
        reparsedInstructions: 1,
        reusedInstructions: base.instructions.length - 1,
        region: { from: runLine, to: runInstr.range.end.line + 1 },
        // Each x goes before the k typed before it, so the text still starts the same up to those.
        samePrefix: base.doc.offsetAt({ line: typed, character: lineOf(typed).length - 2 }) + k,
      });
      prev = a;
    }
    // And the check gives what a check from scratch gives.
    const inc = checkDockerfile({ text, project, task: 'gate', previous: prev });
    const full = checkDockerfile({ text, project, task: 'gate' });
    assert.deepEqual(inc.diagnostics, full.diagnostics);
    assert.equal(inc.analysis.parseStats.reason, 'unchanged');
  });

  it('a comment line or a blank line re-parses no instruction', () => {
    const comment = lines.findIndex((l, i) => i > 1000 && /^# /.test(l));
    const a = new Analysis(insert(big, comment, 2, 'typed '), project, undefined, base);
    assert.deepEqual([a.parseStats.fullParse, a.parseStats.reparsedInstructions, a.parseStats.reparsedLines, a.parseStats.reusedInstructions], [false, 0, 1, base.instructions.length]);
    const blank = lines.findIndex((l, i) => i > 1000 && l === '');
    const b = new Analysis(insert(big, blank, 0, '  '), project, undefined, base);
    assert.deepEqual([b.parseStats.fullParse, b.parseStats.reparsedInstructions, b.parseStats.reparsedLines], [false, 0, 1]);
  });

  it('the same text reuses every instruction', () => {
    const a = new Analysis(big, project, undefined, base);
    assert.deepEqual(a.parseStats, { fullParse: false, reason: 'unchanged', reparsedLines: 0, reparsedInstructions: 0, reusedInstructions: base.instructions.length, region: { from: 0, to: 0 }, samePrefix: big.length });
    // The first version made from a fresh one takes its nodes over; a second one made from it copies them.
    const fresh = new Analysis(big, project);
    const first = new Analysis(big, project, undefined, fresh);
    assert.equal(first.instructions[5].node, fresh.instructions[5].node, 'the node itself');
    assert.equal(documentOf(first.instructions[5].node), first.doc, 're-pointed at this version’s document');
    const second = new Analysis(big, project, undefined, fresh);
    assert.notEqual(second.instructions[5].node, fresh.instructions[5].node, 'a copy');
    assert.equal(documentOf(first.instructions[5].node), first.doc, 'the first one’s node is left alone');
    assert.equal(documentOf(second.instructions[5].node), second.doc);
  });

  it('typing keeps the node objects outside the region, re-pointed; Enter moves copies of the nodes after it', () => {
    const fresh = new Analysis(big, project);
    const ix = fresh.instructions.indexOf(fresh.instructions.find((i) => i.range.start.line === runLine)!);
    const envIx = fresh.instructions.findIndex((i, k) => k > ix && i.keyword === 'ENV');
    const typedText = insert(big, typed, lineOf(typed).length - 2, 'x');
    // An ENV's Properties, cached on its node before the edit, must read the new document after it.
    type WithProperties = { getProperties(): { getName(): string }[]; properties?: { document: unknown }[] };
    const cached = (fresh.instructions[envIx].node as unknown as WithProperties).getProperties();
    assert.ok(cached.length > 0);
    const t = new Analysis(typedText, project, undefined, fresh);
    assert.equal(t.instructions[ix - 1].node, fresh.instructions[ix - 1].node, 'before the region');
    assert.notEqual(t.instructions[ix].node, fresh.instructions[ix].node, 'the RUN typed in is parsed again');
    assert.equal(t.instructions[envIx].node, fresh.instructions[envIx].node, 'after the region, same lines');
    for (const k of [ix - 1, ix, envIx]) assert.equal(documentOf(t.instructions[k].node), t.doc, `instruction ${k} reads the new document`);
    assert.equal((t.instructions[envIx].node as unknown as WithProperties).getProperties(), cached);
    assert.ok(cached.every((p) => (p as unknown as { document: unknown }).document === t.doc));
    const entered = new Analysis(insert(big, typed, lineOf(typed).length, '\n'), project, undefined, t);
    assert.equal(entered.instructions[ix - 1].node, t.instructions[ix - 1].node, 'before the region');
    assert.notEqual(entered.instructions[envIx].node, t.instructions[envIx].node, 'moved down a line: a copy');
    assert.equal(entered.instructions[envIx].range.start.line, t.instructions[envIx].range.start.line + 1);
    // The kept nodes answer as a fresh parse's do.
    assert.deepEqual(astFingerprint(t.df, false), astFingerprint(new Analysis(typedText, project).df, false));
  });

  it('Enter, a deleted line or a pasted block re-parses only the instructions around it and moves the rest', () => {
    const stat = (text: string) => {
      const a = new Analysis(text, project, undefined, base);
      return [a.parseStats.reason, a.parseStats.reparsedInstructions, a.parseStats.reusedInstructions, a.parseStats.region];
    };
    const n = base.instructions.length;
    const last = runInstr.range.end.line;
    // Enter after a continuation's `\`: a blank line inside the RUN.
    assert.deepEqual(stat(insert(big, typed, lineOf(typed).length, '\n')), ['incremental', 1, n - 1, { from: runLine, to: last + 2 }]);
    // Enter in the middle of a package name: the RUN ends there, the rest of the line is an instruction of its own.
    const split = new Analysis(insert(big, typed + 1, 11, '\n'), project, undefined, base);
    assert.equal(split.parseStats.fullParse, false);
    assert.equal(split.instructions.length, n + 1);
    // A new instruction on its own line after the RUN: it and the instruction it was typed before (a COPY on one line).
    assert.deepEqual(stat(insert(big, last + 1, 0, 'USER nobody\n')), ['incremental', 2, n - 1, { from: last + 1, to: last + 3 }]);
    // Deleting the RUN's last line break joins the next line to it.
    const off = offsetOf(big, last + 1, 0);
    const joined = new Analysis(big.slice(0, off - 1) + big.slice(off), project, undefined, base);
    assert.equal(joined.parseStats.fullParse, false);
    // The check after each of these gives what a check from scratch gives.
    for (const text of [insert(big, typed + 1, 11, '\n'), big.slice(0, off - 1) + big.slice(off), insert(big, 2000, 0, lines.slice(100, 140).join('\n') + '\n')]) {
      const inc = checkDockerfile({ text, project, task: 'gate', previous: base });
      assert.equal(inc.analysis.parseStats.fullParse, false);
      const full = checkDockerfile({ text, project, task: 'gate' });
      assert.deepEqual(inc.diagnostics, full.diagnostics);
      assert.deepEqual(astFingerprint(inc.analysis.df, false), astFingerprint(full.analysis.df, false));
    }
  });

  it('falls back to a full parse when it cannot prove the result the same', () => {
    const reason = (text: string, prev: Analysis = base) => {
      const a = new Analysis(text, project, undefined, prev);
      return a.parseStats.fullParse ? a.parseStats.reason : `incremental ${a.parseStats.reparsedInstructions}`;
    };
    // No previous parse.
    assert.equal(new Analysis(big, project).parseStats.reason, 'no previous parse');
    // The directive header (`# coach: task=gate` is a parser directive for dockerfile-ast) and the line that ends it.
    assert.equal(reason(insert(big, 0, 2, 'x')), 'edit in the parser directive header');
    assert.equal(reason(insert(big, 1, 0, '#escape=`')), 'edit in the parser directive header');
    const esc = '# escape=`\nFROM alpine\nRUN a `\n  b\nUSER x\n';
    assert.equal(reason(esc.replace('escape=`', 'escape=\\'), new Analysis(esc)), 'edit in the parser directive header');
    assert.equal(reason(esc.replace('a `', 'ab `'), new Analysis(esc)), 'incremental 1');
    // A line continuation at the end of the RUN takes the next instruction in.
    const last = runInstr.range.end.line;
    assert.equal(reason(insert(big, last, lineOf(last).length, ' \\')), 'region ends in a line continuation or an open heredoc');
    // A heredoc opened in the RUN runs on past it.
    assert.equal(reason(insert(big, runLine, 4, '<<EOF ')), 'region ends in a line continuation or an open heredoc');
    // Typing in the middle of a heredoc body or a continuation re-parses the whole instruction.
    const hd = 'FROM alpine\nRUN <<EOF\napk add curl\necho hi\nEOF\nUSER app\n';
    const h = new Analysis(hd.replace('echo hi', 'echo hello'), project, undefined, new Analysis(hd));
    assert.deepEqual([h.parseStats.reason, h.parseStats.region], ['incremental', { from: 1, to: 5 }]);
  });
});

describe('incremental: line starts taken over from the previous version', () => {
  const fresh = (text: string) => (TextDocument.create('file:///f', 'dockerfile', 0, text) as unknown as { getLineOffsets(): number[] }).getLineOffsets();
  const pieces = ['\n', '\r', '\r\n', '\n\r', 'RUN a \\\n', 'x', '  ', '\r\r\n', 'é', '\n\n'];

  it('shareLineOffsets gives the line starts a scan gives, for edits at and around CR, LF and CRLF', () => {
    const rnd = prng(20261207);
    let tried = 0;
    for (let n = 0; n < 3000; n++) {
      const parts = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => pieces[Math.floor(rnd() * pieces.length)]);
      const old = parts.join('');
      const at = Math.floor(rnd() * (old.length + 1));
      const removed = Math.floor(rnd() * Math.min(4, old.length - at + 1));
      const inserted = Array.from({ length: Math.floor(rnd() * 3) }, () => pieces[Math.floor(rnd() * pieces.length)]).join('');
      const text = old.slice(0, at) + inserted + old.slice(at + removed);
      if (text === old) continue;
      let a = 0;
      while (a < Math.min(old.length, text.length) && old[a] === text[a]) a++;
      let b = 0;
      while (b < Math.min(old.length, text.length) - a && old[old.length - 1 - b] === text[text.length - 1 - b]) b++;
      const prevDoc = TextDocument.create('file:///f', 'dockerfile', 0, old);
      const doc = TextDocument.create('file:///f', 'dockerfile', 0, text);
      shareLineOffsets(prevDoc, doc, a, old.length - b, text.length - b);
      assert.deepEqual((doc as unknown as { _lineOffsets?: number[] })._lineOffsets, fresh(text), JSON.stringify({ old, text }));
      tried++;
    }
    assert.ok(tried > 2500, `${tried} edits`);
  });

  it("a check with the previous version gives its document the same line starts as a fresh one's, over seeded edits of the examples", () => {
    const rnd = prng(7);
    const pool = readCorpus();
    for (const start of readExamples().slice(0, 8)) {
      let text = start;
      let previous = new Analysis(text).parseSnapshot;
      for (let k = 0; k < 40; k++) {
        text = randomEdit(text, rnd, pool).text;
        const analysis = new Analysis(text, undefined, undefined, previous);
        assert.deepEqual((analysis.parseSnapshot.doc as unknown as { getLineOffsets(): number[] }).getLineOffsets(), fresh(text));
        assert.deepEqual(
          [0, 1, text.length >> 1, text.length].map((o) => analysis.parseSnapshot.doc.positionAt(o)),
          [0, 1, text.length >> 1, text.length].map((o) => TextDocument.create('file:///f', 'dockerfile', 0, text).positionAt(o)),
        );
        previous = analysis.parseSnapshot;
      }
    }
  });
});

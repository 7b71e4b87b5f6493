/** The shared analysis: stages and Docker's variable scoping. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Analysis, analyze, seedLineOffsets } from '../server/src/engine/analysis';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fuzzInputs } from './fuzz/corpus';
import { Arg, Env } from 'dockerfile-ast';
import { prng } from '../bench/generate';
import { randomEdit, readCorpus, readExamples } from './editing';
import { expand, known, UNKNOWN } from '../server/src/engine/variables';

const valueOf = (text: string, instrIndex: number, expr: string) => {
  const a = analyze(text);
  return a.expandAt(a.instructions[instrIndex], expr);
};

describe('stages', () => {
  it('names, bases, final stage, FROM <stage> chains', () => {
    const a = analyze('ARG V=1.19\nFROM golang:${V} AS Build\nRUN true\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n');
    assert.deepEqual(a.stages.map((s) => [s.index, s.name, s.base.kind, s.isFinal]), [
      [0, 'build', 'image', false],
      [1, 'test', 'stage', false],
      [2, undefined, 'scratch', true],
    ]);
    const b = a.stages[0].base;
    assert.ok(b.kind === 'image' && b.ref.repository === 'golang' && b.ref.tag === '1.19');
    assert.deepEqual(a.chain(a.stages[1]).map((s) => s.index), [1, 0]);
    assert.equal(a.rootBase(a.stages[1]).kind, 'image');
    assert.equal(a.stages[0].instructions.length, 1);
  });
  it('a base from an ARG without default is unknown', () => {
    const a = analyze('ARG BASE\nFROM ${BASE}\n');
    assert.equal(a.stages[0].base.kind, 'unknown');
  });
  it('docker.io/library/ prefixes are normalized', () => {
    const a = analyze('FROM docker.io/library/node:18.16.0\n');
    const b = a.stages[0].base;
    assert.ok(b.kind === 'image' && b.ref.repository === 'node' && b.ref.registry === undefined);
  });
});

describe('variable scoping', () => {
  it('a global ARG is visible in a stage only when re-declared there', () => {
    const text = 'ARG UID=1000\nFROM alpine:3.17\nUSER $UID\nARG UID\nUSER $UID\n';
    assert.deepEqual(valueOf(text, 2, '$UID'), { value: '', undeclared: ['UID'], unknown: [] });
    assert.equal(valueOf(text, 4, '$UID').value, '1000');
  });
  it('an ARG without default is unknown; with a default it is known', () => {
    const text = 'FROM alpine:3.17\nARG A\nARG B=2\nRUN true\n';
    assert.deepEqual(valueOf(text, 3, '${A}-${B}'), { value: undefined, undeclared: [], unknown: ['A'] });
    assert.equal(valueOf(text, 3, '${B}').value, '2');
  });
  it('ENV and ARG never cross to an unrelated stage, but ENV is inherited through FROM <stage>', () => {
    const text = 'FROM alpine:3.17 AS a\nENV APP_UID=10001\nARG X=1\nFROM a AS b\nRUN true\nFROM alpine:3.17\nRUN true\n';
    assert.equal(valueOf(text, 4, '$APP_UID').value, '10001');
    assert.deepEqual(valueOf(text, 4, '$X').undeclared, ['X']);
    assert.deepEqual(valueOf(text, 6, '$APP_UID').undeclared, ['APP_UID']);
  });
  it('ENV values expand earlier variables; later ENV overrides', () => {
    const text = 'FROM alpine:3.17\nARG BASE=/srv\nENV DIR=$BASE/app\nENV DIR=${DIR}/v2\nRUN true\n';
    assert.equal(valueOf(text, 4, '$DIR').value, '/srv/app/v2');
  });
  it('modifiers :- and :+', () => {
    const scope = new Map([['SET', known('x')], ['EMPTY', known('')], ['UNK', UNKNOWN]]);
    assert.equal(expand('${NOPE:-d}|${EMPTY:-d}|${SET:-d}', scope).value, 'd|d|x');
    assert.equal(expand('${NOPE:+a}|${SET:+a}', scope).value, '|a');
    assert.equal(expand('${UNK:-d}', scope).value, undefined);
    assert.equal(expand('\\$SET', scope).value, '$SET');
    assert.equal(expand('`$SET', scope, '`').value, '$SET');
  });
});

describe('variable scopes over many ARG/ENV (snapshots sharing their changes)', () => {
  it('every instruction sees exactly the values set before it, across rebases every 32 changes and from the parent stage', () => {
    // 100 ENV/ARG in a stage: a name set again later (A), names set once (V<i>), ARG without a value
    // re-declaring a global ARG; then a child stage that inherits the ENV and overrides some.
    const lines = ['ARG G=global', 'FROM alpine AS base'];
    const expected: Record<string, string | undefined>[] = [];
    const model: Record<string, string | undefined> = {};
    for (let i = 0; i < 100; i++) {
      expected.push({ ...model });
      if (i % 3 === 0) {
        lines.push(`ENV A=a${i}`);
        model.A = `a${i}`;
      } else if (i === 50) {
        lines.push('ARG G');
        model.G = 'global';
      } else {
        lines.push(`ENV V${i}=\${A}-${i}`);
        model[`V${i}`] = `${model.A}-${i}`;
      }
    }
    lines.push('RUN true');
    expected.push({ ...model });
    const inherited = Object.fromEntries(Object.entries(model).filter(([k]) => k !== 'G'));
    lines.push('FROM base AS child', 'ENV A=child', 'RUN true');
    const a = analyze(lines.join('\n') + '\n');
    const names = ['A', 'G', ...Array.from({ length: 100 }, (_, i) => `V${i}`)];
    const seen = (instrIndex: number) =>
      Object.fromEntries(names.map((n) => [n, a.scopeAt(a.instructions[instrIndex]).get(n)]).filter(([, v]) => v !== undefined).map(([n, v]) => [n, (v as { value?: string }).value]));
    // instructions: 0 ARG G, 1 FROM, 2.. the 100, then RUN
    for (let i = 0; i <= 100; i++) assert.deepEqual(seen(2 + i), expected[i], `instruction ${2 + i}: ${lines[2 + i] ?? ''}`);
    const childRun = a.instructions.length - 1;
    assert.deepEqual(seen(childRun), { ...inherited, A: 'child' });
    assert.equal(a.scopeAt(a.instructions[childRun]).has('V99'), false, 'V99 was never set (99 % 3 === 0)');
    assert.equal(a.scopeAt(a.instructions[childRun]).has('V98'), true);
  });
});

describe('ENV handed on from the previous version (a stage in the unchanged start of the text)', () => {
  /** Every instruction's view of every name the text declares, as plain data. */
  const scopes = (a: Analysis): Record<string, string | boolean>[] => {
    const names = new Set<string>();
    for (const i of a.instructions) {
      if (i.node instanceof Env) for (const p of i.node.getProperties()) names.add(p.getName());
      if (i.node instanceof Arg) names.add(i.node.getProperty()?.getName() ?? '');
    }
    return a.instructions.map((i) => {
      const scope = a.scopeAt(i);
      return Object.fromEntries([...names].filter((n) => scope.has(n)).map((n) => [n, scope.get(n)?.known ? (scope.get(n) as { value: string }).value : false]));
    });
  };
  const sameAsFresh = (previous: string, text: string) => {
    const prev = new Analysis(previous);
    scopes(prev);
    const inc = new Analysis(text, undefined, undefined, prev);
    assert.deepEqual(scopes(inc), scopes(new Analysis(text)), `${JSON.stringify(previous)} -> ${JSON.stringify(text)}`);
    return { prev, inc };
  };
  /** Stage index -> the values are the previous version's own object. */
  const taken = (prev: Analysis, inc: Analysis) => (inc.parseSnapshot.envAtEnd ?? []).map((e, i) => e !== undefined && e.env === prev.parseSnapshot.envAtEnd?.[i]?.env);
  const TWO = 'FROM alpine AS a\nENV A=1\nENV B=2\nFROM a AS b\nRUN echo $A $B\n';

  it('typing in a later stage takes the earlier stage’s values over', () => {
    const { prev, inc } = sameAsFresh(TWO, TWO.replace('echo $A', 'echo $AA'));
    assert.deepEqual(taken(prev, inc), [true]);
  });

  it('a FROM typed inside a stage takes its later lines away: that stage is computed again', () => {
    // The text before the new FROM is unchanged, but stage a now ends before ENV B.
    const { prev, inc } = sameAsFresh(TWO, TWO.replace('ENV B=2\n', 'FROM alpine AS c\nENV B=2\n'));
    assert.equal(inc.scopeAt(inc.instructions[inc.instructions.length - 1]).has('B'), false);
    assert.deepEqual(taken(prev, inc), [false]);
    sameAsFresh(TWO, TWO.replace('ENV B=2', 'FROM alpine AS c'));
    sameAsFresh('FROM alpine AS a\nENV A=1\n  ENV B=2\nFROM a AS b\nRUN x\n', 'FROM alpine AS a\nENV A=1\n  FROM alpine AS c\nFROM a AS b\nRUN x\n');
  });

  it('over seeded edits of the examples and the corpus, every scope is a fresh analysis’s', () => {
    const pool = [...readExamples(), ...readCorpus(), TWO];
    // Every other sequence starts from a chain of stages handing ENV on (few examples have one).
    const THREE = 'ARG V=1\nFROM alpine AS a\nENV A=$V P=/a\nRUN echo $A\nFROM a AS b\nENV B=${A}-b\nARG X\nFROM b AS c\nENV C=$B\nRUN echo $A $B $C $X\n';
    let carried = 0;
    for (let s = 0; s < 40; s++) {
      const rnd = prng(0xe5e + s);
      let text = s % 2 === 0 ? [TWO, THREE][(s / 2) % 2] : pool[s % pool.length];
      let prev = new Analysis(text);
      scopes(prev);
      for (let step = 0; step < 15; step++) {
        text = randomEdit(text, rnd, pool).text;
        const inc = new Analysis(text, undefined, undefined, prev);
        assert.deepEqual(scopes(inc), scopes(new Analysis(text)), `seed ${s}, step ${step}: ${JSON.stringify(text.slice(0, 300))}`);
        carried += taken(prev, inc).filter(Boolean).length;
        prev = inc;
      }
    }
    assert.ok(carried > 50, `${carried} stage ENV sets taken over`);
  });
});

describe('shell parses handed on from the previous version', () => {
  // The same RUN text, joined at `\` under the default escape and not under `# escape=``.
  const run = 'FROM alpine\nRUN <<EOF\necho a \\\n  b\nEOF\n';
  const commands = (a: Analysis) => a.shell(a.instructions.find((i) => i.keyword === 'RUN')!).commands.map((c) => c.words.map((w) => w.value));

  it('an unchanged RUN moved down a line: the commands of a fresh parse', () => {
    const before = new Analysis(run);
    commands(before);
    const after = new Analysis(`# a comment\n${run}`, undefined, undefined, before);
    const fresh = new Analysis(`# a comment\n${run}`);
    assert.deepEqual(commands(after), [['echo', 'a', 'b']]);
    assert.deepEqual(after.shell(after.instructions[1]), fresh.shell(fresh.instructions[1]));
  });

  it('not across a change of the escape character: the same text parses differently', () => {
    const escaped = `# escape=\u0060\n${run}`;
    // Shells are parsed when asked: the previous version's is asked first, so that it has one to hand on.
    const parsedBefore = (text: string) => {
      const a = new Analysis(text);
      commands(a);
      return a;
    };
    assert.deepEqual(commands(new Analysis(escaped)), [['echo', 'a', '\n', 'b']]);
    assert.deepEqual(commands(new Analysis(escaped, undefined, undefined, parsedBefore(run))), [['echo', 'a', '\n', 'b']]);
    assert.deepEqual(commands(new Analysis(run, undefined, undefined, parsedBefore(escaped))), [['echo', 'a', 'b']]);
  });
});

describe('seedLineOffsets: the line starts the document would compute', () => {
  it('on the corpus, examples, fuzz inputs and edge texts, with and without CR: the same lines, positions and offsets', () => {
    const texts = ['', '\n', '\n\n', 'x', 'FROM x', 'FROM x\n', 'a\r\nb', 'a\rb', ...readCorpus(), ...readExamples(), ...fuzzInputs(500).map((i) => i.text)];
    let seeded = 0;
    for (const text of texts) {
      const plain = TextDocument.create('file:///a', 'dockerfile', 0, text);
      const doc = TextDocument.create('file:///b', 'dockerfile', 0, text);
      seedLineOffsets(doc, text);
      const fields = doc as unknown as { _lineOffsets?: number[] };
      if (!text.includes('\r')) {
        assert.ok(fields._lineOffsets !== undefined, 'seeded without a CR');
        seeded++;
      } else assert.equal(fields._lineOffsets, undefined, 'left to the document with a CR');
      assert.equal(doc.lineCount, plain.lineCount);
      for (let offset = -1; offset <= text.length + 1; offset++) assert.deepEqual(doc.positionAt(offset), plain.positionAt(offset));
      for (let line = 0; line <= plain.lineCount; line++) assert.equal(doc.offsetAt({ line, character: 1 }), plain.offsetAt({ line, character: 1 }));
    }
    assert.ok(seeded > 300, `${seeded} texts seeded`);
  });

  it('leaves a document alone that has its line starts already or holds another text', () => {
    const doc = TextDocument.create('file:///a', 'dockerfile', 0, 'FROM x\nRUN y\n');
    const before = doc.lineCount;
    seedLineOffsets(doc, 'other\ntext\nhere\n');
    assert.equal(doc.lineCount, before);
    const other = TextDocument.create('file:///b', 'dockerfile', 0, 'a\nb\n');
    seedLineOffsets(other, 'a\nb\nc\n');
    assert.equal((other as unknown as { _lineOffsets?: number[] })._lineOffsets, undefined);
  });
});

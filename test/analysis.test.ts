/** The shared analysis: stages and Docker's variable scoping. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { analyze } from '../server/src/engine/analysis';
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

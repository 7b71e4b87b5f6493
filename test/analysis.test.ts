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

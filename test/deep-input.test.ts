/**
 * Input nested or repeated a hundred thousand times: `${a:-${a:-...}}` defaults made the variable
 * expansion recurse until the stack overflowed (in FROM the whole check threw), and a COPY of 200,000
 * sources made layer-hygiene's `push(...items)` pass more arguments than V8 allows. Each now gets a
 * result without an internal error. Each runs in a worker given up after 60 s (test/inWorker.ts): a
 * guard against a hang, not a measurement.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkInWorker } from './inWorker';
import { expand, MAX_EXPANSION_DEPTH } from '../server/src/engine/variables';
import { pushAll } from '../server/src/engine/arrays';

const DEPTH = 100_000;
const nested = (open: string, close: string) => open.repeat(DEPTH) + 'x' + close.repeat(DEPTH);
const projectFiles = { 'package.json': '{"main":"index.js"}', 'yarn.lock': '', 'index.js': '' };

describe('deeply nested and long repeated input', () => {
  const cases: [string, string][] = [
    ['nested ${a:-...} defaults in FROM', `FROM ${nested('${a:-', '}')}\n`],
    ['nested ${a:-...} defaults in a COPY source', `FROM node:20-alpine\nCOPY ${nested('${a:-', '}')} /a\n`],
    ['200,000 COPY sources', `FROM node:20-alpine\nCOPY ${'{ '.repeat(200_000)}x /a\n`],
    ['nested $( in a RUN', `FROM node:20-alpine\nRUN ${nested('$(', ')')}\n`],
  ];
  for (const [name, text] of cases) {
    it(name, async () => {
      const { ruleIds } = await checkInWorker({ kind: 'dockerfile', input: { text, task: 'gate' }, projectFiles });
      assert.ok(!ruleIds.includes('internal-error'), ruleIds.join(', '));
    });
  }

  it(`expands defaults nested up to ${MAX_EXPANSION_DEPTH} deep, and calls deeper ones unknown`, () => {
    const scope = new Map();
    const chain = (levels: number) => '${a:-'.repeat(levels) + 'x' + '}'.repeat(levels);
    assert.deepEqual(expand(chain(MAX_EXPANSION_DEPTH + 1), scope), { value: 'x', undeclared: [], unknown: [] });
    assert.deepEqual(expand(chain(MAX_EXPANSION_DEPTH + 2), scope), { value: undefined, undeclared: [], unknown: [] });
    assert.deepEqual(expand('${b:-' + chain(3) + '}', new Map([['a', { known: true as const, value: 'y' }]])), { value: 'y', undeclared: [], unknown: [] });
  });

  it('pushAll appends more items than a call can take arguments', () => {
    const items = Array.from({ length: 300_000 }, (_, i) => i);
    const target = [-1];
    assert.equal(pushAll(target, items), target);
    assert.equal(target.length, 300_001);
    assert.equal(target[300_000], 299_999);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KeyMemo } from '../server/src/engine/keyMemo';

describe('KeyMemo: a memo kept on its keys', () => {
  it('keeps one value per key and per memo, undefined included, without changing the key as others see it', () => {
    const a = { name: 'a' };
    const b = { name: 'b' };
    const first = new KeyMemo<object, number | undefined>('first');
    const second = new KeyMemo<object, number | undefined>('first');
    assert.equal(first.has(a), false);
    assert.equal(first.get(a), undefined);
    first.set(a, 1).set(b, undefined);
    second.set(a, 2);
    assert.equal(first.get(a), 1);
    assert.equal(second.get(a), 2, 'two memos with one name are still two memos');
    assert.equal(first.has(b), true, 'undefined is a kept value');
    assert.equal(second.has(b), false);
    first.set(a, 3);
    assert.equal(first.get(a), 3);
    assert.deepEqual(a, { name: 'a' });
    assert.deepEqual(Object.keys(a), ['name']);
    assert.deepEqual(Object.getOwnPropertySymbols(a), []);
    assert.deepEqual({ ...a }, { name: 'a' });
    assert.equal(JSON.stringify(a), '{"name":"a"}');
  });

  it('memoizes on a frozen key too', () => {
    const memo = new KeyMemo<object, number>('frozen');
    const key = Object.freeze({ k: 1 });
    memo.set(key, 7);
    assert.equal(memo.get(key), 7);
    assert.ok(Object.isFrozen(key));
  });

  it('a memo made later, set first on a key, leaves the earlier memos unset there', () => {
    const earlier = new KeyMemo<object, string>('earlier');
    const later = new KeyMemo<object, string>('later');
    const key = {};
    later.set(key, 'x');
    assert.equal(earlier.has(key), false);
    assert.equal(earlier.get(key), undefined);
    earlier.set(key, 'y');
    assert.deepEqual([earlier.get(key), later.get(key)], ['y', 'x']);
  });
});

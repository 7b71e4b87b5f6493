import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Warmup, warmupSpot } from '../../server/src/lsp/warmup';
import type { ParseSnapshot } from '../../server/src/engine/incremental';
import { fakeTimers } from './fakeTimers';

describe('warmupSpot', () => {
  it('types at the end of the middle line, before its line continuation', () => {
    const text = 'FROM node:20\nRUN apk add \\\n    curl \\\n    jq\nCMD x';
    const { base, at } = warmupSpot(text, 200);
    assert.equal(base, text);
    assert.equal(at, 35);
    assert.equal(text.slice(0, at), 'FROM node:20\nRUN apk add \\\n    curl');
  });

  it('takes the nearest non-blank line when the middle one is blank, below it first', () => {
    const text = 'FROM a\n\n\n\nRUN b\nCMD c';
    // Six lines, middle 3 (blank); 4 is "RUN b".
    assert.equal(warmupSpot(text, 200).at, text.indexOf('RUN b') + 'RUN b'.length);
  });

  it('stops before a CR of a CRLF line and a backtick continuation', () => {
    assert.equal(warmupSpot('FROM a\r\nRUN b\r\nCMD c', 200).at, 'FROM a\r\nRUN b'.length);
    assert.equal(warmupSpot('# escape=`\nRUN b `\n  c', 200).at, '# escape=`\nRUN b'.length);
  });

  it('copies only the first maxLines lines', () => {
    const text = Array.from({ length: 10 }, (_, i) => `RUN echo ${i}`).join('\n');
    const { base, at } = warmupSpot(text, 4);
    assert.equal(base, 'RUN echo 0\nRUN echo 1\nRUN echo 2\nRUN echo 3');
    assert.equal(base.slice(0, at), 'RUN echo 0\nRUN echo 1\nRUN echo 2');
  });

  it('an empty or blank text: the end', () => {
    assert.deepEqual(warmupSpot('', 200), { base: '', at: 0 });
    assert.deepEqual(warmupSpot('\n  \n', 200), { base: '\n  \n', at: 4 });
  });
});

describe('Warmup (fake timers)', () => {
  /** A check that records what it was given and returns a fresh snapshot each time. */
  function recorder() {
    const calls: { text: string; previous: ParseSnapshot | undefined; snapshot: ParseSnapshot }[] = [];
    const check = (text: string, previous: ParseSnapshot | undefined) => {
      const snapshot = { n: calls.length } as unknown as ParseSnapshot;
      calls.push({ text, previous, snapshot });
      return snapshot;
    };
    return { calls, check };
  }
  const TEXT = 'FROM a\nRUN b\nCMD c';

  it('checks the copy, then one typed character per step, each given the version before', () => {
    const t = fakeTimers();
    const r = recorder();
    const done: number[] = [];
    const w = new Warmup({ steps: 3, quietMs: 50, now: () => t.now, timers: t.timers, onDone: (checks) => done.push(checks) });
    w.start(TEXT, r.check);
    assert.equal(r.calls.length, 0, 'nothing before the first timer');
    t.advance(1_000);
    assert.deepEqual(
      r.calls.map((c) => c.text),
      ['FROM a\nRUN b\nCMD c', 'FROM a\nRUN bx\nCMD c', 'FROM a\nRUN bxx\nCMD c', 'FROM a\nRUN bxxx\nCMD c'],
    );
    assert.equal(r.calls[0].previous, undefined);
    for (let i = 1; i < r.calls.length; i++) assert.equal(r.calls[i].previous, r.calls[i - 1].snapshot);
    assert.equal(w.checks, 4);
    assert.deepEqual(done, [4], 'told once, when done');
    assert.equal(t.armed, 0, 'done: no timer left');
  });

  it('a later start (another document) does nothing', () => {
    const t = fakeTimers();
    const r = recorder();
    const w = new Warmup({ steps: 1, now: () => t.now, timers: t.timers });
    w.start(TEXT, r.check);
    w.start('FROM other', r.check);
    t.advance(1_000);
    assert.equal(r.calls.length, 2);
    assert.ok(r.calls.every((c) => c.text.startsWith('FROM a')));
  });

  it('runs no step while a check is pending or running, nor until quietMs after the last change', () => {
    const t = fakeTimers();
    const r = recorder();
    let busy = true;
    let lastChange = 0;
    const w = new Warmup({ steps: 2, quietMs: 50, busy: () => busy, lastActivity: () => lastChange, now: () => t.now, timers: t.timers });
    w.start(TEXT, r.check);
    t.advance(500);
    assert.equal(r.calls.length, 0, 'busy');
    busy = false;
    lastChange = t.now;
    t.advance(49);
    assert.equal(r.calls.length, 0, 'a change 49 ms ago');
    t.advance(1);
    assert.equal(r.calls.length, 1, '50 ms after it');
    // Typing resumes: each key comes 30 ms after the last, so no step runs between them.
    for (let k = 0; k < 5; k++) {
      lastChange = t.now;
      t.advance(30);
    }
    assert.equal(r.calls.length, 1);
    t.advance(20);
    assert.equal(r.calls.length, 2);
    t.advance(1_000);
    assert.equal(r.calls.length, 3);
    assert.equal(t.armed, 0);
  });

  it('a check that throws stops it (and is reported once)', () => {
    const t = fakeTimers();
    const errors: unknown[] = [];
    let calls = 0;
    const done: number[] = [];
    const w = new Warmup({ steps: 5, now: () => t.now, timers: t.timers, onError: (e) => errors.push(e), onDone: (n) => done.push(n) });
    w.start(TEXT, () => {
      if (++calls === 2) throw new Error('boom');
      return {} as ParseSnapshot;
    });
    t.advance(1_000);
    assert.equal(calls, 2);
    assert.equal(w.checks, 1);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['boom'],
    );
    assert.deepEqual(done, [], 'not done');
    assert.equal(t.armed, 0);
  });

  it('dispose cancels the next step', () => {
    const t = fakeTimers();
    const r = recorder();
    const w = new Warmup({ steps: 5, now: () => t.now, timers: t.timers });
    w.start(TEXT, r.check);
    t.advance(1);
    assert.equal(r.calls.length, 1);
    w.dispose();
    t.advance(1_000);
    assert.equal(r.calls.length, 1);
    assert.equal(t.armed, 0);
  });
});

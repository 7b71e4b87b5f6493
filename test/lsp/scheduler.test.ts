import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CheckScheduler } from '../../server/src/lsp/scheduler';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CheckScheduler', () => {
  it('runs only the last of quickly repeated schedules', async () => {
    const runs: string[] = [];
    const scheduler = new CheckScheduler(async (uri) => void runs.push(uri), assert.fail);
    scheduler.schedule('a', 20);
    scheduler.schedule('a', 20);
    scheduler.schedule('b', 0);
    scheduler.schedule('a', 20);
    await sleep(60);
    assert.deepEqual(runs, ['b', 'a']);
  });

  it('makes a running check stale when the document changes or closes meanwhile', async () => {
    const seen: boolean[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const scheduler = new CheckScheduler(async (_uri, isCurrent) => {
      await gate;
      seen.push(isCurrent());
    }, assert.fail);
    scheduler.schedule('a', 0);
    await sleep(10);
    scheduler.cancel('a');
    release();
    await sleep(10);
    assert.deepEqual(seen, [false]);
  });

  it('reports a failing check and keeps scheduling', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = new CheckScheduler(
      async () => {
        calls++;
        throw new Error('boom');
      },
      (_uri, e) => errors.push(e),
    );
    scheduler.schedule('a', 0);
    await sleep(10);
    scheduler.schedule('a', 0);
    await sleep(10);
    assert.equal(calls, 2);
    assert.equal(errors.length, 2);
    scheduler.dispose();
  });
});

import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { CheckOutcome, CheckScheduler, IdleTask, SchedulerOptions } from '../../server/src/lsp/scheduler';
import { fakeTimers } from './fakeTimers';

// The scheduler's order of events is exact (event-loop turns); its times are only lower bounds on a
// loaded machine. So the tests wait for what must happen, then assert the exact sequence, and check
// durations with wide margins; the policy tests that are about elapsed time use a fake clock.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Blocks the event loop, as a real check does. */
const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
/** n event-loop turns (the connection handles one queued message per turn). */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};
/** Waits until `done()` (polling), then a little more so that anything extra would show up too. */
async function until(done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(2);
  }
  await sleep(20);
}

/**
 * A fake server: each check records the version label it read, can be held (an await before the
 * check), runs `during` synchronously (a change that arrives while it blocks the event loop), and
 * reports `busyMs`. `published` lists the labels whose results the scheduler published.
 * The clock is frozen unless the test passes one: no result is ever old enough to be forced out.
 * No coalescing window unless the test asks for one: the order of event-loop turns is then exact.
 */
function harness(options: SchedulerOptions = {}) {
  const h = {
    checks: [] as { label: string; at: number }[],
    published: [] as string[],
    errors: [] as unknown[],
    version: new Map<string, string>(),
    busyMs: 1,
    hold: undefined as Promise<void> | undefined,
    during: undefined as (() => void) | undefined,
    scheduler: undefined as unknown as CheckScheduler,
    change(uri: string, label: string, delayMs?: number) {
      h.version.set(uri, label);
      h.scheduler.schedule(uri, delayMs);
    },
    labels: () => h.checks.map((c) => c.label),
  };
  h.scheduler = new CheckScheduler(
    async (uri, isCurrent): Promise<CheckOutcome | undefined> => {
      if (h.hold) await h.hold;
      if (!isCurrent()) return undefined;
      const label = h.version.get(uri) ?? uri;
      h.checks.push({ label, at: performance.now() });
      const during = h.during;
      h.during = undefined;
      during?.();
      return { busyMs: h.busyMs, publish: () => h.published.push(label) };
    },
    (_uri, e) => h.errors.push(e),
    { now: () => 0, coalesceMs: 0, ...options },
  );
  return h;
}

describe('CheckScheduler', () => {
  it('checks a change to an idle document at once: two event-loop turns, no debounce', async () => {
    const h = harness();
    h.change('a', 'a1');
    await turns(1);
    assert.equal(h.checks.length, 0);
    await turns(1);
    assert.deepEqual(h.labels(), ['a1']);
    // Two more turns for the messages that arrived during the check, then it is published.
    await turns(2);
    assert.deepEqual(h.published, ['a1']);
    h.scheduler.dispose();
  });

  it('checks the first change at once, publishes no earlier than coalesceMs after it; later changes in the window supersede it', async () => {
    const h = harness({ coalesceMs: 100 });
    const t0 = performance.now();
    h.change('a', 'a1');
    await until(() => h.checks.length > 0, 'the first check');
    assert.ok(h.checks[0].at - t0 < 50, `first check ${(h.checks[0].at - t0).toFixed(1)} ms after the change, expected at once`);
    await sleep(20);
    h.change('a', 'a2');
    await sleep(20);
    h.change('a', 'a3');
    await until(() => h.published.length > 0, 'a publish');
    // a1's result was held for the window, then dropped: a3 arrived within it.
    assert.deepEqual(h.labels(), ['a1', 'a3']);
    assert.deepEqual(h.published, ['a3']);
    h.scheduler.dispose();
  });

  it('publishes an isolated change once the window has passed, without a second check', async () => {
    const h = harness({ coalesceMs: 60 });
    const t0 = performance.now();
    h.change('a', 'a1');
    await until(() => h.published.length > 0, 'a publish');
    const publishedAt = performance.now();
    assert.deepEqual(h.labels(), ['a1']);
    assert.deepEqual(h.published, ['a1']);
    assert.ok(publishedAt - t0 >= 58, `published ${(publishedAt - t0).toFixed(1)} ms after the change, expected at least 60`);
    h.scheduler.dispose();
  });

  it('coalesces changes queued behind the first one (one per turn, like the connection) into one check of the last', async () => {
    const h = harness();
    h.change('a', 'a1');
    setImmediate(() => {
      h.change('a', 'a2');
      setImmediate(() => {
        h.change('a', 'a3');
        setImmediate(() => h.change('a', 'a4'));
      });
    });
    await until(() => h.published.length > 0, 'a publish');
    assert.deepEqual(h.labels(), ['a4']);
    assert.deepEqual(h.published, ['a4']);
    h.scheduler.dispose();
  });

  it('a change during a short check: its result is dropped, one follow-up check publishes the latest version', async () => {
    const h = harness();
    h.during = () => {
      h.change('a', 'a2');
      h.change('a', 'a3');
    };
    h.change('a', 'a1');
    await until(() => h.published.length > 0, 'a publish');
    assert.deepEqual(h.labels(), ['a1', 'a3']);
    assert.deepEqual(h.published, ['a3']);
    h.scheduler.dispose();
  });

  it('a change that the connection hands over just after a short check also drops its result', async () => {
    const h = harness();
    // The message arrived during the check; the connection handles it on the next turn.
    h.during = () => setImmediate(() => h.change('a', 'a2'));
    h.change('a', 'a1');
    await until(() => h.published.length > 0, 'a publish');
    assert.deepEqual(h.labels(), ['a1', 'a2']);
    assert.deepEqual(h.published, ['a2']);
    h.scheduler.dispose();
  });

  it('drops superseded results only while the oldest unpublished change is younger than maxWithholdMs', async () => {
    // A fake clock: each check takes 10 ms, and a key arrives during each of the first four.
    let clock = 0;
    const h = harness({ maxWithholdMs: 25, now: () => clock });
    let n = 1;
    const typeDuring = () => {
      h.during = () => {
        clock += 10;
        if (n >= 5) return;
        h.change('a', `a${++n}`);
        typeDuring();
      };
    };
    typeDuring();
    h.change('a', 'a1');
    await until(() => h.published.includes('a5'), 'a5 published');
    assert.deepEqual(h.labels(), ['a1', 'a2', 'a3', 'a4', 'a5']);
    // a1 changed at 0: a1 dropped at 10, a2 dropped at 20, a3 published at 30 (the change at 0 waited 30 >= 25);
    // a4 (changed at 30) dropped at 40, a5 current at 50: published.
    assert.deepEqual(h.published, ['a3', 'a5']);
    h.scheduler.dispose();
  });

  it('publishes a superseded long check, then waits min(its duration, maxCooldownMs) of idle time before the next', async () => {
    const h = harness({ longCheckMs: 50, maxCooldownMs: 40, maxWithholdMs: 50, now: () => performance.now() });
    h.busyMs = 150;
    let changedAt = 0;
    h.during = () => {
      // A check blocks the event loop: a key typed during it waits that long.
      spin(150);
      changedAt = performance.now();
      h.change('a', 'a2');
    };
    h.change('a', 'a1');
    await until(() => h.published.length === 2, 'two publishes');
    assert.deepEqual(h.labels(), ['a1', 'a2']);
    assert.deepEqual(h.published, ['a1', 'a2']);
    const wait = h.checks[1].at - changedAt;
    // 40 ms (maxCooldownMs), not 150 (the check's duration) and not 0.
    assert.ok(wait >= 38 && wait < 140, `the follow-up waited ${wait.toFixed(1)} ms, expected about 40`);
    h.scheduler.dispose();
  });

  it('typing during the cooldown does not restart it', async () => {
    const h = harness({ longCheckMs: 50, maxCooldownMs: 200, maxWithholdMs: 0, now: () => performance.now() });
    h.busyMs = 300;
    h.during = () => h.change('a', 'a2');
    h.change('a', 'a1');
    await until(() => h.published.length === 1, 'the first publish');
    for (let i = 3; i <= 6; i++) {
      await sleep(10);
      h.change('a', `a${i}`);
    }
    const lastChange = performance.now();
    await until(() => h.published.length === 2, 'the second publish');
    assert.deepEqual(h.labels(), ['a1', 'a6']);
    assert.deepEqual(h.published, ['a1', 'a6']);
    const wait = h.checks[1].at - h.checks[0].at;
    assert.ok(wait >= 195, `the follow-up started ${wait.toFixed(1)} ms after the first check, expected about 200`);
    // A cooldown restarted by each change would start 200 ms after the last one.
    const afterLast = h.checks[1].at - lastChange;
    assert.ok(afterLast < 190, `the follow-up started ${afterLast.toFixed(1)} ms after the last change, expected about ${(200 - (lastChange - h.checks[0].at)).toFixed(0)}`);
    h.scheduler.dispose();
  });

  it('a change that finds the server idle after a long check is checked at once', async () => {
    const h = harness({ longCheckMs: 50, maxCooldownMs: 150, now: () => performance.now() });
    h.busyMs = 300;
    h.change('a', 'a1');
    await until(() => h.published.length === 1, 'the first publish');
    h.change('a', 'a2');
    await turns(2);
    assert.deepEqual(h.labels(), ['a1', 'a2']);
    h.scheduler.dispose();
  });

  it('short checks never delay the next one', async () => {
    const h = harness({ longCheckMs: 50, maxCooldownMs: 150, now: () => performance.now() });
    h.busyMs = 49;
    h.change('a', 'a1');
    await turns(2);
    assert.deepEqual(h.labels(), ['a1']);
    await turns(3);
    assert.deepEqual(h.published, ['a1']);
    h.change('a', 'a2');
    await turns(2);
    assert.deepEqual(h.labels(), ['a1', 'a2']);
    h.scheduler.dispose();
  });

  it('a delay is a trailing debounce: each call restarts it, and other documents are not held up', async () => {
    const h = harness();
    h.change('a', 'a1', 20);
    h.change('a', 'a2', 20);
    h.change('b', 'b1', 0);
    const last = performance.now();
    h.change('a', 'a3', 20);
    await until(() => h.published.length === 2, 'two publishes');
    assert.deepEqual(h.labels(), ['b1', 'a3']);
    assert.deepEqual(h.published, ['b1', 'a3']);
    assert.ok(h.checks[1].at - last >= 19, 'a waited for its debounce');
    h.scheduler.dispose();
  });

  it('a change to the document itself does not wait for a pending debounce', async () => {
    const h = harness();
    h.change('a', 'a1', 200);
    h.change('a', 'a2');
    await turns(2);
    assert.deepEqual(h.labels(), ['a2']);
    await sleep(250);
    assert.deepEqual(h.labels(), ['a2'], 'the debounce was replaced, not kept as well');
    h.scheduler.dispose();
  });

  it('a close drops the pending check and silences a running one', async () => {
    const h = harness();
    h.change('a', 'a1');
    h.scheduler.cancel('a');
    await sleep(20);
    assert.equal(h.checks.length, 0);
    assert.equal(h.scheduler.size, 0);

    let release!: () => void;
    h.hold = new Promise<void>((resolve) => (release = resolve));
    h.change('b', 'b1');
    await turns(3);
    h.scheduler.cancel('b');
    h.hold = undefined;
    release();
    await sleep(20);
    assert.equal(h.checks.length, 0, 'the held check saw isCurrent() false');
    assert.equal(h.scheduler.size, 0);

    h.during = () => h.scheduler.cancel('c');
    h.change('c', 'c1');
    await until(() => h.checks.length === 1, 'the check of c');
    assert.deepEqual(h.labels(), ['c1']);
    assert.deepEqual(h.published, [], 'closed during its check: not published, no follow-up');
    assert.equal(h.scheduler.size, 0);
    h.scheduler.dispose();
  });

  it('a change while the runner awaits makes it stale; the follow-up checks the latest version', async () => {
    const h = harness();
    let release!: () => void;
    h.hold = new Promise<void>((resolve) => (release = resolve));
    h.change('a', 'a1');
    await turns(3);
    h.hold = undefined;
    h.change('a', 'a2');
    release();
    await until(() => h.published.length > 0, 'a publish');
    assert.deepEqual(h.labels(), ['a2']);
    assert.deepEqual(h.published, ['a2']);
    h.scheduler.dispose();
  });

  it('reports a failing check or publish and keeps scheduling', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = new CheckScheduler(
      async () => {
        calls++;
        if (calls === 1) throw new Error('check');
        return {
          busyMs: 1,
          publish: () => {
            throw new Error('publish');
          },
        };
      },
      (_uri, e) => errors.push(e),
    );
    scheduler.schedule('a');
    await until(() => errors.length === 1, 'the first error');
    scheduler.schedule('a');
    await until(() => errors.length === 2, 'the second error');
    assert.equal(calls, 2);
    assert.deepEqual(
      errors.map((e) => (e as Error).message),
      ['check', 'publish'],
    );
    scheduler.schedule('a');
    await until(() => calls === 3, 'the third check');
    scheduler.dispose();
  });
});

describe('CheckScheduler.busy', () => {
  it('is true from a change until its check is published, and while a follow-up is pending', async () => {
    const h = harness({ coalesceMs: 3 });
    assert.equal(h.scheduler.busy, false);
    h.change('a', 'a1');
    assert.equal(h.scheduler.busy, true, 'the coalescing window');
    // The check is held (an await inside it, like the settings round trip): running, not finished.
    let release!: () => void;
    h.hold = new Promise<void>((resolve) => (release = resolve));
    await sleep(30);
    assert.equal(h.checks.length, 0);
    assert.equal(h.scheduler.busy, true, 'a running check');
    h.hold = undefined;
    release();
    await until(() => h.published.length === 1, 'the publish');
    assert.equal(h.scheduler.busy, false, 'idle once published');
    // A change during a check: busy until the follow-up is published.
    h.during = () => h.change('a', 'a2');
    h.change('a', 'a1b');
    await until(() => h.published.includes('a2'), 'the follow-up');
    assert.equal(h.scheduler.busy, false);
    h.scheduler.dispose();
  });

  it('a close ends it; a trailing debounce counts', () => {
    const h = harness();
    h.change('a', 'a1', 150);
    assert.equal(h.scheduler.busy, true);
    h.scheduler.cancel('a');
    assert.equal(h.scheduler.busy, false);
    h.scheduler.dispose();
  });
});

describe('IdleTask', () => {
  it('runs once, idleMs after the last touch (fake timers)', () => {
    const t = fakeTimers();
    const runs: number[] = [];
    const task = new IdleTask(10_000, () => runs.push(t.now), { timers: t.timers });
    task.touch();
    t.advance(4_000);
    task.touch();
    t.advance(9_999);
    assert.deepEqual(runs, []);
    t.advance(1);
    assert.deepEqual(runs, [14_000]);
    t.advance(60_000);
    assert.deepEqual(runs, [14_000], 'once');
    assert.equal(t.armed, 0);
  });

  it('never runs while a check is pending or running: it looks again every retryMs', () => {
    const t = fakeTimers();
    const runs: number[] = [];
    let busy = true;
    const task = new IdleTask(10_000, () => runs.push(t.now), { timers: t.timers, busy: () => busy, retryMs: 1_000 });
    task.touch();
    t.advance(12_500);
    assert.deepEqual(runs, [], 'busy at 10 s, 11 s and 12 s');
    busy = false;
    t.advance(500);
    assert.deepEqual(runs, [13_000]);
    t.advance(60_000);
    assert.deepEqual(runs, [13_000]);
  });

  it('a check while it waits to retry starts the whole wait over', () => {
    const t = fakeTimers();
    const runs: number[] = [];
    let busy = true;
    const task = new IdleTask(10_000, () => runs.push(t.now), { timers: t.timers, busy: () => busy, retryMs: 1_000 });
    task.touch();
    t.advance(10_500);
    // The pending check ran: touch() at 10.5 s; idle from then on.
    busy = false;
    task.touch();
    t.advance(9_999);
    assert.deepEqual(runs, []);
    t.advance(1);
    assert.deepEqual(runs, [20_500]);
    assert.equal(t.armed, 0);
  });

  it('dispose cancels, also a retry', () => {
    const t = fakeTimers();
    const runs: number[] = [];
    let busy = true;
    const task = new IdleTask(100, () => runs.push(t.now), { timers: t.timers, busy: () => busy, retryMs: 10 });
    task.touch();
    t.advance(150);
    task.dispose();
    busy = false;
    t.advance(1_000);
    assert.deepEqual(runs, []);
    assert.equal(t.armed, 0);
  });

  it('runs once, idleMs after the last touch (real timers)', async () => {
    const runs: number[] = [];
    const task = new IdleTask(40, () => runs.push(performance.now()));
    const t0 = performance.now();
    task.touch();
    await sleep(20);
    const last = performance.now();
    task.touch();
    await until(() => runs.length === 1, 'the task');
    await sleep(60);
    assert.equal(runs.length, 1);
    assert.ok(runs[0] - last >= 38, `ran ${(runs[0] - last).toFixed(1)} ms after the last touch, expected >= 40`);
    assert.ok(runs[0] - t0 >= 58, 'the second touch restarted the wait');
    task.touch();
    task.dispose();
    await sleep(60);
    assert.equal(runs.length, 1, 'dispose cancels');
  });
});

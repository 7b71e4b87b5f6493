import type { Timers } from '../../server/src/lsp/scheduler';

/** Timers fired by hand, on a clock that only `advance` moves: exact, whatever the load. */
export function fakeTimers() {
  let now = 0;
  let pending: { at: number; fn: () => void }[] = [];
  const timers: Timers = {
    set(fn, ms) {
      const t = { at: now + ms, fn };
      pending.push(t);
      return t;
    },
    clear(handle) {
      pending = pending.filter((t) => t !== handle);
    },
  };
  return {
    timers,
    get now() {
      return now;
    },
    get armed() {
      return pending.length;
    },
    /** Moves the clock, firing each timer due on the way, in order. */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        const next = pending.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!next) break;
        pending = pending.filter((t) => t !== next);
        now = next.at;
        next.fn();
      }
      now = end;
    },
  };
}

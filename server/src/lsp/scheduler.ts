/**
 * When to check a document, and whether to publish the result. A check is synchronous: while it
 * runs nothing else happens in the server, and the changes that arrive meanwhile wait in the
 * connection's message queue, which hands over one message per event-loop turn. So:
 *
 * - A change to an idle document is checked at once (after the messages already queued). Its result
 *   is published no earlier than `coalesceMs` (3 ms) after that change, counted from it and not
 *   restarted by the next ones: the rest of a burst that an editor or a script sends back to back
 *   supersedes it, and only the burst's last version is published. A check that takes `coalesceMs`
 *   or more adds no wait at all. No debounce: typing never postpones a check.
 * - Before a check starts, the messages already queued are handled (one more event-loop turn), so
 *   the check reads the latest version.
 * - Changes that arrive while a check is pending or running are coalesced: when it ends, one more
 *   check runs, for the latest version.
 * - After a check, the messages that arrived during it are handled before its result is published.
 *   A result superseded meanwhile is dropped while the oldest change not yet on screen is younger
 *   than `maxWithholdMs`: a quick follow-up brings the newer version, without a flash of the old
 *   one. Past that age it is published anyway, so steady typing, and every check of a huge file,
 *   still shows diagnostics.
 * - When changes arrived during a long check (at least `longCheckMs`), the follow-up waits until
 *   min(that check's duration, `maxCooldownMs`) after it: typing in a huge file keeps the server
 *   busy about half the time instead of all of it. The wait counts from the end of the check and is
 *   never restarted by typing, so it cannot starve the check.
 * - A close drops the pending check; a running one neither publishes nor schedules another.
 *
 * `schedule(uri, delayMs)` with a delay is a trailing debounce instead (for project files that change
 * in a burst): each such call restarts it.
 */

/** A finished check, not yet published. */
export interface CheckOutcome {
  /** How long the check kept the event loop busy. */
  busyMs: number;
  /** Sends the result to the client. */
  publish(): void;
}

/**
 * Checks a document; resolves to undefined when it did not (the document is gone, or `isCurrent()`
 * turned false while it waited for something).
 */
export type CheckRunner = (uri: string, isCurrent: () => boolean) => Promise<CheckOutcome | undefined>;

export interface SchedulerOptions {
  /** How long after the first unpublished change its result is held for the rest of its burst. */
  coalesceMs?: number;
  /** Checks at least this long make a follow-up wait (the cooldown). */
  longCheckMs?: number;
  /** The longest cooldown. */
  maxCooldownMs?: number;
  /** How long a change may wait for its diagnostics while superseded results are dropped. */
  maxWithholdMs?: number;
  /** The clock (tests pass their own). */
  now?: () => number;
}

export const COALESCE_MS = 3;
export const LONG_CHECK_MS = 50;
export const MAX_COOLDOWN_MS = 150;
export const MAX_WITHHOLD_MS = 50;

/** What the pending timer is: a trailing debounce restarts; a cooldown does not. */
type Pending = 'debounce' | 'cooldown';

interface DocState {
  /** Bumped by every schedule: a check started at an older generation is superseded. */
  generation: number;
  timer: NodeJS.Timeout | undefined;
  pending: Pending | undefined;
  /** The last turn before the check (the queued messages are handled in between). */
  immediate: NodeJS.Immediate | undefined;
  running: boolean;
  /** The delay asked for by the last schedule; used for the follow-up when it came during a check. */
  requestedDelayMs: number;
  lastBusyMs: number;
  lastEnd: number;
  /** When the oldest change whose diagnostics are not published yet arrived. */
  unpublishedSince: number | undefined;
  /** When the first change during the running check arrived. */
  changedDuringRun: number | undefined;
}

/** Resolves after two event-loop turns: the messages already received have been handled by then. */
export function afterQueuedMessages(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

export class CheckScheduler {
  private readonly docs = new Map<string, DocState>();
  private readonly coalesceMs: number;
  private readonly longCheckMs: number;
  private readonly maxCooldownMs: number;
  private readonly maxWithholdMs: number;
  private readonly now: () => number;

  constructor(
    private readonly run: CheckRunner,
    private readonly onError: (uri: string, error: unknown) => void,
    options: SchedulerOptions = {},
  ) {
    this.coalesceMs = options.coalesceMs ?? COALESCE_MS;
    this.longCheckMs = options.longCheckMs ?? LONG_CHECK_MS;
    this.maxCooldownMs = options.maxCooldownMs ?? MAX_COOLDOWN_MS;
    this.maxWithholdMs = options.maxWithholdMs ?? MAX_WITHHOLD_MS;
    this.now = options.now ?? (() => performance.now());
  }

  /** The document changed, or must be checked again: check it as soon as the policy allows. */
  schedule(uri: string, delayMs = 0): void {
    let st = this.docs.get(uri);
    if (!st) {
      st = {
        generation: 0,
        timer: undefined,
        pending: undefined,
        immediate: undefined,
        running: false,
        requestedDelayMs: 0,
        lastBusyMs: 0,
        lastEnd: 0,
        unpublishedSince: undefined,
        changedDuringRun: undefined,
      };
      this.docs.set(uri, st);
    }
    st.generation++;
    st.requestedDelayMs = delayMs;
    const now = this.now();
    st.unpublishedSince ??= now;
    // A running check is superseded; when it ends, it arms the follow-up.
    if (st.running) {
      st.changedDuringRun ??= now;
      return;
    }
    if (delayMs > 0) this.setTimer(uri, st, delayMs, 'debounce');
    // A cooldown under way reads the latest version when it ends; otherwise check at once.
    else if (st.pending !== 'cooldown') {
      this.disarm(st);
      this.lastTurn(uri, st);
    }
  }

  /** The document closed: drop its pending check; a running one will not publish. */
  cancel(uri: string): void {
    const st = this.docs.get(uri);
    if (!st) return;
    this.disarm(st);
    this.docs.delete(uri);
  }

  /** Documents the scheduler keeps state for (scheduled at least once since they opened). */
  get size(): number {
    return this.docs.size;
  }

  /** True while a check is pending (a timer or the last turns before it) or running, for any document. */
  get busy(): boolean {
    for (const st of this.docs.values()) if (st.running || st.timer || st.immediate) return true;
    return false;
  }

  dispose(): void {
    for (const st of this.docs.values()) this.disarm(st);
    this.docs.clear();
  }

  private setTimer(uri: string, st: DocState, waitMs: number, pending: Pending): void {
    this.disarm(st);
    if (waitMs <= 0) {
      this.lastTurn(uri, st);
      return;
    }
    st.pending = pending;
    st.timer = setTimeout(() => {
      st.timer = undefined;
      st.pending = undefined;
      this.lastTurn(uri, st);
    }, waitMs);
  }

  private disarm(st: DocState): void {
    if (st.timer) clearTimeout(st.timer);
    if (st.immediate) clearImmediate(st.immediate);
    st.timer = undefined;
    st.pending = undefined;
    st.immediate = undefined;
  }

  /**
   * Two event-loop turns before the check: the connection hands over the next queued message in the
   * first, and a change handled there starts over (so the check reads the latest version).
   */
  private lastTurn(uri: string, st: DocState): void {
    st.immediate = setImmediate(() => {
      st.immediate = setImmediate(() => {
        st.immediate = undefined;
        if (this.docs.get(uri) === st && !st.running) void this.start(uri, st);
      });
    });
  }

  private async start(uri: string, st: DocState): Promise<void> {
    const generation = st.generation;
    const open = () => this.docs.get(uri) === st;
    st.running = true;
    st.changedDuringRun = undefined;
    try {
      const outcome = await this.run(uri, () => open() && st.generation === generation);
      if (outcome) {
        st.lastBusyMs = outcome.busyMs;
        st.lastEnd = this.now();
        // Not before coalesceMs after the first change it shows: the rest of a burst supersedes it.
        const hold = (st.unpublishedSince ?? -Infinity) + this.coalesceMs - this.now();
        if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
        // Let the changes that arrived during the check be handled: they supersede its result.
        await afterQueuedMessages();
        const superseded = st.generation !== generation;
        const waiting = this.now() - (st.unpublishedSince ?? Infinity);
        if (open() && !(superseded && waiting < this.maxWithholdMs)) {
          // What is on screen now is this check's version; the changes since are still to publish.
          st.unpublishedSince = superseded ? st.changedDuringRun : undefined;
          outcome.publish();
        }
      }
    } catch (e) {
      this.onError(uri, e);
    } finally {
      st.running = false;
      // Changes arrived while it ran: one more check, for the latest version, after the cooldown.
      if (open() && st.generation !== generation) {
        if (st.requestedDelayMs > 0) this.setTimer(uri, st, st.requestedDelayMs, 'debounce');
        else this.setTimer(uri, st, this.cooldownLeft(st), 'cooldown');
      }
    }
  }

  /** Milliseconds left before a follow-up may start, after a long check. */
  private cooldownLeft(st: DocState): number {
    if (st.lastBusyMs < this.longCheckMs) return 0;
    return st.lastEnd + Math.min(st.lastBusyMs, this.maxCooldownMs) - this.now();
  }
}

/** Timers, injectable so that tests can fire them by hand. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const REAL_TIMERS: Timers = {
  set(fn, ms) {
    const timer = setTimeout(fn, ms);
    // Never what keeps the process alive.
    timer.unref();
    return timer;
  },
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface IdleTaskOptions {
  /** True while a check is pending or running: the task then waits `retryMs` more instead of running. */
  busy?: () => boolean;
  retryMs?: number;
  timers?: Timers;
}

/** How long an idle task that found the server busy waits before it looks again. */
export const IDLE_RETRY_MS = 1000;

/**
 * Runs a task once, when `idleMs` have passed since the last `touch()` (the last check) and no check
 * is pending or running. The server uses it for a full garbage collection after typing stops: V8
 * keeps the young generation and the old-generation pages it grew during a burst of checks until
 * something collects again, and nothing does while the server is idle. A full collection also throws
 * away optimized code (the next check runs about 2.5 times slower), so it must never run while the
 * user types (docs/performance.md).
 */
export class IdleTask {
  private timer: unknown;
  private readonly busy: () => boolean;
  private readonly retryMs: number;
  private readonly timers: Timers;

  constructor(
    private readonly idleMs: number,
    private readonly task: () => void,
    options: IdleTaskOptions = {},
  ) {
    this.busy = options.busy ?? (() => false);
    this.retryMs = options.retryMs ?? IDLE_RETRY_MS;
    this.timers = options.timers ?? REAL_TIMERS;
  }

  touch(): void {
    this.arm(this.idleMs);
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  private arm(ms: number): void {
    this.dispose();
    this.timer = this.timers.set(() => {
      this.timer = undefined;
      // A check is pending or running (the next one's touch() restarts the wait): look again later.
      if (this.busy()) this.arm(this.retryMs);
      else this.task();
    }, ms);
  }
}

/**
 * The check's warm-up: once per server process, after the first Dockerfile is checked, the server
 * types a few characters into a private copy of it and checks each version as it checks an edit
 * (incrementally, given the version before). V8 compiles the check's functions only once they have
 * run often enough; without this, those runs were the user's first keystrokes: at 500 lines the first
 * 15 to 20 keys took 15 to 40 ms to their diagnostics, the later ones 5 to 8 (docs/performance.md).
 *
 * It keeps out of the user's way: a step runs only when no check is pending or running and nothing
 * changed for `quietMs`, otherwise it looks again later; the copy is at most 200 lines, so a change
 * that arrives during a step waits a few ms at most (the whole warm-up: about 40 short checks, within
 * the first seconds). Its results are thrown away, and it never touches the document's own parse
 * (`lastParse`): its first check parses the copy from scratch.
 */
import type { ParseSnapshot } from '../engine/incremental';
import { REAL_TIMERS, Timers } from './scheduler';

/** Checks `text` given the previous version's parse (undefined: from scratch); returns its parse. */
export type WarmupCheck = (text: string, previous: ParseSnapshot | undefined) => ParseSnapshot;

export interface WarmupOptions {
  /** How many edits it checks after the first check of the copy. */
  steps?: number;
  /** The copy is at most this many lines of the document (its start), so one step stays short. */
  maxLines?: number;
  /** How long nothing must have changed before a step runs. */
  quietMs?: number;
  /** True while a check is pending or running. */
  busy?: () => boolean;
  /** When the last change to any document arrived (performance.now() time). */
  lastActivity?: () => number;
  now?: () => number;
  timers?: Timers;
  /** Told why it stopped early (a check threw). */
  onError?: (e: unknown) => void;
  /** Told when it is done: how many checks, and how long they kept the event loop busy in all. */
  onDone?: (checks: number, busyMs: number) => void;
}

export const WARMUP_STEPS = 40;
export const WARMUP_MAX_LINES = 200;
export const WARMUP_QUIET_MS = 50;

/**
 * Where the warm-up types: the copy (the document's first `maxLines` lines) and an offset in it, at
 * the end of the non-blank line nearest the copy's middle (before a trailing line continuation), as
 * someone extending a package list or a command would.
 */
export function warmupSpot(text: string, maxLines: number): { base: string; at: number } {
  const lines = text.split('\n').slice(0, Math.max(1, maxLines));
  const base = lines.join('\n');
  const mid = Math.floor(lines.length / 2);
  for (let d = 0; d < lines.length; d++) {
    for (const l of [mid + d, mid - d]) {
      const line = lines[l]?.replace(/\r$/, '');
      if (line === undefined || line.trim() === '') continue;
      const lineStart = lines.slice(0, l).reduce((n, s) => n + s.length + 1, 0);
      return { base, at: lineStart + continuationStart(line) };
    }
  }
  return { base, at: base.length };
}

/**
 * Where a trailing line continuation (`\` or `` ` ``, with the blanks before it) starts, else the line's
 * length: `/\s*[\\`]$/.exec(line)?.index`, in linear time (that expression is quadratic in a long run
 * of blanks that does not end the line).
 */
export function continuationStart(line: string): number {
  const last = line[line.length - 1];
  if (last !== '\\' && last !== '`') return line.length;
  let start = line.length - 1;
  while (start > 0 && /\s/.test(line[start - 1])) start--;
  return start;
}

export class Warmup {
  private begun = false;
  private timer: unknown;
  private readonly steps: number;
  private readonly maxLines: number;
  private readonly quietMs: number;
  private readonly busy: () => boolean;
  private readonly lastActivity: () => number;
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly onError: (e: unknown) => void;
  private readonly onDone: (checks: number, busyMs: number) => void;
  private busyMs = 0;
  /** Checks run so far (the copy's first check included): for tests and the log. */
  checks = 0;

  constructor(options: WarmupOptions = {}) {
    this.steps = options.steps ?? WARMUP_STEPS;
    this.maxLines = options.maxLines ?? WARMUP_MAX_LINES;
    this.quietMs = options.quietMs ?? WARMUP_QUIET_MS;
    this.busy = options.busy ?? (() => false);
    this.lastActivity = options.lastActivity ?? (() => -Infinity);
    this.now = options.now ?? (() => performance.now());
    this.timers = options.timers ?? REAL_TIMERS;
    this.onError = options.onError ?? (() => undefined);
    this.onDone = options.onDone ?? (() => undefined);
  }

  /** True once start() was called: later calls do nothing. */
  get started(): boolean {
    return this.begun;
  }

  /** Starts on the first call, with that document's text and check; later calls do nothing. */
  start(text: string, check: WarmupCheck): void {
    if (this.begun) return;
    this.begun = true;
    const { base, at } = warmupSpot(text, this.maxLines);
    let current = base;
    let previous: ParseSnapshot | undefined;
    const run = (): void => {
      this.timer = undefined;
      const quietFor = this.now() - this.lastActivity();
      // While a check is pending or running, look again in quietMs, not every millisecond.
      if (this.busy() || quietFor < this.quietMs) {
        this.timer = this.timers.set(run, this.busy() ? this.quietMs : Math.max(1, this.quietMs - Math.max(0, quietFor)));
        return;
      }
      const started = performance.now();
      try {
        // After the copy's own check, one more character per check, each after the last.
        if (this.checks > 0) current = current.slice(0, at + this.checks - 1) + 'x' + current.slice(at + this.checks - 1);
        previous = check(current, previous);
        this.checks++;
      } catch (e) {
        this.onError(e);
        return;
      }
      this.busyMs += performance.now() - started;
      // The next step after one event-loop turn at least, so that a change sent meanwhile comes first.
      if (this.checks <= this.steps) this.timer = this.timers.set(run, 1);
      else this.onDone(this.checks, this.busyMs);
    };
    this.timer = this.timers.set(run, 1);
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }
}

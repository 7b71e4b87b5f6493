/**
 * When to check a document: debounced while typing, at once after opening, and never for stale
 * work. Each scheduled check gets a token; a newer schedule or a close makes the old token stale.
 */
export type CheckRunner = (uri: string, isCurrent: () => boolean) => Promise<void>;

export class CheckScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly latest = new Map<string, number>();
  private nextToken = 0;

  constructor(
    private readonly run: CheckRunner,
    private readonly onError: (uri: string, error: unknown) => void,
  ) {}

  schedule(uri: string, delayMs: number): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    const token = ++this.nextToken;
    this.latest.set(uri, token);
    const timer = setTimeout(() => {
      this.timers.delete(uri);
      const isCurrent = () => this.latest.get(uri) === token;
      if (!isCurrent()) return;
      this.run(uri, isCurrent).catch((e: unknown) => this.onError(uri, e));
    }, delayMs);
    this.timers.set(uri, timer);
  }

  /** The document closed: drop its pending check and make any running one stale. */
  cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
    this.latest.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.latest.clear();
  }
}

/**
 * Wakes waiting subscriptions when the log may have grown.
 *
 * - Appends through this store instance call `notify()` right after COMMIT: live delivery without delay.
 * - Appends by another connection (another process, or another instance on the same file) are invisible
 *   to that signal. While someone waits, a timer polls `PRAGMA data_version`, which changes exactly when
 *   another connection has committed to the file, so an idle poll costs one pragma, not a query per
 *   subscription.
 *
 * No wake-up is lost: a subscription reads `version()` BEFORE it reads a page and waits relative to that
 * version, so a foreign commit that lands between its read and its wait still wakes it.
 * The timer runs only while somebody waits (a consumer that does not ask for more costs nothing) and it
 * keeps the process alive like an open socket would, so a projector that only subscribes does not exit.
 */
export class ChangeFeed {
  /** Each waiter with the data_version it had seen. */
  private readonly waiters = new Map<() => void, number>();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly pollIntervalMs: number,
    /** Reads PRAGMA data_version on the store's connection. */
    private readonly dataVersion: () => number,
  ) {}

  version(): number {
    return this.dataVersion();
  }

  /**
   * Resolves on the next change after `seenVersion` (or on close). `cancel` resolves it at once and
   * forgets it: a closed subscription uses it so that its pending `next()` ends promptly.
   */
  wait(seenVersion: number): { readonly changed: Promise<void>; readonly cancel: () => void } {
    let wake!: () => void;
    const changed = new Promise<void>((resolve) => {
      wake = () => {
        if (this.waiters.delete(wake) && this.waiters.size === 0) this.stopPolling();
        resolve();
      };
    });
    if (this.closed || this.dataVersion() !== seenVersion) {
      wake();
    } else {
      this.waiters.set(wake, seenVersion);
      this.startPolling();
    }
    return { changed, cancel: wake };
  }

  notify(): void {
    for (const wake of [...this.waiters.keys()]) wake();
  }

  close(): void {
    this.closed = true;
    this.notify();
    this.stopPolling();
  }

  private startPolling(): void {
    this.timer ??= setInterval(() => this.poll(), this.pollIntervalMs);
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    const version = this.dataVersion();
    for (const [wake, seen] of [...this.waiters]) if (seen !== version) wake();
  }
}

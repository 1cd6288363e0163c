interface Waiter {
  readonly position: bigint;
  readonly resolve: (reached: boolean) => void;
}

/**
 * How far the projections have got, and who is waiting for them to get further (read-your-writes:
 * a read that names a position waits until the read models include it, or gives up after a while).
 */
export class PositionWaiters {
  private reached: bigint | undefined;
  private waiters: Waiter[] = [];

  /** The position every active projection has reached (undefined before the first event). */
  position(): bigint | undefined {
    return this.reached;
  }

  /** Resolves true once `position` is reached, or false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    if (this.reached !== undefined && this.reached >= position) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = { position, resolve };
      this.waiters.push(waiter);
      setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  publish(position: bigint | undefined): void {
    if (position === undefined) return;
    this.reached = position;
    const ready = this.waiters.filter((w) => w.position <= position);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > position);
    for (const waiter of ready) waiter.resolve(true);
  }
}

import type { AllStreamSubscription, Position } from '@kurrent/kurrentdb-client';
import type { RecordedEvent, Subscription } from '../event-store.port';
import { ResubscribePolicy, resubscribeDelay } from './backoff';
import { isTransientSubscriptionError } from './errors';
import type { CompiledFilter } from './filters';
import { ClientResolvedEvent, comparePositions, normalisePosition, positionOfResolved, toRecordedEvent } from './mapping';

/** What the subscription needs from the client: one catch-up subscription to $all from a position. */
export type OpenSubscription = (
  from: Position | undefined,
  checkpointReached: (subscription: AllStreamSubscription, position: Position) => void,
) => SourceSubscription;

/** The client's AllStreamSubscription, as far as it is used here (a Readable in object mode). */
export interface SourceSubscription extends AsyncIterable<unknown> {
  unsubscribe(): Promise<void>;
  destroy?(error?: Error): unknown;
}

export interface ResubscribeInfo {
  readonly error: unknown;
  /** 1-based count of consecutive failures. */
  readonly attempt: number;
  readonly delayMs: number;
  /** Commit position the next subscription starts after (undefined: the beginning). */
  readonly from: bigint | undefined;
}

export interface KurrentDbSubscriptionOptions {
  readonly open: OpenSubscription;
  readonly filter: CompiledFilter;
  /** Exclusive start (a port position). */
  readonly fromPosition: bigint | undefined;
  readonly policy: ResubscribePolicy;
  readonly random?: () => number;
  readonly onResubscribe?: (info: ResubscribeInfo) => void;
  readonly onClose: (subscription: KurrentDbSubscription) => void;
}

/**
 * A checkpoint pushed into the client's stream, in order with the events: the server sends a checkpoint
 * after the events it covers, and the client's Transform calls `checkpointReached` while handling that
 * message, so pushing the marker there puts it exactly after those events in what `for await` reads. Only
 * when the consumer has been handed every earlier event does the resume position move to the checkpoint.
 */
class Checkpoint {
  constructor(readonly position: Position) {}
}

const CLOSED = Symbol('closed');

/**
 * Catch-up then live, over the client's `subscribeToAll`, read with `for await` (never 'data' handlers: an
 * async handler is not awaited and would let events overlap). Delivers the port's events after the start
 * position, filtered, in position order. When the server or the network drops the subscription, it
 * resubscribes with backoff from the last position it handed out, or the last checkpoint past it: a quiet
 * filtered subscription does not rescan what the server already looked through. Events at or before that
 * position are skipped if the server repeats them. `close()` ends a waiting `next()` at once.
 */
export class KurrentDbSubscription implements Subscription {
  private closed = false;
  /** Ends the one wait in progress (the generator waits for one thing at a time). */
  private interrupt: (() => void) | undefined;
  private current: SourceSubscription | undefined;
  private resumeFrom: Position | undefined;
  private readonly events: AsyncGenerator<RecordedEvent, void, undefined>;

  constructor(private readonly options: KurrentDbSubscriptionOptions) {
    this.resumeFrom =
      options.fromPosition === undefined ? undefined : { commit: options.fromPosition, prepare: options.fromPosition };
    this.events = this.deliver();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events;
  }

  /** Where a resubscription would start (exclusive): the last delivered event or a later checkpoint. */
  get position(): bigint | undefined {
    return this.resumeFrom?.commit;
  }

  /** Ends the iteration: a pending `next()` resolves done, and so does every later one. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.interrupt?.();
    await this.release();
    this.options.onClose(this);
  }

  private async *deliver(): AsyncGenerator<RecordedEvent, void, undefined> {
    const { filter, policy } = this.options;
    try {
      if (filter.kind === 'nothing') {
        await this.untilClosed(new Promise<never>(() => undefined));
        return;
      }
      let failures = 0;
      while (!this.closed) {
        let failure: unknown;
        try {
          const source = this.options.open(this.resumeFrom, (subscription, position) => {
            if (!subscription.destroyed && !subscription.readableEnded) subscription.push(new Checkpoint(normalisePosition(position)));
          });
          this.current = source;
          const iterator = source[Symbol.asyncIterator]();
          for (;;) {
            const next = await this.untilClosed(iterator.next());
            if (next === CLOSED) return;
            if (next.done) break;
            failures = 0;
            if (next.value instanceof Checkpoint) {
              this.advance(next.value.position);
              continue;
            }
            const resolved = next.value as ClientResolvedEvent;
            const position = positionOfResolved(resolved);
            if (position) {
              if (this.resumeFrom && comparePositions(position, this.resumeFrom) <= 0) continue;
              this.resumeFrom = position;
            }
            const event = toRecordedEvent(resolved);
            if (!event || !filter.matches(event.streamId, event.type)) continue;
            yield event;
            if (this.closed) return;
          }
          failure = new Error('The server ended the subscription');
        } catch (error) {
          if (this.closed) return;
          if (!isTransientSubscriptionError(error)) throw error;
          failure = error;
        } finally {
          await this.release();
        }
        failures += 1;
        if (failures >= policy.maxAttempts) throw failure;
        const delayMs = resubscribeDelay(failures, policy, this.options.random);
        this.options.onResubscribe?.({ error: failure, attempt: failures, delayMs, from: this.resumeFrom?.commit });
        if ((await this.sleep(delayMs)) === CLOSED) return;
      }
    } finally {
      // Also reached when the consumer leaves its for-await loop early (break, throw).
      await this.close();
    }
  }

  private advance(checkpoint: Position): void {
    if (!this.resumeFrom || comparePositions(checkpoint, this.resumeFrom) > 0) this.resumeFrom = checkpoint;
  }

  /** `promise`, or CLOSED as soon as the subscription is closed (without leaving anything attached). */
  private untilClosed<T>(promise: Promise<T>): Promise<T | typeof CLOSED> {
    if (this.closed) return Promise.resolve(CLOSED);
    return new Promise<T | typeof CLOSED>((resolve, reject) => {
      this.interrupt = () => resolve(CLOSED);
      promise.then(
        (value) => {
          this.interrupt = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.interrupt = undefined;
          reject(error);
        },
      );
    });
  }

  private sleep(ms: number): Promise<void | typeof CLOSED> {
    if (this.closed) return Promise.resolve(CLOSED);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.interrupt = undefined;
        resolve();
      }, ms);
      this.interrupt = () => {
        clearTimeout(timer);
        resolve(CLOSED);
      };
    });
  }

  /** Cancels the server subscription (so the client holds no gRPC stream for it) and drops the stream. */
  private async release(): Promise<void> {
    const source = this.current;
    this.current = undefined;
    if (!source) return;
    try {
      await source.unsubscribe();
    } catch {
      // Already gone: nothing to cancel.
    }
    source.destroy?.();
  }
}

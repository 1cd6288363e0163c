import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { EventStore, RecordedEvent, Subscription } from '@helpdesk/event-store';
import type { CheckpointStore } from './checkpoints';
import { EventStoreContext } from './event-store.context';

export interface EventStoreTransportOptions {
  /** Names the checkpoint: one per consumer (e.g. 'outbox'). */
  readonly name: string;
  readonly checkpoints: CheckpointStore;
  /** Backoff after a failed handler or a dropped subscription: doubles from the first to the last. */
  readonly retryDelayMs?: readonly [first: number, last: number];
}

/**
 * A Nest microservice transport whose messages are the events of the event store: every
 * `@EventPattern('RequestPostponed')` handler of the app receives those events, in log order, from
 * the consumer's checkpoint on (catch-up, then live). The subscription asks the store only for the
 * event types some handler listens to.
 *
 * Delivery is at least once and in order: an event's checkpoint is saved after its handler finished;
 * a handler that fails is retried (with backoff) before anything later is delivered, so handlers must
 * be idempotent. The event store is the only bus between processes — nothing is lost with a process.
 */
export class EventStoreTransport extends Server implements CustomTransportStrategy {
  private subscription: Subscription | undefined;
  private following: Promise<void> | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  protected override readonly logger = new Logger('EventStoreTransport');

  constructor(
    private readonly store: EventStore,
    private readonly options: EventStoreTransportOptions,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    this.closed = false;
    this.following = this.follow();
    callback();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    await this.subscription?.close();
    await this.following;
  }

  on(): void {
    // The store has no transport-level events to listen to.
  }

  unwrap<T>(): T {
    return this.store as T;
  }

  private async follow(): Promise<void> {
    const [first, last] = this.options.retryDelayMs ?? [100, 10_000];
    let delay = first;
    const eventTypes = [...this.messageHandlers.keys()];
    if (eventTypes.length === 0) return;
    while (!this.closed) {
      try {
        const subscription = this.store.subscribe({ fromPosition: await this.options.checkpoints.load(this.options.name), filter: { eventTypes } });
        this.subscription = subscription;
        for await (const event of subscription) {
          await this.deliver(event);
          await this.options.checkpoints.save(this.options.name, event.position);
          delay = first;
        }
      } catch (error) {
        if (this.closed) return;
        this.logger.error(`${this.options.name}: ${error instanceof Error ? error.message : String(error)}; retrying in ${delay} ms`);
        await this.pause(delay);
        delay = Math.min(delay * 2, last);
      }
    }
  }

  /** Runs the event's handler (and those chained to it) to completion; throws if one fails. */
  private async deliver(event: RecordedEvent): Promise<void> {
    const handler: MessageHandler | null = this.getHandlerByPattern(event.type);
    if (!handler) return;
    const result = await handler(event, new EventStoreContext([event]));
    await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

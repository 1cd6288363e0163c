import { EventFilter, RecordedEvent, Subscription } from '../event-store.port';
import { ChangeFeed } from './change-feed';
import { EventReader } from './event-reader';

const PAGE_SIZE = 500;

/**
 * Catch-up then live, pull-based: the next page is read only when the consumer asks for the event after
 * the last one of the current page, so a slow consumer holds at most one page in memory and is never
 * dropped. Delivery is in position order, from the exclusive start position, with no gaps or repeats.
 */
export class SqliteSubscription implements Subscription {
  private closed = false;
  private cancelWait: (() => void) | undefined;
  private readonly events: AsyncGenerator<RecordedEvent, void, undefined>;

  constructor(
    private readonly reader: EventReader,
    private readonly feed: ChangeFeed,
    private cursor: bigint | undefined,
    private readonly filter: EventFilter | undefined,
    private readonly onClose: (subscription: SqliteSubscription) => void,
  ) {
    this.events = this.deliver();
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this.events;
  }

  /** Ends the iteration: a pending `next()` resolves done, and so does every later one. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelWait?.();
    this.onClose(this);
  }

  private async *deliver(): AsyncGenerator<RecordedEvent, void, undefined> {
    try {
      while (!this.closed) {
        // The version is taken before the read: a commit landing after the read still wakes the wait below.
        const seen = this.feed.version();
        const page = this.reader.readAll({ fromPosition: this.cursor, maxCount: PAGE_SIZE, filter: this.filter });
        if (page.length === 0) {
          // Wait only after an EMPTY read: appends made while the consumer worked through a page were
          // signalled while nobody waited, and the next read picks them up.
          const { changed, cancel } = this.feed.wait(seen);
          this.cancelWait = cancel;
          await changed;
          this.cancelWait = undefined;
          continue;
        }
        for (const event of page) {
          if (this.closed) return;
          this.cursor = event.position;
          yield event;
        }
      }
    } finally {
      // Also reached when the consumer leaves a for-await loop early (break, throw): release the waiter.
      await this.close();
    }
  }
}

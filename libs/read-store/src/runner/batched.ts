import type { RecordedEvent } from '@helpdesk/event-store';

const NOT_READY = Symbol('not-ready');
const nextTurn = () => new Promise<typeof NOT_READY>((resolve) => setImmediate(() => resolve(NOT_READY)));
const after = (ms: number) => new Promise<typeof NOT_READY>((resolve) => setTimeout(() => resolve(NOT_READY), ms));

export interface BatchingOptions {
  readonly max: number;
  /**
   * A batch that is already busy (at least `lingerFrom` events when no more are at hand) waits up to
   * `lingerMs` longer for more: under load, the several commands on one request in quick succession then cost one
   * write of its documents. A quiet batch (one command's events) goes at once, so reads lag little.
   */
  readonly lingerMs?: number;
  readonly lingerFrom?: number;
}

/**
 * Groups a subscription into batches: as many events as are available right now (up to `max`), so a
 * catch-up commits thousands per transaction and a live event is applied as soon as it arrives.
 */
export async function* batched(source: AsyncIterable<RecordedEvent>, options: BatchingOptions): AsyncGenerator<RecordedEvent[]> {
  const { max, lingerMs = 0, lingerFrom = Infinity } = options;
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  for (;;) {
    let result = await pending;
    if (result.done) return;
    const batch: RecordedEvent[] = [];
    let deadline: Promise<typeof NOT_READY> | undefined;
    for (;;) {
      batch.push(result.value);
      pending = iterator.next();
      if (batch.length >= max) break;
      let next = await Promise.race([pending, nextTurn()]);
      if (next === NOT_READY && lingerMs > 0 && batch.length >= lingerFrom) {
        deadline ??= after(lingerMs);
        next = await Promise.race([pending, deadline]);
      }
      if (next === NOT_READY) break;
      result = next;
      if (result.done) {
        yield batch;
        return;
      }
    }
    yield batch;
  }
}

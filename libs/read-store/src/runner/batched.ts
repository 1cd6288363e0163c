import type { RecordedEvent } from '@helpdesk/event-store';

const NOT_READY = Symbol('not-ready');
const nextTurn = () => new Promise<typeof NOT_READY>((resolve) => setImmediate(() => resolve(NOT_READY)));

/**
 * Groups a subscription into batches: as many events as are available right now (up to `max`), so a
 * catch-up commits thousands per transaction while a live event is applied as soon as it arrives.
 */
export async function* batched(source: AsyncIterable<RecordedEvent>, max: number): AsyncGenerator<RecordedEvent[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  for (;;) {
    let result = await pending;
    if (result.done) return;
    const batch: RecordedEvent[] = [];
    for (;;) {
      batch.push(result.value);
      pending = iterator.next();
      if (batch.length >= max) break;
      const next = await Promise.race([pending, nextTurn()]);
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

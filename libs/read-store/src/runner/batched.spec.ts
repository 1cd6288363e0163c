import type { RecordedEvent } from '@helpdesk/event-store';
import { batched } from './batched';

const anEvent = (position: number): RecordedEvent => ({
  id: `e-${position}`,
  streamId: 's-1',
  revision: BigInt(position),
  position: BigInt(position),
  type: 'Happened',
  data: {},
  metadata: {},
  recordedAt: new Date(0).toISOString(),
});

/** A live source: events pushed by the test arrive as a subscription would deliver them. */
class Feed implements AsyncIterable<RecordedEvent> {
  private readonly buffered: RecordedEvent[] = [];
  private waiting?: (result: IteratorResult<RecordedEvent>) => void;
  private ended = false;

  push(...positions: number[]): void {
    for (const position of positions) {
      const event = anEvent(position);
      if (this.waiting) {
        const wake = this.waiting;
        this.waiting = undefined;
        wake({ done: false, value: event });
      } else this.buffered.push(event);
    }
  }

  end(): void {
    this.ended = true;
    this.waiting?.({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return {
      next: () => {
        const event = this.buffered.shift();
        if (event) return Promise.resolve({ done: false, value: event });
        if (this.ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

const positions = (batch: RecordedEvent[]) => batch.map((e) => Number(e.position));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('batched', () => {
  it('takes everything available at once, up to the maximum', async () => {
    const feed = new Feed();
    feed.push(1, 2, 3, 4, 5);
    feed.end();
    const batches: number[][] = [];
    for await (const batch of batched(feed, { max: 2 })) batches.push(positions(batch));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('hands over a quiet batch at once, without lingering', async () => {
    const feed = new Feed();
    const batches = batched(feed, { max: 100, lingerMs: 200, lingerFrom: 3 });
    feed.push(1, 2);
    const began = performance.now();
    expect(positions((await batches.next()).value!)).toEqual([1, 2]);
    expect(performance.now() - began).toBeLessThan(150);
    feed.end();
  });

  it('lets a busy batch wait for what arrives shortly after, then hands it over', async () => {
    const feed = new Feed();
    const batches = batched(feed, { max: 100, lingerMs: 100, lingerFrom: 3 });
    feed.push(1, 2, 3);
    const first = batches.next();
    await sleep(20);
    feed.push(4);
    expect(positions((await first).value!)).toEqual([1, 2, 3, 4]);
    feed.push(5);
    feed.end();
    expect(positions((await batches.next()).value!)).toEqual([5]);
    expect((await batches.next()).done).toBe(true);
  });
});

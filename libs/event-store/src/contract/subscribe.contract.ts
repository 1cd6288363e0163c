import { afterEach, expect, it } from '@jest/globals';
import { EventStore, SubscribeOptions, Subscription } from '../event-store.port';
import {
  aCategory,
  aStream,
  aType,
  anEvent,
  expectIncreasingPositions,
  idsOf,
  someEvents,
  SubscriptionReader,
} from './contract-fixtures';

/** Catch-up then live subscriptions to the global log: the only path to projections and reactors. */
export function subscribeContract(store: () => EventStore): void {
  const open: Subscription[] = [];
  const subscribe = (options: SubscribeOptions): SubscriptionReader => {
    const subscription = store().subscribe(options);
    open.push(subscription);
    return new SubscriptionReader(subscription);
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  it('catches up on stored events, then delivers new ones live, in order', async () => {
    const category = aCategory();
    const stream = aStream(category);
    const stored = someEvents(3);
    await store().append(stream, stored, 'no_stream');
    const reader = subscribe({ filter: { streamCategories: [category] } });

    const caughtUp = await reader.take(3);
    const live = someEvents(2);
    await store().append(stream, live.slice(0, 1), 2n);
    await store().append(aStream(category), live.slice(1), 'no_stream');
    const delivered = [...caughtUp, ...(await reader.take(2))];

    expect(idsOf(delivered)).toEqual(idsOf([...stored, ...live]));
    expectIncreasingPositions(delivered);
  });

  it('starts after fromPosition, exclusive', async () => {
    const category = aCategory();
    const events = someEvents(3);
    await store().append(aStream(category), events, 'no_stream');
    const [first] = await store().readAll({ filter: { streamCategories: [category] } });

    const reader = subscribe({ fromPosition: first.position, filter: { streamCategories: [category] } });

    expect(idsOf(await reader.take(2))).toEqual(idsOf(events.slice(1)));
  });

  it('from the head, delivers only what is appended afterwards', async () => {
    const category = aCategory();
    await store().append(aStream(category), someEvents(2), 'no_stream');
    const reader = subscribe({ fromPosition: await store().headPosition(), filter: { streamCategories: [category] } });
    expect(await reader.nothingWithin(100)).toBe(true);

    const next = anEvent();
    await store().append(aStream(category), [next], 'no_stream');

    expect(idsOf(await reader.take(1))).toEqual([next.id]);
  });

  it('delivers only the filtered event types, catching up and live', async () => {
    const [wanted, other] = [aType('Wanted'), aType('Other')];
    const stream = aStream();
    const before = [anEvent({ type: wanted }), anEvent({ type: other }), anEvent({ type: wanted })];
    await store().append(stream, before, 'no_stream');
    const reader = subscribe({ filter: { eventTypes: [wanted] } });
    expect(idsOf(await reader.take(2))).toEqual(idsOf([before[0], before[2]]));

    const after = [anEvent({ type: other }), anEvent({ type: wanted })];
    await store().append(stream, after, 2n);

    expect(idsOf(await reader.take(1))).toEqual([after[1].id]);
    expect(await reader.nothingWithin(100)).toBe(true);
  });

  it('without a filter, delivers our events in order among the rest', async () => {
    const head = await store().headPosition();
    const stream = aStream();
    const events = someEvents(3);
    const reader = subscribe({ fromPosition: head });
    await store().append(stream, events, 'no_stream');

    const mine = [];
    while (mine.length < 3) mine.push(...(await reader.take(1)).filter((e) => e.streamId === stream));

    expect(idsOf(mine)).toEqual(idsOf(events));
  });

  it('catches up on more events than fit in one page, in order and without repeats', async () => {
    const category = aCategory();
    const stream = aStream(category);
    const events = someEvents(1234);
    for (let i = 0; i < events.length; i += 200) {
      await store().append(stream, events.slice(i, i + 200), i === 0 ? 'no_stream' : BigInt(i - 1));
    }
    const reader = subscribe({ filter: { streamCategories: [category] } });

    const delivered = await reader.take(1234, 15_000);

    expect(idsOf(delivered)).toEqual(idsOf(events));
    expectIncreasingPositions(delivered);
  });

  it('serves several subscriptions at once, each with every event', async () => {
    const category = aCategory();
    const readers = [1, 2, 3].map(() => subscribe({ filter: { streamCategories: [category] } }));
    const events = someEvents(4);

    await store().append(aStream(category), events.slice(0, 2), 'no_stream');
    await store().append(aStream(category), events.slice(2), 'no_stream');

    for (const reader of readers) expect(idsOf(await reader.take(4))).toEqual(idsOf(events));
  });

  it('close() ends a waiting for-await loop', async () => {
    const category = aCategory();
    await store().append(aStream(category), [anEvent()], 'no_stream');
    const subscription = store().subscribe({ filter: { streamCategories: [category] } });
    open.push(subscription);
    let received = 0;
    const loop = (async () => {
      for await (const _event of subscription) received += 1;
      return 'ended';
    })();
    await waitUntil(() => received === 1);

    await subscription.close();

    await expect(withDeadline(loop, 2000)).resolves.toBe('ended');
    expect(received).toBe(1);
  });

  it('close() makes a pending next() resolve done, and later ones too', async () => {
    const reader = subscribe({ filter: { streamCategories: [aCategory()] } });
    const ended = reader.endsWithin(2000);

    await reader.subscription.close();

    await expect(ended).resolves.toBe(true);
    await expect(reader.endsWithin(500)).resolves.toBe(true);
  });

  it('leaving a for-await loop early (break) stops the subscription', async () => {
    const category = aCategory();
    await store().append(aStream(category), someEvents(3), 'no_stream');
    const subscription = store().subscribe({ filter: { streamCategories: [category] } });
    open.push(subscription);

    for await (const _event of subscription) break;

    const again = subscription[Symbol.asyncIterator]();
    await expect(withDeadline(again.next(), 1000)).resolves.toMatchObject({ done: true });
  });
}

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

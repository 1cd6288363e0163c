import { expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { EventToAppend, RecordedEvent, Subscription } from '../event-store.port';

/**
 * Builders for the contract suite. Every test writes to fresh streams in a fresh category with fresh event
 * types, so the suite also holds against a shared server (KurrentDB) that already has data and whose
 * global log may hold events written by others at the same time.
 */

const compact = () => randomUUID().replace(/-/g, '');

/** A category no one else uses: no '-' in it, since the category is the stream name up to the first '-'. */
export const aCategory = (): string => `c${compact()}`;

export const aStream = (category: string = aCategory()): string => `${category}-${randomUUID()}`;

/** An event type no one else uses. */
export const aType = (name = 'Happened'): string => `${name}${compact()}`;

let counter = 0;

export const anEvent = (overrides: Partial<EventToAppend> = {}): EventToAppend => {
  counter += 1;
  return {
    id: randomUUID(),
    type: 'ThingHappened',
    data: { n: counter, text: `event ${counter}` },
    metadata: { actor: 'agent-1', correlationId: randomUUID() },
    ...overrides,
  };
};

export const someEvents = (count: number, overrides: Partial<EventToAppend> = {}): EventToAppend[] =>
  Array.from({ length: count }, () => anEvent(overrides));

export const idsOf = (events: readonly { id: string }[]): string[] => events.map((e) => e.id);

/** Positions strictly increase in the order given. */
export function expectIncreasingPositions(events: readonly RecordedEvent[]): void {
  for (let i = 1; i < events.length; i += 1) expect(events[i].position > events[i - 1].position).toBe(true);
}

/** Revisions are exactly 0..n-1 and ids unique: nothing lost, nothing written twice. */
export function expectIntactStream(events: readonly RecordedEvent[]): void {
  expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => BigInt(i)));
  expect(new Set(idsOf(events)).size).toBe(events.length);
  expectIncreasingPositions(events);
}

const TIMEOUT = Symbol('timeout');

/**
 * Pulls from one iterator of a subscription (asking `[Symbol.asyncIterator]()` once, so catch-up and live
 * reads continue the same iteration) with a deadline, so a broken adapter fails instead of hanging.
 */
export class SubscriptionReader {
  private readonly iterator: AsyncIterator<RecordedEvent>;
  private pending: Promise<IteratorResult<RecordedEvent>> | undefined;

  constructor(readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }

  /** The next `count` events; fails if they do not all come within `timeoutMs`. */
  async take(count: number, timeoutMs = 5000): Promise<RecordedEvent[]> {
    const taken: RecordedEvent[] = [];
    const deadline = Date.now() + timeoutMs;
    while (taken.length < count) {
      const result = await this.next(deadline - Date.now());
      if (result === TIMEOUT) throw new Error(`Only ${taken.length} of ${count} events arrived within ${timeoutMs} ms`);
      if (result.done) throw new Error(`The subscription ended after ${taken.length} of ${count} events`);
      taken.push(result.value);
    }
    return taken;
  }

  /** Whether another event arrives within `ms` (it is kept for the next `take`). */
  async nothingWithin(ms: number): Promise<boolean> {
    return (await this.peek(ms)) === TIMEOUT;
  }

  /** Resolves with true once the iteration ends, false if it is still running after `ms`. */
  async endsWithin(ms: number): Promise<boolean> {
    const result = await this.peek(ms);
    return result !== TIMEOUT && result.done === true;
  }

  private async peek(ms: number): Promise<IteratorResult<RecordedEvent> | typeof TIMEOUT> {
    this.pending ??= this.iterator.next();
    return withTimeout(this.pending, ms);
  }

  private async next(ms: number): Promise<IteratorResult<RecordedEvent> | typeof TIMEOUT> {
    const result = await this.peek(Math.max(ms, 0));
    if (result !== TIMEOUT) this.pending = undefined;
    return result;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMEOUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMEOUT>((resolve) => (timer = setTimeout(() => resolve(TIMEOUT), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Settles every promise and splits the outcomes. */
export async function settleAll<T>(promises: readonly Promise<T>[]): Promise<{ ok: T[]; errors: unknown[] }> {
  const outcomes = await Promise.allSettled(promises);
  return {
    ok: outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : [])),
    errors: outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : [])),
  };
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { aStream, anEvent } from '../contract/contract-fixtures';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../event-store.port';
import { KurrentDbEventStore } from './kurrentdb-event-store';
import { ResubscribeInfo } from './kurrentdb-subscription';

/**
 * The real client (and its native bridge) against a port where no server listens: what the adapter does
 * when KurrentDB is unreachable, and that close() releases everything (jest would not exit otherwise).
 */
describe('KurrentDbEventStore with the real client and no server', () => {
  let url: string;
  beforeAll(async () => {
    // A port that was free a moment ago: nothing listens on it.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    url = `kurrentdb://127.0.0.1:${port}?tls=false&defaultDeadline=2000`;
  });

  const stores: KurrentDbEventStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
  });
  const open = (onResubscribe?: (info: ResubscribeInfo) => void) => {
    const store = new KurrentDbEventStore({
      connectionString: url,
      resubscribe: { initialDelayMs: 20, maxDelayMs: 50 },
      onResubscribe,
    });
    stores.push(store);
    return store;
  };

  it('fails appends and reads with the transport error, never as a conflict, a duplicate or an empty stream', async () => {
    const store = open();
    const append = store.append(aStream(), [anEvent()], 'no_stream');
    await expect(append).rejects.toThrow(/UNAVAILABLE|unavailable/i);
    await expect(append).rejects.not.toBeInstanceOf(WrongExpectedVersionError);
    await expect(append).rejects.not.toBeInstanceOf(DuplicateEventIdError);
    await expect(store.readStream(aStream())).rejects.toMatchObject({ type: 'unavailable' });
  });

  it('keeps resubscribing with backoff while the server is unreachable, and close() ends the iteration at once', async () => {
    const drops: ResubscribeInfo[] = [];
    const store = open((info) => drops.push(info));
    const subscription = store.subscribe({ filter: { streamCategories: ['request'] } });
    const next = subscription[Symbol.asyncIterator]().next();

    const deadline = Date.now() + 10_000;
    while (drops.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(drops.length).toBeGreaterThanOrEqual(2);
    expect(drops[0]).toMatchObject({ attempt: 1, from: undefined });

    const started = Date.now();
    await subscription.close();
    await expect(next).resolves.toMatchObject({ done: true });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('close() disposes the client and is idempotent', async () => {
    const store = open();
    await store.close();
    await store.close();
    await expect(store.headPosition()).rejects.toThrow(/closed/);
  });
});

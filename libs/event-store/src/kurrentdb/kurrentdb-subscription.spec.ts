import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { Position } from '@kurrent/kurrentdb-client';
import { AccessDeniedError, UnavailableError } from '@kurrent/kurrentdb-client/dist/utils/CommandError';
import type { RecordedEvent } from '../event-store.port';
import { resubscribePolicy } from './backoff';
import { compileFilter } from './filters';
import { KurrentDbSubscription, ResubscribeInfo } from './kurrentdb-subscription';

/** A scripted server subscription: the test pushes events, checkpoints and drops. */
class Source extends PassThrough {
  unsubscribed = 0;
  constructor(
    readonly from: Position | undefined,
    readonly checkpointReached: (subscription: never, position: Position) => void,
  ) {
    super({ objectMode: true });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed += 1;
  }
  event(commit: bigint, streamId = 'request-1', type = 'Opened') {
    this.write({
      event: {
        streamId,
        id: randomUUID(),
        revision: 0n,
        type,
        data: { commit: commit.toString() },
        metadata: undefined,
        isJson: true,
        created: new Date(),
        position: { commit, prepare: commit },
      },
      commitPosition: commit,
    });
  }
  checkpoint(commit: bigint) {
    this.checkpointReached(this as never, { commit, prepare: commit });
  }
}

describe('KurrentDbSubscription', () => {
  let sources: Source[];
  let resubscribes: ResubscribeInfo[];

  const subscription = (
    overrides: { fromPosition?: bigint; filter?: Parameters<typeof compileFilter>[0]; maxAttempts?: number } = {},
  ) =>
    new KurrentDbSubscription({
      open: (from, checkpointReached) => {
        const source = new Source(from, checkpointReached as never);
        sources.push(source);
        return source;
      },
      filter: compileFilter(overrides.filter),
      fromPosition: overrides.fromPosition,
      policy: resubscribePolicy({ jitter: 0, initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: overrides.maxAttempts }),
      onResubscribe: (info) => resubscribes.push(info),
      onClose: () => undefined,
    });

  const latest = () => sources[sources.length - 1];
  const commitOf = (result: IteratorResult<RecordedEvent>) => (result.done ? undefined : result.value.position);

  beforeEach(() => {
    sources = [];
    resubscribes = [];
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('opens lazily, from the exclusive start position, and delivers mapped events in order', async () => {
    const sub = subscription({ fromPosition: 500n });
    expect(sources).toHaveLength(0);
    const it = sub[Symbol.asyncIterator]();
    const first = it.next();
    expect(latest().from).toEqual({ commit: 500n, prepare: 500n });
    latest().event(600n);
    latest().event(700n);
    expect(commitOf(await first)).toBe(600n);
    expect(commitOf(await it.next())).toBe(700n);
    await sub.close();
  });

  it('re-checks the filter and drops system events the server let through', async () => {
    const sub = subscription({ filter: { streamCategories: ['request'], eventTypes: ['Opened'] } });
    const it = sub[Symbol.asyncIterator]();
    const next = it.next();
    latest().event(100n, 'contact-1', 'Opened');
    latest().event(200n, 'request-1', '$metadata');
    latest().event(300n, 'request-1', 'Opened');
    expect(commitOf(await next)).toBe(300n);
    await sub.close();
  });

  it('moves its resume position to a checkpoint only once the events before it were handed out', async () => {
    const sub = subscription({ filter: { eventTypes: ['Opened'] } });
    const it = sub[Symbol.asyncIterator]();
    const first = it.next();
    latest().event(100n);
    latest().checkpoint(900n);
    await first;
    expect(sub.position).toBe(100n); // the checkpoint sits behind the delivered event, not yet read
    const second = it.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sub.position).toBe(900n);
    latest().event(1000n);
    expect(commitOf(await second)).toBe(1000n);
    await sub.close();
  });

  it('resubscribes after a transient drop, with backoff, from the last position it handed out', async () => {
    jest.useFakeTimers();
    const sub = subscription();
    const it = sub[Symbol.asyncIterator]();
    const first = it.next();
    latest().event(100n);
    latest().event(200n);
    await first;
    expect(commitOf(await it.next())).toBe(200n);

    const third = it.next();
    latest().destroy(new UnavailableError());
    await jest.advanceTimersByTimeAsync(99);
    expect(sources).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(sources).toHaveLength(2);
    expect(sources[0].unsubscribed).toBe(1);
    expect(latest().from).toEqual({ commit: 200n, prepare: 200n });
    expect(resubscribes).toEqual([expect.objectContaining({ attempt: 1, delayMs: 100, from: 200n })]);

    latest().event(200n); // a repeat of what was delivered: skipped
    latest().event(300n);
    expect(commitOf(await third)).toBe(300n);
    await sub.close();
  });

  it('resubscribes from a checkpoint past the last event, so a quiet filtered subscription does not rescan', async () => {
    jest.useFakeTimers();
    const sub = subscription({ filter: { eventTypes: ['Rare'] } });
    const it = sub[Symbol.asyncIterator]();
    const next = it.next();
    latest().checkpoint(5000n);
    await jest.advanceTimersByTimeAsync(0);
    latest().destroy(new UnavailableError());
    await jest.advanceTimersByTimeAsync(100);
    expect(latest().from).toEqual({ commit: 5000n, prepare: 5000n });
    latest().event(6000n, 'request-1', 'Rare');
    expect(commitOf(await next)).toBe(6000n);
    await sub.close();
  });

  it('backs off exponentially while drops repeat, and starts again once something arrives', async () => {
    jest.useFakeTimers();
    const sub = subscription();
    const it = sub[Symbol.asyncIterator]();
    const next = it.next();
    for (const delay of [100, 200, 400, 800, 1000]) {
      latest().destroy(new UnavailableError());
      await jest.advanceTimersByTimeAsync(delay);
    }
    expect(resubscribes.map((r) => r.delayMs)).toEqual([100, 200, 400, 800, 1000]);
    latest().event(10n);
    await next;
    const again = it.next();
    latest().destroy(new UnavailableError());
    await jest.advanceTimersByTimeAsync(100);
    expect(resubscribes[resubscribes.length - 1]).toMatchObject({ attempt: 1, delayMs: 100 });
    latest().event(20n);
    expect(commitOf(await again)).toBe(20n);
    await sub.close();
  });

  it('also resubscribes when the server ends the stream', async () => {
    jest.useFakeTimers();
    const sub = subscription();
    const it = sub[Symbol.asyncIterator]();
    const next = it.next();
    latest().end();
    await jest.advanceTimersByTimeAsync(100);
    expect(sources).toHaveLength(2);
    latest().event(1n);
    expect(commitOf(await next)).toBe(1n);
    await sub.close();
  });

  it('ends the iteration with the error when it is not transient', async () => {
    const sub = subscription();
    const next = sub[Symbol.asyncIterator]().next();
    latest().destroy(new AccessDeniedError());
    await expect(next).rejects.toBeInstanceOf(AccessDeniedError);
    expect(sources).toHaveLength(1);
  });

  it('gives up after maxAttempts consecutive failures, with the last error', async () => {
    jest.useFakeTimers();
    const sub = subscription({ maxAttempts: 2 });
    const next = sub[Symbol.asyncIterator]().next();
    const outcome = next.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    latest().destroy(new UnavailableError());
    await jest.advanceTimersByTimeAsync(100);
    latest().destroy(new UnavailableError(undefined, 'second'));
    await expect(outcome).resolves.toMatchObject({ message: 'second' });
  });

  it('close() ends a waiting next() at once, and unsubscribes', async () => {
    const sub = subscription();
    const next = sub[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setImmediate(resolve));
    await sub.close();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(latest().unsubscribed).toBe(1);
    expect(latest().destroyed).toBe(true);
    await expect(sub[Symbol.asyncIterator]().next()).resolves.toMatchObject({ done: true });
  });

  it('close() during the backoff wait ends the iteration without opening again', async () => {
    jest.useFakeTimers();
    const sub = subscription();
    const next = sub[Symbol.asyncIterator]().next();
    latest().destroy(new UnavailableError());
    await jest.advanceTimersByTimeAsync(50);
    await sub.close();
    await expect(next).resolves.toMatchObject({ done: true });
    await jest.advanceTimersByTimeAsync(10_000);
    expect(sources).toHaveLength(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('leaving a for-await loop early unsubscribes', async () => {
    const sub = subscription();
    setImmediate(() => latest().event(1n));
    for await (const _event of sub) break;
    expect(latest().unsubscribed).toBe(1);
    await expect(sub[Symbol.asyncIterator]().next()).resolves.toMatchObject({ done: true });
  });

  it('never opens a server subscription for a filter that matches nothing', async () => {
    const sub = subscription({ filter: { eventTypes: [] } });
    const next = sub[Symbol.asyncIterator]().next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sources).toHaveLength(0);
    await sub.close();
    await expect(next).resolves.toMatchObject({ done: true });
  });
});

/**
 * The checkpoint marker relies on how the client's own Subscription (a Transform over the gRPC read) calls
 * `checkpointReached`: here it runs over a scripted gRPC stream (server messages as the generated protobuf
 * getters present them), with the client's real Transform in between.
 */
describe("KurrentDbSubscription over the client's own Subscription transform", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Subscription } = require('@kurrent/kurrentdb-client/dist/streams/utils/Subscription') as typeof import('@kurrent/kurrentdb-client/dist/streams/utils/Subscription');

  const message = (kind: { event?: unknown; checkpoint?: bigint }) => ({
    hasConfirmation: () => false,
    hasCaughtUp: () => false,
    hasFellBehind: () => false,
    hasCheckpoint: () => kind.checkpoint !== undefined,
    getCheckpoint: () => ({
      getCommitPosition: () => String(kind.checkpoint),
      getPreparePosition: () => String(kind.checkpoint),
    }),
    hasEvent: () => kind.event !== undefined,
    getEvent: () => kind.event,
  });
  const resolved = (commit: bigint) => ({
    event: {
      streamId: 'request-1',
      id: randomUUID(),
      revision: 0n,
      type: 'Opened',
      data: {},
      isJson: true,
      created: new Date(),
      position: { commit, prepare: commit },
    },
    commitPosition: commit,
  });

  it('delivers events around checkpoints in order and resumes from the checkpoint only after the events before it', async () => {
    const grpc = Object.assign(new PassThrough({ objectMode: true }), { cancelled: 0, cancel() { this.cancelled += 1; } });
    const opened: (Position | undefined)[] = [];
    const sub = new KurrentDbSubscription({
      open: (from, checkpointReached) => {
        opened.push(from);
        return new Subscription(async () => grpc as never, (e: unknown) => e as never, {}, checkpointReached as never);
      },
      filter: compileFilter({ eventTypes: ['Opened'] }),
      fromPosition: undefined,
      policy: resubscribePolicy(),
      onClose: () => undefined,
    });
    const it = sub[Symbol.asyncIterator]();

    grpc.write(message({ event: resolved(100n) }));
    grpc.write(message({ checkpoint: 900n }));
    grpc.write(message({ event: resolved(1000n) }));

    const first = await it.next();
    expect(first.done ? undefined : first.value.position).toBe(100n);
    expect(sub.position).toBe(100n);
    const second = await it.next();
    expect(second.done ? undefined : second.value.position).toBe(1000n);
    expect(sub.position).toBe(1000n);

    const third = it.next();
    grpc.write(message({ checkpoint: 5000n }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sub.position).toBe(5000n);

    await sub.close();
    await expect(third).resolves.toMatchObject({ done: true });
    expect(grpc.cancelled).toBe(1);
    expect(opened).toEqual([undefined]);
  });
  it('resubscribes from the last checkpoint when the gRPC stream fails under the transform', async () => {
    const streams: (PassThrough & { cancelled: number; cancel(): void })[] = [];
    const opened: (Position | undefined)[] = [];
    const sub = new KurrentDbSubscription({
      open: (from, checkpointReached) => {
        opened.push(from);
        const grpc = Object.assign(new PassThrough({ objectMode: true }), { cancelled: 0, cancel() { this.cancelled += 1; } });
        streams.push(grpc);
        return new Subscription(async () => grpc as never, (e: unknown) => e as never, {}, checkpointReached as never);
      },
      filter: compileFilter({ eventTypes: ['Opened'] }),
      fromPosition: undefined,
      policy: resubscribePolicy({ initialDelayMs: 1, maxDelayMs: 1, jitter: 0 }),
      onClose: () => undefined,
    });
    const it = sub[Symbol.asyncIterator]();
    const next = it.next();
    streams[0].write(message({ checkpoint: 700n }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    // What grpc-js emits when the server goes away mid-stream (the client turns it into UnavailableError).
    streams[0].emit('error', Object.assign(new Error('14 UNAVAILABLE: gone'), { code: 14, details: 'gone', metadata: { getMap: () => ({}) } }));
    const deadline = Date.now() + 2000;
    while (streams.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));

    expect(opened).toEqual([undefined, { commit: 700n, prepare: 700n }]);
    expect(streams[0].cancelled).toBe(1);
    streams[1].write(message({ event: resolved(800n) }));
    await expect(next).resolves.toMatchObject({ done: false, value: { position: 800n } });
    await sub.close();
  });
});

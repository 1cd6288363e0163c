import { afterEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { aCategory, aStream, anEvent, idsOf, someEvents, SubscriptionReader } from '../contract/contract-fixtures';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../event-store.port';
import { UnsupportedServerError } from './errors';
import { KurrentDbEventStore, KurrentDbEventStoreOptions } from './kurrentdb-event-store';
import { ID_RESERVED } from './kurrentdb-writer';
import { InMemoryKurrentClient, InMemoryKurrentClientOptions } from './testing/in-memory-kurrent-client';

/**
 * The adapter's own logic over an in-memory stand-in for the client (see its header: it encodes our reading
 * of the server, so these tests say nothing about conformance with KurrentDB; the contract suite does, in
 * kurrentdb-event-store.spec.ts, against a real server).
 */
describe('KurrentDbEventStore (over an in-memory client stand-in)', () => {
  const stores: KurrentDbEventStore[] = [];
  const openStore = (
    client = new InMemoryKurrentClient(),
    options: Partial<KurrentDbEventStoreOptions> = {},
  ): { store: KurrentDbEventStore; client: InMemoryKurrentClient } => {
    const store = new KurrentDbEventStore({ connectionString: 'unused', client: client.asClient(), ...options });
    stores.push(store);
    return { store, client };
  };
  const open = openStore;
  const withServer = (options: InMemoryKurrentClientOptions) => new InMemoryKurrentClient(options);
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  describe("eventIdUniqueness 'store'", () => {
    const open = (client?: InMemoryKurrentClient, options: Partial<KurrentDbEventStoreOptions> = {}) =>
      openStore(client, { eventIdUniqueness: 'store', ...options });
    it('appends with one multi-stream append: the events, and a no_stream reservation per event id', async () => {
      const { store, client } = open();
      const stream = aStream();
      const events = someEvents(2);

      const result = await store.append(stream, events, 'no_stream');

      const appends = client.calls.filter((c) => c.method !== 'readStream');
      expect(appends.map((c) => c.method)).toEqual(['multiStreamAppend']);
      const [requests] = appends[0].args as [{ streamName: string; expectedState: unknown; events: { type: string }[] }[]];
      expect(requests.map((r) => [r.streamName, r.expectedState])).toEqual([
        [stream, 'no_stream'],
        [`eventid-${events[0].id}`, 'no_stream'],
        [`eventid-${events[1].id}`, 'no_stream'],
      ]);
      expect(requests[1].events[0].type).toBe(ID_RESERVED);
      const read = await store.readStream(stream);
      expect(result).toEqual({ streamId: stream, nextExpectedRevision: 1n, position: read[1].position });
    });

    it('acknowledges a retry with the original result and writes nothing', async () => {
      const { store, client } = open();
      const stream = aStream();
      const events = someEvents(2);
      const first = await store.append(stream, events, 'no_stream');
      const logLength = client.log.length;

      await expect(store.append(stream, events, 'any')).resolves.toEqual(first);
      await expect(store.append(stream, events, 5n)).resolves.toEqual(first);
      expect(client.log).toHaveLength(logLength);
    });

    it('refuses an id stored in another stream, even when the target stream is new, and writes nothing', async () => {
      const { store, client } = open();
      const event = anEvent();
      await store.append(aStream(), [event], 'no_stream');
      const logLength = client.log.length;

      await expect(store.append(aStream(), [event], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
      expect(client.log).toHaveLength(logLength);
    });

    it('reports the conflicting write of an appendMany with its actual revision', async () => {
      const { store } = open();
      const [a, b] = [aStream(), aStream()];
      await store.append(b, someEvents(2), 'no_stream');

      const attempt = store.appendMany([
        { streamId: a, events: [anEvent()], expectedRevision: 'no_stream' },
        { streamId: b, events: [anEvent()], expectedRevision: 0n },
      ]);

      await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
      await expect(attempt).rejects.toMatchObject({ streamId: b, expected: 0n, actual: 1n });
    });

    it('writes the fresh writes of an appendMany whose other writes are retries', async () => {
      const { store } = open();
      const done = { streamId: aStream(), events: someEvents(1), expectedRevision: 'no_stream' as const };
      const [first] = await store.appendMany([done]);
      const fresh = { streamId: aStream(), events: someEvents(2), expectedRevision: 'no_stream' as const };

      const results = await store.appendMany([done, fresh]);

      expect(results[0]).toEqual(first);
      expect(results[1]).toMatchObject({ streamId: fresh.streamId, nextExpectedRevision: 1n });
      expect(idsOf(await store.readStream(fresh.streamId))).toEqual(idsOf(fresh.events));
    });

    it('keeps metadata with non-string values through the multi-stream append (string properties only)', async () => {
      const { store } = open();
      const stream = aStream();
      const metadata = { actorId: 'a', schemaVersion: 1, nested: { list: [1, null] } };

      await store.append(stream, [anEvent({ metadata })], 'no_stream');

      expect((await store.readStream(stream))[0].metadata).toEqual(metadata);
    });

    it('refuses clearly on a server without multi-stream append (before 25.1), writing nothing', async () => {
      const { store, client } = open(withServer({ multiStreamAppend: false }));

      const single = store.append(aStream(), [anEvent()], 'no_stream');
      await expect(single).rejects.toBeInstanceOf(UnsupportedServerError);
      await expect(single).rejects.toThrow(/25\.1.*eventIdUniqueness 'stream'/);
      const many = store.appendMany([
        { streamId: aStream(), events: [anEvent()], expectedRevision: 'no_stream' },
        { streamId: aStream(), events: [anEvent()], expectedRevision: 'no_stream' },
      ]);
      await expect(many).rejects.toThrow(/appendMany.*25\.1.*nothing was written/);
      expect(client.log).toHaveLength(0);
    });

    it('keeps the event-id index out of every read: readAll, head, subscriptions', async () => {
      const { store } = open();
      const stream = aStream();
      const events = someEvents(2);
      const result = await store.append(stream, events, 'no_stream');

      const all = await store.readAll();
      expect(idsOf(all)).toEqual(idsOf(events));
      await expect(store.headPosition()).resolves.toBe(result.position);
      const reader = new SubscriptionReader(store.subscribe());
      expect(idsOf(await reader.take(2))).toEqual(idsOf(events));
      expect(await reader.nothingWithin(50)).toBe(true);
      await reader.subscription.close();
    });

    it('refuses writes into the index category', async () => {
      const { store } = open();
      await expect(store.append(`eventid-${randomUUID()}`, [anEvent()], 'any')).rejects.toBeInstanceOf(TypeError);
    });
  });

  describe("eventIdUniqueness 'stream'", () => {
    it('appends to one stream with appendToStream, which needs no multi-stream append', async () => {
      const { store, client } = open(withServer({ multiStreamAppend: false }), { eventIdUniqueness: 'stream' });
      const stream = aStream();

      const result = await store.append(stream, someEvents(2), 'no_stream');

      expect(client.calls.filter((c) => c.method !== 'readStream').map((c) => c.method)).toEqual(['appendToStream']);
      expect(result).toEqual({
        streamId: stream,
        nextExpectedRevision: 1n,
        position: (await store.readStream(stream))[1].position,
      });
    });

    it('acknowledges retries and refuses partial duplicates found in the stream', async () => {
      const { store } = open(undefined, { eventIdUniqueness: 'stream' });
      const stream = aStream();
      const events = someEvents(2);
      const first = await store.append(stream, events, 'no_stream');

      await expect(store.append(stream, events, 'any')).resolves.toEqual(first);
      await expect(store.append(stream, [events[0], anEvent()], 1n)).rejects.toBeInstanceOf(DuplicateEventIdError);
    });

    it('does NOT detect an id stored in another stream (the documented limit of this mode)', async () => {
      const { store } = open(undefined, { eventIdUniqueness: 'stream' });
      const event = anEvent();
      await store.append(aStream(), [event], 'no_stream');

      await expect(store.append(aStream(), [event], 'no_stream')).resolves.toMatchObject({ nextExpectedRevision: 0n });
    });

    it('does NOT detect a retry older than the scan window (the documented limit of this mode)', async () => {
      const { store } = open(undefined, { eventIdUniqueness: 'stream', streamScanWindow: 3 });
      const stream = aStream();
      const events = someEvents(1);
      await store.append(stream, events, 'no_stream');
      await store.append(stream, someEvents(3), 0n);

      await expect(store.append(stream, events, 'any')).resolves.toMatchObject({ nextExpectedRevision: 4n });
    });

    it('refuses appendMany clearly on a server without multi-stream append', async () => {
      const { store } = open(withServer({ multiStreamAppend: false }), { eventIdUniqueness: 'stream' });
      const attempt = store.appendMany([
        { streamId: aStream(), events: [anEvent()], expectedRevision: 'no_stream' },
        { streamId: aStream(), events: [anEvent()], expectedRevision: 'no_stream' },
      ]);
      await expect(attempt).rejects.toBeInstanceOf(UnsupportedServerError);
    });

    it('treats an append failure returned as a value (throwOnAppendFailure=false) as a conflict', async () => {
      const client = new InMemoryKurrentClient();
      const original = client.appendToStream.bind(client);
      client.appendToStream = async (stream, events, options) => {
        try {
          return await original(stream, events, options);
        } catch {
          return { success: false, nextExpectedRevision: 0n, position: undefined } as never;
        }
      };
      const { store } = open(client, { eventIdUniqueness: 'stream' });
      const stream = aStream();
      await store.append(stream, [anEvent()], 'no_stream');

      await expect(store.append(stream, [anEvent()], 'no_stream')).rejects.toMatchObject({
        name: 'WrongExpectedVersionError',
        streamId: stream,
        actual: 0n,
      });
    });
  });

  describe('reads', () => {
    it('reads an unknown stream as empty (the client throws StreamNotFoundError while iterating)', async () => {
      const { store } = open();
      await expect(store.readStream(aStream())).resolves.toEqual([]);
      await expect(store.readStream(aStream(), { direction: 'backwards', maxCount: 1 })).resolves.toEqual([]);
    });

    it.each([true, false])(
      'readAll is exclusive of fromPosition whether or not the server includes the start (includes: %s)',
      async (includesStart) => {
        const { store } = open(withServer({ readAllIncludesStart: includesStart }));
        const category = aCategory();
        const events = someEvents(4);
        await store.append(aStream(category), events, 'no_stream');
        const [first] = await store.readAll({ filter: { streamCategories: [category] } });

        const page = await store.readAll({ fromPosition: first.position, maxCount: 2, filter: { streamCategories: [category] } });

        expect(idsOf(page)).toEqual(idsOf(events.slice(1, 3)));
      },
    );

    it('with categories and types, fills the page although the server filtered on types only', async () => {
      const { store, client } = open();
      const [wanted, other] = [aCategory(), aCategory()];
      const type = `T${randomUUID().replace(/-/g, '')}`;
      const mine: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        await store.append(aStream(other), [anEvent({ type })], 'no_stream');
        const event = anEvent({ type });
        mine.push(event.id);
        await store.append(aStream(wanted), [event], 'no_stream');
      }
      client.calls.length = 0;

      const page = await store.readAll({ maxCount: 3, filter: { streamCategories: [wanted], eventTypes: [type] } });

      expect(idsOf(page)).toEqual(mine.slice(0, 3));
      expect(client.calls.filter((c) => c.method === 'readAll').length).toBeGreaterThan(1);
    });

    it('hides system events written by others', async () => {
      const { store, client } = open();
      client.seed('$$request-1', '$metadata', {});
      const stream = aStream();
      await store.append(stream, [anEvent()], 'no_stream');
      client.seed('$stats-node', '$statsCollected', {});

      expect((await store.readAll()).map((e) => e.streamId)).toEqual([stream]);
    });

    it('has no head while the log holds no user event', async () => {
      const { store } = open();
      await expect(store.headPosition()).resolves.toBeUndefined();
    });

    it('normalises revisions and positions that a client hands out as numbers (1.x bugs) to bigints', async () => {
      const client = new InMemoryKurrentClient();
      const { store } = open(client);
      const stream = aStream();
      await store.append(stream, [anEvent()], 'no_stream');
      const original = client.readStream.bind(client);
      client.readStream = (name, options) =>
        (async function* () {
          for await (const resolved of original(name, options)) {
            const { event } = resolved as { event: { revision: bigint; position: { commit: bigint; prepare: bigint } } };
            yield {
              event: {
                ...event,
                revision: Number(event.revision),
                position: { commit: Number(event.position.commit), prepare: Number(event.position.prepare) },
              },
            };
          }
        })();

      const [read] = await store.readStream(stream);

      expect(typeof read.revision).toBe('bigint');
      expect(typeof read.position).toBe('bigint');
    });
  });

  describe('input and lifecycle', () => {
    it('refuses what KurrentDB cannot store as the port means it, as rejections', async () => {
      const { store } = open();
      await expect(store.append(aStream(), [anEvent({ id: 'not-a-uuid' })], 'any')).rejects.toBeInstanceOf(TypeError);
      await expect(store.append(aStream(), [anEvent({ type: '$Mine' })], 'any')).rejects.toBeInstanceOf(TypeError);
      await expect(store.append(aStream(), [anEvent({ data: { n: 1n } })], 'any')).rejects.toBeInstanceOf(TypeError);
      await expect(store.append(aStream(), [anEvent()], 0 as unknown as bigint)).rejects.toBeInstanceOf(TypeError);
      const stream = aStream();
      await expect(
        store.appendMany([
          { streamId: stream, events: [anEvent()], expectedRevision: 'any' },
          { streamId: stream, events: [anEvent()], expectedRevision: 'any' },
        ]),
      ).rejects.toBeInstanceOf(RangeError);
      await expect(store.appendMany([])).rejects.toBeInstanceOf(RangeError);
    });

    it('stores ids lower-cased, as KurrentDB reads them back', async () => {
      const { store } = open();
      const stream = aStream();
      const id = randomUUID().toUpperCase();
      await store.append(stream, [anEvent({ id })], 'no_stream');
      expect((await store.readStream(stream))[0].id).toBe(id.toLowerCase());
    });

    it('close() ends subscriptions, lets calls in flight finish, disposes the client, then refuses calls', async () => {
      const client = new InMemoryKurrentClient();
      const store = new KurrentDbEventStore({ connectionString: 'unused', client: client.asClient() });
      const reader = new SubscriptionReader(store.subscribe());
      const ended = reader.endsWithin(2000);
      const pending = store.append(aStream(), [anEvent()], 'no_stream');

      await store.close();

      await expect(ended).resolves.toBe(true);
      await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect(client.disposed).toBe(true);
      await expect(store.readAll()).rejects.toThrow(/closed/);
      expect(() => store.subscribe()).toThrow(/closed/);
      await store.close();
    });
  });
});

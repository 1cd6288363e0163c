import { describe, expect, it } from '@jest/globals';
import { DuplicateEventIdError, EventStore, ExpectedRevision } from '../event-store.port';
import { aStream, anEvent, idsOf, someEvents } from './contract-fixtures';

/**
 * Event ids make appends idempotent: a retry of a write that already happened (a timeout, a redelivered
 * mail) acknowledges the original write and stores nothing. Ids stored otherwise are an error, never
 * silently skipped.
 */
export function idempotencyContract(store: () => EventStore): void {
  describe('re-appending the same ids', () => {
    const modes: [string, (stream: string) => Promise<ExpectedRevision>][] = [
      ["'no_stream'", async () => 'no_stream'],
      ["'any'", async () => 'any'],
      [
        'an exact revision',
        async (stream) => (await store().append(stream, [anEvent()], 'no_stream')).nextExpectedRevision,
      ],
    ];

    it.each(modes)('with %s returns the first result and stores nothing new', async (_mode, setUp) => {
      const stream = aStream();
      const expected = await setUp(stream);
      const events = someEvents(2);

      const first = await store().append(stream, events, expected);
      const before = await store().readStream(stream);
      const retry = await store().append(stream, events, expected);

      expect(retry).toEqual(first);
      expect(await store().readStream(stream)).toEqual(before);
    });

    it('returns the original result even after the stream has moved on', async () => {
      const stream = aStream();
      const events = someEvents(2);
      const first = await store().append(stream, events, 'no_stream');
      await store().append(stream, someEvents(3), first.nextExpectedRevision);

      await expect(store().append(stream, events, 'no_stream')).resolves.toEqual(first);
      expect(await store().readStream(stream)).toHaveLength(5);
    });

    it('accepts a retry carrying the same ids with a different payload as the original (the id decides)', async () => {
      const stream = aStream();
      const event = anEvent({ data: { v: 1 } });
      const first = await store().append(stream, [event], 'no_stream');

      await expect(store().append(stream, [{ ...event, data: { v: 2 } }], 'no_stream')).resolves.toEqual(first);
      expect((await store().readStream(stream)).map((e) => e.data)).toEqual([{ v: 1 }]);
    });
  });

  describe('ids stored, but not as this write', () => {
    async function stored(): Promise<{ stream: string; ids: [string, string] }> {
      const stream = aStream();
      const events = someEvents(2);
      await store().append(stream, events, 'no_stream');
      return { stream, ids: [events[0].id, events[1].id] };
    }

    async function expectDuplicate(stream: string, ids: string[], expected: ExpectedRevision): Promise<void> {
      const attempt = store().append(stream, ids.map((id) => anEvent({ id })), expected);
      await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
      await expect(attempt).rejects.toMatchObject({ streamId: stream });
    }

    it('throws when only some of the ids are stored', async () => {
      const { stream, ids } = await stored();
      await expectDuplicate(stream, [ids[0], anEvent().id], 'any');
      await expectDuplicate(stream, [ids[0], anEvent().id], 1n);
    });

    it('throws when the ids are stored in another order', async () => {
      const { stream, ids } = await stored();
      await expectDuplicate(stream, [ids[1], ids[0]], 'any');
    });

    // Ids are unique within a stream (EventStoreDB's rule); an adapter may also refuse them across streams
    // (the SQLite adapter does). Either way the write is never mistaken for the other stream's.
    it('never acknowledges a write as another stream\'s because its ids are stored there', async () => {
      const { stream, ids } = await stored();
      const other = aStream();
      const attempt = store().append(other, ids.map((id) => anEvent({ id })), 'no_stream');
      const outcome = await attempt.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        expect(outcome.error).toBeInstanceOf(DuplicateEventIdError);
        await expect(store().readStream(other)).resolves.toEqual([]);
      } else {
        expect(outcome.result).toMatchObject({ streamId: other, nextExpectedRevision: 1n });
        expect(idsOf(await store().readStream(other))).toEqual(ids);
      }
      expect(idsOf(await store().readStream(stream))).toEqual(ids);
    });

    it('stores nothing of a refused write', async () => {
      const { stream, ids } = await stored();
      const fresh = anEvent();
      await expect(store().append(stream, [anEvent({ id: ids[1] }), fresh], 'any')).rejects.toBeInstanceOf(
        DuplicateEventIdError,
      );
      expect(idsOf(await store().readStream(stream))).toEqual(ids);
    });
  });
}

import { expect, it } from '@jest/globals';
import { DuplicateEventIdError, EventStore, WrongExpectedVersionError } from '../event-store.port';
import { aStream, anEvent, idsOf, someEvents } from './contract-fixtures';

/** appendMany: several streams, all or nothing (merge and split change two requests at once). */
export function appendManyContract(store: () => EventStore): void {
  it('writes every stream and returns the results in the order of the writes', async () => {
    const [a, b] = [aStream(), aStream()];
    await store().append(b, [anEvent()], 'no_stream');
    const [forA, forB] = [someEvents(2), someEvents(1)];

    const results = await store().appendMany([
      { streamId: a, events: forA, expectedRevision: 'no_stream' },
      { streamId: b, events: forB, expectedRevision: 0n },
    ]);

    const [readA, readB] = [await store().readStream(a), await store().readStream(b)];
    expect(idsOf(readA)).toEqual(idsOf(forA));
    expect(idsOf(readB).slice(1)).toEqual(idsOf(forB));
    expect(results).toEqual([
      { streamId: a, nextExpectedRevision: 1n, position: readA[1].position },
      { streamId: b, nextExpectedRevision: 1n, position: readB[1].position },
    ]);
  });

  it('stores nothing when one write has the wrong expected revision, and throws that write’s error', async () => {
    const [a, b, c] = [aStream(), aStream(), aStream()];
    await store().append(b, [anEvent()], 'no_stream');

    const attempt = store().appendMany([
      { streamId: a, events: someEvents(2), expectedRevision: 'no_stream' },
      { streamId: b, events: [anEvent()], expectedRevision: 'no_stream' },
      { streamId: c, events: [anEvent()], expectedRevision: 'any' },
    ]);

    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(attempt).rejects.toMatchObject({ streamId: b, actual: 0n });
    await expect(store().readStream(a)).resolves.toEqual([]);
    await expect(store().readStream(b)).resolves.toHaveLength(1);
    await expect(store().readStream(c)).resolves.toEqual([]);
  });

  it('stores nothing when one write reuses an id stored elsewhere', async () => {
    const stored = anEvent();
    await store().append(aStream(), [stored], 'no_stream');
    const [a, b] = [aStream(), aStream()];

    const attempt = store().appendMany([
      { streamId: a, events: [anEvent()], expectedRevision: 'no_stream' },
      { streamId: b, events: [anEvent({ id: stored.id })], expectedRevision: 'no_stream' },
    ]);

    await expect(attempt).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(store().readStream(a)).resolves.toEqual([]);
    await expect(store().readStream(b)).resolves.toEqual([]);
  });

  it('is idempotent: a retry returns the first results and stores nothing', async () => {
    const writes = [
      { streamId: aStream(), events: someEvents(2), expectedRevision: 'no_stream' as const },
      { streamId: aStream(), events: someEvents(1), expectedRevision: 'no_stream' as const },
    ];
    const first = await store().appendMany(writes);

    await expect(store().appendMany(writes)).resolves.toEqual(first);
    await expect(store().readStream(writes[0].streamId)).resolves.toHaveLength(2);
    await expect(store().readStream(writes[1].streamId)).resolves.toHaveLength(1);
  });
}

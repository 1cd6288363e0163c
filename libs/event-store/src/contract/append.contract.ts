import { expect, it } from '@jest/globals';
import { EventStore } from '../event-store.port';
import { aStream, anEvent, expectIncreasingPositions, idsOf, someEvents } from './contract-fixtures';

/** Appending and reading back one stream. */
export function appendContract(store: () => EventStore): void {
  it('reads back what was appended: ids, types, data, metadata, revisions 0..n, increasing positions', async () => {
    const stream = aStream();
    const events = someEvents(3);
    const before = Date.now();

    const result = await store().append(stream, events, 'no_stream');
    const read = await store().readStream(stream);

    const shape = (e: { id: string; type: string; data: unknown; metadata?: unknown }, streamId: string) => ({
      id: e.id,
      streamId,
      type: e.type,
      data: e.data,
      metadata: e.metadata,
    });
    expect(read.map((e) => shape(e, e.streamId))).toEqual(events.map((e) => shape(e, stream)));
    expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    expectIncreasingPositions(read);
    for (const e of read) {
      expect(typeof e.position).toBe('bigint');
      expect(new Date(e.recordedAt).toISOString()).toBe(e.recordedAt);
      expect(Date.parse(e.recordedAt)).toBeGreaterThanOrEqual(before - 60_000);
    }
    expect(result).toEqual({ streamId: stream, nextExpectedRevision: 2n, position: read[2].position });
  });

  it('continues the revisions of an existing stream', async () => {
    const stream = aStream();
    await store().append(stream, someEvents(2), 'no_stream');

    const result = await store().append(stream, [anEvent()], 1n);

    expect(result.nextExpectedRevision).toBe(2n);
    expect((await store().readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
  });

  it('gives later appends higher positions, across streams', async () => {
    const first = await store().append(aStream(), [anEvent()], 'no_stream');
    const second = await store().append(aStream(), [anEvent()], 'no_stream');
    const third = await store().append(aStream(), someEvents(2), 'no_stream');

    expect(second.position > first.position).toBe(true);
    expect(third.position > second.position).toBe(true);
  });

  it('keeps JSON payloads exactly, including strings that look like numbers', async () => {
    const stream = aStream();
    const payloads = [
      { nested: { list: [1, 'two', null, true, { deep: 3.5 }] }, unicode: 'Grüße, 日本, 🎫' },
      '42',
      42,
      null,
      [],
      'plain text',
    ];
    await store().append(stream, payloads.map((data) => anEvent({ data })), 'no_stream');

    expect((await store().readStream(stream)).map((e) => e.data)).toEqual(payloads);
  });

  it('reads an event appended without metadata as having empty metadata', async () => {
    const stream = aStream();
    await store().append(stream, [{ id: anEvent().id, type: 'Bare', data: {} }], 'no_stream');

    expect((await store().readStream(stream))[0].metadata).toEqual({});
  });

  it('refuses an append without events', async () => {
    await expect(store().append(aStream(), [], 'any')).rejects.toBeInstanceOf(RangeError);
  });

  it('reads an unknown stream as empty', async () => {
    await expect(store().readStream(aStream())).resolves.toEqual([]);
    await expect(store().readStream(aStream(), { direction: 'backwards' })).resolves.toEqual([]);
  });

  it('does not mix up streams', async () => {
    const a = aStream();
    const b = aStream();
    const forA = someEvents(2);
    const forB = someEvents(1);
    await store().append(a, forA, 'no_stream');
    await store().append(b, forB, 'no_stream');

    expect(idsOf(await store().readStream(a))).toEqual(idsOf(forA));
    expect(idsOf(await store().readStream(b))).toEqual(idsOf(forB));
  });
}

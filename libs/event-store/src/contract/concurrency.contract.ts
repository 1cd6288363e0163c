import { expect, it } from '@jest/globals';
import { EventStore, WrongExpectedVersionError } from '../event-store.port';
import { aStream, anEvent, expectIntactStream, idsOf, settleAll } from './contract-fixtures';

/** Many commands at once: optimistic concurrency must hold however the appends interleave. */
export function concurrencyContract(store: () => EventStore): void {
  it('of 20 parallel appends expecting the same revision, exactly one succeeds', async () => {
    const stream = aStream();
    const created = await store().append(stream, [anEvent()], 'no_stream');
    const attempts = Array.from({ length: 20 }, () => anEvent());

    const { ok, errors } = await settleAll(
      attempts.map((event) => store().append(stream, [event], created.nextExpectedRevision)),
    );

    expect(ok).toHaveLength(1);
    expect(errors).toHaveLength(19);
    for (const error of errors) {
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ streamId: stream, expected: 0n, actual: 1n });
    }
    const read = await store().readStream(stream);
    expectIntactStream(read);
    expect(read).toHaveLength(2);
    expect(attempts.map((e) => e.id)).toContain(read[1].id);
  });

  it("of 20 parallel appends creating the same stream with 'no_stream', exactly one succeeds", async () => {
    const stream = aStream();

    const { ok, errors } = await settleAll(
      Array.from({ length: 20 }, () => store().append(stream, [anEvent(), anEvent()], 'no_stream')),
    );

    expect(ok).toHaveLength(1);
    expect(errors.every((e) => e instanceof WrongExpectedVersionError)).toBe(true);
    const read = await store().readStream(stream);
    expect(read).toHaveLength(2);
    expectIntactStream(read);
  });

  it("20 parallel appends to one stream with 'any' all succeed, in dense revisions", async () => {
    const stream = aStream();
    const events = Array.from({ length: 20 }, () => anEvent());

    const results = await Promise.all(events.map((event) => store().append(stream, [event], 'any')));

    const read = await store().readStream(stream);
    expectIntactStream(read);
    expect(new Set(idsOf(read))).toEqual(new Set(idsOf(events)));
    expect(new Set(results.map((r) => r.nextExpectedRevision)).size).toBe(20);
  });

  it('100 parallel appends to different streams all succeed, each at its own position', async () => {
    const streams = Array.from({ length: 100 }, () => aStream());

    const results = await Promise.all(streams.map((stream) => store().append(stream, [anEvent()], 'no_stream')));

    expect(results.map((r) => r.nextExpectedRevision)).toEqual(streams.map(() => 0n));
    expect(new Set(results.map((r) => r.position)).size).toBe(100);
    for (const stream of streams) await expect(store().readStream(stream)).resolves.toHaveLength(1);
  });

  it('parallel retries of one write store it once and all get its result', async () => {
    const stream = aStream();
    const events = [anEvent(), anEvent()];

    const results = await Promise.all(Array.from({ length: 10 }, () => store().append(stream, events, 'no_stream')));

    expect(new Set(results.map((r) => `${r.nextExpectedRevision}@${r.position}`)).size).toBe(1);
    expect(idsOf(await store().readStream(stream))).toEqual(idsOf(events));
  });
}

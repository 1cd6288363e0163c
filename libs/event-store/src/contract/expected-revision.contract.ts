import { describe, expect, it } from '@jest/globals';
import { EventStore, ExpectedRevision, WrongExpectedVersionError } from '../event-store.port';
import { aStream, anEvent, someEvents } from './contract-fixtures';

/** Optimistic concurrency: each expected-revision mode accepts and refuses as EventStoreDB does. */
export function expectedRevisionContract(store: () => EventStore): void {
  /** A stream whose last revision is 1 (two events). */
  async function streamAtRevision1(): Promise<string> {
    const stream = aStream();
    await store().append(stream, someEvents(2), 'no_stream');
    return stream;
  }

  async function expectConflict(stream: string, expected: ExpectedRevision, actual: bigint | 'no_stream') {
    const before = await store().readStream(stream);
    const attempt = store().append(stream, [anEvent()], expected);

    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(attempt).rejects.toMatchObject({ streamId: stream, expected, actual });
    // A refused append leaves the stream as it was.
    expect(await store().readStream(stream)).toEqual(before);
  }

  describe("'no_stream'", () => {
    it('accepts a stream that was never written', async () => {
      await expect(store().append(aStream(), [anEvent()], 'no_stream')).resolves.toMatchObject({
        nextExpectedRevision: 0n,
      });
    });

    it('refuses an existing stream, naming its last revision', async () => {
      await expectConflict(await streamAtRevision1(), 'no_stream', 1n);
    });
  });

  describe("'stream_exists'", () => {
    it('accepts an existing stream', async () => {
      const stream = await streamAtRevision1();
      await expect(store().append(stream, [anEvent()], 'stream_exists')).resolves.toMatchObject({
        nextExpectedRevision: 2n,
      });
    });

    it("refuses a stream that was never written, with actual 'no_stream'", async () => {
      await expectConflict(aStream(), 'stream_exists', 'no_stream');
    });
  });

  describe('an exact revision', () => {
    it('accepts the revision of the last event', async () => {
      const stream = await streamAtRevision1();
      await expect(store().append(stream, [anEvent()], 1n)).resolves.toMatchObject({ nextExpectedRevision: 2n });
    });

    it('refuses a revision behind the stream', async () => {
      await expectConflict(await streamAtRevision1(), 0n, 1n);
    });

    it('refuses a revision ahead of the stream', async () => {
      await expectConflict(await streamAtRevision1(), 5n, 1n);
    });

    it("refuses revision 0 on a stream that was never written, with actual 'no_stream'", async () => {
      await expectConflict(aStream(), 0n, 'no_stream');
    });
  });

  describe("'any'", () => {
    it('accepts a new stream and an existing one', async () => {
      const stream = aStream();
      await expect(store().append(stream, [anEvent()], 'any')).resolves.toMatchObject({ nextExpectedRevision: 0n });
      await expect(store().append(stream, someEvents(2), 'any')).resolves.toMatchObject({ nextExpectedRevision: 2n });
    });
  });
}

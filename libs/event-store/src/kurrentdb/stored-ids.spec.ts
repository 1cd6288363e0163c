import { describe, expect, it } from '@jest/globals';
import { decideOnStoredIds, StoredId } from './stored-ids';

const at = (revision: bigint, streamId = 'request-1'): StoredId => ({ streamId, revision, position: 1000n + revision * 10n });

describe('deciding on ids already stored (the port idempotency rule)', () => {
  const ids = ['a', 'b', 'c'];

  it('is a fresh write when none is stored', () => {
    expect(decideOnStoredIds('request-1', ids, [undefined, undefined, undefined])).toEqual({ kind: 'fresh' });
  });

  it('is a retry when all are stored here, consecutively, in order: the original result', () => {
    expect(decideOnStoredIds('request-1', ids, [at(4n), at(5n), at(6n)])).toEqual({
      kind: 'retry',
      result: { streamId: 'request-1', nextExpectedRevision: 6n, position: 1060n },
    });
  });

  it('is a duplicate when only some are stored, naming the first stored id', () => {
    expect(decideOnStoredIds('request-1', ids, [undefined, at(5n), undefined])).toEqual({ kind: 'duplicate', eventId: 'b' });
    expect(decideOnStoredIds('request-1', ids, [at(4n), at(5n), undefined])).toEqual({ kind: 'duplicate', eventId: 'a' });
  });

  it('is a duplicate when they are stored in another order or with a gap', () => {
    expect(decideOnStoredIds('request-1', ['a', 'b'], [at(5n), at(4n)])).toMatchObject({ kind: 'duplicate' });
    expect(decideOnStoredIds('request-1', ['a', 'b'], [at(4n), at(6n)])).toMatchObject({ kind: 'duplicate' });
  });

  it('is a duplicate when they are stored in another stream', () => {
    expect(decideOnStoredIds('request-2', ['a'], [at(0n, 'request-1')])).toEqual({ kind: 'duplicate', eventId: 'a' });
  });

  it('is a duplicate when the index names this stream but the event was not found in it', () => {
    expect(decideOnStoredIds('request-1', ['a'], [{ streamId: 'request-1' }])).toEqual({ kind: 'duplicate', eventId: 'a' });
  });
});

import { describe, expect, it } from '@jest/globals';
import { InvalidCursorError } from '../document-store.port';
import { after, decodeCursor, encodeCursor, keysetFilter, queryShape } from './cursor';
import { matches } from './testing/mongo-semantics';

describe('cursors', () => {
  const shape = queryShape(['find', 'tickets', [{ field: 'status', values: ['open'] }], []]);

  it('round-trip the keys of a page boundary, bound to the shape of their query', () => {
    const keys = [null, 3, 'x', true, { a: 1 }, 't000001'];
    const cursor = encodeCursor(shape, keys);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, shape, keys.length)).toEqual(keys);
    expect(decodeCursor(encodeCursor(shape, [0.5, 'id']), shape, 2, true)).toEqual([0.5, 'id']);
  });

  it('refuse another shape, another arity, a made-up or damaged cursor', () => {
    const cursor = encodeCursor(shape, ['2024', 't1']);
    const refused: [unknown, string, number, boolean?][] = [
      [cursor, queryShape(['other']), 2],
      [cursor, shape, 1],
      [cursor, shape, 3],
      ['', shape, 2],
      [42, shape, 2],
      ['abc', shape, 2],
      ['eyJ4IjoxfQ', shape, 2],
      [Buffer.from('["x","y"]').toString('base64url'), shape, 1],
      [encodeCursor(shape, ['2024', 7]), shape, 2],
      [encodeCursor(shape, ['2024', '']), shape, 2],
      [encodeCursor(shape, [[1] as never, 't1']), shape, 2],
      [encodeCursor(shape, ['best', 't1']), shape, 2, true],
      ['x'.repeat(9000), shape, 2],
    ];
    for (const [bad, expectedShape, arity, firstNumber] of refused) {
      expect(() => decodeCursor(bad, expectedShape, arity, firstNumber)).toThrow(InvalidCursorError);
    }
  });

  it('give different shapes to different queries', () => {
    expect(queryShape(['find', 'a', [], [{ field: 'x', direction: 'asc' }]])).not.toBe(queryShape(['find', 'a', [], [{ field: 'x', direction: 'desc' }]]));
    expect(queryShape(['find', 'a', []])).not.toBe(queryShape(['find', 'b', []]));
    expect(queryShape(['find', 'a', []])).toBe(queryShape(['find', 'a', []]));
  });
});

describe('keyset: what comes after a boundary, across types', () => {
  it('is the same type compared, or a type sorting after, in the direction of the sort', () => {
    expect(after('d.n', 5, 'asc')).toEqual([{ 'd.n': { $gt: 5 } }, { 'd.n': { $type: ['string', 'object', 'bool'] } }]);
    expect(after('d.n', 5, 'desc')).toEqual([{ 'd.n': { $lt: 5 } }, { 'd.n': null }]);
    expect(after('d.n', 'b', 'desc')).toEqual([{ 'd.n': { $lt: 'b' } }, { 'd.n': { $type: ['number'] } }, { 'd.n': null }]);
    expect(after('d.n', null, 'asc')).toEqual([{ 'd.n': { $type: ['number', 'string', 'object', 'bool'] } }]);
    expect(after('d.n', null, 'desc')).toEqual([]);
    expect(after('d.n', true, 'asc')).toEqual([{ 'd.n': { $gt: true } }]);
  });

  it('spells (k, id) > (v, last) as branches, the id last', () => {
    expect(keysetFilter([], ['t5'], 'asc')).toEqual({ _id: { $gt: 't5' } });
    expect(keysetFilter(['d.u'], ['2024', 't5'], 'desc')).toEqual({
      $or: [{ 'd.u': { $lt: '2024' } }, { 'd.u': { $type: ['number'] } }, { 'd.u': null }, { 'd.u': '2024', _id: { $lt: 't5' } }],
    });
    expect(() => keysetFilter(['d.u'], ['t5'], 'asc')).toThrow(InvalidCursorError);
  });

  it('selects exactly the documents after the boundary in MongoDB order (model), nulls and mixed types included', () => {
    const values = [null, undefined, -1, 0, 2.5, 10, '', 'a', 'b', { a: 1 }, false, true];
    const documents = values.flatMap((v, i) =>
      ['x', 'y'].map((suffix) => ({ _id: `${String(i).padStart(2, '0')}${suffix}`, d: v === undefined ? {} : { k: v } })),
    );
    const order = (direction: 1 | -1) =>
      [...documents].sort((a, b) => {
        const rank = (v: unknown) => (v === undefined || v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : typeof v === 'object' ? 3 : 5);
        const [va, vb] = [a.d.k, b.d.k];
        const byType = rank(va) - rank(vb);
        const byValue =
          byType !== 0 ? byType : typeof va === 'object' || va === undefined || va === null ? 0 : va! < vb! ? -1 : va! > vb! ? 1 : 0;
        return (byValue !== 0 ? byValue : a._id < b._id ? -1 : 1) * direction;
      });
    for (const direction of ['asc', 'desc'] as const) {
      const sorted = order(direction === 'asc' ? 1 : -1);
      sorted.forEach((boundary, i) => {
        const filter = keysetFilter(['d.k'], [(boundary.d.k ?? null) as never, boundary._id], direction);
        const expected = sorted.slice(i + 1).map((d) => d._id).sort();
        expect({ direction, boundary: boundary._id, after: documents.filter((d) => matches(d, filter)).map((d) => d._id).sort() }).toEqual({
          direction,
          boundary: boundary._id,
          after: expected,
        });
      });
    }
  });
});

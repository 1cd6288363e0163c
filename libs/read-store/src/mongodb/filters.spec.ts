import { describe, expect, it } from '@jest/globals';
import { Filter } from '../document-store.port';
import { conditionToMongo, filterToMongo, Holds, mergeClauses, normaliseFilter } from './filters';
import { matches, Stored } from './testing/mongo-semantics';

const toMongo = (filter: Filter, holds: Holds = 'scalar') => filterToMongo(normaliseFilter(filter), () => holds);
const doc = (id: string, d: Record<string, unknown>): Stored => ({ _id: id, d });
const ids = (documents: readonly Stored[], filter: Filter, holds: Holds = 'scalar'): string[] =>
  documents.filter((d) => matches(d, toMongo(filter, holds))).map((d) => d._id);

describe('filters: the port filter as a MongoDB filter', () => {
  describe('translation', () => {
    it('writes equality, in and ranges on the document under d', () => {
      expect(toMongo({ status: 'open' })).toEqual({ 'd.status': 'open' });
      expect(toMongo({ status: { eq: 'open' }, flagged: true })).toEqual({ 'd.flagged': true, 'd.status': 'open' });
      expect(toMongo({ status: { in: ['open', 'pending'] } })).toEqual({ 'd.status': { $in: ['open', 'pending'] } });
      expect(toMongo({ status: { in: [] } })).toEqual({ 'd.status': { $in: [] } });
      expect(toMongo({ dueAt: { gte: '2024', lt: '2025' } })).toEqual({ 'd.dueAt': { $gte: '2024', $lt: '2025' } });
      expect(toMongo({ number: { gt: 5 } })).toEqual({ 'd.number': { $gt: 5 } });
    });

    it('matches null on null, missing and empty arrays (MongoDB alone misses the empty array)', () => {
      expect(toMongo({ ownerId: null })).toEqual({ 'd.ownerId': { $in: [null, []] } });
      expect(toMongo({ ownerId: { in: ['alice', null] } })).toEqual({ 'd.ownerId': { $in: ['alice', null, []] } });
      const documents = [
        doc('null', { ownerId: null }),
        doc('missing', {}),
        doc('empty', { ownerId: [] }),
        doc('alice', { ownerId: 'alice' }),
        doc('withNull', { ownerId: ['bob', null] }),
      ];
      expect(ids(documents, { ownerId: null })).toEqual(['null', 'missing', 'empty', 'withNull']);
      expect(ids(documents, { ownerId: { in: ['alice', null] } })).toEqual(['null', 'missing', 'empty', 'alice', 'withNull']);
    });

    it('compares within one type: a range never matches null, missing or another type', () => {
      const documents = [doc('n1', { n: 1 }), doc('n7', { n: 7 }), doc('s', { n: 'seven' }), doc('null', { n: null }), doc('missing', {})];
      expect(ids(documents, { n: { lt: 5 } })).toEqual(['n1']);
      expect(ids(documents, { n: { gt: 5 } })).toEqual(['n7']);
      expect(ids(documents, { n: { gte: 'a' } })).toEqual(['s']);
    });

    it('keeps a two-sided condition on one element of an array, where the field may hold arrays', () => {
      const scalarForm = conditionToMongo(normaliseFilter({ n: { gt: 5, lt: 10 } })[0], 'scalar');
      expect(scalarForm).toEqual({ 'd.n': { $gt: 5, $lt: 10 } });
      const arrayForm = conditionToMongo(normaliseFilter({ n: { gt: 5, lt: 10 } })[0], 'array');
      expect(arrayForm).toEqual({
        $or: [{ 'd.n': { $elemMatch: { $gt: 5, $lt: 10 } } }, { 'd.n': { $not: { $type: 'array' }, $gt: 5, $lt: 10 } }],
      });
      expect(conditionToMongo(normaliseFilter({ n: { in: [1, 20], gt: 5 } })[0], 'unknown')).toEqual({
        $or: [{ 'd.n': { $elemMatch: { $in: [1, 20], $gt: 5 } } }, { 'd.n': { $not: { $type: 'array' }, $in: [1, 20], $gt: 5 } }],
      });

      // [1, 20]: one element > 5, another < 10, none both: MongoDB's plain form would match it, the port does not.
      const documents = [doc('split', { n: [1, 20] }), doc('inside', { n: [1, 7] }), doc('scalar', { n: 8 }), doc('outside', { n: 11 })];
      expect(ids(documents, { n: { gt: 5, lt: 10 } }, 'unknown')).toEqual(['inside', 'scalar']);
      expect(ids(documents, { n: { gt: 5, lt: 10 } }, 'array')).toEqual(['inside', 'scalar']);
      expect(ids(documents, { n: { gt: 5, lt: 10 } }, 'scalar')).toEqual(['split', 'inside', 'scalar']);
      // One-sided: "some element" is the port's meaning too, so the plain form stays (an index bounds it).
      expect(conditionToMongo(normaliseFilter({ n: { gt: 5 } })[0], 'array')).toEqual({ 'd.n': { $gt: 5 } });
    });

    it('finds array fields by any element (contains), null by an empty array', () => {
      const documents = [doc('a', { tags: ['vip', 'billing'] }), doc('b', { tags: [] }), doc('c', { tags: 'vip' }), doc('d', {})];
      expect(ids(documents, { tags: 'vip' }, 'array')).toEqual(['a', 'c']);
      expect(ids(documents, { tags: { in: ['billing', 'legal'] } }, 'array')).toEqual(['a']);
      expect(ids(documents, { tags: null }, 'array')).toEqual(['b', 'd']);
    });

    it('merges clauses into one object, or $and when two name the same key', () => {
      expect(mergeClauses([{ a: 1 }, { b: 2 }])).toEqual({ a: 1, b: 2 });
      expect(mergeClauses([{ $or: [{ a: 1 }] }, { $or: [{ b: 2 }] }])).toEqual({ $and: [{ $or: [{ a: 1 }] }, { $or: [{ b: 2 }] }] });
      expect(mergeClauses([])).toEqual({});
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { countedTicketsIn, ticketsIn } from '../contract/contract-fixtures';
import { FindOptions, InvalidCursorError, SortKey, UnindexedQueryError } from '../document-store.port';
import { decodeCursor, encodeCursor } from './cursor';
import { planCount, planCountBy, planFind } from './query-planner';
import { infoOf } from './testing/fixtures';
import { findIn, seeded, Stored } from './testing/mongo-semantics-helpers';

const tickets = infoOf(ticketsIn('tickets'), { arrays: ['tags'] });
const counted = infoOf(countedTicketsIn('counted'), { arrays: ['tags'] });
const find = (options: Omit<FindOptions, 'limit'>, info = tickets) => planFind(info, options.filter, options.sort);
const desc = (field: string): SortKey[] => [{ field, direction: 'desc' }];
const asc = (field: string): SortKey[] => [{ field, direction: 'asc' }];

describe('query planner: the declared index a query walks, named by hint', () => {
  describe('find', () => {
    it('walks the index whose equality prefix and next field serve the filter and the sort, id last', () => {
      const plan = find({ filter: { status: 'open' }, sort: desc('updatedAt') });
      expect(plan.hint).toBe('i_by_status');
      expect(plan.sort).toEqual({ 'd.updatedAt': -1, _id: -1 });
      expect(plan.filter(undefined)).toEqual({ 'd.status': 'open' });
      expect(plan.orderFields).toEqual(['updatedAt']);

      expect(find({ filter: { ownerId: 'alice', status: 'open' }, sort: desc('updatedAt') }).hint).toBe('i_by_owner');
      expect(find({ filter: { ownerId: null, status: { in: ['new', 'open'] } }, sort: asc('updatedAt') }).filter(undefined)).toEqual({
        'd.ownerId': { $in: [null, []] },
        'd.status': { $in: ['new', 'open'] },
      });
      expect(find({ filter: { dueAt: { lt: '2024' } }, sort: asc('dueAt') }).hint).toBe('i_by_due');
      expect(find({ filter: { number: { gt: 5 } } }).hint).toBe('i_by_number');
      expect(find({ sort: desc('number') }).sort).toEqual({ 'd.number': -1, _id: -1 });
    });

    it('reads in id order through the _id index without filter or sort', () => {
      const plan = find({});
      expect(plan).toMatchObject({ hint: '_id_', sort: { _id: 1 }, orderFields: [], arity: 1 });
      expect(plan.filter(undefined)).toEqual({});
      expect(plan.filter(['t5'])).toEqual({ _id: { $gt: 't5' } });
    });

    it('drops a sort on a field an equality holds constant', () => {
      const plan = find({ filter: { status: 'open' }, sort: [{ field: 'status', direction: 'desc' }, { field: 'updatedAt', direction: 'desc' }] });
      expect(plan.orderFields).toEqual(['updatedAt']);
      expect(plan.sort).toEqual({ 'd.updatedAt': -1, _id: -1 });
    });

    it('serves a multikey index only with its array field in the equality prefix', () => {
      expect(find({ filter: { tags: 'vip' }, sort: desc('updatedAt') }).hint).toBe('i_by_tag');
      expect(find({ filter: { tags: { in: ['a', 'b'] } }, sort: desc('updatedAt') }).hint).toBe('i_by_tag');
      // Sorting by, or a range on, a field holding arrays would meet a document once per element.
      expect(() => find({ sort: asc('tags') })).toThrow(UnindexedQueryError);
      expect(() => find({ filter: { tags: { gte: 'a' } } })).toThrow(UnindexedQueryError);
      // The same definition before any array was stored: the index is not multikey, so it serves them.
      const scalar = infoOf(ticketsIn('tickets'));
      expect(find({ sort: asc('tags') }, scalar).hint).toBe('i_by_tag');
      expect(find({ filter: { tags: { gte: 'a' } } }, scalar).hint).toBe('i_by_tag');
    });

    it('refuses what no declared index serves (the contract\'s cases, mixed directions)', () => {
      const refused: Omit<FindOptions, 'limit'>[] = [
        { filter: { priority: 1 } },
        { filter: { subject: 'x' }, sort: asc('updatedAt') },
        { filter: { updatedAt: { gte: '2024' } } },
        { sort: desc('priority') },
        { filter: { status: 'open' }, sort: asc('subject') },
        { filter: { status: 'open' }, sort: [...asc('updatedAt'), ...asc('number')] },
        { filter: { ownerId: 'a' }, sort: [...asc('status'), ...desc('updatedAt')] },
      ];
      for (const options of refused) expect(() => find(options)).toThrow(UnindexedQueryError);
    });

    it('tests further conditions on what the index range yields', () => {
      expect(find({ filter: { status: 'open', priority: 2 }, sort: asc('updatedAt') }).filter(undefined)).toEqual({
        'd.priority': 2,
        'd.status': 'open',
      });
    });

    it('binds cursors to the collection, filter values and sort', () => {
      const shape = find({ filter: { status: 'open' }, sort: asc('updatedAt') }).shape;
      expect(find({ filter: { status: 'open' }, sort: asc('updatedAt') }).shape).toBe(shape);
      expect(find({ filter: { status: 'closed' }, sort: asc('updatedAt') }).shape).not.toBe(shape);
      expect(find({ filter: { status: 'open' }, sort: desc('updatedAt') }).shape).not.toBe(shape);
      expect(planFind(infoOf(ticketsIn('other')), { status: 'open' }, asc('updatedAt')).shape).not.toBe(shape);
      const cursor = encodeCursor(shape, ['2024', 't1']);
      expect(() => decodeCursor(cursor, find({ filter: { status: 'closed' }, sort: asc('updatedAt') }).shape, 2)).toThrow(InvalidCursorError);
    });

    it('pages through everything a query selects, in order, without gaps or repeats (model)', () => {
      const random = seeded(7);
      const pick = <T>(items: readonly T[]): T => items[random(items.length)];
      const documents: Stored[] = Array.from({ length: 150 }, (_, i) => {
        const d: Record<string, unknown> = { id: `t${String(i).padStart(3, '0')}`, status: pick(['open', 'closed', 'pending']) };
        const due = pick([null, undefined, '2024-01', '2024-02', '2024-03', 5, 'x']);
        if (due !== undefined) d.dueAt = due;
        d.updatedAt = pick(['2024-01-01', '2024-01-02', '2024-01-03']);
        d.tags = pick([[], ['a'], ['a', 'b'], ['b']]);
        d.number = pick([1, 2, 3, 'n', null]);
        return { _id: d.id as string, d };
      });
      const queries: Omit<FindOptions, 'limit'>[] = [
        {},
        { filter: { status: 'open' }, sort: desc('updatedAt') },
        { filter: { status: { in: ['open', 'pending'] } }, sort: asc('updatedAt') },
        { sort: asc('dueAt') },
        { sort: desc('dueAt') },
        { filter: { dueAt: { gte: '2024-01', lt: '2024-03' } }, sort: desc('dueAt') },
        { filter: { tags: { in: ['a', 'b'] } }, sort: desc('updatedAt') },
        { filter: { tags: null } },
        { sort: desc('number') },
        { filter: { number: { gte: 2 } }, sort: asc('number') },
      ];
      for (const query of queries) {
        const plan = find(query);
        const all = findIn(documents, plan.filter(undefined), plan.sort, 10_000).map((d) => d._id);
        const paged: string[] = [];
        let after: readonly unknown[] | undefined;
        for (let pages = 0; pages < 200; pages += 1) {
          const page = findIn(documents, plan.filter(after as never), plan.sort, 7);
          paged.push(...page.map((d) => d._id));
          if (page.length < 7) break;
          const last = page[page.length - 1];
          after = [...plan.orderFields.map((f) => (last.d as Record<string, unknown>)[f] ?? null), last._id];
        }
        expect({ query, paged }).toEqual({ query, paged: all });
        expect(new Set(all).size).toBe(all.length);
      }
    });
  });

  describe('count', () => {
    it('sums a counter when one serves the filter', () => {
      expect(planCount(counted, { status: 'open' })).toEqual({
        kind: 'counter',
        hint: 'c_1',
        pipeline: [{ $match: { c: 'by_status', k0: 'open' } }, { $group: { _id: null, n: { $sum: '$v' } } }],
      });
      expect(planCount(counted, { ownerId: { in: ['alice', null] }, status: 'open' })).toMatchObject({
        kind: 'counter',
        pipeline: [{ $match: { c: 'by_owner_status', k0: { $in: ['alice', null] }, k1: 'open' } }, expect.anything()],
      });
      // A multikey counter serves only with its array field pinned to one value.
      expect(planCount(counted, { tags: 'vip' })).toMatchObject({ kind: 'counter', pipeline: [{ $match: { c: 'by_tag', k0: 'vip' } }, expect.anything()] });
      expect(planCount(counted, { tags: { in: ['vip', 'x'] } })).toMatchObject({ kind: 'documents', hint: 'i_by_tag' });
      expect(planCount(counted, { priority: 2 })).toMatchObject({ kind: 'counter', pipeline: [{ $match: { c: 'by_priority_status', k0: 2 } }, expect.anything()] });
    });

    it('counts an index range otherwise, the _id index for everything, and refuses the rest', () => {
      expect(planCount(tickets, undefined)).toEqual({ kind: 'documents', filter: {}, hint: '_id_' });
      expect(planCount(tickets, { status: 'open', updatedAt: { gt: '2024' } })).toEqual({
        kind: 'documents',
        filter: { 'd.status': 'open', 'd.updatedAt': { $gt: '2024' } },
        hint: 'i_by_status',
      });
      expect(planCount(counted, { status: 'open', updatedAt: { gt: '2024' } })).toMatchObject({ kind: 'documents', hint: 'i_by_status' });
      expect(() => planCount(tickets, { priority: 2 })).toThrow(UnindexedQueryError);
      const statusTags = infoOf({ name: 'x', indexes: ticketsIn('x').indexes, counters: [{ name: 'st', fields: ['status', 'tags'] }] }, { arrays: ['tags'] });
      // The counter's array field is free: its rows would count a document once per tag.
      expect(planCount(statusTags, { status: 'open' })).toMatchObject({ kind: 'documents', hint: 'i_by_status' });
      expect(planCount(statusTags, { status: 'open', tags: 'vip' })).toMatchObject({ kind: 'counter' });
    });
  });

  describe('countBy', () => {
    it('groups a counter by the key of the field', () => {
      expect(planCountBy(counted, 'status', { ownerId: 'alice' })).toEqual({
        kind: 'counter',
        hint: 'c_1',
        pipeline: [
          { $match: { c: 'by_owner_status', k0: 'alice' } },
          { $group: { _id: '$k1', n: { $sum: '$v' } } },
          { $match: { n: { $gt: 0 } } },
        ],
      });
      expect(planCountBy(counted, 'tags', undefined)).toMatchObject({ kind: 'counter', pipeline: [{ $match: { c: 'by_tag' } }, expect.anything(), expect.anything()] });
    });

    it('groups the documents of an index range by the field\'s elements otherwise', () => {
      const plan = planCountBy(tickets, 'ownerId', { status: 'open' });
      expect(plan.kind).toBe('documents');
      expect(plan.hint).toBe('i_by_status');
      expect(plan.pipeline[0]).toEqual({ $match: { 'd.status': 'open' } });
      expect(plan.pipeline.slice(2)).toEqual([{ $unwind: '$g' }, { $group: { _id: '$g', n: { $sum: 1 } } }]);
      expect(planCountBy(tickets, 'tags', { tags: 'vip' }).hint).toBe('i_by_tag');
      expect(planCountBy(tickets, 'tags', undefined).hint).toBe('i_by_tag');
      expect(planCountBy(tickets, 'status', undefined).hint).toBe('i_by_status');
      expect(planCountBy(tickets, 'priority', { status: 'open' }).hint).toBe('i_by_status');
      expect(() => planCountBy(tickets, 'priority', undefined)).toThrow(UnindexedQueryError);
      expect(() => planCountBy(tickets, 'a.b', undefined)).toThrow(TypeError);
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { countedTicketsIn, modelCount, modelCountBy, ticketIndexes } from '../contract/contract-fixtures';
import { Filter } from '../document-store.port';
import {
  addCounterDeltas,
  counterBuildPipeline,
  CounterDelta,
  counterDeltas,
  counterFor,
  counterMatch,
  counterProjection,
  counterRowId,
  counterRows,
  counterUpdates,
  countKey,
  elementsOf,
} from './counters';
import { FieldList } from './definitions';
import { normaliseFilter } from './filters';
import { aggregate, matches } from './testing/mongo-semantics';
import { planCountBy } from './query-planner';
import { seeded } from './testing/mongo-semantics-helpers';
import { infoOf } from './testing/fixtures';

const byOwnerStatus: FieldList = { name: 'by_owner_status', fields: ['ownerId', 'status'] };
const statusTags: FieldList = { name: 'status_tags', fields: ['status', 'tags'] };

describe('counters', () => {
  it('count a field by its elements: an array\'s distinct ones, null for missing, null or empty', () => {
    expect(elementsOf('open')).toEqual(['open']);
    expect(elementsOf(undefined)).toEqual([null]);
    expect(elementsOf(null)).toEqual([null]);
    expect(elementsOf([])).toEqual([null]);
    expect(elementsOf(['vip', 'billing', 'vip'])).toEqual(['vip', 'billing']);
    expect(elementsOf([1, null, { a: 1 }, { a: 1 }])).toEqual([1, null, { a: 1 }]);
  });

  it('give a document one row per combination of its keys', () => {
    expect(counterRows(byOwnerStatus, { status: 'open' })).toEqual([{ counter: 'by_owner_status', keys: [null, 'open'] }]);
    expect(counterRows(statusTags, { status: 'open', tags: ['a', 'b', 'a'] })).toEqual([
      { counter: 'status_tags', keys: ['open', 'a'] },
      { counter: 'status_tags', keys: ['open', 'b'] },
    ]);
    expect(counterRows(statusTags, undefined)).toEqual([]);
  });

  it('move by the difference between the stored and the new document, nothing for a replay', () => {
    const before = { status: 'open', ownerId: 'alice', tags: ['vip'] };
    const after = { status: 'closed', ownerId: 'alice', tags: ['vip', 'legal'] };
    const counters = [byOwnerStatus, statusTags];
    const sorted = (deltas: CounterDelta[]) => deltas.map((d) => `${d.counter}:${JSON.stringify(d.keys)}:${d.delta}`).sort();
    expect(sorted(counterDeltas(counters, [[before, after]]))).toEqual([
      'by_owner_status:["alice","closed"]:1',
      'by_owner_status:["alice","open"]:-1',
      'status_tags:["closed","legal"]:1',
      'status_tags:["closed","vip"]:1',
      'status_tags:["open","vip"]:-1',
    ]);
    expect(counterDeltas(counters, [[before, before]])).toEqual([]);
    expect(sorted(counterDeltas(counters, [[undefined, before]]))).toEqual(['by_owner_status:["alice","open"]:1', 'status_tags:["open","vip"]:1']);
    expect(sorted(counterDeltas(counters, [[before, undefined]]))).toEqual(['by_owner_status:["alice","open"]:-1', 'status_tags:["open","vip"]:-1']);
    // Two documents swapping status: the counts do not move.
    expect(counterDeltas([{ name: 's', fields: ['status'] }], [[{ status: 'a' }, { status: 'b' }], [{ status: 'b' }, { status: 'a' }]])).toEqual([]);
  });

  it('write deltas as $inc upserts keyed by the combination (numbers 1 and 1.0 are one key)', () => {
    const [update] = counterUpdates([{ counter: 'by_owner_status', keys: [null, 'open'], delta: -1 }]);
    expect(update).toEqual({
      updateOne: {
        filter: { _id: { c: 'by_owner_status', k0: null, k1: 'open' } },
        update: { $inc: { v: -1 }, $setOnInsert: { c: 'by_owner_status', k0: null, k1: 'open' } },
        upsert: true,
      },
    });
    expect(Object.keys(counterRowId({ counter: 'x', keys: [1, 2, 3] }))).toEqual(['c', 'k0', 'k1', 'k2']);
    expect(counterProjection([byOwnerStatus, statusTags])).toEqual({ 'd.ownerId': 1, 'd.status': 1, 'd.tags': 1 });
  });

  it('serve count and countBy by the SQLite adapter\'s rules', () => {
    const info = infoOf(countedTicketsIn('t'), { arrays: ['tags'] });
    const served = (filter: Filter | undefined, group?: string) => counterFor(info, normaliseFilter(filter), group)?.name;
    expect(served(undefined)).toBe('by_status');
    expect(served({ status: 'open' })).toBe('by_status');
    expect(served({ ownerId: null, status: 'open' })).toBe('by_owner_status');
    expect(served({ priority: 2 })).toBe('by_priority_status');
    expect(served({ tags: 'vip' })).toBe('by_tag');
    expect(served({ tags: { in: ['vip', 'x'] } })).toBeUndefined();
    expect(served({ status: { gte: 'a' } })).toBeUndefined();
    expect(served({ subject: 'x' })).toBeUndefined();
    expect(served(undefined, 'tags')).toBe('by_tag');
    expect(served({ tags: 'vip' }, 'tags')).toBeUndefined();
    expect(served({ ownerId: 'alice' }, 'status')).toBe('by_owner_status');
    expect(served(undefined, 'number')).toBeUndefined();
    // Before arrays arrived in tags, a counter on (status, tags) counts documents for any status.
    const mixed = { name: 'm', indexes: ticketIndexes, counters: [statusTags] };
    expect(counterFor(infoOf(mixed), normaliseFilter({ status: 'open' }), undefined)?.name).toBe('status_tags');
    expect(counterFor(infoOf(mixed, { arrays: ['tags'] }), normaliseFilter({ status: 'open' }), undefined)).toBeUndefined();
  });

  it('give the counts of the documents through random writes, read as MongoDB would sum them (model)', () => {
    const random = seeded(42);
    const pick = <T>(items: readonly T[]): T => items[random(items.length)];
    const info = infoOf({ ...countedTicketsIn('t'), counters: [...countedTicketsIn('t').counters!, statusTags] }, { arrays: ['tags'] });
    const rows = new Map<string, { _id: unknown; c: string; v: number; [k: string]: unknown }>();
    const documents = new Map<string, Record<string, unknown>>();
    const apply = (deltas: readonly CounterDelta[]): void => {
      // What MongoDB does with counterUpdates: $inc on the row, created with its keys on first use.
      for (const op of counterUpdates(deltas)) {
        const { filter, update } = (op as { updateOne: { filter: { _id: unknown }; update: Record<string, unknown> } }).updateOne;
        const key = JSON.stringify(filter._id);
        const row = rows.get(key) ?? { _id: filter._id, ...(update.$setOnInsert as object), v: 0 } as { _id: unknown; c: string; v: number };
        row.v += (update.$inc as { v: number }).v;
        rows.set(key, row);
      }
    };
    const randomDocument = (id: string): Record<string, unknown> => {
      const d: Record<string, unknown> = { id, status: pick(['new', 'open', 'closed']) };
      const owner = pick(['alice', 'bob', null, undefined]);
      if (owner !== undefined) d.ownerId = owner;
      const priority = pick([1, 2, null, undefined]);
      if (priority !== undefined) d.priority = priority;
      const tags = pick([undefined, [], ['vip'], ['vip', 'legal', 'vip'], 'vip']);
      if (tags !== undefined) d.tags = tags;
      return d;
    };
    for (let round = 0; round < 30; round += 1) {
      const changes: [Record<string, unknown> | undefined, Record<string, unknown> | undefined][] = [];
      for (let i = 0; i < 20; i += 1) {
        const id = `d${random(40)}`;
        const before = documents.get(id);
        const after = random(5) === 0 ? undefined : randomDocument(id);
        changes.push([before, after]);
        if (after) documents.set(id, after);
        else documents.delete(id);
      }
      // One batch of deltas for many writes, some to the same document (as a transaction's flush sees them).
      const deltas = new Map<string, CounterDelta>();
      for (const [before, after] of changes) addCounterDeltas(deltas, info.counters, before, after);
      apply([...deltas.values()].filter((d) => d.delta !== 0));

      const all = [...documents.values()];
      const queries: { field?: string; filter?: Filter }[] = [
        {},
        { filter: { status: 'open' } },
        { filter: { ownerId: null, status: { in: ['new', 'open'] } } },
        { filter: { tags: 'vip' } },
        { filter: { tags: null } },
        { filter: { priority: 2 } },
        { filter: { status: 'open', tags: 'legal' } },
        { field: 'status' },
        { field: 'ownerId', filter: { status: 'open' } },
        { field: 'tags' },
        { field: 'tags', filter: { status: 'closed' } },
        { field: 'priority' },
      ];
      for (const query of queries) {
        const conditions = normaliseFilter(query.filter);
        const counter = counterFor(info, conditions, query.field)!;
        expect(counter).toBeDefined();
        const selected = [...rows.values()].filter((row) => matches(row as never, counterMatch(counter, conditions)));
        if (query.field === undefined) {
          expect({ round, query, n: selected.reduce((n, r) => n + r.v, 0) }).toEqual({ round, query, n: modelCount(all, query.filter) });
        } else {
          const key = `k${counter.fields.indexOf(query.field)}`;
          const counts: Record<string, number> = {};
          for (const row of selected) counts[countKey(row[key])] = (counts[countKey(row[key])] ?? 0) + row.v;
          for (const k of Object.keys(counts)) if (counts[k] === 0) delete counts[k];
          expect({ round, query, counts }).toEqual({ round, query, counts: modelCountBy(all, query.field, query.filter) });
        }
      }
    }
  });

  it('are built from the documents by one aggregation with the same row ids', () => {
    const pipeline = counterBuildPipeline(statusTags, 'read_store.counters.t');
    expect(pipeline[1]).toEqual({ $unwind: '$k0' });
    expect(pipeline[2]).toEqual({ $unwind: '$k1' });
    expect(pipeline[3]).toEqual({ $group: { _id: { c: { $literal: 'status_tags' }, k0: '$k0', k1: '$k1' }, v: { $sum: 1 } } });
    expect(pipeline[4]).toEqual({ $set: { c: '$_id.c', k0: '$_id.k0', k1: '$_id.k1' } });
    expect(pipeline[5]).toEqual({ $merge: { into: 'read_store.counters.t', on: '_id', whenMatched: 'replace', whenNotMatched: 'insert' } });
  });

  it('name groups as countBy does: "null" for null and missing', () => {
    expect([null, undefined, 'open', 2, true, { a: 1 }].map(countKey)).toEqual(['null', 'null', 'open', '2', 'true', '{"a":1}']);
  });
});

describe('counters built and counted by aggregation (model)', () => {
  const documents = [
    { _id: 'a', d: { status: 'open', tags: ['vip', 'billing', 'vip'] } },
    { _id: 'b', d: { status: 'open', tags: [] } },
    { _id: 'c', d: { status: 'closed', tags: 'vip' } },
    { _id: 'd', d: { tags: [null, 'x'] } },
    { _id: 'e', d: { status: null } },
  ];

  it('builds exactly the rows the writer\'s deltas make', () => {
    const built = aggregate(documents, counterBuildPipeline(statusTags, 'counters'));
    const written = new Map<string, number>();
    for (const delta of counterDeltas([statusTags], documents.map((d) => [undefined, d.d] as const))) {
      written.set(JSON.stringify(counterRowId(delta)), delta.delta);
    }
    expect(new Map(built.map((row) => [JSON.stringify(row._id), row.v]))).toEqual(written);
    for (const row of built) expect(row).toMatchObject({ c: 'status_tags', k0: (row._id as Record<string, unknown>).k0, k1: (row._id as Record<string, unknown>).k1 });
  });

  it('groups documents by a field\'s elements for countBy over an index range', () => {
    const info = infoOf({ name: 't', indexes: ticketIndexes }, { arrays: ['tags'] });
    const plan = planCountBy(info, 'tags', { tags: { in: ['vip', 'x'] } });
    const counts = Object.fromEntries(aggregate(documents, plan.pipeline).map((r) => [countKey(r._id), r.n]));
    expect(counts).toEqual(modelCountBy(documents.map((d) => d.d), 'tags', { tags: { in: ['vip', 'x'] } }));
    const byStatus = planCountBy(info, 'tags', undefined);
    expect(Object.fromEntries(aggregate(documents, byStatus.pipeline).map((r) => [countKey(r._id), r.n]))).toEqual(
      modelCountBy(documents.map((d) => d.d), 'tags'),
    );
  });
});

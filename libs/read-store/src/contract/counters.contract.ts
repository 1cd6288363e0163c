import { describe, expect, it } from '@jest/globals';
import { CollectionDefinition, DocumentStore, Filter, UnindexedQueryError } from '../document-store.port';
import {
  aName,
  at,
  aTicket,
  countedTicketsCollection,
  countedTicketsIn,
  modelCount,
  modelCountBy,
  put,
  seededRandom,
  Ticket,
  ticketIndexes,
  ticketsCollection,
} from './contract-fixtures';

type Doc = Ticket | { readonly id: string };

/**
 * Counters: `count` and `countBy` on the fields of a counter give exactly what counting the documents would,
 * however the documents were written, changed, deleted or rolled back. How fast is the adapter's business;
 * the answers are the port's.
 */
export function countersContract(store: () => DocumentStore): void {
  const tickets = (): Ticket[] => [
    aTicket({ status: 'open', ownerId: 'alice', priority: 1, updatedAt: at(1), tags: ['vip', 'billing'] }),
    aTicket({ status: 'open', ownerId: null, priority: 2, updatedAt: at(2), tags: ['billing'] }),
    aTicket({ status: 'open', ownerId: 'bob', updatedAt: at(3), tags: [] }),
    aTicket({ status: 'pending', ownerId: 'alice', priority: 2, updatedAt: at(4), tags: ['vip'] }),
    aTicket({ status: 'closed', ownerId: 'alice', priority: 1, updatedAt: at(5) }),
    { ...aTicket({ status: 'closed', priority: 2, updatedAt: at(6), tags: ['billing', 'billing'] }), ownerId: undefined },
  ];

  /** Every query of `queries` gives on `collection` what counting `documents` gives. */
  async function expectCounts(collection: string, documents: readonly object[], queries: readonly Query[]): Promise<void> {
    for (const query of queries) {
      const expected = query.field === undefined ? modelCount(documents, query.filter) : modelCountBy(documents, query.field, query.filter);
      const actual =
        query.field === undefined
          ? await store().count(collection, query.filter)
          : await store().countBy(collection, query.field, query.filter);
      expect({ query, counted: actual }).toEqual({ query, counted: expected });
    }
  }

  describe('count and countBy on counted fields', () => {
    it('answer count and countBy on their fields: equality, in, null and missing', async () => {
      const documents = tickets();
      const collection = await countedTicketsCollection(store(), documents);

      await expect(store().count(collection)).resolves.toBe(6);
      await expect(store().count(collection, { status: 'open' })).resolves.toBe(3);
      await expect(store().count(collection, { ownerId: null })).resolves.toBe(2);
      await expect(store().count(collection, { ownerId: null, status: 'open' })).resolves.toBe(1);
      await expect(store().count(collection, { ownerId: { in: ['alice', null] }, status: { in: ['open', 'closed'] } })).resolves.toBe(4);
      await expect(store().count(collection, { status: { eq: 'pending' } })).resolves.toBe(1);
      await expect(store().count(collection, { status: 'nope' })).resolves.toBe(0);
      await expect(store().count(collection, { status: { in: [] } })).resolves.toBe(0);
      await expect(store().countBy(collection, 'status')).resolves.toEqual({ open: 3, pending: 1, closed: 2 });
      await expect(store().countBy(collection, 'ownerId')).resolves.toEqual({ alice: 3, bob: 1, null: 2 });
      await expect(store().countBy(collection, 'status', { ownerId: 'alice' })).resolves.toEqual({ open: 1, pending: 1, closed: 1 });
      await expect(store().countBy(collection, 'ownerId', { status: { in: ['open', 'pending'] } })).resolves.toEqual({ alice: 2, bob: 1, null: 1 });
      await expect(store().countBy(collection, 'status', { ownerId: 'nobody' })).resolves.toEqual({});
    });

    it('count an array field per element, a document once per value however often it repeats', async () => {
      const collection = await countedTicketsCollection(store(), tickets());
      await expect(store().countBy(collection, 'tags')).resolves.toEqual({ vip: 2, billing: 3, null: 2 });
      await expect(store().count(collection, { tags: 'billing' })).resolves.toBe(3);
      await expect(store().count(collection, { tags: null })).resolves.toBe(2);
      await expect(store().countBy(collection, 'tags', { tags: { in: ['vip', 'legal'] } })).resolves.toEqual({ vip: 2, billing: 1 });
      // A document is counted once, not once per matching element.
      await expect(store().count(collection, { tags: { in: ['vip', 'billing'] } })).resolves.toBe(4);
    });

    it('answer counts on fields no index names', async () => {
      const documents = tickets();
      const plain = await ticketsCollection(store(), documents);
      await expect(store().count(plain, { priority: 2 })).rejects.toBeInstanceOf(UnindexedQueryError);

      const collection = await countedTicketsCollection(store(), documents);
      await expect(store().count(collection, { priority: 2 })).resolves.toBe(3);
      await expect(store().count(collection, { priority: { in: [1, null] }, status: 'open' })).resolves.toBe(2);
      await expect(store().countBy(collection, 'priority')).resolves.toEqual({ 1: 2, 2: 3, null: 1 });
      await expect(store().countBy(collection, 'status', { priority: 2 })).resolves.toEqual({ open: 1, pending: 1, closed: 1 });
    });

    it('count documents, not elements, when a counter holds an array field the filter leaves free', async () => {
      const name = aName('counted');
      await store().ensureCollection({ name, indexes: ticketIndexes, counters: [{ name: 'status_tags', fields: ['status', 'tags'] }] });
      const documents = tickets();
      await put(store(), name, documents);
      await expectCounts(name, documents, [
        { filter: { status: 'open' } },
        { filter: { status: 'open', tags: 'billing' } },
        { filter: { status: { in: ['open', 'closed'] }, tags: 'billing' } },
        { field: 'status' },
        { field: 'status', filter: { tags: 'vip' } },
        { field: 'tags', filter: { status: 'open' } },
        { field: 'tags', filter: { status: 'open', tags: { in: ['vip', 'billing'] } } },
      ]);
    });

    it('stay exact through inserts, updates, replays and deletes', async () => {
      const collection = await countedTicketsCollection(store());
      const model = new Map<string, Doc>();
      const write = async (changes: readonly (Doc | { id: string; deleted: true })[]): Promise<void> => {
        await store().transaction(async (writer) => {
          for (const change of changes) {
            if ('deleted' in change) writer.delete(collection, change.id);
            else writer.upsert(collection, change.id, change);
          }
        });
        for (const change of changes) {
          if ('deleted' in change) model.delete(change.id);
          else model.set(change.id, change);
        }
      };
      const check = (): Promise<void> => expectCounts(collection, [...model.values()], DASHBOARD_QUERIES);

      const [a, b, c, d] = tickets();
      await write([a, b, c, d]);
      await check();
      // The owner and status change; an array grows, shrinks, empties, repeats a value, disappears.
      await write([
        { ...a, status: 'closed', tags: ['vip'] },
        { ...b, ownerId: 'bob', tags: ['billing', 'legal', 'legal'] },
        { ...c, tags: ['vip'] },
        { id: d.id, number: d.number, status: 'pending', updatedAt: d.updatedAt },
      ]);
      await check();
      // A replay of the same documents changes nothing.
      await write([...model.values()]);
      await check();
      // Several writes to one document in one transaction, a document added then removed, deletes of nothing.
      const e = aTicket({ status: 'new', ownerId: 'carol', tags: ['vip'] });
      await write([
        { ...a, status: 'open' },
        { ...a, status: 'pending', ownerId: null },
        e,
        { id: e.id, deleted: true },
        { id: c.id, deleted: true },
        { id: 'never-there', deleted: true },
      ]);
      await check();
      await write([...model.keys()].map((id) => ({ id, deleted: true as const })));
      await check();
      await expect(store().countBy(collection, 'status')).resolves.toEqual({});
    });

    it('forget what a rolled-back transaction counted', async () => {
      const documents = tickets();
      const collection = await countedTicketsCollection(store(), documents);
      const before = await Promise.all(DASHBOARD_QUERIES.map((q) => (q.field ? store().countBy(collection, q.field, q.filter) : store().count(collection, q.filter))));
      await expect(
        store().transaction(async (writer) => {
          writer.upsert(collection, documents[0].id, { ...documents[0], status: 'closed', tags: ['legal'] });
          writer.delete(collection, documents[1].id);
          writer.upsert(collection, 'added', aTicket({ id: 'added', ownerId: 'alice', priority: 2 }));
          await Promise.resolve();
          throw new Error('projection failed');
        }),
      ).rejects.toThrow('projection failed');
      await expectCounts(collection, documents, DASHBOARD_QUERIES);
      const after = await Promise.all(DASHBOARD_QUERIES.map((q) => (q.field ? store().countBy(collection, q.field, q.filter) : store().count(collection, q.filter))));
      expect(after).toEqual(before);
    });

    it('count per element once arrays arrive in a field that held scalars, even after a rollback', async () => {
      const scalars = [aTicket({ tags: 'vip' as unknown as string[] }), aTicket({ tags: 'legal' as unknown as string[] }), aTicket()];
      const collection = await countedTicketsCollection(store(), scalars);
      await expect(store().countBy(collection, 'tags')).resolves.toEqual({ vip: 1, legal: 1, null: 1 });
      await expect(
        store().transaction(async (writer) => {
          writer.upsert(collection, 'array', aTicket({ id: 'array', tags: ['vip', 'billing'] }));
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await expect(store().countBy(collection, 'tags')).resolves.toEqual({ vip: 1, legal: 1, null: 1 });

      const arrays = [aTicket({ tags: ['vip', 'billing'] }), aTicket({ tags: [] })];
      await put(store(), collection, arrays);
      await expectCounts(collection, [...scalars, ...arrays], [
        { field: 'tags' },
        { filter: { tags: 'vip' } },
        { filter: { tags: null } },
        { field: 'status', filter: { tags: 'billing' } },
      ]);
    });

    it('are built from the documents already there when added or changed, and dropped when no longer declared', async () => {
      const documents = tickets();
      const collection = await ticketsCollection(store(), documents);
      const definition = (counters: CollectionDefinition['counters']): CollectionDefinition => ({
        ...countedTicketsIn(collection),
        counters,
      });

      await store().ensureCollection(definition([{ name: 'by_priority', fields: ['priority'] }]));
      await expect(store().count(collection, { priority: 2 })).resolves.toBe(3);
      await expect(store().countBy(collection, 'priority')).resolves.toEqual({ 1: 2, 2: 3, null: 1 });

      // The same counter name over other fields.
      await store().ensureCollection(definition([{ name: 'by_priority', fields: ['priority', 'ownerId'] }]));
      await expectCounts(collection, documents, [
        { filter: { priority: 2, ownerId: null } },
        { field: 'ownerId', filter: { priority: { in: [1, 2] } } },
        { field: 'priority' },
      ]);
      await put(store(), collection, [aTicket({ priority: 2, ownerId: null })]);
      await expect(store().count(collection, { priority: 2, ownerId: null })).resolves.toBe(3);

      await store().ensureCollection(definition([]));
      await expect(store().count(collection, { priority: 2 })).rejects.toBeInstanceOf(UnindexedQueryError);
      await expect(store().count(collection, { status: 'open' })).resolves.toBe(4);
    });

    it('give the same answers as counting index ranges, on random data and random changes', async () => {
      const random = seededRandom(20240301);
      const counted = await countedTicketsCollection(store());
      const plain = await ticketsCollection(store());
      const mixed = aName('mixed');
      await store().ensureCollection({ name: mixed, indexes: ticketIndexes, counters: [{ name: 'status_tags', fields: ['status', 'tags'] }] });
      const collections = [counted, plain, mixed];
      const model = new Map<string, Doc>();
      let next = 0;

      for (let round = 0; round < 6; round += 1) {
        const changes: (Doc | { id: string; deleted: true })[] = [];
        const writes = round === 0 ? 150 : 40;
        for (let i = 0; i < writes; i += 1) {
          const ids = [...model.keys()];
          const roll = random.next();
          if (ids.length > 0 && roll < 0.2) changes.push({ id: random.pick(ids), deleted: true });
          else if (ids.length > 0 && roll < 0.6) changes.push(randomTicket(random, random.pick(ids)));
          else changes.push(randomTicket(random, `r${String((next += 1)).padStart(5, '0')}`));
        }
        for (const collection of collections) {
          await store().transaction(async (writer) => {
            for (const change of changes) {
              if ('deleted' in change) writer.delete(collection, change.id);
              else writer.upsert(collection, change.id, change);
            }
          });
        }
        for (const change of changes) {
          if ('deleted' in change) model.delete(change.id);
          else model.set(change.id, change);
        }

        const documents = [...model.values()];
        const queries = [...DASHBOARD_QUERIES, ...Array.from({ length: 12 }, () => randomQuery(random))];
        for (const query of queries) {
          const expected = query.field === undefined ? modelCount(documents, query.filter) : modelCountBy(documents, query.field, query.filter);
          for (const collection of collections) {
            const answer =
              query.field === undefined
                ? store().count(collection, query.filter)
                : store().countBy(collection, query.field, query.filter);
            // Without counters, a query no index serves is refused: that is the other path's answer.
            const actual = await answer.catch((error: unknown) => {
              if (collection !== counted && error instanceof UnindexedQueryError) return expected;
              throw error;
            });
            expect({ round, collection: collections.indexOf(collection), query: JSON.stringify(query), counted: actual }).toEqual({
              round,
              collection: collections.indexOf(collection),
              query: JSON.stringify(query),
              counted: expected,
            });
          }
        }
      }
    });
  });
}

interface Query {
  readonly field?: string;
  readonly filter?: Filter;
}

/** What a dashboard asks: open per agent and per status, unassigned, mine open, unresolved, per tag. */
const DASHBOARD_QUERIES: readonly Query[] = [
  {},
  { filter: { status: 'open' } },
  { filter: { ownerId: null, status: 'open' } },
  { filter: { ownerId: 'alice', status: 'open' } },
  { filter: { status: { in: ['new', 'open', 'pending'] } } },
  { filter: { ownerId: 'alice', status: { in: ['new', 'open', 'pending'] } } },
  { filter: { tags: 'vip' } },
  { filter: { priority: 2 } },
  { field: 'status' },
  { field: 'ownerId', filter: { status: 'open' } },
  { field: 'status', filter: { ownerId: null } },
  { field: 'tags' },
  { field: 'priority', filter: { status: { in: ['open', 'pending'] } } },
];

const OWNERS = ['alice', 'bob', 'carol', null, undefined] as const;
const STATUSES = ['new', 'open', 'pending', 'closed'] as const;
const TAGS = ['vip', 'billing', 'legal', 'urgent'] as const;
const PRIORITIES = [1, 2, 3, null, undefined] as const;

function randomTicket(random: ReturnType<typeof seededRandom>, id: string): Doc {
  const document: Record<string, unknown> = {
    id,
    number: random.int(1000),
    status: random.pick(STATUSES),
    updatedAt: at(random.int(500)),
  };
  const owner = random.pick(OWNERS);
  if (owner !== undefined) document.ownerId = owner;
  const priority = random.pick(PRIORITIES);
  if (priority !== undefined) document.priority = priority;
  const shape = random.int(5);
  // Missing, empty, or up to three tags with repeats.
  if (shape > 0) document.tags = Array.from({ length: shape - 1 }, () => random.pick(TAGS));
  return document as Doc;
}

function randomQuery(random: ReturnType<typeof seededRandom>): Query {
  const some = <T>(items: readonly T[]): T[] => items.filter(() => random.next() < 0.5);
  const value = (field: string): unknown => {
    const values: readonly unknown[] =
      field === 'ownerId' ? OWNERS.slice(0, 4) : field === 'status' ? STATUSES : field === 'tags' ? TAGS : PRIORITIES.slice(0, 4);
    return random.next() < 0.7 ? random.pick(values) : { in: some(values) };
  };
  const fields = some(['ownerId', 'status', 'tags', 'priority']);
  const filter = Object.fromEntries(fields.map((f) => [f, value(f)])) as Filter;
  return random.next() < 0.5 ? { filter } : { field: random.pick(['ownerId', 'status', 'tags', 'priority']), filter };
}

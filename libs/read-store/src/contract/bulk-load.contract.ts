import { describe, expect, it } from '@jest/globals';
import { DocumentStore, FindOptions, SearchHit, UnindexedQueryError } from '../document-store.port';
import {
  aName,
  allPages,
  at,
  aTicket,
  countedTicketsIn,
  idsOf,
  modelCount,
  modelCountBy,
  put,
  Ticket,
} from './contract-fixtures';

/**
 * Bulk load: a new collection filled first and indexed at the end (a rebuild). While loading it serves `get`
 * and writes only; once completed it answers every query exactly as a collection written incrementally.
 */
export function bulkLoadContract(store: () => DocumentStore): void {
  const bulkCollection = async (): Promise<string> => {
    const name = aName('bulk');
    await store().ensureCollection(countedTicketsIn(name), { bulkLoad: true });
    return name;
  };

  /**
   * A rebuild's writes, in several transactions: inserts (arrays arriving after scalars in an indexed field),
   * rewrites of the same documents, replays, deletes and re-inserts. Returns the documents at the end.
   */
  async function history(collection: string): Promise<Ticket[]> {
    const model = new Map<string, Ticket>();
    const write = async (changes: readonly (Ticket | { id: string; deleted: true })[]): Promise<void> => {
      await store().transaction(async (writer) => {
        for (const change of changes) {
          if ('deleted' in change) writer.delete(collection, change.id);
          else writer.upsert(collection, change.id, change);
        }
        for (const change of changes) {
          if ('deleted' in change) model.delete(change.id);
          else model.set(change.id, change);
        }
      });
    };
    const words = ['printer', 'invoice', 'password', 'network', 'refund'];
    const created = Array.from({ length: 60 }, (_, i) =>
      ticket(i, {
        status: 'new',
        ownerId: i % 4 === 0 ? null : `agent-${i % 3}`,
        priority: i % 3,
        updatedAt: at(i),
        dueAt: i % 5 === 0 ? null : at(1000 + i),
        tags: (i < 10 ? `t${i % 3}` : i % 2 ? ['vip', `t${i % 3}`] : [`t${i % 3}`, `t${i % 3}`]) as unknown as string[],
        subject: `${words[i % 5]} problem ${i}`,
        body: i % 2 ? `Hello, my ${words[(i * 3) % 5]} does not work` : ['first line', `${words[(i * 2) % 5]} again`],
      }),
    );
    await write(created.slice(0, 30));
    await write(created.slice(30));
    await write(created.slice(0, 40).map((t, i) => ({ ...t, status: ['open', 'pending', 'closed'][i % 3], updatedAt: at(100 + i) })));
    await write([...model.values()]);
    await write([
      ...created.slice(40, 50).map((t) => ({ id: t.id, deleted: true as const })),
      { ...model.get(created[1].id)!, tags: [], subject: 'Replaced subject' },
      { ...model.get(created[3].id)!, ownerId: 'agent-9', tags: ['legal'] },
      { id: 'never-there', deleted: true },
    ]);
    await write([ticket(45, { status: 'open', updatedAt: at(200), tags: ['vip'], subject: 'printer back again' })]);
    return [...model.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  const FINDS: readonly Omit<FindOptions, 'cursor'>[] = [
    { limit: 7 },
    { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 4 },
    { filter: { ownerId: null, status: { in: ['new', 'open'] } }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 3 },
    { filter: { tags: 'vip' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 5 },
    { filter: { tags: { in: ['t0', 't1'] } }, limit: 5 },
    { filter: { dueAt: { gte: at(1010), lt: at(1050) } }, sort: [{ field: 'dueAt', direction: 'asc' }], limit: 6 },
    { sort: [{ field: 'number', direction: 'desc' }], limit: 10 },
  ];
  const COUNTS: readonly { field?: string; filter?: Record<string, unknown> }[] = [
    {},
    { filter: { status: 'open' } },
    { filter: { ownerId: null, status: { in: ['new', 'open'] } } },
    { filter: { tags: 'vip' } },
    { filter: { tags: { in: ['vip', 't1'] } } },
    { filter: { priority: 2, status: 'open' } },
    { filter: { status: 'open', updatedAt: { gte: at(100) } } },
    { field: 'status' },
    { field: 'ownerId', filter: { status: 'open' } },
    { field: 'tags' },
    { field: 'priority' },
  ];

  /** Everything the collection answers: pages of every find, counts, searches. */
  async function answers(collection: string): Promise<unknown[]> {
    const all: unknown[] = [];
    for (const options of FINDS) {
      all.push(idsOf((await allPages((cursor) => store().find<Ticket>(collection, { ...options, cursor }))).items));
    }
    for (const { field, filter } of COUNTS) {
      all.push(field === undefined ? await store().count(collection, filter as never) : await store().countBy(collection, field, filter as never));
    }
    for (const query of ['printer', 'again', 'replaced', 'hello netw']) {
      const hits = (await allPages((cursor) => store().search<Ticket>(collection, query, { limit: 4, cursor }))).items;
      // Equal scores come in an order of the adapter's choosing: compared by score, then id.
      const ranked = hits.map((h: SearchHit<Ticket>) => [Number(h.score.toFixed(6)), h.document.id, h.snippet] as const);
      all.push(ranked.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1)));
    }
    all.push((await store().search<Ticket>(collection, 'printer', { limit: 50, filter: { status: 'open' } })).items.map((h) => h.document.id));
    return all;
  }

  describe('loading, then completing', () => {
    it("serves get and the writer's reads while loading, and refuses queries clearly", async () => {
      const collection = await bulkCollection();
      const [a, b] = [aTicket({ tags: ['vip'], subject: 'Printer' }), aTicket({ status: 'closed' })];
      await put(store(), collection, [a, b]);
      await store().transaction(async (writer) => {
        await expect(writer.get(collection, a.id)).resolves.toEqual(a);
        writer.upsert(collection, a.id, { ...a, status: 'pending' });
        writer.delete(collection, b.id);
      });
      await expect(store().get(collection, a.id)).resolves.toEqual({ ...a, status: 'pending' });
      await expect(store().get(collection, b.id)).resolves.toBeUndefined();

      await expect(store().find(collection, { filter: { status: 'pending' }, limit: 5 })).rejects.toThrow(/bulk/i);
      await expect(store().find(collection, { limit: 5 })).rejects.toThrow(/bulk/i);
      await expect(store().count(collection)).rejects.toThrow(/bulk/i);
      await expect(store().count(collection, { status: 'pending' })).rejects.toThrow(/bulk/i);
      await expect(store().countBy(collection, 'status')).rejects.toThrow(/bulk/i);
      await expect(store().search(collection, 'printer', { limit: 5 })).rejects.toThrow(/bulk/i);

      await store().completeBulkLoad(collection);
      await expect(store().count(collection, { status: 'pending' })).resolves.toBe(1);
      await expect(store().search(collection, 'printer', { limit: 5 })).resolves.toMatchObject({ items: [{ document: { id: a.id } }] });
    });

    it('ends, once completed, as the same collection written incrementally', async () => {
      const incremental = aName('incremental');
      await store().ensureCollection(countedTicketsIn(incremental));
      const collection = await bulkCollection();
      const documents = await history(incremental);
      expect(await history(collection)).toEqual(documents);

      await store().completeBulkLoad(collection);

      const expected = await answers(incremental);
      expect(await answers(collection)).toEqual(expected);
      for (const { field, filter } of COUNTS.filter((q) => !JSON.stringify(q).includes('gte'))) {
        const counted = field === undefined ? modelCount(documents, filter as never) : modelCountBy(documents, field, filter as never);
        const actual = field === undefined ? await store().count(collection, filter as never) : await store().countBy(collection, field, filter as never);
        expect({ field, filter, actual }).toEqual({ field, filter, actual: counted });
      }
      const scanned = await store().scan<Ticket>(collection, { limit: 1000 });
      expect(scanned.map((r) => r.document)).toEqual(documents);
    });

    it('keeps indexes, counters and text current for the writes after completion', async () => {
      const incremental = aName('incremental');
      await store().ensureCollection(countedTicketsIn(incremental));
      const collection = await bulkCollection();
      await history(incremental);
      await history(collection);
      await store().completeBulkLoad(collection);

      for (const name of [incremental, collection]) {
        const moved = await store().find<Ticket>(name, { filter: { status: 'open' }, limit: 3 });
        await store().transaction(async (writer) => {
          for (const t of moved.items) writer.upsert(name, t.id, { ...t, status: 'closed', tags: ['moved'], subject: 'Moved elsewhere' });
          writer.upsert(name, 'late', aTicket({ id: 'late', status: 'open', ownerId: null, tags: ['vip', 'late'], subject: 'Late printer' }));
          writer.delete(name, (await store().find<Ticket>(name, { filter: { status: 'pending' }, limit: 1 })).items[0].id);
        });
      }
      expect(await answers(collection)).toEqual(await answers(incremental));
      await expect(store().count(collection, { tags: 'moved' })).resolves.toBe(3);
      await expect(store().search(collection, 'elsewhere', { limit: 10 })).resolves.toMatchObject({ items: { length: 3 } });
    });

    it('completes idempotently, changes nothing on a collection not bulk loading, and refuses an unknown one', async () => {
      const collection = await bulkCollection();
      const documents = [aTicket({ status: 'open', tags: ['vip'] }), aTicket({ status: 'closed' })];
      await put(store(), collection, documents);
      await store().completeBulkLoad(collection);
      await store().completeBulkLoad(collection);
      await expect(store().countBy(collection, 'status')).resolves.toEqual({ open: 1, closed: 1 });
      await expect(store().count(collection, { tags: 'vip' })).resolves.toBe(1);

      const normal = aName('normal');
      await store().ensureCollection(countedTicketsIn(normal));
      await put(store(), normal, documents);
      await store().completeBulkLoad(normal);
      await expect(store().countBy(normal, 'status')).resolves.toEqual({ open: 1, closed: 1 });

      await expect(store().completeBulkLoad(aName('unknown'))).rejects.toThrow();
    });

    it('leaves an existing collection as it is when asked to bulk load it', async () => {
      const name = aName('existing');
      await store().ensureCollection(countedTicketsIn(name));
      const documents = [aTicket({ status: 'open', subject: 'Printer' }), aTicket({ status: 'pending' })];
      await put(store(), name, documents);

      await store().ensureCollection(countedTicketsIn(name), { bulkLoad: true });

      await expect(store().count(name, { status: 'open' })).resolves.toBe(1);
      await put(store(), name, [aTicket({ status: 'open' })]);
      await expect(store().countBy(name, 'status')).resolves.toEqual({ open: 2, pending: 1 });
      await expect(store().search(name, 'printer', { limit: 5 })).resolves.toMatchObject({ items: [{ document: documents[0] }] });
    });

    it('rolls back writes to a collection being bulk loaded', async () => {
      const collection = await bulkCollection();
      const kept = aTicket({ status: 'open', tags: ['vip'] });
      await put(store(), collection, [kept]);
      await expect(
        store().transaction(async (writer) => {
          writer.upsert(collection, kept.id, { ...kept, status: 'closed' });
          writer.upsert(collection, 'added', aTicket({ id: 'added', tags: ['vip', 'legal'] }));
          throw new Error('projection failed');
        }),
      ).rejects.toThrow('projection failed');
      await expect(store().get(collection, 'added')).resolves.toBeUndefined();
      await store().completeBulkLoad(collection);
      await expect(store().countBy(collection, 'status')).resolves.toEqual({ open: 1 });
      await expect(store().countBy(collection, 'tags')).resolves.toEqual({ vip: 1 });
    });

    it('stays in bulk mode when ensured again with bulkLoad, and is completed by ensureCollection without it', async () => {
      const collection = await bulkCollection();
      const documents = [aTicket({ status: 'open', priority: 2, tags: ['vip'] }), aTicket({ status: 'pending', priority: 2 })];
      await put(store(), collection, documents);
      await store().ensureCollection(countedTicketsIn(collection), { bulkLoad: true });
      await expect(store().count(collection)).rejects.toThrow(/bulk/i);

      // Completed with the definition given now: here without counters, so priority is not countable.
      await store().ensureCollection({ ...countedTicketsIn(collection), counters: [] });
      await expect(store().count(collection, { status: 'open' })).resolves.toBe(1);
      await expect(store().count(collection, { tags: 'vip' })).resolves.toBe(1);
      await expect(store().count(collection, { priority: 2 })).rejects.toBeInstanceOf(UnindexedQueryError);
    });

    it('lists and drops a collection being bulk loaded', async () => {
      const collection = await bulkCollection();
      await put(store(), collection, [aTicket()]);
      expect(await store().listCollections()).toContain(collection);
      await store().dropCollection(collection);
      expect(await store().listCollections()).not.toContain(collection);
      await store().ensureCollection(countedTicketsIn(collection));
      await expect(store().count(collection)).resolves.toBe(0);
    });
  });
}

/** A ticket of a history: the same id for the same `i` every time, so two histories write the same documents. */
function ticket(i: number, fields: Partial<Ticket>): Ticket {
  return { ...aTicket(), id: `h${String(i).padStart(3, '0')}`, number: i, ...fields };
}

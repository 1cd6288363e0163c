import { describe, expect, it } from '@jest/globals';
import { DocumentStore, FindOptions, InvalidCursorError, UnindexedQueryError } from '../document-store.port';
import { allPages, at, aTicket, idsOf, put, sortedBy, Ticket, ticketsCollection } from './contract-fixtures';

/** find: filters served by declared indexes, sort, keyset pagination, refusals. */
export function findContract(store: () => DocumentStore): void {
  const find = async (collection: string, options: FindOptions): Promise<string[]> =>
    idsOf((await store().find<Ticket>(collection, options)).items);
  const everything = async (collection: string, options: Omit<FindOptions, 'cursor'>): Promise<Ticket[]> =>
    (await allPages((cursor) => store().find<Ticket>(collection, { ...options, cursor }))).items;

  describe('filters', () => {
    it('finds by equality, sorted ascending or descending with the id last', async () => {
      const tickets = [
        aTicket({ status: 'open', updatedAt: at(3) }),
        aTicket({ status: 'closed', updatedAt: at(1) }),
        aTicket({ status: 'open', updatedAt: at(1) }),
        aTicket({ status: 'open', updatedAt: at(2) }),
        aTicket({ status: 'open', updatedAt: at(1) }),
      ];
      const collection = await ticketsCollection(store(), tickets);
      const open = tickets.filter((t) => t.status === 'open');

      for (const direction of ['asc', 'desc'] as const) {
        expect(await find(collection, { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction }], limit: 10 })).toEqual(
          idsOf(sortedBy(open, (t) => t.updatedAt, direction)),
        );
      }
    });

    it('matches null equality on null and on a missing field (the unassigned queue)', async () => {
      const assigned = aTicket({ ownerId: 'alice' });
      const nullOwner = aTicket({ ownerId: null });
      const { ownerId: _, ...noOwnerField } = aTicket();
      const collection = await ticketsCollection(store(), [assigned, nullOwner, noOwnerField]);

      const unassigned = await find(collection, { filter: { ownerId: null }, limit: 10 });
      expect(unassigned.sort()).toEqual([nullOwner.id, noOwnerField.id].sort());
      expect(await find(collection, { filter: { ownerId: 'alice' }, limit: 10 })).toEqual([assigned.id]);
    });

    it('finds any of several values with in, null included', async () => {
      const tickets = [
        aTicket({ status: 'open', ownerId: 'alice', updatedAt: at(5) }),
        aTicket({ status: 'pending', ownerId: null, updatedAt: at(1) }),
        aTicket({ status: 'closed', ownerId: 'bob', updatedAt: at(2) }),
        aTicket({ status: 'open', ownerId: 'carol', updatedAt: at(3) }),
      ];
      const collection = await ticketsCollection(store(), tickets);
      const byUpdate = [{ field: 'updatedAt', direction: 'asc' }] as const;

      expect(await find(collection, { filter: { status: { in: ['open', 'pending'] } }, sort: byUpdate, limit: 10 })).toEqual(
        [tickets[1], tickets[3], tickets[0]].map((t) => t.id),
      );
      const mineOrUnassigned = await find(collection, { filter: { ownerId: { in: ['alice', null] } }, limit: 10 });
      expect(mineOrUnassigned.sort()).toEqual([tickets[0].id, tickets[1].id].sort());
      expect(await find(collection, { filter: { status: { in: [] } }, limit: 10 })).toEqual([]);
    });

    it('finds by ranges on ISO instants after an equality, and on a field alone', async () => {
      const tickets = Array.from({ length: 10 }, (_, i) =>
        aTicket({ status: i % 2 === 0 ? 'open' : 'closed', updatedAt: at(i), dueAt: i < 8 ? at(100 + i) : null }),
      );
      const collection = await ticketsCollection(store(), tickets);

      const window = await find(collection, {
        filter: { status: 'open', updatedAt: { gte: at(2), lt: at(8) } },
        sort: [{ field: 'updatedAt', direction: 'desc' }],
        limit: 10,
      });
      expect(window).toEqual([tickets[6].id, tickets[4].id, tickets[2].id]);

      // "Deadline passed": a bound on one side only never matches a null deadline.
      const overdue = await find(collection, { filter: { dueAt: { lt: at(103) } }, sort: [{ field: 'dueAt', direction: 'asc' }], limit: 10 });
      expect(overdue).toEqual(idsOf(tickets.slice(0, 3)));
      const later = await find(collection, { filter: { dueAt: { gt: at(105) } }, limit: 10 });
      expect(later.sort()).toEqual(idsOf(tickets.slice(6, 8)));
    });

    it('finds by ranges on numbers, within numbers only', async () => {
      const tickets = [1, 5, 6, 10, 11].map((number) => aTicket({ number }));
      const odd = { ...aTicket(), number: 'seven' as unknown as number };
      const collection = await ticketsCollection(store(), [...tickets, odd]);

      expect(await find(collection, { filter: { number: { gt: 5, lte: 10 } }, sort: [{ field: 'number', direction: 'asc' }], limit: 10 })).toEqual(
        [tickets[2].id, tickets[3].id],
      );
      expect(await find(collection, { filter: { number: { gte: 10 } }, sort: [{ field: 'number', direction: 'asc' }], limit: 10 })).toEqual(
        [tickets[3].id, tickets[4].id],
      );
      expect(await find(collection, { filter: { number: { lt: 5 } }, limit: 10 })).toEqual([tickets[0].id]);
    });

    it('sorts null and missing values first ascending, last descending', async () => {
      const tickets = [aTicket({ dueAt: at(2) }), aTicket({ dueAt: null }), aTicket({ dueAt: at(1) }), aTicket()];
      const collection = await ticketsCollection(store(), tickets);
      for (const direction of ['asc', 'desc'] as const) {
        expect(await find(collection, { sort: [{ field: 'dueAt', direction }], limit: 10 })).toEqual(
          idsOf(sortedBy(tickets, (t) => t.dueAt, direction)),
        );
      }
    });

    it('finds documents whose array field contains a value (multikey), with in counting each once', async () => {
      const tickets = [
        aTicket({ tags: ['vip', 'billing'], updatedAt: at(3) }),
        aTicket({ tags: ['billing'], updatedAt: at(1) }),
        aTicket({ tags: [], updatedAt: at(2) }),
        aTicket({ tags: ['vip'], updatedAt: at(4) }),
        aTicket({ updatedAt: at(5) }),
      ];
      const collection = await ticketsCollection(store(), tickets);
      const newest = [{ field: 'updatedAt', direction: 'desc' }] as const;

      expect(await find(collection, { filter: { tags: 'billing' }, sort: newest, limit: 10 })).toEqual([tickets[0].id, tickets[1].id]);
      expect(await find(collection, { filter: { tags: { in: ['vip', 'billing'] } }, sort: newest, limit: 10 })).toEqual(
        [tickets[3].id, tickets[0].id, tickets[1].id],
      );
    });

    it('follows an array that changes: old values no longer find the document, new ones do', async () => {
      const ticket = aTicket({ tags: ['vip', 'billing'] });
      const collection = await ticketsCollection(store(), [ticket, aTicket({ tags: ['vip'] })]);
      await put(store(), collection, [{ ...ticket, tags: ['billing', 'legal'] }]);

      expect(await find(collection, { filter: { tags: 'vip' }, limit: 10 })).not.toContain(ticket.id);
      expect(await find(collection, { filter: { tags: 'legal' }, limit: 10 })).toEqual([ticket.id]);
      await store().transaction(async (writer) => writer.delete(collection, ticket.id));
      expect(await find(collection, { filter: { tags: 'billing' }, limit: 10 })).toEqual([]);
    });

    it('tests further conditions on the rows an index range yields', async () => {
      const tickets = [
        aTicket({ status: 'open', priority: 1, updatedAt: at(1) }),
        aTicket({ status: 'open', priority: 2, updatedAt: at(2) }),
        aTicket({ status: 'closed', priority: 2, updatedAt: at(3) }),
        aTicket({ status: 'open', priority: 2, updatedAt: at(4) }),
      ];
      const collection = await ticketsCollection(store(), tickets);
      const found = await find(collection, {
        filter: { status: 'open', priority: 2 },
        sort: [{ field: 'updatedAt', direction: 'asc' }],
        limit: 10,
      });
      expect(found).toEqual([tickets[1].id, tickets[3].id]);
    });

    it('uses the equality prefix of a compound index (owner + status, newest first)', async () => {
      const tickets = Array.from({ length: 12 }, (_, i) =>
        aTicket({ ownerId: i % 3 === 0 ? 'alice' : 'bob', status: i % 2 === 0 ? 'open' : 'closed', updatedAt: at(i) }),
      );
      const collection = await ticketsCollection(store(), tickets);
      const expected = tickets.filter((t) => t.ownerId === 'alice' && t.status === 'open');
      expect(
        await find(collection, {
          filter: { ownerId: 'alice', status: 'open' },
          sort: [{ field: 'updatedAt', direction: 'desc' }],
          limit: 10,
        }),
      ).toEqual(idsOf(sortedBy(expected, (t) => t.updatedAt, 'desc')));
    });
  });

  describe('pagination', () => {
    it('pages through many documents with equal sort values: no gaps, no repeats, in order', async () => {
      // 95 open tickets over only 7 distinct instants: most of a page boundary falls inside a tie.
      const tickets = Array.from({ length: 120 }, (_, i) =>
        aTicket({ status: i % 8 === 0 ? 'closed' : 'open', updatedAt: at(i % 7), tags: i % 2 ? ['a'] : ['a', 'b'] }),
      );
      const collection = await ticketsCollection(store(), [...tickets].reverse());
      const open = tickets.filter((t) => t.status === 'open');

      for (const direction of ['asc', 'desc'] as const) {
        const { items, pages } = await allPages((cursor) =>
          store().find<Ticket>(collection, {
            filter: { status: 'open' },
            sort: [{ field: 'updatedAt', direction }],
            limit: 10,
            cursor,
          }),
        );
        expect(idsOf(items)).toEqual(idsOf(sortedBy(open, (t) => t.updatedAt, direction)));
        expect(pages).toHaveLength(Math.ceil(open.length / 10));
        expect(pages.slice(0, -1).every((p) => p.items.length === 10)).toBe(true);
      }

      const tagged = await everything(collection, { filter: { tags: { in: ['a', 'b'] } }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 7 });
      expect(idsOf(tagged)).toEqual(idsOf(sortedBy(tickets, (t) => t.updatedAt, 'desc')));
    });

    it('pages through a whole collection in id order without filter or sort', async () => {
      const tickets = Array.from({ length: 23 }, () => aTicket());
      const collection = await ticketsCollection(store(), [...tickets].reverse());
      expect(idsOf(await everything(collection, { limit: 5 }))).toEqual(idsOf(tickets));
    });

    it('pages through a range, with a cursor inside it', async () => {
      const tickets = Array.from({ length: 30 }, (_, i) => aTicket({ dueAt: at(i % 10) }));
      const collection = await ticketsCollection(store(), tickets);
      const inRange = tickets.filter((t) => t.dueAt! >= at(2) && t.dueAt! < at(8));
      for (const direction of ['asc', 'desc'] as const) {
        const found = await everything(collection, {
          filter: { dueAt: { gte: at(2), lt: at(8) } },
          sort: [{ field: 'dueAt', direction }],
          limit: 4,
        });
        expect(idsOf(found)).toEqual(idsOf(sortedBy(inRange, (t) => t.dueAt, direction)));
      }
    });

    it('gives no cursor on the last page, even when it is full', async () => {
      const collection = await ticketsCollection(store(), Array.from({ length: 10 }, () => aTicket()));
      const first = await store().find(collection, { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 5 });
      expect(first.nextCursor).toEqual(expect.any(String));
      const last = await store().find(collection, {
        filter: { status: 'open' },
        sort: [{ field: 'updatedAt', direction: 'asc' }],
        limit: 5,
        cursor: first.nextCursor,
      });
      expect(last.items).toHaveLength(5);
      expect(last.nextCursor).toBeUndefined();
    });

    it('caps a page at 1000 documents', async () => {
      const collection = await ticketsCollection(store(), Array.from({ length: 1005 }, () => aTicket()));
      const page = await store().find(collection, { filter: { status: 'open' }, limit: 5000 });
      expect(page.items).toHaveLength(1000);
      expect(page.nextCursor).toEqual(expect.any(String));
    });

    it('refuses a cursor made for another query, another collection, or made up', async () => {
      const tickets = Array.from({ length: 6 }, () => aTicket());
      const collection = await ticketsCollection(store(), tickets);
      const other = await ticketsCollection(store(), tickets);
      const query: FindOptions = { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 2 };
      const { nextCursor } = await store().find(collection, query);

      await expect(store().find(collection, { ...query, filter: { status: 'closed' }, cursor: nextCursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(store().find(collection, { ...query, sort: [{ field: 'updatedAt', direction: 'desc' }], cursor: nextCursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
      await expect(store().find(other, { ...query, cursor: nextCursor })).rejects.toBeInstanceOf(InvalidCursorError);
      for (const madeUp of ['', 'abc', 'eyJ4IjoxfQ', Buffer.from('["x","y"]').toString('base64url')]) {
        await expect(store().find(collection, { ...query, cursor: madeUp })).rejects.toBeInstanceOf(InvalidCursorError);
      }
      // And the cursor still works for its own query.
      await expect(store().find(collection, { ...query, cursor: nextCursor })).resolves.toMatchObject({ items: expect.any(Array) });
    });

    it('refuses a limit that is not a positive integer', async () => {
      const collection = await ticketsCollection(store());
      for (const limit of [0, -1, 1.5, Number.NaN]) {
        await expect(store().find(collection, { filter: { status: 'open' }, limit })).rejects.toThrow();
      }
    });
  });

  describe('refusals', () => {
    it('refuses a filter or a sort no declared index serves', async () => {
      const collection = await ticketsCollection(store(), [aTicket()]);
      const refused: FindOptions[] = [
        { filter: { priority: 1 }, limit: 10 },
        { filter: { subject: 'x' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 10 },
        { filter: { updatedAt: { gte: at(0) } }, limit: 10 },
        { sort: [{ field: 'priority', direction: 'desc' }], limit: 10 },
        { filter: { status: 'open' }, sort: [{ field: 'subject', direction: 'asc' }], limit: 10 },
        { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'asc' }, { field: 'number', direction: 'asc' }], limit: 10 },
      ];
      for (const options of refused) {
        await expect(store().find(collection, options)).rejects.toBeInstanceOf(UnindexedQueryError);
      }
    });
  });
}

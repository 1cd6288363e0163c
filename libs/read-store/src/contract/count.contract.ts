import { describe, expect, it } from '@jest/globals';
import { DocumentStore, UnindexedQueryError } from '../document-store.port';
import { at, aTicket, Ticket, ticketsCollection } from './contract-fixtures';

/** count and countBy over index ranges. */
export function countContract(store: () => DocumentStore): void {
  const tickets = (): Ticket[] => [
    aTicket({ status: 'open', ownerId: 'alice', updatedAt: at(1), tags: ['vip', 'billing'] }),
    aTicket({ status: 'open', ownerId: null, updatedAt: at(2), tags: ['billing'] }),
    aTicket({ status: 'open', ownerId: 'bob', updatedAt: at(3), tags: [] }),
    aTicket({ status: 'pending', ownerId: 'alice', updatedAt: at(4), tags: ['vip'] }),
    aTicket({ status: 'closed', ownerId: 'alice', updatedAt: at(5) }),
    aTicket({ status: 'closed', updatedAt: at(6), tags: ['billing'] }),
  ];

  describe('count', () => {
    it('counts everything, and what a filter selects', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().count(collection)).resolves.toBe(6);
      await expect(store().count(collection, { status: 'open' })).resolves.toBe(3);
      await expect(store().count(collection, { ownerId: null })).resolves.toBe(2);
      await expect(store().count(collection, { status: { in: ['open', 'pending'] } })).resolves.toBe(4);
      await expect(store().count(collection, { status: 'open', updatedAt: { gt: at(1) } })).resolves.toBe(2);
      await expect(store().count(collection, { ownerId: 'alice', status: 'closed' })).resolves.toBe(1);
      await expect(store().count(collection, { status: 'nope' })).resolves.toBe(0);
    });

    it('counts a document once however many of its array values match', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().count(collection, { tags: 'billing' })).resolves.toBe(3);
      await expect(store().count(collection, { tags: { in: ['vip', 'billing'] } })).resolves.toBe(4);
    });

    it('refuses a filter no index serves', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().count(collection, { priority: 2 })).rejects.toBeInstanceOf(UnindexedQueryError);
    });
  });

  describe('countBy', () => {
    it('counts per value of a field, null and missing under "null"', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().countBy(collection, 'status')).resolves.toEqual({ open: 3, pending: 1, closed: 2 });
      await expect(store().countBy(collection, 'ownerId')).resolves.toEqual({ alice: 3, bob: 1, null: 2 });
    });

    it('counts per value among the documents a filter selects', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().countBy(collection, 'status', { ownerId: 'alice' })).resolves.toEqual({ open: 1, pending: 1, closed: 1 });
      await expect(store().countBy(collection, 'ownerId', { status: 'open' })).resolves.toEqual({ alice: 1, bob: 1, null: 1 });
      await expect(store().countBy(collection, 'status', { ownerId: 'nobody' })).resolves.toEqual({});
    });

    it('counts an array field per element', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().countBy(collection, 'tags')).resolves.toEqual({ vip: 2, billing: 3, null: 2 });
    });

    it('counts every element of the documents a filter on that array field selects', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().countBy(collection, 'tags', { tags: 'vip' })).resolves.toEqual({ vip: 2, billing: 1 });
      await expect(store().countBy(collection, 'tags', { tags: { in: ['billing', 'none'] }, status: 'open' })).resolves.toEqual({ vip: 1, billing: 2 });
      await expect(store().countBy(collection, 'tags', { tags: null })).resolves.toEqual({ null: 2 });
    });

    it('refuses a grouping no index serves, unless a filter narrows it to an index range', async () => {
      const collection = await ticketsCollection(store(), tickets());
      await expect(store().countBy(collection, 'priority')).rejects.toBeInstanceOf(UnindexedQueryError);
      await expect(store().countBy(collection, 'priority', { status: 'open' })).resolves.toEqual({ null: 3 });
    });
  });
}

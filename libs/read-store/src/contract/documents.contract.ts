import { describe, expect, it } from '@jest/globals';
import { DocumentStore, UnindexedQueryError } from '../document-store.port';
import { aName, aTicket, idsOf, put, ticketsCollection, ticketsIn } from './contract-fixtures';

/** Documents by id, collections and their definitions. */
export function documentsContract(store: () => DocumentStore): void {
  describe('documents by id', () => {
    it('gives back what was upserted, nested values and all', async () => {
      const collection = await ticketsCollection(store());
      const document = {
        ...aTicket(),
        messages: [{ from: 'zoë@example.com', text: 'Ça ne marche pas 🙁', at: null }],
        counts: { replies: 2, notes: 0 },
        flagged: false,
      };
      await put(store(), collection, [document]);
      await expect(store().get(collection, document.id)).resolves.toEqual(document);
    });

    it('has nothing under an id never written', async () => {
      const collection = await ticketsCollection(store());
      await expect(store().get(collection, 'nobody')).resolves.toBeUndefined();
    });

    it('replaces the whole document on upsert (no merge)', async () => {
      const collection = await ticketsCollection(store());
      const first = aTicket({ subject: 'first', priority: 3 });
      await put(store(), collection, [first]);
      const second = { id: first.id, number: first.number, status: 'closed', updatedAt: first.updatedAt };
      await put(store(), collection, [second]);
      await expect(store().get(collection, first.id)).resolves.toEqual(second);
    });

    it('deletes, and deleting what is not there is no error', async () => {
      const collection = await ticketsCollection(store());
      const [kept, removed] = [aTicket(), aTicket()];
      await put(store(), collection, [kept, removed]);
      await store().transaction(async (writer) => {
        writer.delete(collection, removed.id);
        writer.delete(collection, 'never-there');
      });
      await expect(store().get(collection, removed.id)).resolves.toBeUndefined();
      await expect(store().get(collection, kept.id)).resolves.toEqual(kept);
    });

    it('getMany returns documents in the order of the ids given, skipping missing ones', async () => {
      const collection = await ticketsCollection(store());
      const [a, b, c] = [aTicket(), aTicket(), aTicket()];
      await put(store(), collection, [a, b, c]);
      const found = await store().getMany(collection, [c.id, 'missing', a.id, b.id]);
      expect(idsOf(found as { id: string }[])).toEqual([c.id, a.id, b.id]);
      await expect(store().getMany(collection, [])).resolves.toEqual([]);
    });

    it('scans every document in id order, page after page', async () => {
      const collection = await ticketsCollection(store());
      const tickets = Array.from({ length: 7 }, () => aTicket());
      await put(store(), collection, [...tickets].reverse());
      const first = await store().scan(collection, { limit: 3 });
      const rest = await store().scan(collection, { after: first[first.length - 1].id, limit: 10 });
      expect([...first, ...rest].map((r) => r.id)).toEqual(idsOf(tickets));
      expect(rest[0].document).toEqual(tickets[3]);
    });
  });

  describe('collections', () => {
    it('ensureCollection is idempotent: again with the same definition keeps the documents', async () => {
      const collection = await ticketsCollection(store());
      const ticket = aTicket({ status: 'pending' });
      await put(store(), collection, [ticket]);
      await store().ensureCollection(ticketsIn(collection));
      await store().ensureCollection(ticketsIn(collection));
      await expect(store().get(collection, ticket.id)).resolves.toEqual(ticket);
      await expect(store().count(collection, { status: 'pending' })).resolves.toBe(1);
    });

    it('applies a changed definition to the documents already there', async () => {
      const name = aName();
      await store().ensureCollection({ name, indexes: [{ name: 'by_x', fields: ['status'] }] });
      const tickets = [aTicket({ priority: 2 }), aTicket({ priority: 1 }), aTicket({ priority: 2 })];
      await put(store(), name, tickets);
      await expect(store().count(name, { priority: 2 })).rejects.toBeInstanceOf(UnindexedQueryError);

      // The same index name over other fields, and a new one.
      await store().ensureCollection({
        name,
        indexes: [
          { name: 'by_x', fields: ['priority', 'number'] },
          { name: 'by_owner', fields: ['ownerId'] },
        ],
      });

      await expect(store().count(name, { priority: 2 })).resolves.toBe(2);
      const page = await store().find(name, { filter: { priority: 2 }, sort: [{ field: 'number', direction: 'asc' }], limit: 10 });
      expect(idsOf(page.items as { id: string }[])).toEqual([tickets[0].id, tickets[2].id]);
      await expect(store().count(name, { status: 'open' })).rejects.toBeInstanceOf(UnindexedQueryError);
    });

    it('lists collections and drops one with its documents', async () => {
      const [kept, dropped] = [await ticketsCollection(store()), await ticketsCollection(store())];
      await put(store(), dropped, [aTicket()]);
      expect(await store().listCollections()).toEqual(expect.arrayContaining([kept, dropped]));

      await store().dropCollection(dropped);
      await store().dropCollection(aName('never'));

      const names = await store().listCollections();
      expect(names).toContain(kept);
      expect(names).not.toContain(dropped);
      await store().ensureCollection(ticketsIn(dropped));
      await expect(store().count(dropped)).resolves.toBe(0);
    });
  });
}

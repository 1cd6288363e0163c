import { describe, expect, it } from '@jest/globals';
import { DocumentStore, InvalidCursorError, SearchHit } from '../document-store.port';
import { aName, allPages, aTicket, idsOf, put, Ticket, ticketsCollection } from './contract-fixtures';

/** Full-text search: ranking, snippets, prefixes, folding, hostile input, filters, pages. */
export function searchContract(store: () => DocumentStore): void {
  const search = (collection: string, query: string, filter?: Record<string, string>): Promise<SearchHit<Ticket>[]> =>
    store()
      .search<Ticket>(collection, query, { limit: 50, filter })
      .then((page) => page.items);
  const hitIds = (hits: SearchHit<Ticket>[]): string[] => hits.map((h) => h.document.id);

  /** Ranking statistics need a corpus: documents that do not match. */
  const filler = (n: number): Ticket[] =>
    Array.from({ length: n }, (_, i) => aTicket({ subject: `Password reset ${i}`, body: 'Please reset my password, thanks.' }));

  describe('search', () => {
    it('ranks a match in an earlier field above one in a later field, best first', async () => {
      const inBody = aTicket({ subject: 'Question about my account', body: 'The printer on floor three is jammed again today.' });
      const inSubject = aTicket({ subject: 'Printer jammed', body: 'It happened again on floor three today after lunch.' });
      const collection = await ticketsCollection(store(), [inBody, inSubject, ...filler(10)]);

      const hits = await search(collection, 'printer');
      expect(hitIds(hits)).toEqual([inSubject.id, inBody.id]);
      expect(hits[0].score).toBeGreaterThan(hits[1].score);
      expect(hits[0].document).toEqual(inSubject);
    });

    it('marks the matches in a snippet with « and »', async () => {
      const ticket = aTicket({ subject: 'Invoice', body: 'The invoice for March never arrived at our office in Lyon.' });
      const collection = await ticketsCollection(store(), [ticket, ...filler(3)]);
      const [hit] = await search(collection, 'march');
      expect(hit.snippet).toContain('«March»');
    });

    it('matches the last term as a prefix (search as you type)', async () => {
      const ticket = aTicket({ subject: 'Missing invoice', body: 'Sent twice.' });
      const collection = await ticketsCollection(store(), [ticket, ...filler(3)]);
      expect(hitIds(await search(collection, 'invo'))).toEqual([ticket.id]);
      expect(hitIds(await search(collection, 'missing invo'))).toEqual([ticket.id]);
      expect(hitIds(await search(collection, 'miss invoice'))).toEqual([]);
    });

    it('ignores case and diacritics on both sides', async () => {
      const cafe = aTicket({ subject: 'Café order', body: 'Crème brûlée was missing.' });
      const plain = aTicket({ subject: 'Creme delivery', body: 'CAFE closed.' });
      const collection = await ticketsCollection(store(), [cafe, plain, ...filler(3)]);
      expect(hitIds(await search(collection, 'cafe')).sort()).toEqual([cafe.id, plain.id].sort());
      expect(hitIds(await search(collection, 'CRÈME')).sort()).toEqual([cafe.id, plain.id].sort());
      expect(hitIds(await search(collection, 'brulee'))).toEqual([cafe.id]);
    });

    it('treats any input as text: operators and quotes are never syntax errors', async () => {
      const ticket = aTicket({ subject: 'Foo bar and the printer', body: 'x-ray NEAR the door' });
      const collection = await ticketsCollection(store(), [ticket, ...filler(3)]);
      for (const query of ['foo"bar', 'AND', '-printer', 'NEAR(', 'x*', '"', "'", '(', 'a OR', 'subject:foo', '^foo', 'foo AND', '*', '"""', '\\', ')(']) {
        await expect(store().search(collection, query, { limit: 5 })).resolves.toEqual(expect.objectContaining({ items: expect.any(Array) }));
      }
      expect(hitIds(await search(collection, '-printer'))).toEqual([ticket.id]);
      expect(hitIds(await search(collection, 'foo"bar'))).toEqual([ticket.id]);
      expect(hitIds(await search(collection, 'AND'))).toEqual([ticket.id]);
      expect(await search(collection, '  ')).toEqual([]);
      expect(await search(collection, '*')).toEqual([]);
    });

    it('searches the strings of an array field', async () => {
      const ticket = aTicket({ subject: 'Thread', body: ['First message about a broken monitor', 'Second message: still broken'] });
      const collection = await ticketsCollection(store(), [ticket, ...filler(3)]);
      const [hit] = await search(collection, 'monitor');
      expect(hit.document.id).toBe(ticket.id);
      expect(hit.snippet).toContain('«monitor»');
    });

    it('keeps up with updates and deletes', async () => {
      const ticket = aTicket({ subject: 'Refund request', body: 'Order 1234' });
      const collection = await ticketsCollection(store(), [ticket, ...filler(3)]);
      await put(store(), collection, [{ ...ticket, subject: 'Exchange request' }]);
      expect(await search(collection, 'refund')).toEqual([]);
      expect(hitIds(await search(collection, 'exchange'))).toEqual([ticket.id]);
      await store().transaction(async (writer) => writer.delete(collection, ticket.id));
      expect(await search(collection, 'exchange')).toEqual([]);
    });

    it('applies a filter to the documents found', async () => {
      const open = aTicket({ status: 'open', subject: 'Printer broken' });
      const closed = aTicket({ status: 'closed', subject: 'Printer broken too' });
      const collection = await ticketsCollection(store(), [open, closed, ...filler(3)]);
      expect(hitIds(await search(collection, 'printer', { status: 'open' }))).toEqual([open.id]);
      expect(hitIds(await search(collection, 'printer', { subject: 'Printer broken too' }))).toEqual([closed.id]);
    });

    it('pages by score with no gaps and no repeats, ties included', async () => {
      const same = Array.from({ length: 23 }, () => aTicket({ subject: 'Network outage', body: 'Nothing works.' }));
      const better = aTicket({ subject: 'Network outage network', body: 'network network' });
      const collection = await ticketsCollection(store(), [...same, better, ...filler(10)]);

      const { items, pages } = await allPages((cursor) => store().search<Ticket>(collection, 'network', { limit: 5, cursor }));

      expect(pages).toHaveLength(5);
      expect(items[0].document.id).toBe(better.id);
      // Equal scores come in an order of the adapter's choosing, but each document exactly once.
      expect(items.map((h) => h.document.id).slice(1).sort()).toEqual(idsOf(same).sort());
      const scores = items.map((h) => h.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      expect(new Set(scores.slice(1)).size).toBe(1);
      await expect(store().search(collection, 'outage', { limit: 5, cursor: pages[0].nextCursor })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    it('refuses to search a collection without text fields', async () => {
      const name = aName();
      await store().ensureCollection({ name, indexes: [] });
      await expect(store().search(name, 'anything', { limit: 5 })).rejects.toThrow();
    });
  });
}

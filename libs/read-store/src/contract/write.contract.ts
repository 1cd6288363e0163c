import { expect, it as plainIt } from '@jest/globals';
import { DocumentStore, WriteBatch } from '../document-store.port';
import { aName, aTicket, countedTicketsIn, idsOf, modelCount, modelCountBy, put, Ticket, ticketsCollection } from './contract-fixtures';

const batchOf = (collection: string, documents: readonly (Ticket | { id: string; deleted: true })[], checkpoints: [string, bigint][] = []): WriteBatch => ({
  documents: new Map([[collection, new Map(documents.map((d) => [d.id, 'deleted' in d ? null : d]))]]),
  checkpoints: new Map(checkpoints),
});

/**
 * `write`: batches prepared without reading, committed like transactions, in call order, possibly in the background.
 * Optional in the port: these tests pass trivially for a store without it.
 */
export function writeContract(opened: () => DocumentStore): void {
  const store = (): DocumentStore & Required<Pick<DocumentStore, 'write'>> => opened() as DocumentStore & Required<Pick<DocumentStore, 'write'>>;
  const it = (name: string, test: () => Promise<void>): void => plainIt(name, async () => (opened().write ? test() : undefined));

  it('commits the documents, deletes and checkpoints of a batch together', async () => {
    const collection = await ticketsCollection(store());
    const checkpoint = aName('p');
    const [a, b, gone] = [aTicket(), aTicket(), aTicket()];
    await put(store(), collection, [gone]);
    await store().write(batchOf(collection, [a, b, { id: gone.id, deleted: true }], [[checkpoint, 42n]]));
    await expect(store().getMany(collection, [a.id, b.id, gone.id])).resolves.toEqual([a, b]);
    await expect(store().checkpoint(checkpoint)).resolves.toBe(42n);
    await expect(store().count(collection)).resolves.toBe(2);
  });

  it('commits batches in the order of the calls, without waiting for one before sending the next', async () => {
    const collection = await ticketsCollection(store());
    const checkpoint = aName('p');
    const ticket = aTicket({ status: 'new' });
    const writes = ['open', 'pending', 'closed'].map((status, i) =>
      store().write(batchOf(collection, [{ ...ticket, status }, aTicket({ id: `${ticket.id}-${i}` })], [[checkpoint, BigInt(i + 1)]])),
    );
    await Promise.all(writes);
    await expect(store().get(collection, ticket.id)).resolves.toEqual({ ...ticket, status: 'closed' });
    await expect(store().checkpoint(checkpoint)).resolves.toBe(3n);
    await expect(store().count(collection, { status: 'closed' })).resolves.toBe(1);
    await expect(store().count(collection)).resolves.toBe(4);
  });

  it('keeps its order with transactions: each sees what was called before it', async () => {
    const collection = await ticketsCollection(store());
    const ticket = aTicket({ status: 'new' });
    void store().write(batchOf(collection, [ticket]));
    const seen = store().transaction(async (writer) => {
      const current = await writer.get<Ticket>(collection, ticket.id);
      writer.upsert(collection, ticket.id, { ...current!, status: 'open' });
    });
    const last = store().write(batchOf(collection, [{ ...ticket, status: 'closed', number: 99 }]));
    await Promise.all([seen, last]);
    await expect(store().get(collection, ticket.id)).resolves.toEqual({ ...ticket, status: 'closed', number: 99 });
  });

  it('takes its own copy: the caller may change its objects once write returns', async () => {
    const collection = await ticketsCollection(store());
    const ticket = { ...aTicket({ status: 'open' }) } as { -readonly [K in keyof Ticket]: Ticket[K] };
    const written = store().write(batchOf(collection, [ticket]));
    ticket.status = 'changed afterwards';
    await written;
    await expect(store().get(collection, ticket.id)).resolves.toMatchObject({ status: 'open' });
  });

  it('refuses a batch at once, writing none of it, when a document cannot be stored', async () => {
    const collection = await ticketsCollection(store());
    const good = aTicket();
    expect(() => store().write(batchOf(collection, [good, { ...aTicket(), number: 1n as unknown as number }]))).toThrow(TypeError);
    expect(() => store().write(batchOf(collection, [[1, 2] as unknown as Ticket]))).toThrow(TypeError);
    expect(() => store().write({ documents: new Map([[aName('missing'), new Map([['a', {}]])]]) })).toThrow();
    expect(() => store().write(batchOf(collection, [good], [['p', -1n]]))).toThrow(TypeError);
    await store().write(batchOf(collection, []));
    await expect(store().get(collection, good.id)).resolves.toBeUndefined();
  });

  it('fails the batches sent after a failed one while it was pending, and writes those sent once the failure is known', async () => {
    const collection = await ticketsCollection(store());
    const checkpoint = aName('p');
    const [first, after, later] = [aTicket(), aTicket(), aTicket()];
    // Fails where it is committed: two array fields in one index (tags and updatedAt in by_tag) cannot be indexed.
    const parallel = aTicket({ tags: ['a', 'b'], updatedAt: ['x', 'y'] as unknown as string });
    const failing = store().write(batchOf(collection, [first, parallel], [[checkpoint, 1n]]));
    const following = store().write(batchOf(collection, [after], [[checkpoint, 2n]]));
    await expect(failing).rejects.toThrow(/both hold arrays/);
    await expect(following).rejects.toThrow();
    await store().write(batchOf(collection, [later], [[checkpoint, 3n]]));
    await expect(store().getMany(collection, [first.id, parallel.id, after.id, later.id])).resolves.toEqual([later]);
    await expect(store().checkpoint(checkpoint)).resolves.toBe(3n);
  });

  it('loads a bulk collection: arrays found on the way make multikey indexes and counters at completion', async () => {
    const collection = aName('bulk');
    await store().ensureCollection(countedTicketsIn(collection), { bulkLoad: true });
    const tickets = Array.from({ length: 30 }, (_, i) =>
      aTicket({ status: ['open', 'closed'][i % 2], ownerId: i % 3 ? `agent-${i % 3}` : null, priority: i % 4, updatedAt: `2024-05-0${(i % 9) + 1}`, subject: `printer ${i}` }),
    );
    await store().write(batchOf(collection, tickets.slice(0, 15)));
    const tagged = tickets.slice(15).map((t, i) => ({ ...t, tags: i % 2 ? ['vip', 'x'] : ['x'] }));
    await store().write(batchOf(collection, [...tagged, { id: tickets[0].id, deleted: true }]));
    await store().completeBulkLoad(collection);
    const all = [...tickets.slice(1, 15), ...tagged];
    await expect(store().count(collection, { tags: 'vip' })).resolves.toBe(modelCount(all, { tags: 'vip' }));
    await expect(store().countBy(collection, 'tags')).resolves.toEqual(modelCountBy(all, 'tags'));
    await expect(store().countBy(collection, 'ownerId', { status: 'open' })).resolves.toEqual(modelCountBy(all, 'ownerId', { status: 'open' }));
    const found = await store().find<Ticket>(collection, { filter: { tags: 'x' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 100 });
    expect(new Set(idsOf(found.items))).toEqual(new Set(idsOf(tagged)));
    expect((await store().search(collection, 'printer', { limit: 100 })).items).toHaveLength(all.length);
  });
}

import { describe, expect, it } from '@jest/globals';
import { CheckpointConflictError, DocumentStore, DocumentWriter } from '../document-store.port';
import { aName, aTicket, put, Ticket, ticketsCollection } from './contract-fixtures';

/** Transactions: documents and checkpoints together or not at all; checkpoints. */
export function transactionContract(store: () => DocumentStore): void {
  describe('transaction', () => {
    it('commits documents and checkpoint together', async () => {
      const collection = await ticketsCollection(store());
      const checkpoint = aName('p');
      const tickets = [aTicket(), aTicket()];
      await store().transaction(async (writer) => {
        for (const t of tickets) writer.upsert(collection, t.id, t);
        writer.setCheckpoint(checkpoint, 17n);
      });
      await expect(store().getMany(collection, tickets.map((t) => t.id))).resolves.toEqual(tickets);
      await expect(store().checkpoint(checkpoint)).resolves.toBe(17n);
    });

    it('rolls back documents, deletes and checkpoint when work throws, and rethrows', async () => {
      const collection = await ticketsCollection(store());
      const checkpoint = aName('p');
      const kept = aTicket({ subject: 'kept' });
      await store().transaction(async (writer) => {
        writer.upsert(collection, kept.id, kept);
        writer.setCheckpoint(checkpoint, 5n);
      });
      const failure = new Error('projection failed');

      const attempt = store().transaction(async (writer) => {
        writer.upsert(collection, kept.id, { ...kept, subject: 'changed' });
        writer.upsert(collection, 'added', aTicket({ id: 'added' }));
        writer.setCheckpoint(checkpoint, 9n);
        await Promise.resolve();
        writer.delete(collection, kept.id);
        throw failure;
      });

      await expect(attempt).rejects.toBe(failure);
      await expect(store().get(collection, kept.id)).resolves.toEqual(kept);
      await expect(store().get(collection, 'added')).resolves.toBeUndefined();
      await expect(store().checkpoint(checkpoint)).resolves.toBe(5n);
      await expect(store().count(collection)).resolves.toBe(1);
    });

    it('rolls back when a write is refused mid-way (unknown collection)', async () => {
      const collection = await ticketsCollection(store());
      const checkpoint = aName('p');
      const attempt = store().transaction(async (writer) => {
        writer.upsert(collection, 'a', aTicket({ id: 'a' }));
        writer.setCheckpoint(checkpoint, 3n);
        writer.upsert(aName('missing'), 'b', aTicket({ id: 'b' }));
      });
      await expect(attempt).rejects.toThrow();
      await expect(store().get(collection, 'a')).resolves.toBeUndefined();
      await expect(store().checkpoint(checkpoint)).resolves.toBeUndefined();
    });

    it("lets the writer read the transaction's own writes", async () => {
      const collection = await ticketsCollection(store());
      const stored = aTicket({ subject: 'stored' });
      await put(store(), collection, [stored]);
      await store().transaction(async (writer) => {
        await expect(writer.get(collection, stored.id)).resolves.toEqual(stored);
        const added = aTicket({ subject: 'added' });
        writer.upsert(collection, added.id, added);
        await expect(writer.get(collection, added.id)).resolves.toEqual(added);
        writer.upsert(collection, stored.id, { ...stored, subject: 'changed' });
        await expect(writer.get<Ticket>(collection, stored.id)).resolves.toMatchObject({ subject: 'changed' });
        writer.delete(collection, stored.id);
        await expect(writer.get(collection, stored.id)).resolves.toBeUndefined();
      });
    });

    it('shows queries committed documents only while a transaction is open', async () => {
      const collection = await ticketsCollection(store());
      const ticket = aTicket();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const hasWritten = new Promise<void>((resolve) => (written = resolve));

      const transaction = store().transaction(async (writer) => {
        writer.upsert(collection, ticket.id, ticket);
        await writer.get(collection, ticket.id);
        written();
        await held;
      });
      await hasWritten;
      await expect(store().get(collection, ticket.id)).resolves.toBeUndefined();
      await expect(store().count(collection, { status: 'open' })).resolves.toBe(0);
      release();
      await transaction;
      await expect(store().get(collection, ticket.id)).resolves.toEqual(ticket);
    });

    it('loses no update when transactions run concurrently', async () => {
      const name = aName();
      await store().ensureCollection({ name, indexes: [] });
      await put(store(), name, [{ id: 'counter', value: 0 } as { id: string }]);
      const increment = (): Promise<void> =>
        store().transaction(async (writer) => {
          const counter = (await writer.get<{ id: string; value: number }>(name, 'counter'))!;
          await new Promise((resolve) => setTimeout(resolve, 1));
          writer.upsert(name, 'counter', { ...counter, value: counter.value + 1 });
        });
      await Promise.all(Array.from({ length: 8 }, increment));
      await expect(store().get(name, 'counter')).resolves.toEqual({ id: 'counter', value: 8 });
    });

    it('stores a document as it was when upserted', async () => {
      const collection = await ticketsCollection(store());
      const ticket = { ...aTicket(), subject: 'as written' };
      await store().transaction(async (writer) => {
        writer.upsert(collection, ticket.id, ticket);
        ticket.subject = 'mutated afterwards';
      });
      await expect(store().get<Ticket>(collection, ticket.id)).resolves.toMatchObject({ subject: 'as written' });
    });

    it('refuses writes through a writer whose transaction is over', async () => {
      const collection = await ticketsCollection(store());
      let escaped: DocumentWriter | undefined;
      await store().transaction(async (writer) => {
        escaped = writer;
      });
      expect(() => escaped!.upsert(collection, 'late', aTicket({ id: 'late' }))).toThrow();
      await expect(store().get(collection, 'late')).resolves.toBeUndefined();
    });
  });

  describe('checkpoints', () => {
    it('has none before the first is set', async () => {
      await expect(store().checkpoint(aName('p'))).resolves.toBeUndefined();
    });

    it('round-trips positions beyond 2^53 exactly, and moves on', async () => {
      const name = aName('p');
      const big = 2n ** 62n + 12345n;
      await store().transaction(async (writer) => writer.setCheckpoint(name, big));
      await expect(store().checkpoint(name)).resolves.toBe(big);
      await store().transaction(async (writer) => writer.setCheckpoint(name, big + 1n));
      await expect(store().checkpoint(name)).resolves.toBe(big + 1n);
      await store().transaction(async (writer) => writer.setCheckpoint(name, 0n));
      await expect(store().checkpoint(name)).resolves.toBe(0n);
    });

    it('compare-and-set: moves a checkpoint that is where the writer expected (null: none yet)', async () => {
      const checkpoint = aName('p');
      await store().transaction(async (writer) => writer.setCheckpoint(checkpoint, 10n, null));
      await store().transaction(async (writer) => writer.setCheckpoint(checkpoint, 20n, 10n));
      await expect(store().checkpoint(checkpoint)).resolves.toBe(20n);
    });

    it('compare-and-set: when another writer moved the checkpoint, fails and writes nothing of the transaction', async () => {
      const collection = await ticketsCollection(store());
      const checkpoint = aName('p');
      await store().transaction(async (writer) => writer.setCheckpoint(checkpoint, 10n));
      // Two projectors both read 10; the first commits 20, the second must not also apply "its" batch.
      await store().transaction(async (writer) => writer.setCheckpoint(checkpoint, 20n, 10n));
      const late = aTicket();
      const attempt = store().transaction(async (writer) => {
        writer.upsert(collection, late.id, late);
        writer.setCheckpoint(checkpoint, 20n, 10n);
      });
      await expect(attempt).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(attempt).rejects.toMatchObject({ checkpoint, expected: 10n, actual: 20n });
      await expect(store().get(collection, late.id)).resolves.toBeUndefined();
      await expect(store().checkpoint(checkpoint)).resolves.toBe(20n);
      const none = store().transaction(async (writer) => writer.setCheckpoint(aName('p') + '-x', 1n, 5n));
      await expect(none).rejects.toMatchObject({ expected: 5n, actual: null });
    });

    it('keeps checkpoints apart by name', async () => {
      const [a, b] = [aName('p'), aName('p')];
      await store().transaction(async (writer) => {
        writer.setCheckpoint(a, 1n);
        writer.setCheckpoint(b, 2n);
      });
      await expect(store().checkpoint(a)).resolves.toBe(1n);
      await expect(store().checkpoint(b)).resolves.toBe(2n);
    });
  });
}

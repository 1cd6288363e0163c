/**
 * Child process of the crash test (sqlite-document-store.spec.ts): opens the store, writes many documents
 * and a checkpoint inside a transaction, so that they reach the database file (a small page cache makes
 * SQLite spill them into the WAL) and says "written" on stdout. It then never commits: the parent kills it
 * with SIGKILL.
 *
 *   node <ts hook> hang-in-transaction.ts <path> <collection> <checkpoint> <count> [mutate]
 *
 * With `mutate`, the transaction first also changes the documents already stored: every third is deleted,
 * the others change status, owner and tags (what counters and side tables follow).
 */
import { SqliteDocumentStore } from '../sqlite-document-store';

async function main(): Promise<void> {
  const [path, collection, checkpoint, count, mode] = process.argv.slice(1);
  const store = new SqliteDocumentStore({ path, cacheKiB: 64, maxPendingWrites: 200 });
  // Keeps the process alive once `work` waits on a promise that never settles.
  setInterval(() => undefined, 1000);
  const stored = mode === 'mutate' ? await store.scan<Record<string, unknown>>(collection, { limit: 10_000 }) : [];
  await store.transaction(async (writer) => {
    stored.forEach(({ id, document }, i) => {
      if (i % 3 === 0) writer.delete(collection, id);
      else writer.upsert(collection, id, { ...document, status: 'crashed', ownerId: `agent-${i % 2}`, tags: ['crash', `m${i}`] });
    });
    for (let i = 0; i < Number(count); i += 1) {
      writer.upsert(collection, `crash-${i}`, {
        id: `crash-${i}`,
        number: i,
        status: 'open',
        updatedAt: new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString(),
        tags: ['crash', `n${i % 10}`],
        subject: `Written before the crash ${i}`,
        body: 'x'.repeat(200),
      });
    }
    writer.setCheckpoint(checkpoint, 999n);
    await writer.get(collection, 'crash-0');
    process.stdout.write('written\n');
    await new Promise(() => undefined);
  });
}

main().catch((error) => {
  process.stderr.write(`${String(error?.stack ?? error)}\n`);
  process.exit(1);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projection, type ProjectedEvent, type Projection } from '@helpdesk/projections';
import type { DocumentStore } from '../document-store.port';
import { SqliteDocumentStore } from '../sqlite/sqlite-document-store';
import { BatchApplier, type ProjectionTarget } from './batch-applier';
import { BulkApplier } from './bulk-applier';

interface Tally {
  readonly key: string;
  readonly count: number;
  readonly tags: readonly string[];
  readonly _position: number;
}

/** One document per key: counts its events, collects tags (an array: multikey), deleted by Drop. */
const tallies = projection<Tally>({
  name: 'tallies',
  version: 1,
  handles: ['Counted', 'Dropped', 'Bad'],
  id: (e) => e.data.key,
  evolve: (doc, e) => {
    if (e.type === 'Dropped') return null;
    if (e.type === 'Bad') return { ...doc!, count: 1n as unknown as number, _position: e.position };
    return { key: e.data.key, count: (doc?.count ?? 0) + 1, tags: [...(doc?.tags ?? []), `t${e.position % 3}`], _position: e.position };
  },
  indexes: [{ name: 'by_tag', fields: ['tags', 'count'] }],
  counters: [{ name: 'by_count', fields: ['count'] }],
}) as Projection;

let position = 0;
const event = (type: string, key: string): ProjectedEvent => {
  position += 1;
  return { type, data: { key }, streamId: `s-${key}`, revision: 0, position, metadata: {}, recordedAt: '2024-01-01T00:00:00.000Z' };
};

/** Keys come back page after page, and some are dropped and made again: documents leave the cache and return. */
function pagesOfEvents(): ProjectedEvent[][] {
  position = 0;
  return Array.from({ length: 6 }, (_, page) => [
    ...Array.from({ length: 10 }, (__, i) => event('Counted', `k${(page * 3 + i) % 12}`)),
    ...(page === 2 ? [event('Dropped', 'k4'), event('Dropped', 'never-made')] : []),
    ...(page === 4 ? [event('Counted', 'k4')] : []),
  ]);
}

const folders: string[] = [];
const stores: SqliteDocumentStore[] = [];
const aStore = (options: { backgroundWrites?: boolean } = {}): SqliteDocumentStore => {
  const folder = mkdtempSync(join(tmpdir(), 'bulk-applier-'));
  folders.push(folder);
  const store = new SqliteDocumentStore({ path: join(folder, 'read.db'), ...options });
  stores.push(store);
  return store;
};
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

const definition = (name: string) => ({ name, indexes: tallies.indexes, counters: tallies.counters });
const target = (collection: string): ProjectionTarget => ({ projection: tallies, collection, checkpoint: undefined });

/** What BatchApplier (the live runner's) makes of the same pages: the reference. */
async function expected(pages: readonly ProjectedEvent[][]): Promise<{ documents: unknown[]; counts: unknown }> {
  const store = aStore();
  await store.ensureCollection(definition('reference'));
  const reference = target('reference');
  for (const page of pages) await new BatchApplier(store).apply([reference], page, BigInt(page[page.length - 1]!.position));
  return { documents: await all(store, 'reference'), counts: await store.countBy('reference', 'tags') };
}

const all = async (store: DocumentStore, collection: string) => (await store.scan(collection, { limit: 1000 })).map((r) => [r.id, r.document]);

async function bulkApply(store: DocumentStore, collection: string, pages: readonly ProjectedEvent[][], options = {}): Promise<ProjectionTarget> {
  const into = target(collection);
  const applier = new BulkApplier(store, [into], { pageEvents: 1, ...options });
  await applier.start();
  for (const page of pages) await applier.apply(page, BigInt(page[page.length - 1]!.position));
  await applier.finish();
  return into;
}

describe('BulkApplier', () => {
  it.each([
    ['in the background, a large cache', { backgroundWrites: true }, { cachedDocuments: 1000 }],
    ['in the background, documents evicted after every page', { backgroundWrites: true }, { cachedDocuments: 0, inFlight: 1 }],
    ['without a background writer, documents evicted', { backgroundWrites: false }, { cachedDocuments: 2, inFlight: 3 }],
    ['in pages of several slices of events', { backgroundWrites: true }, { cachedDocuments: 0, pageEvents: 25 }],
  ])('leaves a bulk-loaded collection as the live runner would (%s)', async (_label, storeOptions, applierOptions) => {
    const pages = pagesOfEvents();
    const reference = await expected(pages);
    const store = aStore(storeOptions);
    await store.ensureCollection(definition('bulk'), { bulkLoad: true });
    const applied = await bulkApply(store, 'bulk', pages, applierOptions);
    await store.completeBulkLoad('bulk');
    expect(await all(store, 'bulk')).toEqual(reference.documents);
    await expect(store.countBy('bulk', 'tags')).resolves.toEqual(reference.counts);
    expect(applied.checkpoint).toBe(BigInt(position));
    await expect(store.checkpoint('bulk')).resolves.toBe(BigInt(position));
  });

  it('reads the documents a collection already holds, carrying on from its checkpoint', async () => {
    const pages = pagesOfEvents();
    const reference = await expected(pages);
    const store = aStore();
    await store.ensureCollection(definition('resumed'));
    const first = await bulkApply(store, 'resumed', pages.slice(0, 3), { cachedDocuments: 0 });
    const rest = new BulkApplier(store, [first], { cachedDocuments: 0, pageEvents: 1 });
    await rest.start();
    // Pages already applied are skipped by position, as BatchApplier skips them.
    for (const page of pages) await rest.apply(page, BigInt(page[page.length - 1]!.position));
    await rest.finish();
    expect(await all(store, 'resumed')).toEqual(reference.documents);
  });

  it('writes through transactions where the store has no `write`', async () => {
    const pages = pagesOfEvents();
    const reference = await expected(pages);
    const store = aStore();
    const withoutWrite = new Proxy(store, { get: (t, p) => (p === 'write' ? undefined : Reflect.get(t, p, t)) }) as DocumentStore;
    await store.ensureCollection(definition('plain'), { bulkLoad: true });
    await bulkApply(withoutWrite, 'plain', pages, { cachedDocuments: 1 });
    await store.completeBulkLoad('plain');
    expect(await all(store, 'plain')).toEqual(reference.documents);
  });

  it('fails on a document the store refuses, leaving the collection at the last page committed', async () => {
    const pages = pagesOfEvents();
    const store = aStore();
    await store.ensureCollection(definition('failing'), { bulkLoad: true });
    const into = target('failing');
    const applier = new BulkApplier(store, [into], { pageEvents: 1 });
    await applier.start();
    await applier.apply(pages[0]!, BigInt(pages[0]!.at(-1)!.position));
    await expect(applier.apply([event('Bad', 'k1')], BigInt(position))).rejects.toThrow(TypeError);
    await applier.abandon();
    await expect(store.checkpoint('failing')).resolves.toBe(BigInt(pages[0]!.at(-1)!.position));
  });
});

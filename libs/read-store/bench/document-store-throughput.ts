/**
 * Throughput and latency of SqliteDocumentStore on a request-list-like collection (5 indexes, one of them
 * multikey, text over subject + preview). Prints JSON lines. Not a test: timings never are.
 *
 *   node dist/libs/read-store/bench/document-store-throughput.js [documents=100000] [batch=10000] [NORMAL|FULL]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindOptions, SqliteDocumentStore } from '../src';

const WORDS = ['printer', 'invoice', 'password', 'network', 'refund', 'delivery', 'monitor', 'account', 'license', 'café'];
const STATUSES = ['new', 'open', 'pending', 'resolved', 'closed'];
const INDEXES = [
  { name: 'by_status', fields: ['status', 'updatedAt'] },
  { name: 'by_owner', fields: ['ownerId', 'status', 'updatedAt'] },
  { name: 'by_category', fields: ['categoryId', 'updatedAt'] },
  { name: 'by_due', fields: ['dueAt'] },
  { name: 'by_tag', fields: ['tags', 'updatedAt'] },
];

function aRequest(i: number, revision: number): Record<string, unknown> {
  return {
    id: `req-${String(i).padStart(7, '0')}`,
    number: i,
    status: STATUSES[(i + revision) % STATUSES.length],
    ownerId: i % 4 === 0 ? null : `agent-${i % 40}`,
    categoryId: `cat-${i % 12}`,
    priority: i % 4,
    contactId: `contact-${i % 5000}`,
    tags: i % 3 === 0 ? ['vip', `t${i % 17}`] : [`t${i % 17}`],
    createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    updatedAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000 + revision * 1000).toISOString(),
    dueAt: i % 5 === 0 ? null : new Date(Date.UTC(2024, 0, 2) + i * 60_000).toISOString(),
    subject: `${WORDS[i % WORDS.length]} problem ${WORDS[(i * 7) % WORDS.length]} #${i}`,
    preview: `Hello, my ${WORDS[(i * 3) % WORDS.length]} does not work since ${i % 28 + 1} days. Regards`,
    _position: i * 10 + revision,
  };
}

const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

async function time<T>(runs: number, f: () => Promise<T>): Promise<{ medianMs: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    result = await f();
    times.push(ms(start));
  }
  times.sort((a, b) => a - b);
  return { medianMs: Number(times[Math.floor(times.length / 2)].toFixed(3)), result };
}

async function main(): Promise<void> {
  const documents = Number(process.argv[2] ?? 100_000);
  const batch = Number(process.argv[3] ?? 10_000);
  const synchronous = (process.argv[4] ?? 'NORMAL') as 'NORMAL' | 'FULL';
  const folder = mkdtempSync(join(tmpdir(), 'read-store-bench-'));
  const store = new SqliteDocumentStore({ path: join(folder, 'read.db'), synchronous });
  const collection = 'request_list_v1';
  await store.ensureCollection({ name: collection, indexes: [...INDEXES], text: { fields: ['subject', 'preview'] } });

  const write = async (label: string, revision: number, order: (i: number) => number): Promise<void> => {
    const perBatch: number[] = [];
    const start = process.hrtime.bigint();
    for (let from = 0; from < documents; from += batch) {
      const t = process.hrtime.bigint();
      await store.transaction(async (writer) => {
        for (let i = from; i < Math.min(from + batch, documents); i += 1) {
          const doc = aRequest(order(i), revision);
          writer.upsert(collection, doc.id as string, doc);
        }
        writer.setCheckpoint(collection, BigInt(from + batch));
      });
      perBatch.push(ms(t));
    }
    const total = ms(start);
    perBatch.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        write: label,
        documents,
        batch,
        synchronous,
        docsPerSecond: Math.round((documents / total) * 1000),
        medianBatchMs: Number(perBatch[Math.floor(perBatch.length / 2)].toFixed(1)),
        worstBatchMs: Number(perBatch[perBatch.length - 1].toFixed(1)),
      }),
    );
  };

  await write('insert', 0, (i) => i);
  // Updates in a scattered order (every document once): status, updatedAt and _position change. Worst case.
  const stride = 7919;
  await write('update scattered', 1, (i) => (i * stride) % documents);
  // Live projection: updates fall on recent requests (here the newest 20%).
  const hot = Math.floor(documents / 5);
  await write('update recent 20%', 2, (i) => documents - hot + ((i * stride) % hot));

  // A rebuild as the runner does it: batches of events, each document read once and written once per batch.
  // Requests get ~10 events each, spread over a window of the log, so a document spans several batches.
  {
    const rebuild = 'request_list_v2';
    await store.ensureCollection({ name: rebuild, indexes: [...INDEXES], text: { fields: ['subject', 'preview'] } });
    const events = documents * 2;
    const window = 4 * batch;
    const start = process.hrtime.bigint();
    for (let from = 0; from < events; from += batch) {
      await store.transaction(async (writer) => {
        const changed = new Map<string, Record<string, unknown>>();
        for (let e = from; e < Math.min(from + batch, events); e += 1) {
          // Event e belongs to request (e / 10) shifted inside a sliding window: interleaved, not grouped.
          const request = Math.floor((e - (e % window) + ((e % window) * 7919) % window) / 10);
          const id = `req-${String(request).padStart(7, '0')}`;
          const current = changed.get(id) ?? (await writer.get<Record<string, unknown>>(rebuild, id)) ?? aRequest(request, 0);
          changed.set(id, { ...current, status: STATUSES[e % STATUSES.length], updatedAt: new Date(e * 1000).toISOString(), _position: e });
        }
        for (const [id, doc] of changed) writer.upsert(rebuild, id, doc);
        writer.setCheckpoint(rebuild, BigInt(from + batch));
      });
    }
    const seconds = ms(start) / 1000;
    console.log(JSON.stringify({ rebuild: 'store side of a rebuild', events, requests: events / 10, batch, eventsPerSecond: Math.round(events / seconds) }));
  }

  const page = async (label: string, options: FindOptions): Promise<void> => {
    const first = await time(21, () => store.find(collection, options));
    let cursor = first.result.nextCursor;
    for (let i = 0; i < 100 && cursor; i += 1) cursor = (await store.find(collection, { ...options, cursor })).nextCursor;
    const deep = cursor ? await time(21, () => store.find(collection, { ...options, cursor })) : undefined;
    console.log(JSON.stringify({ find: label, limit: options.limit, firstPageMs: first.medianMs, page101Ms: deep?.medianMs }));
  };
  await page('status=open by updatedAt desc', { filter: { status: 'open' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 50 });
  await page('unassigned open', { filter: { ownerId: null, status: 'open' }, sort: [{ field: 'updatedAt', direction: 'asc' }], limit: 50 });
  await page('tag vip (multikey)', { filter: { tags: 'vip' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 50 });
  await page('deadline passed', { filter: { dueAt: { lt: '2024-02-01T00:00:00.000Z' } }, sort: [{ field: 'dueAt', direction: 'asc' }], limit: 50 });
  await page('status in (new, open) + residual priority', {
    filter: { status: { in: ['new', 'open'] }, priority: 3 },
    sort: [{ field: 'updatedAt', direction: 'desc' }],
    limit: 50,
  });

  const measure = async (label: string, f: () => Promise<unknown>): Promise<void> => {
    const { medianMs, result } = await time(11, f);
    console.log(JSON.stringify({ query: label, medianMs, result: typeof result === 'object' ? undefined : result }));
  };
  await measure('count status=open', () => store.count(collection, { status: 'open' }));
  await measure('count all', () => store.count(collection));
  await measure('countBy status', () => store.countBy(collection, 'status'));
  await measure('countBy status where owner=agent-1', () => store.countBy(collection, 'status', { ownerId: 'agent-1' }));
  await measure('getMany 50', () => store.getMany(collection, Array.from({ length: 50 }, (_, i) => `req-${String(i * 97).padStart(7, '0')}`)));

  const search = async (label: string, query: string, filter?: Record<string, string>): Promise<void> => {
    const { medianMs, result } = await time(11, () => store.search(collection, query, { limit: 20, filter }));
    console.log(JSON.stringify({ search: label, query, medianMs, hits: result.items.length, snippet: result.items[0]?.snippet }));
  };
  await search('rare word', '#4242');
  await search('common word (10% of docs)', 'printer');
  await search('two words', 'printer invoice');
  await search('prefix', 'netw');
  await search('diacritics', 'cafe');
  await search('common word + filter', 'printer', { status: 'open' });

  await store.close();
  rmSync(folder, { recursive: true, force: true });
}

void main();

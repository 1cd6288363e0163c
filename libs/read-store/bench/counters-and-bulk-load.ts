/**
 * Counters and bulk load of SqliteDocumentStore, measured on request-like collections. Prints JSON lines.
 * Not a test: timings never are. Each part uses fresh database files under the OS temp folder.
 *
 *   node dist/libs/read-store/bench/counters-and-bulk-load.js counters [documents=100000]
 *     Write cost of counters: the request-summaries collection (11 indexes, 2 multikey fields) with and without
 *     the dashboard's 5 counters, and the same without indexes (the counters' triggers alone), for inserts,
 *     updates that move counted fields, and updates that do not.
 *
 *   node dist/libs/read-store/bench/counters-and-bulk-load.js rebuild [requests=125000] [both|incremental|bulk] [pageSize=5000] [lifeMinutes=3000]
 *     The document-store side of a projection rebuild: 8 events per request, 4 collections (summaries with 11
 *     indexes + counters, details, search with FTS, activity), applied as BatchApplier does (pages of 5000
 *     events, one transaction each, every document read once and written once per page), incrementally or
 *     with bulkLoad + completeBulkLoad. usPerEvent times the store's calls (get: read + parse; upsert:
 *     serialise; writesAndCommit: the rest of each transaction; completeBulkLoad). storeSideUsPerEvent is the
 *     whole run minus the same events run against an in-memory map (the projection side), a cross-check.
 *     Set CACHE_KIB / WAL_PAGES to try other store options.
 *
 *   node dist/libs/read-store/bench/counters-and-bulk-load.js counts [documents=1000000]
 *     Dashboard latencies over a large summaries collection (filled by bulk load): count / countBy answered
 *     by counters, the same answered by index ranges (counters dropped), and list page + count; p50 and p99
 *     in wall time and in CPU time (on a shared machine a call may wait for a core).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectionDefinition, DocumentWriter, Filter, FindOptions } from '../src/document-store.port';
import { SqliteDocumentStore } from '../src/sqlite/sqlite-document-store';

type Doc = Record<string, any>;

const SUMMARIES: CollectionDefinition = {
  name: 'summaries',
  indexes: [
    { name: 'by_owner_base_updated', fields: ['ownerId', 'baseStatus', 'updatedAt'] },
    { name: 'by_owner_base_deadline', fields: ['ownerId', 'baseStatus', 'deadline'] },
    { name: 'by_base_deadline', fields: ['baseStatus', 'deadline'] },
    { name: 'by_base_updated', fields: ['baseStatus', 'updatedAt'] },
    { name: 'by_status_updated', fields: ['statusId', 'updatedAt'] },
    { name: 'by_category_base_updated', fields: ['categoryId', 'baseStatus', 'updatedAt'] },
    { name: 'by_tag_updated', fields: ['tags', 'updatedAt'] },
    { name: 'by_contact_updated', fields: ['contactIds', 'updatedAt'] },
    { name: 'by_created', fields: ['createdAt'] },
    { name: 'by_last_flagged', fields: ['lastFlaggedAt'] },
    { name: 'by_number', fields: ['number'] },
  ],
  counters: [
    { name: 'by_owner_base', fields: ['ownerId', 'baseStatus'] },
    { name: 'by_base', fields: ['baseStatus'] },
    { name: 'by_status', fields: ['statusId'] },
    { name: 'by_category_base', fields: ['categoryId', 'baseStatus'] },
    { name: 'by_tag', fields: ['tags'] },
  ],
};
const withoutCounters = (d: CollectionDefinition): CollectionDefinition => ({ ...d, counters: [] });
const DETAILS: CollectionDefinition = {
  name: 'details',
  indexes: [{ name: 'by_number', fields: ['number'] }],
};
const SEARCH: CollectionDefinition = {
  name: 'search',
  indexes: [
    { name: 'by_category_base', fields: ['categoryId', 'baseStatus'] },
    { name: 'by_contact', fields: ['contactIds'] },
  ],
  text: { fields: ['title', 'tags', 'bodies'] },
};
const ACTIVITY: CollectionDefinition = {
  name: 'activity',
  indexes: [{ name: 'by_last_event', fields: ['lastEventAt'] }],
};

// ---------------------------------------------------------------------------------------------------------
// Deterministic data.

const hash = (n: number): number => {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
};
const VOCABULARY = Array.from({ length: 4000 }, (_, i) => {
  let word = '';
  for (let h = hash(i), n = 3 + (h % 8); word.length < n; h = hash(h)) word += String.fromCharCode(97 + (h % 26));
  return word;
});
const COMMON = ['printer', 'invoice', 'password', 'network', 'refund', 'delivery', 'account', 'please', 'thanks', 'café'];
function text(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0, h = hash(seed); i < words; i += 1, h = hash(h)) out.push(h % 5 === 0 ? COMMON[(h >>> 8) % COMMON.length] : VOCABULARY[h % VOCABULARY.length]);
  return out.join(' ');
}
const requestId = (r: number): string => `req-${String(r).padStart(7, '0')}`;
const iso = (ms: number): string => new Date(Date.UTC(2024, 0, 1) + ms).toISOString();
const MINUTE = 60_000;

/** An event of the log: request r's k-th event (8 per request). */
interface BenchEvent {
  readonly r: number;
  readonly k: number;
  readonly at: number;
  readonly position: number;
}
const KINDS = ['created', 'assigned', 'message', 'status', 'message', 'tagged', 'message', 'closed'] as const;

/**
 * The log of `requests` requests: one created per minute, each living 0 to `lifeMinutes` minutes (events evenly
 * spread over its life). With 3000 (two days), a page of 5000 events (~10 hours) holds some events of many
 * requests and a request's events fall into ~3 pages: each document is written ~3.4 times in a rebuild.
 */
function eventLog(requests: number, lifeMinutes: number): BenchEvent[] {
  const events: BenchEvent[] = [];
  for (let r = 0; r < requests; r += 1) {
    const life = hash(r) % (lifeMinutes + 1);
    for (let k = 0; k < KINDS.length; k += 1) events.push({ r, k, at: r * MINUTE + Math.round((life * MINUTE * k) / 7), position: 0 });
  }
  events.sort((a, b) => a.at - b.at || a.r - b.r || a.k - b.k);
  return events.map((e, i) => ({ ...e, position: i + 1 }));
}

const OWNER = (r: number): string | null => (r % 10 === 0 ? null : `agent-${r % 40}`);

/** The projections: pure (document, event) -> document, building new objects as real ones do. */
const evolve: Record<string, (doc: Doc | null, e: BenchEvent) => Doc> = {
  summaries(doc, e) {
    const { r, k } = e;
    const at = iso(e.at);
    if (doc === null) {
      return {
        id: requestId(r), number: r, title: text(r, 8), baseStatus: 'new', statusId: 's-new', ownerId: null,
        categoryId: `cat-${r % 12}`, priorityId: `p-${r % 4}`, tags: [], contactIds: [`contact-${r % 5000}`],
        createdAt: at, updatedAt: at, deadline: iso(e.at + 2880 * MINUTE), lastFlaggedAt: null,
        messageCount: 0, flaggedCount: 0, _ledger: [], _position: e.position,
      };
    }
    const next: Doc = { ...doc, updatedAt: at, _position: e.position };
    switch (KINDS[k]) {
      case 'assigned': return { ...next, ownerId: OWNER(r), baseStatus: 'open', statusId: 's-open' };
      case 'message': {
        const flagged = (r + k) % 7 === 0;
        const ledger = [...doc._ledger, { messageId: `${requestId(r)}-m${k}`, at, actorId: k % 4 ? `contact-${r % 5000}` : OWNER(r), flagged, excerpt: text(r * 8 + k, 6) }];
        return { ...next, messageCount: doc.messageCount + 1, flaggedCount: doc.flaggedCount + (flagged ? 1 : 0), lastFlaggedAt: flagged ? at : doc.lastFlaggedAt, _ledger: ledger };
      }
      case 'status': return { ...next, baseStatus: 'pending', statusId: 's-pending' };
      case 'tagged': return { ...next, tags: r % 3 === 0 ? ['vip', `t${r % 17}`] : [`t${r % 17}`], contactIds: r % 5 === 0 ? [...doc.contactIds, `contact-${(r * 7) % 5000}`] : doc.contactIds };
      case 'closed': return r % 5 === 0 ? { ...next, baseStatus: 'open', statusId: 's-open' } : { ...next, baseStatus: r % 4 ? 'closed' : 'resolved', statusId: r % 4 ? 's-closed' : 's-resolved' };
      default: return next;
    }
  },
  details(doc, e) {
    const { r, k } = e;
    const message = (): Doc => ({ id: `${requestId(r)}-m${k}`, from: `contact-${r % 5000}@example.com`, at: iso(e.at), body: text(r * 8 + k, 40 + (hash(r + k) % 50)) });
    if (doc === null) return { id: requestId(r), number: r, title: text(r, 8), status: 'new', ownerId: null, messages: [message()], _position: e.position };
    const next: Doc = { ...doc, _position: e.position };
    if (KINDS[k] === 'message') return { ...next, messages: [...doc.messages, message()] };
    if (KINDS[k] === 'assigned') return { ...next, ownerId: OWNER(r), status: 'open' };
    if (KINDS[k] === 'closed') return { ...next, status: r % 5 === 0 ? 'open' : 'closed' };
    return next;
  },
  search(doc, e) {
    const { r, k } = e;
    if (doc === null) {
      return { id: requestId(r), title: text(r, 8), tags: [], bodies: [text(r * 8, 40 + (hash(r) % 50))], messageIds: [`${requestId(r)}-m0`], categoryId: `cat-${r % 12}`, baseStatus: 'new', contactIds: [`contact-${r % 5000}`], _position: e.position };
    }
    const next: Doc = { ...doc, _position: e.position };
    switch (KINDS[k]) {
      case 'message': return { ...next, bodies: [...doc.bodies, text(r * 8 + k, 40 + (hash(r + k) % 50))], messageIds: [...doc.messageIds, `${requestId(r)}-m${k}`] };
      case 'tagged': return { ...next, tags: r % 3 === 0 ? ['vip', `t${r % 17}`] : [`t${r % 17}`] };
      case 'assigned': return { ...next, baseStatus: 'open' };
      case 'status': return { ...next, baseStatus: 'pending' };
      case 'closed': return { ...next, baseStatus: r % 5 === 0 ? 'open' : 'closed' };
      default: return next;
    }
  },
  activity(doc, e) {
    const entry = { type: KINDS[e.k], at: iso(e.at), actor: e.k % 2 ? OWNER(e.r) : `contact-${e.r % 5000}` };
    if (doc === null) return { id: requestId(e.r), eventCount: 1, openedAt: iso(e.at), lastEventAt: iso(e.at), history: [entry], _position: e.position };
    return { ...doc, eventCount: doc.eventCount + 1, lastEventAt: iso(e.at), history: [...doc.history.slice(-4), entry], _position: e.position };
  },
};

// ---------------------------------------------------------------------------------------------------------
// Helpers.

const now = (): bigint => process.hrtime.bigint();
const msSince = (start: bigint): number => Number(now() - start) / 1e6;
const round = (n: number, digits = 2): number => Number(n.toFixed(digits));
const print = (line: Record<string, unknown>): void => console.log(JSON.stringify(line));

function tempStore(label: string, extra: Partial<ConstructorParameters<typeof SqliteDocumentStore>[0]> = {}): { store: SqliteDocumentStore; path: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), `read-store-${label}-`));
  const path = join(folder, 'read.db');
  return { store: new SqliteDocumentStore({ path, ...extra }), path, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/**
 * p50 / p99 over `runs` calls, in wall time and in CPU time of this process: on a shared machine a call may
 * wait for a core, which the wall time shows and the CPU time does not.
 */
async function latency(runs: number, f: () => Promise<unknown>): Promise<{ p50: number; p99: number; cpuP50: number; cpuP99: number }> {
  for (let i = 0; i < 5; i += 1) await f();
  const times: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = now();
    const used = process.cpuUsage();
    await f();
    const spent = process.cpuUsage(used);
    times.push(msSince(start));
    cpus.push((spent.user + spent.system) / 1000);
  }
  const at = (values: number[], q: number): number => round([...values].sort((a, b) => a - b)[Math.min(runs - 1, Math.floor(runs * q))], 3);
  return { p50: at(times, 0.5), p99: at(times, 0.99), cpuP50: at(cpus, 0.5), cpuP99: at(cpus, 0.99) };
}

// ---------------------------------------------------------------------------------------------------------
// Part 1: the write cost of counters.

/** A summary document as it is after `stage` events (the request-summaries shape, ~1 KB). */
function summaryAt(r: number, stage: number): Doc {
  let doc: Doc | null = null;
  for (let k = 0; k <= stage; k += 1) doc = evolve.summaries(doc, { r, k, at: r * MINUTE + k * 10 * MINUTE, position: r * 8 + k });
  return doc!;
}

async function countersCost(documents: number): Promise<void> {
  const batch = 5000;
  // Documents are built before the clock starts; only transactions are timed (wall and CPU). Each variant runs
  // three times, alternating, on fresh files; the best run counts (other processes share the machine). The
  // summaries collection as it is (11 indexes), then with no index at all, where the counters' triggers are
  // all the difference.
  const variants: [string, CollectionDefinition][] = [
    ['11 indexes', withoutCounters(SUMMARIES)],
    ['11 indexes + 5 counters', SUMMARIES],
    ['no index', { ...withoutCounters(SUMMARIES), indexes: [] }],
    ['no index + 5 counters', { ...SUMMARIES, indexes: [] }],
  ];
  const best = new Map<string, { wallUs: number; cpuUs: number }>();
  for (let attempt = 0; attempt < 3; attempt += 1) {
    for (const [variant, definition] of variants) {
      const { store, remove } = tempStore('counters', storeOptions());
      await store.ensureCollection(definition);
      const write = async (label: string, count: number, docOf: (i: number) => Doc): Promise<void> => {
        let wall = 0;
        let cpu = 0;
        for (let from = 0; from < count; from += batch) {
          const docs = Array.from({ length: Math.min(batch, count - from) }, (_, i) => docOf(from + i));
          const start = now();
          const used = process.cpuUsage();
          await store.transaction(async (writer) => {
            for (const d of docs) writer.upsert(definition.name, d.id, d);
          });
          const spent = process.cpuUsage(used);
          cpu += spent.user + spent.system;
          wall += msSince(start);
        }
        const key = `${variant}: ${label}`;
        const run = { wallUs: round((wall * 1000) / count), cpuUs: round(cpu / count) };
        const previous = best.get(key);
        if (!previous || run.cpuUs < previous.cpuUs) best.set(key, run);
      };
      await write('insert', documents, (i) => summaryAt(i, 5));
      // Live projection: updates fall on recent requests (the newest 20%), in a scattered order.
      const hot = Math.floor(documents / 5);
      const recent = (i: number): number => documents - hot + ((i * 7919) % hot);
      await write('update moving counted fields (status, owner)', hot, (i) => {
        const r = recent(i);
        return { ...summaryAt(r, 5), baseStatus: 'closed', statusId: 's-closed', ownerId: `agent-${(r + 1) % 40}` };
      });
      await write('update leaving counted fields (updatedAt, counts)', hot, (i) => {
        const r = recent(i);
        return { ...summaryAt(r, 5), baseStatus: 'closed', statusId: 's-closed', ownerId: `agent-${(r + 1) % 40}`, updatedAt: iso(i), messageCount: 9 };
      });
      await store.close();
      remove();
    }
  }
  for (const [write, run] of best) print({ part: 'counters write cost', documents, write, ...run });
}

// ---------------------------------------------------------------------------------------------------------
// Part 2: the store side of a rebuild, incremental vs bulk load.

interface Writer {
  get(collection: string, id: string): Promise<Doc | undefined>;
  upsert(collection: string, id: string, document: Doc): void;
  setCheckpoint(name: string, position: bigint): void;
}

/** BatchApplier's loop, per page of events: every target, every event, a document read once and written once. */
async function applyPage(writer: Writer, collections: readonly string[], page: readonly BenchEvent[]): Promise<number> {
  let touched = 0;
  for (const collection of collections) {
    const changed = new Map<string, Doc>();
    for (const event of page) {
      const id = requestId(event.r);
      const current = changed.get(id) ?? (await writer.get(collection, id)) ?? null;
      changed.set(id, evolve[collection](current, event));
    }
    for (const [id, document] of changed) writer.upsert(collection, id, document);
    touched += changed.size;
    writer.setCheckpoint(collection, BigInt(page[page.length - 1].position));
  }
  return touched;
}

interface RebuildOptions {
  readonly requests: number;
  readonly modes: readonly ('incremental' | 'bulk')[];
  readonly pageSize: number;
  readonly lifeMinutes: number;
}

async function rebuild({ requests, modes, pageSize, lifeMinutes }: RebuildOptions): Promise<void> {
  const log = eventLog(requests, lifeMinutes);
  const collections = [SUMMARIES, DETAILS, SEARCH, ACTIVITY];
  const names = collections.map((c) => c.name);
  const pages = Array.from({ length: Math.ceil(log.length / pageSize) }, (_, i) => log.slice(i * pageSize, (i + 1) * pageSize));

  // The projection side alone: the same loop over maps (no JSON, no SQLite).
  const memory = new Map(names.map((n) => [n, new Map<string, Doc>()]));
  const baseline: Writer = {
    get: async (c, id) => memory.get(c)!.get(id),
    upsert: (c, id, d) => void memory.get(c)!.set(id, d),
    setCheckpoint: () => undefined,
  };
  let start = now();
  let touched = 0;
  for (const page of pages) touched += await applyPage(baseline, names, page);
  const projectionMs = msSince(start);
  const sizes = Object.fromEntries(names.map((n) => {
    const docs = [...memory.get(n)!.values()];
    return [n, Math.round(docs.reduce((s, d) => s + JSON.stringify(d).length, 0) / docs.length)];
  }));
  memory.clear();
  print({
    part: 'rebuild',
    side: 'projection only (in-memory map)',
    events: log.length,
    requests,
    pageSize,
    lifeMinutes,
    documentWritesPerEvent: round(touched / log.length),
    averageDocumentBytes: sizes,
    ms: Math.round(projectionMs),
  });

  for (const mode of modes) {
    const { store, path, remove } = tempStore(`rebuild-${mode}`, storeOptions());
    for (const definition of collections) await store.ensureCollection(definition, { bulkLoad: mode === 'bulk' });
    // Where the store's time goes: get (read + parse), upsert (serialise, buffer), the rest of the transaction
    // (the buffered writes, the checkpoints, COMMIT).
    const spent = { get: 0n, upsert: 0n, transaction: 0n };
    start = now();
    for (const page of pages) {
      let work = 0n;
      const t = now();
      await store.transaction(async (writer: DocumentWriter) => {
        const w = now();
        const timed: Writer = {
          get: async (c, id) => {
            const s = now();
            const doc = await writer.get<Doc>(c, id);
            spent.get += now() - s;
            return doc;
          },
          upsert: (c, id, d) => {
            const s = now();
            writer.upsert(c, id, d);
            spent.upsert += now() - s;
          },
          setCheckpoint: (name, position) => writer.setCheckpoint(name, position),
        };
        await applyPage(timed, names, page);
        work = now() - w;
      });
      spent.transaction += now() - t - work;
    }
    const writeMs = msSince(start);
    const completions: Record<string, number> = {};
    if (mode === 'bulk') {
      for (const name of names) {
        const t = now();
        await store.completeBulkLoad(name);
        completions[name] = Math.round(msSince(t));
      }
    }
    const totalMs = msSince(start);
    const storeMs = totalMs - projectionMs;
    const us = (ns: bigint): number => round(Number(ns) / 1000 / log.length);
    print({
      part: 'rebuild',
      side: `store, ${mode}`,
      events: log.length,
      writeMs: Math.round(writeMs),
      completeBulkLoadMs: mode === 'bulk' ? completions : undefined,
      totalMs: Math.round(totalMs),
      storeSideMs: Math.round(storeMs),
      storeSideUsPerEvent: round((storeMs * 1000) / log.length),
      usPerEvent: {
        get: us(spent.get),
        upsert: us(spent.upsert),
        writesAndCommit: us(spent.transaction),
        completeBulkLoad: round((Object.values(completions).reduce((a, b) => a + b, 0) * 1000) / log.length),
      },
    });
    // Sanity: what the rebuilt collections answer.
    print({
      part: 'rebuild',
      side: `answers, ${mode}`,
      count: await store.count('summaries'),
      byBase: await store.countBy('summaries', 'baseStatus'),
      vip: await store.count('summaries', { tags: 'vip' }),
      search: (await store.search('search', 'printer invoice', { limit: 1000 })).items.length,
      fileMB: Math.round(statSync(path).size / 1e6),
    });
    await store.close();
    remove();
  }
}

/** Store options from the environment, for experiments: CACHE_KIB, WAL_PAGES. */
function storeOptions(): Partial<ConstructorParameters<typeof SqliteDocumentStore>[0]> {
  return {
    ...(process.env.CACHE_KIB ? { cacheKiB: Number(process.env.CACHE_KIB) } : {}),
    ...(process.env.WAL_PAGES ? { walAutoCheckpointPages: Number(process.env.WAL_PAGES) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Part 3: dashboard latencies over a large collection.

/** A summary of request r in a settled help desk: 60% closed, 10% resolved, 15% open, 10% pending, 5% new. */
function settledSummary(r: number): Doc {
  const h = hash(r) % 100;
  const base = h < 60 ? 'closed' : h < 70 ? 'resolved' : h < 85 ? 'open' : h < 95 ? 'pending' : 'new';
  const doc = summaryAt(r, base === 'new' ? 0 : base === 'open' ? 4 : 6);
  return { ...doc, baseStatus: base, statusId: `s-${base}`, ownerId: base === 'new' ? null : OWNER(r) };
}

async function counts(documents: number): Promise<void> {
  const { store, remove } = tempStore('counts');
  let start = now();
  await store.ensureCollection(SUMMARIES, { bulkLoad: true });
  const batch = 10_000;
  for (let from = 0; from < documents; from += batch) {
    await store.transaction(async (writer) => {
      for (let r = from; r < Math.min(from + batch, documents); r += 1) writer.upsert('summaries', requestId(r), settledSummary(r));
    });
  }
  const loadMs = msSince(start);
  start = now();
  await store.completeBulkLoad('summaries');
  print({ part: 'counts', documents, bulkLoadMs: Math.round(loadMs), completeBulkLoadMs: Math.round(msSince(start)) });

  const me = 'agent-7';
  const unresolved = { in: ['new', 'open', 'pending'] };
  const countQueries: [string, () => Promise<unknown>][] = [
    ['count all', () => store.count('summaries')],
    ['count my open', () => store.count('summaries', { ownerId: me, baseStatus: 'open' })],
    ['count unassigned open', () => store.count('summaries', { ownerId: null, baseStatus: { in: ['new', 'open'] } })],
    ['count my unresolved', () => store.count('summaries', { ownerId: me, baseStatus: unresolved })],
    ['count unresolved', () => store.count('summaries', { baseStatus: unresolved })],
    ['count closed', () => store.count('summaries', { baseStatus: 'closed' })],
    ['count tag vip', () => store.count('summaries', { tags: 'vip' })],
    ['countBy status', () => store.countBy('summaries', 'statusId')],
    ['countBy owner of open', () => store.countBy('summaries', 'ownerId', { baseStatus: 'open' })],
    ['countBy base of my requests', () => store.countBy('summaries', 'baseStatus', { ownerId: me })],
    ['countBy category of unresolved', () => store.countBy('summaries', 'categoryId', { baseStatus: unresolved })],
  ];
  const lists: [string, FindOptions][] = [
    ['my open, latest first', { filter: { ownerId: me, baseStatus: 'open' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 50 }],
    ['unassigned open by deadline', { filter: { ownerId: null, baseStatus: 'open' }, sort: [{ field: 'deadline', direction: 'asc' }], limit: 50 }],
    ['closed, latest first', { filter: { baseStatus: 'closed' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 50 }],
    ['status pending, latest first', { filter: { statusId: 's-pending' }, sort: [{ field: 'updatedAt', direction: 'desc' }], limit: 50 }],
  ];
  const runs = documents >= 500_000 ? 100 : 200;
  const measureAll = async (answeredBy: string): Promise<void> => {
    for (const [label, query] of countQueries) {
      const timing = await latency(runs, query);
      print({ part: 'counts', answeredBy, query: label, ...timing, answer: await query() });
    }
    for (const [label, options] of lists) {
      const timing = await latency(runs, async () => {
        await store.find('summaries', options);
        await store.count('summaries', options.filter as Filter);
      });
      print({ part: 'counts', answeredBy, query: `list page + count: ${label}`, ...timing, total: await store.count('summaries', options.filter as Filter) });
    }
  };
  await measureAll('counters');
  // The same queries without counters: index ranges (some, like countBy category over unresolved, are refused).
  await store.ensureCollection(withoutCounters(SUMMARIES));
  for (const [label, query] of countQueries) {
    try {
      const timing = await latency(Math.min(runs, 30), query);
      print({ part: 'counts', answeredBy: 'index ranges', query: label, ...timing });
    } catch (error) {
      print({ part: 'counts', answeredBy: 'index ranges', query: label, refused: String(error) });
    }
  }
  for (const [label, options] of lists) {
    const timing = await latency(Math.min(runs, 30), async () => {
      await store.find('summaries', options);
      await store.count('summaries', options.filter as Filter);
    });
    print({ part: 'counts', answeredBy: 'index ranges', query: `list page + count: ${label}`, ...timing });
  }
  await store.close();
  remove();
}

async function main(): Promise<void> {
  const [part = 'counters', size, mode = 'both'] = process.argv.slice(2);
  if (part === 'counters') await countersCost(Number(size ?? 100_000));
  else if (part === 'rebuild') {
    await rebuild({
      requests: Number(size ?? 125_000),
      modes: mode === 'both' ? ['incremental', 'bulk'] : [mode as 'incremental' | 'bulk'],
      pageSize: Number(process.argv[5] ?? 5000),
      lifeMinutes: Number(process.argv[6] ?? 3000),
    });
  }
  else if (part === 'counts') await counts(Number(size ?? 1_000_000));
  else throw new Error(`Unknown part ${part}: counters, rebuild or counts`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

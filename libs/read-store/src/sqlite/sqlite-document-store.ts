import type Database from 'better-sqlite3';
import {
  CollectionDefinition,
  DocumentStore,
  DocumentWriter,
  Filter,
  FindOptions,
  Page,
  SearchHit,
  SearchOptions,
  WriteBatch,
} from '../document-store.port';
import { BackgroundWriter } from './background-writer';
import { CollectionInfo, readCatalog, sameDefinition, validateDefinition } from './catalog';
import { completeBulkLoadSchema, dropCollectionSchema, ensureCollectionSchema } from './collection-schema';
import { decodeCursor, encodeCursor } from './cursor';
import {
  assertCheckpoint,
  assertId,
  commitSerialisedBatch,
  documentSql,
  SerialisedBatch,
  SerialisedDocument,
  serialiseDocument,
  SqliteDocumentWriter,
} from './document-writer';
import { planCount, planCountBy, planFind, PlannedQuery } from './query-planner';
import { openReadStoreDatabase, SqliteSynchronous, StatementCache } from './read-store-database';
import { assertName, scalarOfKey, sqlName } from './sql-names';
import { planSearch, SEARCH_CANDIDATES } from './text-search';
import { rankCandidates, snippetOf, type CandidateRow } from './search-ranking';

export interface SqliteDocumentStoreOptions {
  /** Database file (not the event store's); its folder is created if missing. */
  readonly path: string;
  /**
   * NORMAL (default): a power cut may lose the last commits, never part of one; documents and checkpoint go
   * together, so the projection replays what was lost. FULL: every commit is on disk when it returns.
   */
  readonly synchronous?: SqliteSynchronous;
  /** How long a write waits for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
  /** Page cache per connection (two connections), in KiB. Default 32 MiB. */
  readonly cacheKiB?: number;
  /** Page cache of the writer while it completes a bulk load (then back to cacheKiB), in KiB. Default 256 MiB. */
  readonly completionCacheKiB?: number;
  /**
   * WAL pages after which a COMMIT also checkpoints (SQLite's default: 1000). Default 10000 (80 MB): a projection
   * batch touching thousands of documents would otherwise checkpoint, and fsync, at nearly every commit. Measured
   * on 10k-document transactions: inserts 36 -> 26 ms.
   */
  readonly walAutoCheckpointPages?: number;
  /**
   * Page size of a file the store creates (an existing one keeps its own). Default 8192: documents of 1-5 KB
   * fill 4 KB pages badly (one or two a page, the larger ones overflowing); a rebuild of 20k requests (80k
   * documents) wrote 17% faster with 8 KB pages.
   */
  readonly pageSize?: number;
  /** Buffered writes of a transaction before they are written into it (see SqliteDocumentWriter). */
  readonly maxPendingWrites?: number;
  readonly maxPendingBytes?: number;
  /**
   * `write` commits on a worker thread with a connection of its own (BackgroundWriter), started at the first
   * call: default true. False: on the writer connection, like `transaction`.
   */
  readonly backgroundWrites?: boolean;
  /** How many of the newest matches a search ranks (search-ranking.ts). Default SEARCH_CANDIDATES (200). */
  readonly searchCandidates?: number;
}

/** The most documents a page returns, whatever `limit` asks. */
export const MAX_PAGE = 1000;
/** The most documents one scan call returns. */
export const MAX_SCAN = 10_000;

/** How much of the file completeBulkLoad maps (SQLite caps it at its build's maximum, 2 GiB here). */
const COMPLETION_MMAP_BYTES = 2 ** 31;

interface DocumentRow {
  readonly id: string;
  readonly doc: string;
  readonly [key: string]: unknown;
}

/**
 * The embedded document store: one SQLite file in WAL mode, one table per collection, declared indexes as
 * real SQLite indexes (see collection-schema.ts), queries planned onto them (query-planner.ts), counters
 * kept by triggers and summed for counts (counters.ts, triggers.ts) and FTS5 for text search (text-search.ts).
 *
 * A collection created with `bulkLoad` is its documents table (and its text index, which the writer keeps as it
 * goes) until completeBulkLoad builds the rest in one transaction; meanwhile it serves reads by id (get, getMany,
 * scan) and writes, and refuses queries.
 *
 * Two connections: writes (ensureCollection, dropCollection, transaction) go one at a time through the
 * writer, each in BEGIN IMMEDIATE ... COMMIT; queries use the reader and see committed data only. A
 * transaction's writer stays open across the awaits of `work`, so transactions are queued, never interleaved.
 * `write` batches are committed by a third connection on a worker thread (BackgroundWriter), in the same queue:
 * a rebuild evolves its next pages on this thread while SQLite writes the last ones on the other core.
 *
 * The catalog (collection definitions, which indexes are multikey) lives in the file and is cached here; it
 * is re-read when SQLite's schema version moves, so a second process (a rebuild CLI) may add collections.
 */
export class SqliteDocumentStore implements DocumentStore {
  private readonly writer: Database.Database;
  private readonly reader: Database.Database;
  private readonly writes: StatementCache;
  private readonly reads: StatementCache;
  private readonly sql: Record<'begin' | 'commit' | 'rollback' | 'writerSchema' | 'readerSchema', Database.Statement>;
  private readonly limits: { maxPendingWrites: number; maxPendingBytes: number };
  private readonly searchCandidates: number;
  private catalog: Map<string, CollectionInfo>;
  /** The schema version the cached catalog was read at. */
  private catalogVersion: number;
  private readonly background: BackgroundWriter | undefined;
  private readonly cacheKiB: number;
  private readonly completionCacheKiB: number;
  /** Settles after every write queued so far (the background writer's commits included). */
  private queue: Promise<unknown> = Promise.resolve();
  /** Settles after every write queued so far except `write`s: consecutive ones go to the worker together. */
  private writesMayStart: Promise<unknown> = Promise.resolve();
  /** Without a background writer: `write` calls so far, and those refused because one before them failed. */
  private writeSequence = 0;
  private refusedThrough = 0;
  private closed = false;

  constructor(options: SqliteDocumentStoreOptions) {
    const connection = {
      path: options.path,
      synchronous: options.synchronous ?? 'NORMAL',
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      cacheKiB: options.cacheKiB ?? 32 * 1024,
      walAutoCheckpointPages: options.walAutoCheckpointPages ?? 10_000,
      pageSize: options.pageSize ?? 8192,
    };
    const { writer, reader } = openReadStoreDatabase(connection);
    this.cacheKiB = connection.cacheKiB;
    this.completionCacheKiB = options.completionCacheKiB ?? 256 * 1024;
    this.writer = writer;
    this.reader = reader;
    this.writes = new StatementCache(writer);
    this.reads = new StatementCache(reader);
    this.sql = {
      // IMMEDIATE: take the write lock before `work` reads anything, so what it reads cannot change under it.
      begin: writer.prepare('BEGIN IMMEDIATE'),
      commit: writer.prepare('COMMIT'),
      rollback: writer.prepare('ROLLBACK'),
      writerSchema: writer.prepare('PRAGMA schema_version').pluck(),
      readerSchema: reader.prepare('PRAGMA schema_version').pluck(),
    };
    this.searchCandidates = options.searchCandidates ?? SEARCH_CANDIDATES;
    this.limits = {
      maxPendingWrites: options.maxPendingWrites ?? 20_000,
      maxPendingBytes: options.maxPendingBytes ?? 32 * 1024 * 1024,
    };
    this.catalogVersion = this.sql.writerSchema.get() as number;
    this.catalog = readCatalog(writer);
    this.background = options.backgroundWrites === false ? undefined : new BackgroundWriter({ connection, limits: this.limits });
  }


  /**
   * With `bulkLoad`, a new collection is only its documents table until completeBulkLoad; a collection being
   * bulk loaded stays so (with the definition given), and is completed by a call without the option.
   */
  async ensureCollection(definition: CollectionDefinition, options?: { readonly bulkLoad?: boolean }): Promise<void> {
    this.assertOpen();
    const wanted = validateDefinition(definition);
    const bulkLoad = options?.bulkLoad === true;
    await this.exclusive(async () => {
      this.refreshCatalog(this.writer, this.sql.writerSchema);
      const current = this.catalog.get(wanted.name);
      if (current && sameDefinition(current.stored, wanted) && (!current.bulk || bulkLoad)) return;
      this.writer.transaction(() => ensureCollectionSchema(this.writer, wanted, { bulkLoad })).immediate();
      this.reloadCatalog(this.writer, this.sql.writerSchema);
    });
  }

  /**
   * Builds every secondary index, side table, counter and the text index of a bulk-loaded collection, in one
   * transaction (see completeBulkLoadSchema). A no-op for a collection not being bulk loaded.
   */
  async completeBulkLoad(name: string): Promise<void> {
    this.assertOpen();
    assertName('collection', name);
    await this.exclusive(async () => {
      this.refreshCatalog(this.writer, this.sql.writerSchema);
      const current = this.catalog.get(name);
      if (current && !current.bulk) return;
      // Every index and counter is a pass over the whole documents table, for a few small columns of each row. The
      // file mapped, those passes read the pages where they are instead of copying each into the page cache (which
      // the table outgrows), and a larger cache holds what is in the WAL and the new indexes. Both only meanwhile:
      // mapping is for reads (writes still go through the WAL). Completing a 100k-request rebuild: 4.4 -> 1.8 s.
      this.writer.pragma(`cache_size = -${Math.max(this.cacheKiB, this.completionCacheKiB)}`);
      this.writer.pragma(`mmap_size = ${COMPLETION_MMAP_BYTES}`);
      try {
        this.writer.transaction(() => completeBulkLoadSchema(this.writer, name)).immediate();
      } finally {
        this.writer.pragma('mmap_size = 0');
        this.writer.pragma(`cache_size = -${this.cacheKiB}`);
      }
      this.reloadCatalog(this.writer, this.sql.writerSchema);
    });
  }

  async dropCollection(name: string): Promise<void> {
    this.assertOpen();
    assertName('collection', name);
    await this.exclusive(async () => {
      this.writer.transaction(() => dropCollectionSchema(this.writer, name)).immediate();
      this.reloadCatalog(this.writer, this.sql.writerSchema);
    });
  }

  async listCollections(): Promise<string[]> {
    this.assertOpen();
    this.refreshCatalog(this.reader, this.sql.readerSchema);
    return [...this.catalog.keys()].sort();
  }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    this.collection(collection);
    if (typeof id !== 'string') throw new TypeError('A document id is a string');
    const json = this.reads.get(documentSql.get(collection)).pluck(true).get(id) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  async getMany<T>(collection: string, ids: readonly string[]): Promise<T[]> {
    this.collection(collection);
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new TypeError('ids must be strings');
    if (ids.length === 0) return [];
    const rows = this.reads
      .get(`SELECT id, doc FROM ${sqlName.documents(collection)} WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as DocumentRow[];
    const byId = new Map(rows.map((r) => [r.id, r.doc]));
    return ids.flatMap((id) => {
      const json = byId.get(id);
      return json === undefined ? [] : [JSON.parse(json) as T];
    });
  }

  async find<T>(collection: string, options: FindOptions): Promise<Page<T>> {
    const { query, shape, arity, limit } = this.findQuery(collection, options);
    const rows = this.reads.get(query.sql).all(...query.params) as DocumentRow[];
    const page = rows.length > limit ? rows.slice(0, limit) : rows;
    const items = page.map((r) => JSON.parse(r.doc) as T);
    if (rows.length <= limit) return { items };
    const last = page[page.length - 1];
    const keys = Array.from({ length: arity - 1 }, (_, i) => last[`o${i}`] as string | number);
    return { items, nextCursor: encodeCursor(shape, [...keys, last.id]) };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    const query = planCount(this.queried(collection), filter);
    return this.reads.get(query.sql).pluck(true).get(...query.params) as number;
  }

  async countBy(collection: string, field: string, filter?: Filter): Promise<Record<string, number>> {
    const query = planCountBy(this.queried(collection), field, filter);
    const rows = this.reads.get(query.sql).all(...query.params) as { g: unknown; n: number }[];
    const counts: Record<string, number> = {};
    for (const { g, n } of rows) counts[String(scalarOfKey(g))] = n;
    return counts;
  }

  /**
   * Best first among the newest SEARCH_CANDIDATES matches (search-ranking.ts says why): they are ranked here and
   * paged by (score, rowid), then only the page's documents are read. The last term is a prefix (search as you
   * type) unless, as a whole word, it already fills the candidates (text-search.ts: exactCandidates).
   */
  async search<T>(collection: string, query: string, options: SearchOptions): Promise<Page<SearchHit<T>>> {
    const info = this.queried(collection);
    const limit = pageLimit(options?.limit, MAX_PAGE);
    const plan = planSearch(info, query, options.filter, this.searchCandidates);
    if (plan === undefined) return { items: [] };
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, plan.shape, 2, 'number');
    const candidates = (query: PlannedQuery) => this.reads.get(query.sql).all(...query.params) as CandidateRow[];
    // One read transaction: the candidates and their documents come from the same snapshot of the file.
    const { ranked, from, page, documents } = this.reader.transaction(() => {
      let rows = candidates(plan.exactCandidates);
      if (rows.length < this.searchCandidates) rows = candidates(plan.candidates);
      const ranked = rankCandidates(rows, plan.fields);
      const from = after === undefined ? 0 : ranked.findIndex((r) => r.score < Number(after[0]) || (r.score === Number(after[0]) && r.rid > Number(after[1])));
      const page = from < 0 ? [] : ranked.slice(from, from + limit);
      const documents = new Map(
        (this.reads.get(`SELECT rowid AS rid, doc FROM ${sqlName.documents(collection)} WHERE rowid IN (SELECT value FROM json_each(?))`).all(JSON.stringify(page.map((r) => r.rid))) as {
          rid: number;
          doc: string;
        }[]).map((d) => [d.rid, d.doc]),
      );
      return { ranked, from, page, documents };
    })();
    const items = page.flatMap((r) => {
      const doc = documents.get(r.rid);
      return doc === undefined ? [] : [{ document: JSON.parse(doc) as T, score: r.score, snippet: snippetOf(r.marked) }];
    });
    if (from < 0 || from + limit >= ranked.length) return { items };
    const last = page[page.length - 1]!;
    return { items, nextCursor: encodeCursor(plan.shape, [last.score, last.rid]) };
  }

  async scan<T>(collection: string, options: { after?: string; limit: number }): Promise<{ id: string; document: T }[]> {
    this.collection(collection);
    const limit = pageLimit(options?.limit, MAX_SCAN);
    if (options.after !== undefined && typeof options.after !== 'string') throw new TypeError('after is an id');
    const rows = this.reads
      .get(`SELECT id, doc FROM ${sqlName.documents(collection)} WHERE id > ? ORDER BY id LIMIT ?`)
      .all(options.after ?? '', limit) as DocumentRow[];
    return rows.map((r) => ({ id: r.id, document: JSON.parse(r.doc) as T }));
  }

  async transaction(work: (writer: DocumentWriter) => Promise<void>): Promise<void> {
    this.assertOpen();
    if (typeof work !== 'function') throw new TypeError('transaction needs a function');
    await this.exclusive(async () => {
      this.sql.begin.run();
      let writer: SqliteDocumentWriter | undefined;
      try {
        this.refreshCatalog(this.writer, this.sql.writerSchema);
        writer = new SqliteDocumentWriter(this.writer, this.writes, this.catalog, this.limits);
        await work(writer);
        writer.finish();
        this.sql.commit.run();
      } catch (error) {
        writer?.abandon();
        // Some errors (I/O, disk full) end the transaction inside SQLite already.
        if (this.writer.inTransaction) this.sql.rollback.run();
        throw error;
      }
      // An index turned multikey in this transaction: the catalog in the file says so now.
      if (writer.changed.size > 0) this.reloadCatalog(this.writer, this.sql.writerSchema);
    });
  }

  /**
   * Serialised here (a bad document throws now, nothing written), committed by the background writer while the
   * caller goes on. A write starts after the store's other writes queued before it, and they wait for it, so the
   * two connections never contend for SQLite's lock; consecutive writes go to the worker at once.
   */
  write(batch: WriteBatch): Promise<void> {
    this.assertOpen();
    const background = this.background;
    const bytes = background ? new ByteChunks() : undefined;
    const serialised = this.serialise(batch, bytes);
    if (!background) {
      const sequence = ++this.writeSequence;
      return this.exclusive(async () => {
        if (sequence <= this.refusedThrough) throw new Error('Not written: a batch written before it failed');
        try {
          if (commitSerialisedBatch(this.writer, this.writes, this.limits, serialised)) this.reloadCatalog(this.writer, this.sql.writerSchema);
        } catch (error) {
          // Those queued meanwhile may build on this one (the background writer refuses them the same way).
          this.refusedThrough = this.writeSequence;
          throw error;
        }
      });
    }
    const committed = this.writesMayStart
      .then(() => background.submit(serialised, bytes!.buffers))
      .then((changed) => {
        if (changed) this.reloadCatalog(this.writer, this.sql.writerSchema);
      });
    this.queue = Promise.all([this.queue, committed.catch(() => undefined)]);
    return committed;
  }

  async checkpoint(name: string): Promise<bigint | undefined> {
    this.assertOpen();
    return this.reads
      .get('SELECT position FROM read_store_checkpoints WHERE name = ?')
      .pluck(true)
      .safeIntegers(true)
      .get(name) as bigint | undefined;
  }

  /** Lets queued writes finish, then closes both connections (and the background writer's). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.background?.close();
    this.reader.close();
    this.writer.close();
  }

  /** SQLite's plan for the statement `find` would run (with the cursor, if given): one line per step. */
  explainFind(collection: string, options: FindOptions): string[] {
    return this.explain(this.findQuery(collection, options).query);
  }

  explainCount(collection: string, filter?: Filter): string[] {
    return this.explain(planCount(this.queried(collection), filter));
  }

  explainCountBy(collection: string, field: string, filter?: Filter): string[] {
    return this.explain(planCountBy(this.queried(collection), field, filter));
  }

  explainSearch(collection: string, query: string, options: SearchOptions): string[] {
    const plan = planSearch(this.queried(collection), query, options.filter, this.searchCandidates);
    return plan ? this.explain(plan.candidates) : [];
  }

  private findQuery(collection: string, options: FindOptions) {
    const info = this.queried(collection);
    const limit = pageLimit(options?.limit, MAX_PAGE);
    const plan = planFind(info, options.filter, options.sort);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, plan.shape, plan.arity);
    return { query: plan.build(after, limit + 1), shape: plan.shape, arity: plan.arity, limit };
  }

  private explain(query: PlannedQuery): string[] {
    const rows = this.reader.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[];
    return rows.map((r) => r.detail);
  }

  /** A collection as the reader sees it (the catalog refreshed if another connection changed the schema). */
  private collection(name: string): CollectionInfo {
    this.assertOpen();
    this.refreshCatalog(this.reader, this.sql.readerSchema);
    const info = this.catalog.get(name);
    if (info === undefined) throw new Error(`Unknown collection ${JSON.stringify(name)}: call ensureCollection first`);
    return info;
  }

  /**
   * A collection to query: not one being bulk loaded, which has nothing but its documents (by id: get, getMany
   * and scan serve it).
   */
  private queried(name: string): CollectionInfo {
    const info = this.collection(name);
    if (info.bulk) {
      throw new Error(`Collection ${JSON.stringify(name)} is being bulk loaded: it cannot be queried before completeBulkLoad`);
    }
    return info;
  }

  private refreshCatalog(db: Database.Database, schemaVersion: Database.Statement): void {
    if (schemaVersion.get() !== this.catalogVersion) this.reloadCatalog(db, schemaVersion);
  }

  /**
   * Version first, catalog second: if another process changes the schema in between, the catalog is newer
   * than its version says and is merely read again next time; never older than it says.
   */
  private reloadCatalog(db: Database.Database, schemaVersion: Database.Statement): void {
    this.catalogVersion = schemaVersion.get() as number;
    this.catalog = readCatalog(db);
  }

  /** Runs `work` after every write queued before it (writes share the writer connection). */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    this.writesMayStart = this.queue;
    return run;
  }

  /**
   * A batch checked and serialised against the committed catalog. For the background writer, the JSON (and texts)
   * go into `bytes` as UTF-8 at once: buffers handed over to the worker without a copy, and strings that die
   * young (keeping thousands of them until the batch is sent made the young generation's collections copy them).
   */
  private serialise(batch: WriteBatch, bytes?: ByteChunks): SerialisedBatch {
    if (typeof batch !== 'object' || batch === null || !(batch.documents instanceof Map)) {
      throw new TypeError('A write batch has documents: a Map of collection -> Map of id -> document or null');
    }
    if (batch.checkpoints !== undefined && !(batch.checkpoints instanceof Map)) throw new TypeError('checkpoints must be a Map');
    const collections: SerialisedBatch['collections'][number][] = [];
    for (const [name, documents] of batch.documents) {
      const info = this.collection(name);
      if (!(documents instanceof Map)) throw new TypeError(`The documents of ${name} must be a Map of id -> document or null`);
      const ids: string[] = [];
      const serialised: (SerialisedDocument | null)[] = [];
      // Documents mostly hold the same array fields: one list each way, sent once (structured clone keeps sharing).
      const shared = new Map<string, readonly string[]>();
      for (const [id, document] of documents) {
        assertId(id);
        ids.push(id);
        if (document === null) {
          serialised.push(null);
          continue;
        }
        const { json, arrays, texts, ...keys } = serialiseDocument(info, id, document);
        const key = arrays.join(',');
        let same = shared.get(key);
        if (same === undefined) shared.set(key, (same = arrays));
        serialised.push({
          json: bytes ? bytes.put(json as string) : json,
          arrays: same,
          ...keys,
          ...(texts === undefined ? {} : { texts: bytes ? texts.map((t) => (t === null ? null : bytes.putText(t as string))) : texts }),
        });
      }
      collections.push({
        name,
        checked: info.namedFields,
        keyColumns: info.stored.keyColumns ?? [],
        textFields: info.stored.text?.fields ?? [],
        ids,
        documents: serialised,
      });
    }
    const checkpoints: [string, bigint][] = [];
    for (const [name, position] of batch.checkpoints ?? []) {
      assertCheckpoint(name, position);
      checkpoints.push([name, position]);
    }
    return { collections, checkpoints };
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The document store is closed');
  }
}

/** UTF-8 of many strings, in a few large buffers (transferable: their own ArrayBuffers, not the pool's). */
class ByteChunks {
  private static readonly SIZE = 4 * 1024 * 1024;
  readonly buffers: ArrayBuffer[] = [];
  private current: Buffer | undefined;
  private offset = 0;

  put(text: string): Uint8Array {
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    const most = text.length * 3;
    if (this.current === undefined || this.offset + most > this.current.length) {
      this.current = Buffer.allocUnsafeSlow(Math.max(ByteChunks.SIZE, most));
      this.buffers.push(this.current.buffer as ArrayBuffer);
      this.offset = 0;
    }
    const length = this.current.write(text, this.offset, 'utf8');
    const view = new Uint8Array(this.current.buffer, this.offset, length);
    this.offset += length;
    return view;
  }

  /**
   * A text that may not be well-formed UTF-16 stays a string: UTF-8 would replace a lone surrogate, where binding
   * the string stores it as SQLite's JSON functions do (and so as the text index reads it back).
   */
  putText(text: string): string | Uint8Array {
    return (text as string & { isWellFormed(): boolean }).isWellFormed() ? this.put(text) : text;
  }
}

function pageLimit(limit: unknown, max: number): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, max);
}

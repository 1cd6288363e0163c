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
} from '../document-store.port';
import { CollectionInfo, readCatalog, sameDefinition, validateDefinition } from './catalog';
import { completeBulkLoadSchema, dropCollectionSchema, ensureCollectionSchema } from './collection-schema';
import { decodeCursor, encodeCursor } from './cursor';
import { documentSql, SqliteDocumentWriter } from './document-writer';
import { planCount, planCountBy, planFind, PlannedQuery } from './query-planner';
import { openReadStoreDatabase, SqliteSynchronous, StatementCache } from './read-store-database';
import { assertName, scalarOfKey, sqlName } from './sql-names';
import { planSearch } from './text-search';

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
  /**
   * WAL pages after which a COMMIT also checkpoints (SQLite's default: 1000). Default 10000 (40 MB): a projection
   * batch touching thousands of documents would otherwise checkpoint, and fsync, at nearly every commit. Measured
   * on 10k-document transactions: inserts 36 -> 26 ms.
   */
  readonly walAutoCheckpointPages?: number;
  /** Buffered writes of a transaction before they are written into it (see SqliteDocumentWriter). */
  readonly maxPendingWrites?: number;
  readonly maxPendingBytes?: number;
}

/** The most documents a page returns, whatever `limit` asks. */
export const MAX_PAGE = 1000;
/** The most documents one scan call returns. */
export const MAX_SCAN = 10_000;

interface DocumentRow {
  readonly id: string;
  readonly doc: string;
  readonly [key: string]: unknown;
}

interface HitRow {
  readonly id: string;
  readonly doc: string;
  readonly rid: number;
  readonly score: number;
}

/**
 * The embedded document store: one SQLite file in WAL mode, one table per collection, declared indexes as
 * real SQLite indexes (see collection-schema.ts), queries planned onto them (query-planner.ts), counters
 * kept by triggers and summed for counts (counters.ts, triggers.ts) and FTS5 for text search (text-search.ts).
 *
 * A collection created with `bulkLoad` is its documents table only, until completeBulkLoad builds the rest
 * in one transaction; meanwhile it serves reads by id (get, getMany, scan) and writes, and refuses queries.
 *
 * Two connections: writes (ensureCollection, dropCollection, transaction) go one at a time through the
 * writer, each in BEGIN IMMEDIATE ... COMMIT; queries use the reader and see committed data only. A
 * transaction's writer stays open across the awaits of `work`, so transactions are queued, never interleaved.
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
  private catalog: Map<string, CollectionInfo>;
  /** The schema version the cached catalog was read at. */
  private catalogVersion: number;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: SqliteDocumentStoreOptions) {
    const { writer, reader } = openReadStoreDatabase({
      path: options.path,
      synchronous: options.synchronous ?? 'NORMAL',
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      cacheKiB: options.cacheKiB ?? 32 * 1024,
      walAutoCheckpointPages: options.walAutoCheckpointPages ?? 10_000,
    });
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
    this.limits = {
      maxPendingWrites: options.maxPendingWrites ?? 20_000,
      maxPendingBytes: options.maxPendingBytes ?? 32 * 1024 * 1024,
    };
    this.catalogVersion = this.sql.writerSchema.get() as number;
    this.catalog = readCatalog(writer);
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
      this.writer.transaction(() => completeBulkLoadSchema(this.writer, name)).immediate();
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

  async search<T>(collection: string, query: string, options: SearchOptions): Promise<Page<SearchHit<T>>> {
    const info = this.queried(collection);
    const limit = pageLimit(options?.limit, MAX_PAGE);
    const plan = planSearch(info, query, options.filter);
    if (plan === undefined) return { items: [] };
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, plan.shape, 2, 'number');
    const { sql, params } = plan.build(after, limit + 1);
    const rows = this.reads.get(sql).all(...params) as HitRow[];
    const page = rows.length > limit ? rows.slice(0, limit) : rows;
    const snippets = new Map(
      page.length === 0
        ? []
        : (this.reads.get(plan.snippets).all(plan.match, JSON.stringify(page.map((r) => r.rid))) as {
            rid: number;
            snippet: string | null;
          }[]).map((s) => [s.rid, s.snippet ?? '']),
    );
    const items = page.map((r) => ({
      document: JSON.parse(r.doc) as T,
      score: r.score,
      snippet: snippets.get(r.rid) ?? '',
    }));
    if (rows.length <= limit) return { items };
    const last = page[page.length - 1];
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

  async checkpoint(name: string): Promise<bigint | undefined> {
    this.assertOpen();
    return this.reads
      .get('SELECT position FROM read_store_checkpoints WHERE name = ?')
      .pluck(true)
      .safeIntegers(true)
      .get(name) as bigint | undefined;
  }

  /** Lets queued writes finish, then closes both connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
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
    const plan = planSearch(this.queried(collection), query, options.filter);
    if (!plan) return [];
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, plan.shape, 2, 'number');
    return this.explain(plan.build(after, pageLimit(options.limit, MAX_PAGE) + 1));
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
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The document store is closed');
  }
}

function pageLimit(limit: unknown, max: number): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, max);
}

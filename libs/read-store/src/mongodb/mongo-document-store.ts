import type {
  AnyBulkWriteOperation,
  ClientSession,
  Collection,
  Db,
  Document,
  IndexDescription,
  MongoClient,
  MongoClientOptions,
  TransactionOptions,
} from 'mongodb';
import {
  CollectionDefinition,
  DocumentStore,
  DocumentWriter,
  Filter,
  FindOptions,
  Page,
  SearchHit,
  SearchOptions,
  UnindexedQueryError,
  WriteBatch,
} from '../document-store.port';
import { Catalog } from './catalog';
import { counterBuildPipeline, countKey } from './counters';
import { decodeCursor, encodeCursor, SortValue } from './cursor';
import {
  assertNoParallelArrays,
  CollectionInfo,
  Definition,
  indexSpec,
  planDefinitionChange,
  RegistryEntry,
  sameDefinition,
  textIndexSpec,
  validateDefinition,
} from './definitions';
import { CheckpointConflictError, hasCode, MongoCode } from './errors';
import { loadMongoDriver, MongoDriver } from './mongo-driver';
import {
  Expectation,
  MongoDocumentWriter,
  serialiseDocument,
  StoredDocument,
  WriterBackend,
} from './mongo-document-writer';
import { assertCheckpointName } from '../port-rules';
import { assertId, assertName, fieldPath, mongoName, Row, TEXT_KEYS } from './names';
import { assertPosition, positionFromStored } from './positions';
import { planCount, planCountBy, planFind } from './query-planner';
import { buildSnippet, planSearch, textKeys } from './text-search';

/** The most documents a page returns, whatever `limit` asks (as the SQLite adapter). */
export const MONGO_MAX_PAGE = 1000;
/** The most documents one scan call returns. */
export const MONGO_MAX_SCAN = 10_000;

/**
 * How a checkpoint update that names no expected position is checked:
 *
 * - 'explicit' (default): it is not; the last write wins (the port's semantics today). A writer that passes
 *   `expected` (setCheckpoint's third argument, WriteBatch's `expectedCheckpoints`) gets compare-and-set.
 * - 'tracked': the store supplies the expectation: the position it last saw for that checkpoint, from the first
 *   `checkpoint(name)` it answered or its own last commit of it (forgotten after a CheckpointConflictError, so
 *   that the next read starts over); knowing none, what the first attempt of the transaction read. That fences
 *   a second projector instance with today's port and runner (which read their checkpoint before projecting).
 */
export type CheckpointFencing = 'explicit' | 'tracked';

export interface MongoDocumentStoreOptions {
  /** A connection string to a replica set (transactions need one), e.g. mongodb://localhost:27017/?replicaSet=rs0. */
  readonly url?: string;
  /**
   * Instead of `url`: a client the application already has (one connection pool for several stores). Its owner
   * closes it: `close()` closes only a client the store made.
   */
  readonly client?: MongoClient;
  /** The database the store owns: its collections are the store's (see README: leftovers are dropped). */
  readonly database: string;
  readonly clientOptions?: MongoClientOptions;
  readonly checkpointFencing?: CheckpointFencing;
  /** How old a query may let its copy of a collection's registry entry be (default 0: re-read by every query). */
  readonly catalogMaxAgeMs?: number;
  /** Buffered writes after which a transaction's next `get` writes them first (default 10,000). */
  readonly maxPendingWrites?: number;
}

/** A batch for `write`, optionally with compare-and-set expectations for its checkpoints (null: none stored). */
export interface MongoWriteBatch extends WriteBatch {
  readonly expectedCheckpoints?: ReadonlyMap<string, bigint | null>;
}

interface PreparedBatch {
  readonly documents: readonly (readonly [string, ReadonlyMap<string, Record<string, unknown> | null>])[];
  readonly checkpoints: readonly (readonly [string, bigint, bigint | null | undefined])[];
}

interface CheckpointDocument {
  readonly _id: string;
  readonly position: unknown;
}

const TRANSACTION: TransactionOptions = {
  readConcern: { level: 'snapshot' },
  writeConcern: { w: 'majority' },
  readPreference: 'primary',
};

/**
 * The production document store: MongoDB (a replica set, for transactions). See README.md in this folder for the
 * storage layout and how each part of the port is met; in short:
 *
 * - a collection is a MongoDB collection of { _id, d: document, x: text keys }; its declared indexes are MongoDB
 *   indexes on `d.<field>` then _id (definitions.ts), created by ensureCollection, never inside a transaction;
 * - queries are planned onto one declared index by the SQLite adapter's rules and sent with `hint`
 *   (query-planner.ts); pages are keyset-paginated with opaque cursors bound to the query (cursor.ts);
 * - counters are documents of `read_store.counters.<collection>`, moved inside the writing transaction by the
 *   difference between each document's stored and new versions (counters.ts);
 * - search is MongoDB's text index plus stored words and prefixes for AND and prefix semantics (text-search.ts);
 * - a transaction is a MongoDB transaction (`withTransaction`: retried on transient errors, so `work` may run more
 *   than once) with the checkpoints in `read_store.checkpoints`, compare-and-set when an expectation is known;
 * - registry of definitions in `read_store.collections` (catalog.ts).
 *
 * Within this process, transactions, `write` batches and definition changes run one at a time, in call order;
 * queries run at any time and see committed data only.
 */
export class MongoDocumentStore implements DocumentStore {
  private readonly driver: MongoDriver;
  private readonly client: MongoClient;
  private readonly ownsClient: boolean;
  private readonly db: Db;
  private readonly catalog: Catalog;
  private readonly fencing: CheckpointFencing;
  private readonly maxPendingWrites: number;
  /** 'tracked' fencing: the position last seen per checkpoint (null: none stored). */
  private readonly tracked = new Map<string, bigint | null>();
  private queue: Promise<unknown> = Promise.resolve();
  private started: Promise<void> | undefined;
  private writeSequence = 0;
  /** Batches given to `write` up to this one fail: one before them failed while they were pending. */
  private refusedThrough = 0;
  private closed = false;

  constructor(options: MongoDocumentStoreOptions);
  constructor(url: string, database: string, options?: Omit<MongoDocumentStoreOptions, 'url' | 'database'>);
  constructor(
    first: MongoDocumentStoreOptions | string,
    database?: string,
    rest: Omit<MongoDocumentStoreOptions, 'url' | 'database'> = {},
  ) {
    const options: MongoDocumentStoreOptions = typeof first === 'string' ? { ...rest, url: first, database: database! } : first;
    if (options.client === undefined && (typeof options.url !== 'string' || options.url.length === 0)) {
      throw new TypeError('A MongoDB connection string (or client) is needed');
    }
    if (typeof options.database !== 'string' || options.database.length === 0) throw new TypeError('A database name is needed');
    this.driver = loadMongoDriver();
    // Connects on the first operation, not here.
    this.client = options.client ?? new this.driver.MongoClient(options.url!, options.clientOptions);
    this.ownsClient = options.client === undefined;
    // Majority: a registry entry or checkpoint written outside a transaction is in the snapshot of the next one.
    this.db = this.client.db(options.database, { writeConcern: { w: 'majority' } });
    this.fencing = options.checkpointFencing ?? 'explicit';
    this.maxPendingWrites = options.maxPendingWrites ?? 10_000;
    this.catalog = new Catalog(() => this.registry(), options.catalogMaxAgeMs ?? 0);
  }

  // ////////////////////////////////////////////////////////////// collections

  /**
   * Creates the collection, its indexes (the declared ones, the text index) and its counters, or brings an
   * existing one to the definition given (dropping and building what changed, from the documents there). With
   * `bulkLoad`, a new collection gets only its documents until completeBulkLoad; a collection being bulk loaded
   * stays so with the option (its definition updated) and is completed without it; an existing collection
   * ignores the option.
   */
  async ensureCollection(definition: CollectionDefinition, options?: { readonly bulkLoad?: boolean }): Promise<void> {
    this.assertOpen();
    const { name, definition: wanted } = validateDefinition(definition);
    const bulkLoad = options?.bulkLoad === true;
    await this.exclusive(async () => {
      await this.ready();
      const entry = await this.registry().findOne({ _id: name });
      if (!entry) return this.createCollection(name, wanted, bulkLoad);
      if (entry.bulk) {
        const arrays = await this.arraysAfter(name, entry, wanted);
        if (planDefinitionChange(entry.definition, wanted).text === 'rebuild') await this.recomputeTextKeys(name, wanted);
        const pending: RegistryEntry = { _id: name, definition: wanted, bulk: true, arrays };
        if (bulkLoad) return void this.catalog.set(await this.saveEntry(pending));
        return this.complete(pending);
      }
      if (sameDefinition(entry.definition, wanted)) return void this.catalog.set(entry);
      const arrays = await this.arraysAfter(name, entry, wanted);
      const change = planDefinitionChange(entry.definition, wanted);
      if (change.text === 'rebuild') {
        // The old text index goes first: it would otherwise be kept up to date through every document's rewrite.
        await this.syncIndexes(name, withoutText(wanted));
        await this.recomputeTextKeys(name, wanted);
      }
      await this.syncIndexes(name, wanted);
      for (const counter of change.dropCounters) await this.countersOf(name).deleteMany({ c: counter.name });
      if (change.buildCounters.length > 0) {
        await this.createCountersCollection(name);
        for (const counter of change.buildCounters) await this.buildCounter(name, counter);
      }
      this.catalog.set(await this.saveEntry({ _id: name, definition: wanted, bulk: false, arrays }));
    });
  }

  /** Builds the indexes, text index and counters of a bulk-loaded collection; a no-op for any other (idempotent). */
  async completeBulkLoad(name: string): Promise<void> {
    this.assertOpen();
    assertName('collection', name);
    await this.exclusive(async () => {
      await this.ready();
      const entry = await this.registry().findOne({ _id: name });
      if (!entry) throw unknownCollection(name);
      if (!entry.bulk) return void this.catalog.set(entry);
      await this.complete(entry);
    });
  }

  async dropCollection(name: string): Promise<void> {
    this.assertOpen();
    assertName('collection', name);
    await this.exclusive(async () => {
      await this.ready();
      // The entry first: from then on the collection does not exist for any store; a crash before the drops
      // below leaves collections without an entry, which createCollection drops before making a new one.
      await this.registry().deleteOne({ _id: name });
      this.catalog.delete(name);
      await this.dropLeftovers(name);
    });
  }

  async listCollections(): Promise<string[]> {
    this.assertOpen();
    await this.ready();
    const entries = await this.registry().find({}, { projection: { _id: 1 } }).toArray();
    return entries.map((e) => e._id).sort();
  }

  // ////////////////////////////////////////////////////////////// reads

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    await this.known(collection);
    if (typeof id !== 'string') throw new TypeError('A document id is a string');
    const stored = await this.documents(collection).findOne({ _id: id }, { projection: { d: 1 } });
    return stored === null ? undefined : (stored.d as T);
  }

  async getMany<T>(collection: string, ids: readonly string[]): Promise<T[]> {
    await this.known(collection);
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new TypeError('ids must be strings');
    if (ids.length === 0) return [];
    const byId = new Map<string, unknown>();
    const distinct = [...new Set(ids)];
    for (let i = 0; i < distinct.length; i += 10_000) {
      const found = await this.documents(collection)
        .find({ _id: { $in: distinct.slice(i, i + 10_000) } }, { projection: { d: 1 } })
        .toArray();
      for (const stored of found) byId.set(stored._id, stored.d);
    }
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id) as T] : []));
  }

  async find<T>(collection: string, options: FindOptions): Promise<Page<T>> {
    const info = await this.queried(collection);
    const limit = pageLimit(options?.limit, MONGO_MAX_PAGE);
    const plan = planFind(info, options.filter, options.sort);
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, plan.shape, plan.arity);
    const found = await this.documents(collection)
      .find(plan.filter(after), { sort: plan.sort, hint: plan.hint, limit: limit + 1, projection: { d: 1 } })
      .toArray();
    const page = found.length > limit ? found.slice(0, limit) : found;
    const items = page.map((stored) => stored.d as T);
    if (found.length <= limit) return { items };
    const last = page[page.length - 1];
    const keys = plan.orderFields.map((field) => sortValue(info, field, last.d[field]));
    return { items, nextCursor: encodeCursor(plan.shape, [...keys, last._id]) };
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    const info = await this.queried(collection);
    const plan = planCount(info, filter);
    if (plan.kind === 'documents') return this.documents(collection).countDocuments(plan.filter, { hint: plan.hint });
    const [row] = await this.countersOf(collection).aggregate<{ n: number }>(plan.pipeline, { hint: plan.hint }).toArray();
    return row?.n ?? 0;
  }

  async countBy(collection: string, field: string, filter?: Filter): Promise<Record<string, number>> {
    const info = await this.queried(collection);
    const plan = planCountBy(info, field, filter);
    const source = plan.kind === 'counter' ? this.countersOf(collection) : this.db.collection(mongoName.documents(collection));
    const rows = await source.aggregate<{ _id: unknown; n: number }>(plan.pipeline, { hint: plan.hint }).toArray();
    const counts: Record<string, number> = {};
    for (const { _id, n } of rows) {
      const key = countKey(_id);
      counts[key] = (counts[key] ?? 0) + n;
    }
    return counts;
  }

  async search<T>(collection: string, query: string, options: SearchOptions): Promise<Page<SearchHit<T>>> {
    const info = await this.queried(collection);
    const limit = pageLimit(options?.limit, MONGO_MAX_PAGE);
    const plan = planSearch(info, query, options.filter);
    if (plan === undefined) return { items: [] };
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor, plan.shape, 2, true);
    const found = await this.documents(collection)
      .aggregate<{ _id: string; d: Record<string, unknown>; s: number }>(plan.pipeline(after, limit + 1))
      .toArray();
    const page = found.length > limit ? found.slice(0, limit) : found;
    const fields = info.definition.text!.fields;
    const items = page.map((hit) => ({ document: hit.d as T, score: hit.s, snippet: buildSnippet(hit.d, fields, plan.terms) }));
    if (found.length <= limit) return { items };
    const last = page[page.length - 1];
    return { items, nextCursor: encodeCursor(plan.shape, [last.s, last._id]) };
  }

  async scan<T>(collection: string, options: { after?: string; limit: number }): Promise<{ id: string; document: T }[]> {
    await this.known(collection);
    const limit = pageLimit(options?.limit, MONGO_MAX_SCAN);
    if (options.after !== undefined && typeof options.after !== 'string') throw new TypeError('after is an id');
    const found = await this.documents(collection)
      .find({ _id: { $gt: options.after ?? '' } }, { sort: { _id: 1 }, hint: mongoName.idIndex, limit, projection: { d: 1 } })
      .toArray();
    return found.map((stored) => ({ id: stored._id, document: stored.d as T }));
  }

  async checkpoint(name: string): Promise<bigint | undefined> {
    this.assertOpen();
    assertCheckpointName(name);
    await this.ready();
    const stored = await this.checkpoints().findOne({ _id: name });
    const position = stored === null ? undefined : positionFromStored(this.driver.Long, stored.position);
    if (this.fencing === 'tracked' && !this.tracked.has(name)) this.tracked.set(name, position ?? null);
    return position;
  }

  // ////////////////////////////////////////////////////////////// writes

  async transaction(work: (writer: DocumentWriter) => Promise<void>): Promise<void> {
    this.assertOpen();
    if (typeof work !== 'function') throw new TypeError('transaction needs a function');
    return this.exclusive(() => this.runTransaction((writer) => work(writer)));
  }

  /**
   * Checks and serialises the batch now (a TypeError, and nothing written, for a bad document, checkpoint or an
   * unknown collection), then commits it in one transaction after what was called before it. A batch given while
   * an earlier one was pending fails if that one fails: it may build on it.
   */
  write(batch: MongoWriteBatch): Promise<void> {
    this.assertOpen();
    const prepared = this.prepare(batch);
    const sequence = ++this.writeSequence;
    return this.exclusive(async () => {
      if (sequence <= this.refusedThrough) throw new Error('Not written: a batch written before it failed');
      try {
        await this.runTransaction(async (writer) => {
          for (const [collection, documents] of prepared.documents) {
            const info = writer.info(collection);
            for (const [id, document] of documents) {
              if (document === null) writer.delete(collection, id);
              else writer.upsertSerialised(info, id, document);
            }
          }
          for (const [name, position, expected] of prepared.checkpoints) writer.setCheckpoint(name, position, expected);
        });
      } catch (error) {
        this.refusedThrough = this.writeSequence;
        throw error;
      }
    });
  }

  /** Lets queued writes finish, then closes the client (if the store made it). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.catch(() => undefined);
    if (this.ownsClient) await this.client.close();
  }

  // ////////////////////////////////////////////////////////////// internals

  private registry(): Collection<RegistryEntry> {
    return this.db.collection<RegistryEntry>(mongoName.registry);
  }

  private checkpoints(): Collection<CheckpointDocument> {
    return this.db.collection<CheckpointDocument>(mongoName.checkpoints);
  }

  private documents(collection: string): Collection<StoredDocument> {
    return this.db.collection<StoredDocument>(mongoName.documents(collection));
  }

  private countersOf(collection: string): Collection<Document> {
    return this.db.collection(mongoName.counters(collection));
  }

  /**
   * The server can run transactions, the store's own collections exist (created before any transaction needs
   * them: creating one inside a transaction can fail), and the registry is read.
   */
  private ready(): Promise<void> {
    this.started ??= (async () => {
      // `hello` from MongoDB 4.4.2 on; `isMaster` before.
      const hello = await this.db.command({ hello: 1 }).catch(() => this.db.command({ isMaster: 1 }));
      if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
        throw new Error(
          'MongoDocumentStore needs a replica set (or a sharded cluster): a standalone mongod runs no transactions. ' +
            'Start it with --replSet and rs.initiate() (a single-member set is enough), and name it in the URL (?replicaSet=rs0).',
        );
      }
      const existing = new Set((await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
      for (const name of [mongoName.registry, mongoName.checkpoints]) {
        if (!existing.has(name)) await this.createIfMissing(name);
      }
      await this.catalog.loadAll();
    })().catch((error: unknown) => {
      this.started = undefined;
      throw error;
    });
    return this.started;
  }

  private async createIfMissing(name: string): Promise<void> {
    try {
      await this.db.createCollection(name);
    } catch (error) {
      if (!hasCode(error, MongoCode.NamespaceExists)) throw error;
    }
  }

  /** A collection to read by id: it must exist (the copy of the registry, re-read on a miss). */
  private async known(name: string): Promise<CollectionInfo> {
    this.assertOpen();
    assertName('collection', name);
    await this.ready();
    const info = await this.catalog.known(name);
    if (!info) throw unknownCollection(name);
    return info;
  }

  /** A collection to query: as its registry entry is now, and not being bulk loaded. */
  private async queried(name: string): Promise<CollectionInfo> {
    this.assertOpen();
    assertName('collection', name);
    await this.ready();
    const info = await this.catalog.fresh(name);
    if (!info) throw unknownCollection(name);
    if (info.bulk) {
      throw new Error(`Collection ${JSON.stringify(name)} is being bulk loaded: it cannot be queried before completeBulkLoad`);
    }
    return info;
  }

  private async createCollection(name: string, definition: Definition, bulkLoad: boolean): Promise<void> {
    await this.dropLeftovers(name);
    await this.db.createCollection(mongoName.documents(name));
    const entry: RegistryEntry = { _id: name, definition, bulk: bulkLoad, arrays: [] };
    if (!bulkLoad) {
      await this.syncIndexes(name, definition);
      if (definition.counters.length > 0) await this.createCountersCollection(name);
    }
    // The entry last: until it exists, nothing uses the collection (and a crash leaves leftovers to drop).
    await this.registry().insertOne(entry);
    this.catalog.set(entry);
  }

  /** Builds what a bulk load deferred: every index in one createIndexes, each counter in one aggregation. */
  private async complete(entry: RegistryEntry): Promise<void> {
    const name = entry._id;
    assertNoParallelArrays(name, entry.definition, new Set(entry.arrays));
    await this.syncIndexes(name, entry.definition);
    if (entry.definition.counters.length > 0) {
      await this.createCountersCollection(name);
      for (const counter of entry.definition.counters) await this.buildCounter(name, counter);
    }
    this.catalog.set(await this.saveEntry({ ...entry, bulk: false }));
  }

  private async saveEntry(entry: RegistryEntry): Promise<RegistryEntry> {
    await this.registry().replaceOne({ _id: entry._id }, entry, { upsert: true });
    return entry;
  }

  /** Drops a collection's MongoDB collections (documents, counters), if any. */
  private async dropLeftovers(name: string): Promise<void> {
    for (const collection of [mongoName.documents(name), mongoName.counters(name)]) {
      try {
        await this.db.dropCollection(collection);
      } catch (error) {
        if (!hasCode(error, MongoCode.NamespaceNotFound)) throw error;
      }
    }
  }

  /**
   * The fields known to hold arrays once `wanted` applies: those known, and those of the fields it newly names
   * found holding one in a document already stored (one query per field, a collection scan: definition changes
   * are rare). Refuses a definition an index or counter of which would be multikey on two fields.
   */
  private async arraysAfter(name: string, entry: RegistryEntry, wanted: Definition): Promise<string[]> {
    const arrays = new Set(entry.arrays);
    for (const field of planDefinitionChange(entry.definition, wanted).newlyWatched) {
      if (arrays.has(field)) continue;
      const holder = await this.documents(name).findOne({ [fieldPath(field)]: { $type: 'array' } }, { projection: { _id: 1 } });
      if (holder) arrays.add(field);
    }
    assertNoParallelArrays(name, wanted, arrays);
    return [...arrays];
  }

  /**
   * Makes the collection's indexes exactly those of the definition: drops the store's indexes (declared ones,
   * the text index) that are no longer wanted or differ, then creates what is missing in one createIndexes
   * (MongoDB builds them in one pass over the documents). Idempotent: a build interrupted half-way is finished.
   */
  private async syncIndexes(name: string, definition: Definition): Promise<void> {
    const wanted: IndexDescription[] = [
      ...definition.indexes.map(indexSpec),
      ...(definition.text ? [textIndexSpec(definition.text.fields)] : []),
    ];
    const collection = this.documents(name);
    const existing = await collection.listIndexes().toArray();
    const missing: IndexDescription[] = [];
    for (const spec of wanted) {
      const found = existing.find((index) => index.name === spec.name);
      if (found && sameIndex(found, spec)) continue;
      if (found) await this.dropIndex(collection, spec.name!);
      missing.push(spec);
    }
    for (const index of existing) {
      const ours = typeof index.name === 'string' && (index.name.startsWith('i_') || index.name === mongoName.textIndex);
      if (ours && !wanted.some((spec) => spec.name === index.name)) await this.dropIndex(collection, index.name as string);
    }
    if (missing.length > 0) await collection.createIndexes(missing);
  }

  private async dropIndex(collection: Collection<StoredDocument>, index: string): Promise<void> {
    try {
      await collection.dropIndex(index);
    } catch (error) {
      if (!hasCode(error, MongoCode.IndexNotFound) && !hasCode(error, MongoCode.NamespaceNotFound)) throw error;
    }
  }

  private async createCountersCollection(name: string): Promise<void> {
    await this.createIfMissing(mongoName.counters(name));
    await this.countersOf(name).createIndex({ c: 1 }, { name: mongoName.countersIndex });
  }

  /** A counter counted from the documents stored (its rows, if any, deleted first). */
  private async buildCounter(name: string, counter: Definition['counters'][number]): Promise<void> {
    await this.countersOf(name).deleteMany({ c: counter.name });
    await this.documents(name).aggregate(counterBuildPipeline(counter, mongoName.counters(name))).toArray();
  }

  /**
   * Every stored document's text keys (`x`) recomputed for the definition's text fields (or removed), in id order
   * and batches: the text fields changed. Not one transaction (it may touch millions of documents): writes of this
   * process wait; see README for other processes.
   */
  private async recomputeTextKeys(name: string, definition: Definition): Promise<void> {
    const fields = definition.text?.fields;
    const documents = this.db.collection<Row>(mongoName.documents(name));
    const cursor = this.documents(name).find({}, { sort: { _id: 1 }, hint: mongoName.idIndex, projection: { d: 1 }, batchSize: 1000 });
    let batch: AnyBulkWriteOperation<Row>[] = [];
    for await (const stored of cursor) {
      const update = fields ? { $set: { [TEXT_KEYS]: textKeys(stored.d, fields) } } : { $unset: { [TEXT_KEYS]: '' } };
      batch.push({ updateOne: { filter: { _id: stored._id }, update } });
      if (batch.length >= 1000) {
        await documents.bulkWrite(batch, { ordered: false });
        batch = [];
      }
    }
    if (batch.length > 0) await documents.bulkWrite(batch, { ordered: false });
  }

  /** The synchronous checks of `write`: everything that makes a batch unwritable, before anything is queued. */
  private prepare(batch: MongoWriteBatch): PreparedBatch {
    if (typeof batch !== 'object' || batch === null || !(batch.documents instanceof Map)) {
      throw new TypeError('A write batch has documents: a Map of collection -> Map of id -> document or null');
    }
    const documents: [string, Map<string, Record<string, unknown> | null>][] = [];
    for (const [collection, byId] of batch.documents) {
      assertName('collection', collection);
      // The copy of the registry says whether the collection exists (all of it was read when the store started
      // and every collection made through this store is in it); before that, the transaction checks.
      if (this.catalog.cached(collection) === null) throw unknownCollection(collection);
      if (!(byId instanceof Map)) throw new TypeError(`${collection}: documents are a Map of id -> document or null`);
      const serialised = new Map<string, Record<string, unknown> | null>();
      for (const [id, document] of byId) {
        assertId(id);
        serialised.set(id, document === null ? null : serialiseDocument(collection, id, document));
      }
      documents.push([collection, serialised]);
    }
    const checkpoints: [string, bigint, bigint | null | undefined][] = [];
    for (const [name, position] of batch.checkpoints ?? new Map<string, bigint>()) {
      assertCheckpointName(name);
      assertPosition(name, position);
      const expected = batch.expectedCheckpoints?.get(name);
      if (expected !== undefined && expected !== null) assertPosition(name, expected);
      checkpoints.push([name, position, expected]);
    }
    return { documents, checkpoints };
  }

  /**
   * One MongoDB transaction around `fill`: the registry read in its snapshot, a fresh writer per attempt (MongoDB
   * retries on transient errors: a write conflict with another process, a primary stepping down), the writes
   * applied and the checkpoints checked at the end, then committed. On success, what this process caches (the
   * registry's arrays, tracked checkpoints) is brought up to date.
   */
  private async runTransaction(fill: (writer: StoreWriter) => Promise<void>): Promise<void> {
    await this.ready();
    const session = this.client.startSession();
    const firstReads = new Map<string, bigint | null>();
    let writer: StoreWriter | undefined;
    try {
      await session.withTransaction(async () => {
        writer?.abandon();
        const catalog = await this.catalog.loadAll(session);
        writer = new StoreWriter(this.backend(session), catalog, {
          Long: this.driver.Long,
          maxPendingWrites: this.maxPendingWrites,
          expectation: (name) => this.expectation(name, firstReads),
          observed: (name, position) => {
            if (!firstReads.has(name)) firstReads.set(name, position);
          },
        });
        await fill(writer);
        await writer.finish();
      }, TRANSACTION);
    } catch (error) {
      writer?.abandon();
      if (error instanceof CheckpointConflictError) this.tracked.delete(error.checkpoint);
      throw error;
    } finally {
      await session.endSession();
    }
    const done = writer!;
    for (const [collection, fields] of done.newArrays) this.catalog.noteArrays(collection, fields);
    if (this.fencing === 'tracked') for (const [name, { position }] of done.checkpoints) this.tracked.set(name, position);
  }

  private expectation(name: string, firstReads: ReadonlyMap<string, bigint | null>): Expectation {
    if (this.fencing === 'explicit') return undefined;
    if (this.tracked.has(name)) return this.tracked.get(name)!;
    return firstReads.has(name) ? firstReads.get(name)! : 'current';
  }

  private backend(session: ClientSession): WriterBackend {
    return {
      findDocuments: (collection, ids, projection) =>
        this.documents(collection)
          .find({ _id: { $in: [...ids] } }, { session, ...(projection ? { projection } : {}) })
          .toArray(),
      bulkWrite: async (collection, operations) => {
        if (operations.length === 0) return;
        await this.db.collection<Row>(collection).bulkWrite(operations as AnyBulkWriteOperation<Row>[], { session, ordered: false });
      },
      readCheckpoints: async (names) => {
        const found = await this.checkpoints().find({ _id: { $in: [...names] } }, { session }).toArray();
        return new Map(found.map((c) => [c._id, positionFromStored(this.driver.Long, c.position)]));
      },
    };
  }

  /** Runs `task` after every exclusive task called before it (transactions, writes, definition changes). */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The document store is closed');
  }
}

/** The writer with what `write` needs of it: a collection's info as its transaction read it. */
class StoreWriter extends MongoDocumentWriter {
  constructor(
    backend: WriterBackend,
    private readonly infos: ReadonlyMap<string, CollectionInfo>,
    options: ConstructorParameters<typeof MongoDocumentWriter>[2],
  ) {
    super(backend, infos, options);
  }

  info(collection: string): CollectionInfo {
    const info = this.infos.get(collection);
    if (!info) throw unknownCollection(collection);
    return info;
  }
}

const withoutText = (definition: Definition): Definition => ({ indexes: definition.indexes, counters: definition.counters });

function unknownCollection(name: string): Error {
  return new Error(`Unknown collection ${JSON.stringify(name)}: call ensureCollection first`);
}

/** A sort value of a page's last document for its cursor: missing is null; an array cannot be one. */
function sortValue(info: CollectionInfo, field: string, value: unknown): SortValue {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) {
    // The copy of the registry said the field held no arrays; a write since found one: the sort is no longer served.
    throw new UnindexedQueryError(info.name, `sort by ${field}, which holds arrays`);
  }
  return value as SortValue;
}

/** Whether an existing index is the one wanted (same keys, and for a text index the same weights and languages). */
function sameIndex(existing: Document, wanted: IndexDescription): boolean {
  if (wanted.weights) {
    return (
      JSON.stringify(sortedEntries(existing.weights)) === JSON.stringify(sortedEntries(wanted.weights)) &&
      existing.default_language === wanted.default_language &&
      existing.language_override === wanted.language_override
    );
  }
  return JSON.stringify(existing.key) === JSON.stringify(wanted.key);
}

const sortedEntries = (object: unknown): [string, unknown][] =>
  Object.entries((object ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function pageLimit(limit: unknown, max: number): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new RangeError(`limit must be a positive integer, got ${String(limit)}`);
  }
  return Math.min(limit, max);
}

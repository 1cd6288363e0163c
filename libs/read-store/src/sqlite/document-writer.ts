import type Database from 'better-sqlite3';
import { CheckpointConflictError, type DocumentWriter } from '../document-store.port';
import { assertCheckpointName, assertId, assertPosition } from '../port-rules';
import { CollectionInfo, readCatalog } from './catalog';
import { makeMultikey, noteBulkArrays, parallelArrays, textIndexSql } from './collection-schema';
import { StatementCache } from './read-store-database';
import { keyColumnValue, NULL_KEY, sqlName } from './sql-names';

export interface PendingLimits {
  /** Buffered writes after which they are written to the (still open) transaction. */
  readonly maxPendingWrites: number;
  /** Buffered JSON characters after which the same happens. */
  readonly maxPendingBytes: number;
}


/** SQL of the statements a transaction runs per collection (the text is the statement cache's key). */
export const documentSql = {
  get: (collection: string): string => `SELECT doc FROM ${sqlName.documents(collection)} WHERE id = ?`,
  // The document is bound as a string or as its UTF-8 (a blob), CAST to TEXT either way.
  // The WHERE makes a replayed, unchanged document a no-op: no row rewrite, no index or trigger work. The key
  // columns (see collection-schema.ts) are computed from the document in the same statement: SQLite parses the
  // JSON once for all of them. (The inner WHERE keeps SQLite from reading ON CONFLICT as part of a join.)
  upsert: (collection: string, keyColumns: readonly string[] = []): string => {
    if (keyColumns.length === 0) {
      return (
        `INSERT INTO ${sqlName.documents(collection)} (id, doc) VALUES (?, CAST(? AS TEXT)) ` +
        'ON CONFLICT (id) DO UPDATE SET doc = excluded.doc WHERE doc IS NOT excluded.doc'
      );
    }
    const columns = keyColumns.map((f) => sqlName.fieldKey(f));
    return (
      `INSERT INTO ${sqlName.documents(collection)} (id, ${columns.join(', ')}, doc) ` +
      `SELECT id, ${keyColumns.map((f) => keyColumnValue('doc', f)).join(', ')}, doc FROM (SELECT ? AS id, CAST(? AS TEXT) AS doc) WHERE true ` +
      `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, ${columns.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
      'WHERE doc IS NOT excluded.doc'
    );
  },
  /**
   * The same with the keys computed by the caller (SerialisedDocument.keys): id, the mask of the keys that are
   * arrays' JSON (made JSONB here, as keyColumnValue does), the keys, doc. Nothing parses the document.
   */
  upsertKeyed: (collection: string, keyColumns: readonly string[]): string => {
    const columns = keyColumns.map((f) => sqlName.fieldKey(f));
    const values = keyColumns.map((_, i) => `CASE WHEN m & ${2 ** i} THEN jsonb(v${i}) ELSE v${i} END`);
    return (
      `INSERT INTO ${sqlName.documents(collection)} (id, ${columns.join(', ')}, doc) ` +
      `SELECT id, ${values.join(', ')}, doc FROM (SELECT ? AS id, ? AS m, ${keyColumns.map((_, i) => `? AS v${i}, `).join('')}CAST(? AS TEXT) AS doc) WHERE true ` +
      `ON CONFLICT (id) DO UPDATE SET doc = excluded.doc, ${columns.map((c) => `${c} = excluded.${c}`).join(', ')} ` +
      'WHERE doc IS NOT excluded.doc'
    );
  },
  delete: (collection: string): string => `DELETE FROM ${sqlName.documents(collection)} WHERE id = ?`,
  checkpoint:
    'INSERT INTO read_store_checkpoints (name, position) VALUES (?, ?) ' +
    'ON CONFLICT (name) DO UPDATE SET position = excluded.position',
};

/**
 * The writer of one transaction; the caller holds BEGIN IMMEDIATE on `db` for its whole life.
 *
 * Writes are buffered per document (the last one wins) and written in bulk: a projection batch that touches
 * the same request ten times writes it once. The buffer is written into the open transaction when it grows
 * past the limits, and at the end; nothing is visible to other connections before COMMIT either way.
 * Documents are serialised at upsert, so a bad one (a bigint, a cycle) throws at the caller's line and
 * later changes to the caller's object do not leak in.
 */
export class SqliteDocumentWriter implements DocumentWriter {
  /**
   * Collections whose definition this transaction changed (an index or counter turned multikey, arrays noted
   * during a bulk load): the store re-reads the catalog after COMMIT.
   */
  readonly changed = new Map<string, CollectionInfo>();
  private readonly pending = new Map<string, Map<string, SerialisedDocument | null>>();
  private readonly checkpoints = new Map<string, bigint>();
  private readonly expectations = new Map<string, bigint | null>();
  private pendingWrites = 0;
  private pendingBytes = 0;
  private open = true;

  constructor(
    private readonly db: Database.Database,
    private readonly statements: StatementCache,
    private readonly committed: ReadonlyMap<string, CollectionInfo>,
    private readonly limits: PendingLimits,
  ) {}

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    this.assertOpen();
    this.collection(collection);
    assertId(id);
    const buffered = this.pending.get(collection);
    if (buffered?.has(id)) {
      const document = buffered.get(id)!;
      return document === null ? undefined : (JSON.parse(textOf(document.json)) as T);
    }
    const json = this.statements.get(documentSql.get(collection)).pluck(true).get(id) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  upsert(collection: string, id: string, document: object): void {
    this.assertOpen();
    const info = this.collection(collection);
    assertId(id);
    const serialised = serialiseDocument(info, id, document);
    this.watchArrays(info, serialised.arrays);
    this.buffer(collection, id, serialised);
  }

  /**
   * A document serialised already (serialiseDocument), against a catalog that may be older than this
   * transaction's (`against`: what it was serialised for). If the collection now names other fields, the
   * document is read again to look for arrays in them; keys made for other key columns are left to SQLite.
   */
  upsertSerialised(collection: string, id: string, document: SerialisedDocument, against: SerialisedFor): void {
    this.assertOpen();
    const info = this.collection(collection);
    assertId(id);
    const arrays = info.namedFields.every((f) => against.checked.has(f))
      ? document.arrays
      : arraysIn(JSON.parse(textOf(document.json)) as Record<string, unknown>, info.namedFields);
    this.watchArrays(info, arrays);
    // Keys and texts made for other columns and fields than the collection has now are left to SQLite.
    const keysFit = document.keys === undefined || sameList(against.keyColumns, info.stored.keyColumns ?? []);
    const textsFit = document.texts === undefined || sameList(against.textFields, info.stored.text?.fields ?? []);
    this.buffer(
      collection,
      id,
      keysFit && textsFit
        ? document
        : { json: document.json, arrays, ...(keysFit ? { keys: document.keys, arrayKeys: document.arrayKeys } : {}), ...(textsFit ? { texts: document.texts } : {}) },
    );
  }

  delete(collection: string, id: string): void {
    this.assertOpen();
    this.collection(collection);
    assertId(id);
    this.buffer(collection, id, null);
  }

  setCheckpoint(name: string, position: bigint, expected?: bigint | null): void {
    this.assertOpen();
    assertCheckpoint(name, position);
    if (expected !== undefined && expected !== null) assertCheckpoint(name, expected);
    this.checkpoints.set(name, position);
    if (expected !== undefined) this.expectations.set(name, expected);
  }

  /** Writes everything buffered and the checkpoints; the caller then COMMITs. */
  finish(): void {
    this.assertOpen();
    this.flush();
    // Compare-and-set: read in this transaction (it holds the write lock), so no other writer can move it in between.
    const read = this.statements.get('SELECT position FROM read_store_checkpoints WHERE name = ?').safeIntegers(true);
    for (const [name, expected] of this.expectations) {
      const row = read.get(name) as { position: bigint } | undefined;
      const actual = row === undefined ? null : BigInt(row.position);
      if (actual !== expected) throw new CheckpointConflictError(name, expected, actual);
    }
    const save = this.statements.get(documentSql.checkpoint);
    for (const [name, position] of this.checkpoints) save.run(name, position);
    this.open = false;
  }

  /** After a failure: later calls (e.g. from a stray promise of `work`) throw instead of writing elsewhere. */
  abandon(): void {
    this.open = false;
    this.pending.clear();
  }

  private buffer(collection: string, id: string, document: SerialisedDocument | null): void {
    let documents = this.pending.get(collection);
    if (documents === undefined) {
      documents = new Map();
      this.pending.set(collection, documents);
    }
    documents.set(id, document);
    this.pendingWrites += 1;
    this.pendingBytes += document === null ? 0 : document.json.length;
    if (this.pendingWrites >= this.limits.maxPendingWrites || this.pendingBytes >= this.limits.maxPendingBytes) {
      this.flush();
    }
  }

  private flush(): void {
    for (const [collection, documents] of this.pending) {
      // In B-tree order: 10k updates of nearby rows of a 50k-row table took 82 ms in arrival order, 30 ms sorted.
      this.write(this.collection(collection), inOrder([...documents.keys()]), documents);
    }
    this.pending.clear();
    this.pendingWrites = 0;
    this.pendingBytes = 0;
  }

  /** Writes (a null: deletes) documents of one collection, then their text entries. */
  private write(info: CollectionInfo, ids: readonly string[], documents: ReadonlyMap<string, SerialisedDocument | null>): void {
    const keyColumns = info.stored.keyColumns ?? [];
    const upsertParsing = this.statements.get(documentSql.upsert(info.name, keyColumns));
    const upsertKeyed = keyColumns.length > 0 ? this.statements.get(documentSql.upsertKeyed(info.name, keyColumns)) : undefined;
    const upsert = (id: string, document: SerialisedDocument): Database.RunResult =>
      document.keys !== undefined && upsertKeyed !== undefined
        ? upsertKeyed.run(id, document.arrayKeys ?? 0, ...document.keys, document.json)
        : upsertParsing.run(id, document.json);
    const remove = this.statements.get(documentSql.delete(info.name));
    // While bulk loading there may be no text index yet (completeBulkLoad then builds it from the documents).
    if (!info.stored.text || (info.bulk && !info.stored.bulkLoad?.textKept)) {
      for (const id of ids) {
        const document = documents.get(id)!;
        if (document === null) remove.run(id);
        else upsert(id, document);
      }
      return;
    }
    const sql = textIndexSql(info.name, info.stored.text.fields);
    const indexed = this.statements.get(sql.indexed).raw(true);
    const textsOf = this.statements.get(sql.textsOf).raw(true);
    const removals: unknown[][] = [];
    const additions: unknown[][] = [];
    for (const id of ids) {
      const document = documents.get(id)!;
      // [rowid, text0 ...] of the stored document, exactly as FTS5 indexed it.
      const old = indexed.get(id) as unknown[] | undefined;
      if (document === null) {
        if (old) {
          removals.push(old);
          remove.run(id);
        }
        continue;
      }
      const result = upsert(id, document);
      const texts = (document.texts ?? textsOf.get({ doc: document.json })) as (string | Uint8Array | null)[];
      if (old === undefined) {
        additions.push([result.lastInsertRowid, ...texts]);
      } else if (texts.some((text, i) => (text === null ? null : textOf(text)) !== old[i + 1])) {
        // Most updates change no text (a status, an owner): those leave the FTS index alone.
        removals.push(old);
        additions.push([old[0], ...texts]);
      }
    }
    // Text last: FTS5 writes its pending entries to disk at every statement savepoint, and an upsert firing
    // the multikey triggers opens one. Interleaved, that turned one FTS flush per batch into one per document
    // (10k documents: 240 ms instead of 160 ms).
    const removeText = this.statements.get(sql.remove);
    const addText = this.statements.get(sql.add);
    for (const row of removals) removeText.run(...row);
    for (const row of additions) addText.run(...row);
  }

  /**
   * An array in a field of an index or counter makes it multikey (MongoDB decides the same way, per document);
   * while bulk loading, the field is noted for completeBulkLoad instead. `arrays`: the named fields of the
   * document holding arrays (see serialiseDocument); the common case, no array where none is expected, costs
   * a look at each watched field.
   */
  private watchArrays(info: CollectionInfo, arrays: readonly string[]): void {
    if (arrays.length === 0 || !info.watchedFields.some((f) => arrays.includes(f))) return;
    for (const structure of [...info.stored.indexes, ...info.counters]) {
      const held = structure.fields.filter((f) => arrays.includes(f));
      if (held.length > 1) throw parallelArrays(info.name, structure, held);
      const known = info.arrayFieldOf(structure);
      if (held.length === 1 && known !== undefined && known !== held[0]) {
        throw parallelArrays(info.name, structure, [known, held[0]]);
      }
    }
    const fresh = info.watchedFields.filter((f) => arrays.includes(f));
    // DDL (or a catalog row) inside this transaction: rolled back with it, published only if it commits.
    let current = info;
    if (info.bulk) {
      current = new CollectionInfo(noteBulkArrays(this.db, info.name, fresh));
    } else {
      for (const field of fresh) current = new CollectionInfo(makeMultikey(this.db, current.stored, field));
    }
    this.changed.set(info.name, current);
  }

  private collection(name: string): CollectionInfo {
    const info = this.changed.get(name) ?? this.committed.get(name);
    if (info === undefined) throw new Error(`Unknown collection ${JSON.stringify(name)}: call ensureCollection first`);
    return info;
  }

  private assertOpen(): void {
    if (!this.open) throw new Error('This transaction is over: its writer cannot be used any more');
  }
}

/** A document ready to store. */
export interface SerialisedDocument {
  /** A string, or its UTF-8 (from another thread: see SqliteDocumentStore.write). */
  readonly json: string | Uint8Array;
  /** Which fields the collection's indexes and counters name hold arrays. */
  readonly arrays: readonly string[];
  /**
   * The values of the key columns, in their order, made from the object (keysOf): what keyColumnValue makes of
   * the JSON, except that an array is its JSON text, with bit i of `arrayKeys` set (SQLite makes it JSONB).
   * Undefined: SQLite makes them from the JSON.
   */
  readonly keys?: readonly (string | number)[];
  readonly arrayKeys?: number;
  /** The texts of the text fields, in their order, made from the object (textsOf); undefined: SQLite makes them. */
  readonly texts?: readonly (string | Uint8Array | null)[];
}

const utf8 = new TextDecoder();

/** A serialised text as a string (the statements take either: they CAST what they bind to TEXT). */
export const textOf = (text: string | Uint8Array): string => (typeof text === 'string' ? text : utf8.decode(text));

/** What a batch's documents of a collection were serialised against (see upsertSerialised). */
export interface SerialisedFor {
  readonly checked: ReadonlySet<string>;
  readonly keyColumns: readonly string[];
  readonly textFields: readonly string[];
}

const NO_ARRAYS: readonly string[] = [];

/**
 * Checks and serialises a document for `info`'s collection: a bad one (not an object, a bigint, a cycle) throws
 * here, at the caller's line, and later changes to the caller's object do not leak in.
 */
export function serialiseDocument(info: CollectionInfo, id: string, document: object): SerialisedDocument {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TypeError(`A document of ${info.name} must be a JSON object (id ${id})`);
  }
  const json = JSON.stringify(document);
  const fields = document as Record<string, unknown>;
  const arrays = arraysIn(fields, info.namedFields);
  const keyed = info.stored.keyColumns === undefined ? undefined : keysOf(fields, info.stored.keyColumns);
  const texts = info.stored.text === undefined ? undefined : textsOf(fields, info.stored.text.fields);
  return {
    json,
    arrays,
    ...(keyed === undefined ? {} : { keys: keyed.keys, arrayKeys: keyed.arrayKeys }),
    ...(texts === undefined ? {} : { texts }),
  };
}

/**
 * The text fields' texts from the document object, as the text index's view makes them from its JSON (textOf): a
 * string as it is, the strings of an array one per line (null if none), anything else null. A value with a toJSON
 * (which JSON may turn into a string) leaves the document to SQLite: undefined.
 */
export function textsOf(document: Readonly<Record<string, unknown>>, fields: readonly string[]): (string | null)[] | undefined {
  const texts = new Array<string | null>(fields.length);
  for (let i = 0; i < fields.length; i += 1) {
    const value = document[fields[i]];
    if (typeof value === 'string') {
      texts[i] = value;
    } else if (Array.isArray(value)) {
      let text: string | null = null;
      for (const element of value) {
        if (typeof element === 'string') text = text === null ? element : `${text}\n${element}`;
        else if (hasToJson(element)) return undefined;
      }
      texts[i] = text;
    } else if (hasToJson(value)) {
      return undefined;
    } else {
      texts[i] = null;
    }
  }
  return texts;
}

const hasToJson = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';

/** At most this many key columns are keyed from the object (their arrays flagged in one integer). */
const MAX_KEYED = 30;

/**
 * The key columns' values from the document object, as keyColumnValue makes them from its JSON: a string as it
 * is, a finite number as it is (JSON has no others: NaN and the infinities become null), a boolean as 1 / 0, null
 * and whatever JSON leaves out as NULL_KEY, an array as its JSON text. SQLite stores a number bound from here as
 * REAL where json_extract gives INTEGER; the two compare, sort and group as equal. A field holding another kind of
 * object (or a toJSON), or an integer too large to be exact, leaves the document to SQLite: undefined. (The spec
 * checks the two agree, value kind by value kind.)
 */
export function keysOf(document: Readonly<Record<string, unknown>>, columns: readonly string[]): { keys: (string | number)[]; arrayKeys: number } | undefined {
  if (columns.length > MAX_KEYED) return undefined;
  const keys = new Array<string | number>(columns.length);
  let arrayKeys = 0;
  for (let i = 0; i < columns.length; i += 1) {
    const value = document[columns[i]];
    switch (typeof value) {
      case 'string':
        keys[i] = value;
        break;
      case 'number':
        // An integer beyond 2^53 prints as digits SQLite reads as another (exact) integer: left to SQLite.
        if (Number.isInteger(value) && !Number.isSafeInteger(value) && Math.abs(value) < 1e21) return undefined;
        keys[i] = Number.isFinite(value) ? value : NULL_KEY;
        break;
      case 'boolean':
        keys[i] = value ? 1 : 0;
        break;
      case 'object':
        if (value === null) {
          keys[i] = NULL_KEY;
        } else if (Array.isArray(value) && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
          keys[i] = JSON.stringify(value);
          arrayKeys |= 2 ** i;
        } else {
          return undefined;
        }
        break;
      default:
        keys[i] = NULL_KEY;
    }
  }
  return { keys, arrayKeys };
}

function arraysIn(document: Record<string, unknown>, fields: readonly string[]): readonly string[] {
  let arrays = NO_ARRAYS;
  for (const field of fields) {
    if (Array.isArray(document[field])) arrays = arrays === NO_ARRAYS ? [field] : [...arrays, field];
  }
  return arrays;
}

/**
 * The writes of one batch (DocumentStore.write), serialised on the caller's thread, as the thread that commits
 * them gets them: per collection, the fields its documents were checked for arrays against, then ids and
 * documents (null: delete) side by side.
 */
export interface SerialisedBatch {
  readonly collections: readonly {
    readonly name: string;
    /** The fields the documents were checked for arrays in, the key columns and text fields they were made for. */
    readonly checked: readonly string[];
    readonly keyColumns: readonly string[];
    readonly textFields: readonly string[];
    readonly ids: readonly string[];
    readonly documents: readonly (SerialisedDocument | null)[];
  }[];
  readonly checkpoints: readonly (readonly [name: string, position: bigint])[];
}

/** Hands a serialised batch to the writer of a transaction (which then finishes, and the caller COMMITs). */
export function writeSerialisedBatch(writer: SqliteDocumentWriter, batch: SerialisedBatch): void {
  for (const { name, checked, keyColumns, textFields, ids, documents } of batch.collections) {
    const against: SerialisedFor = { checked: new Set(checked), keyColumns, textFields };
    for (let i = 0; i < ids.length; i += 1) {
      const document = documents[i];
      if (document === null) writer.delete(name, ids[i]);
      else writer.upsertSerialised(name, ids[i], document, against);
    }
  }
  for (const [name, position] of batch.checkpoints) writer.setCheckpoint(name, position);
}

/**
 * Commits a serialised batch on `db` (which no transaction holds) in one BEGIN IMMEDIATE ... COMMIT, against the
 * catalog as the transaction reads it. Returns whether the batch changed a collection's definition (an index or
 * counter turned multikey, arrays noted during a bulk load): other connections' catalogs are then stale.
 */
export function commitSerialisedBatch(db: Database.Database, statements: StatementCache, limits: PendingLimits, batch: SerialisedBatch): boolean {
  statements.get('BEGIN IMMEDIATE').run();
  let writer: SqliteDocumentWriter | undefined;
  try {
    writer = new SqliteDocumentWriter(db, statements, readCatalog(db), limits);
    writeSerialisedBatch(writer, batch);
    writer.finish();
    statements.get('COMMIT').run();
  } catch (error) {
    writer?.abandon();
    // Some errors (I/O, disk full) end the transaction inside SQLite already.
    if (db.inTransaction) statements.get('ROLLBACK').run();
    throw error;
  }
  return writer.changed.size > 0;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Sorted ids (most batches arrive sorted already: a check costs less than a sort). */
function inOrder(ids: string[]): string[] {
  for (let i = 1; i < ids.length; i += 1) if (ids[i - 1] > ids[i]) return ids.sort();
  return ids;
}

export function assertCheckpoint(name: unknown, position: unknown): asserts position is bigint {
  assertCheckpointName(name);
  assertPosition(name, position);
}

export { assertId };

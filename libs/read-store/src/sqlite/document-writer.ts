import type Database from 'better-sqlite3';
import { DocumentWriter } from '../document-store.port';
import { CollectionInfo } from './catalog';
import { makeMultikey, noteBulkArrays, parallelArrays, textIndexSql } from './collection-schema';
import { StatementCache } from './read-store-database';
import { keyExpression, sqlName } from './sql-names';

export interface PendingLimits {
  /** Buffered writes after which they are written to the (still open) transaction. */
  readonly maxPendingWrites: number;
  /** Buffered JSON characters after which the same happens. */
  readonly maxPendingBytes: number;
}

const MAX_POSITION = (1n << 63n) - 1n;

/** SQL of the statements a transaction runs per collection (the text is the statement cache's key). */
export const documentSql = {
  get: (collection: string): string => `SELECT doc FROM ${sqlName.documents(collection)} WHERE id = ?`,
  // The WHERE makes a replayed, unchanged document a no-op: no row rewrite, no index or trigger work. The key
  // columns (see collection-schema.ts) are computed from the document in the same statement: SQLite parses the
  // JSON once for all of them. (The inner WHERE keeps SQLite from reading ON CONFLICT as part of a join.)
  upsert: (collection: string, keyColumns: readonly string[] = []): string => {
    if (keyColumns.length === 0) {
      return (
        `INSERT INTO ${sqlName.documents(collection)} (id, doc) VALUES (?, ?) ` +
        'ON CONFLICT (id) DO UPDATE SET doc = excluded.doc WHERE doc IS NOT excluded.doc'
      );
    }
    const columns = keyColumns.map((f) => sqlName.fieldKey(f));
    return (
      `INSERT INTO ${sqlName.documents(collection)} (id, ${columns.join(', ')}, doc) ` +
      `SELECT id, ${keyColumns.map((f) => keyExpression('doc', f)).join(', ')}, doc FROM (SELECT ? AS id, ? AS doc) WHERE true ` +
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
  private readonly pending = new Map<string, Map<string, string | null>>();
  private readonly checkpoints = new Map<string, bigint>();
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
      const json = buffered.get(id)!;
      return json === null ? undefined : (JSON.parse(json) as T);
    }
    const json = this.statements.get(documentSql.get(collection)).pluck(true).get(id) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  upsert(collection: string, id: string, document: object): void {
    this.assertOpen();
    const info = this.collection(collection);
    assertId(id);
    if (typeof document !== 'object' || document === null || Array.isArray(document)) {
      throw new TypeError(`A document of ${collection} must be a JSON object (id ${id})`);
    }
    const json = JSON.stringify(document);
    this.watchArrays(info, document as Record<string, unknown>);
    this.buffer(collection, id, json);
  }

  delete(collection: string, id: string): void {
    this.assertOpen();
    this.collection(collection);
    assertId(id);
    this.buffer(collection, id, null);
  }

  setCheckpoint(name: string, position: bigint): void {
    this.assertOpen();
    if (typeof name !== 'string' || name.length === 0) throw new TypeError('A checkpoint name is a non-empty string');
    if (typeof position !== 'bigint' || position < 0n || position > MAX_POSITION) {
      throw new TypeError(`Checkpoint ${name}: a position is a bigint from 0n to 2^63-1, got ${String(position)}`);
    }
    this.checkpoints.set(name, position);
  }

  /** Writes everything buffered and the checkpoints; the caller then COMMITs. */
  finish(): void {
    this.assertOpen();
    this.flush();
    const save = this.statements.get(documentSql.checkpoint);
    for (const [name, position] of this.checkpoints) save.run(name, position);
    this.open = false;
  }

  /** After a failure: later calls (e.g. from a stray promise of `work`) throw instead of writing elsewhere. */
  abandon(): void {
    this.open = false;
    this.pending.clear();
  }

  private buffer(collection: string, id: string, json: string | null): void {
    let documents = this.pending.get(collection);
    if (documents === undefined) {
      documents = new Map();
      this.pending.set(collection, documents);
    }
    documents.set(id, json);
    this.pendingWrites += 1;
    this.pendingBytes += json === null ? 0 : json.length;
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
  private write(info: CollectionInfo, ids: readonly string[], documents: ReadonlyMap<string, string | null>): void {
    const upsert = this.statements.get(documentSql.upsert(info.name, info.stored.keyColumns));
    const remove = this.statements.get(documentSql.delete(info.name));
    // While bulk loading there is no text index yet: completeBulkLoad builds it from the documents.
    if (!info.stored.text || info.bulk) {
      for (const id of ids) {
        const json = documents.get(id)!;
        if (json === null) remove.run(id);
        else upsert.run(id, json);
      }
      return;
    }
    const sql = textIndexSql(info.name, info.stored.text.fields);
    const indexed = this.statements.get(sql.indexed).raw(true);
    const textsOf = this.statements.get(sql.textsOf).raw(true);
    const removals: unknown[][] = [];
    const additions: unknown[][] = [];
    for (const id of ids) {
      const json = documents.get(id)!;
      // [rowid, text0 ...] of the stored document, exactly as FTS5 indexed it.
      const old = indexed.get(id) as unknown[] | undefined;
      if (json === null) {
        if (old) {
          removals.push(old);
          remove.run(id);
        }
        continue;
      }
      const result = upsert.run(id, json);
      const texts = textsOf.get({ doc: json }) as unknown[];
      if (old === undefined) {
        additions.push([result.lastInsertRowid, ...texts]);
      } else if (texts.some((text, i) => text !== old[i + 1])) {
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
   * while bulk loading, the field is noted for completeBulkLoad instead. The common case, no array where none
   * is expected, is one Array.isArray per watched field.
   */
  private watchArrays(info: CollectionInfo, document: Record<string, unknown>): void {
    if (!info.watchedFields.some((f) => Array.isArray(document[f]))) return;
    for (const structure of [...info.stored.indexes, ...info.counters]) {
      const arrays = structure.fields.filter((f) => Array.isArray(document[f]));
      if (arrays.length > 1) throw parallelArrays(info.name, structure, arrays);
      const known = info.arrayFieldOf(structure);
      if (arrays.length === 1 && known !== undefined && known !== arrays[0]) {
        throw parallelArrays(info.name, structure, [known, arrays[0]]);
      }
    }
    const fresh = info.watchedFields.filter((f) => Array.isArray(document[f]));
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

/** Sorted ids (most batches arrive sorted already: a check costs less than a sort). */
function inOrder(ids: string[]): string[] {
  for (let i = 1; i < ids.length; i += 1) if (ids[i - 1] > ids[i]) return ids.sort();
  return ids;
}

function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('A document id is a non-empty string');
}

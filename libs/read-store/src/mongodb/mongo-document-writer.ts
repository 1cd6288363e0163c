import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { DocumentWriter } from '../document-store.port';
import { assertCheckpointName } from '../port-rules';
import { counterDeltas, counterProjection, counterUpdates } from './counters';
import { CollectionInfo, parallelArrays } from './definitions';
import { CheckpointConflictError } from './errors';
import { assertId, CounterRowDocument, mongoName, Row, TEXT_KEYS } from './names';
import { assertPosition, LongClass, positionToLong } from './positions';
import { textKeys } from './text-search';

/** What a stored document looks like (names.ts). */
export interface StoredDocument {
  readonly _id: string;
  readonly d: Record<string, unknown>;
  readonly x?: Document;
}

/** The reads and writes a transaction's writer makes, all inside the transaction (the store binds them to its session). */
export interface WriterBackend {
  /** The stored documents of these ids (those there are), with the given projection. */
  findDocuments(collection: string, ids: readonly string[], projection?: Document): Promise<StoredDocument[]>;
  bulkWrite(collection: string, operations: AnyBulkWriteOperation<Row>[] | AnyBulkWriteOperation<CounterRowDocument>[]): Promise<void>;
  /** The stored positions of these checkpoints (those there are). */
  readCheckpoints(names: readonly string[]): Promise<Map<string, bigint>>;
}

/**
 * What a checkpoint update must find stored for the transaction to go on: a position, null (no checkpoint yet),
 * 'current' (whatever is there now: it is noted, see MongoDocumentStore's 'tracked' fencing), or undefined (no
 * check: the last write wins).
 */
export type Expectation = bigint | null | 'current' | undefined;

export interface WriterOptions {
  readonly Long: LongClass;
  /** Buffered writes after which the next `get` first writes them into the (still open) transaction. */
  readonly maxPendingWrites: number;
  /** The expectation for a checkpoint its writer gave none for. */
  readonly expectation: (name: string) => Expectation;
  /** A checkpoint's position read for an expectation of 'current'. */
  readonly observed?: (name: string, position: bigint | null) => void;
}

/** A document as the store keeps it: what JSON gives back (the caller may change its object afterwards). */
export function serialiseDocument(collection: string, id: string, document: unknown): Record<string, unknown> {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new TypeError(`A document of ${collection} must be a JSON object (id ${id})`);
  }
  // Throws a TypeError on a bigint or a cycle, at the caller's line.
  const copy: unknown = JSON.parse(JSON.stringify(document));
  if (typeof copy !== 'object' || copy === null || Array.isArray(copy)) {
    throw new TypeError(`A document of ${collection} must serialise to a JSON object (id ${id})`);
  }
  return copy as Record<string, unknown>;
}

/**
 * The writer of one transaction attempt. Writes are buffered per document (the last one wins: a projection batch
 * that touches a request ten times writes it once) and applied with one bulkWrite per collection when the work is
 * done (or, past maxPendingWrites, at the next `get`), inside the transaction: nothing is visible to anybody else
 * before it commits, and all of it rolls back together.
 *
 * Applying a collection's writes first reads the stored versions of those documents (the fields its counters
 * need), so that the counters move by exactly the difference (counters.ts). A write that finds an array in a field
 * of an index or counter for the first time records it in the collection's registry entry, in the same
 * transaction: a rolled back write leaves no trace there either.
 *
 * Documents are serialised at upsert, so a bad one (a bigint, a cycle) throws at the caller's line, and a
 * parallel array (two array fields in one index or counter) too.
 */
export class MongoDocumentWriter implements DocumentWriter {
  /** Per collection, fields this transaction found holding arrays for the first time. */
  readonly newArrays = new Map<string, Set<string>>();
  /** The checkpoints this transaction writes (valid once `finish` returned). */
  readonly checkpoints = new Map<string, { readonly position: bigint; readonly expected?: bigint | null }>();
  private readonly pending = new Map<string, Map<string, Record<string, unknown> | null>>();
  private pendingWrites = 0;
  private open = true;
  /** The last operation sent to the server (see `get`). */
  private serverTurn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly backend: WriterBackend,
    private readonly catalog: ReadonlyMap<string, CollectionInfo>,
    private readonly options: WriterOptions,
  ) {}

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    this.assertOpen();
    this.collection(collection);
    assertId(id);
    const buffered = this.pending.get(collection);
    if (buffered?.has(id)) {
      const document = buffered.get(id)!;
      return document === null ? undefined : (structuredClone(document) as T);
    }
    // One operation at a time on the session, whatever `work` does (Promise.all of reads): a transaction's
    // operations must not overlap.
    const read = this.serverTurn.then(async () => {
      if (this.pendingWrites >= this.options.maxPendingWrites) await this.flush();
      const [stored] = await this.backend.findDocuments(collection, [id], { d: 1 });
      return stored;
    });
    this.serverTurn = read.catch(() => undefined);
    const stored = await read;
    this.assertOpen();
    // A write buffered while the read was on its way is the newer version.
    const since = this.pending.get(collection);
    if (since?.has(id)) {
      const document = since.get(id)!;
      return document === null ? undefined : (structuredClone(document) as T);
    }
    return stored === undefined ? undefined : (stored.d as T);
  }

  upsert(collection: string, id: string, document: object): void {
    this.assertOpen();
    const info = this.collection(collection);
    assertId(id);
    this.upsertSerialised(info, id, serialiseDocument(collection, id, document));
  }

  /** An upsert of a document serialised already (DocumentStore.write). */
  upsertSerialised(info: CollectionInfo, id: string, document: Record<string, unknown>): void {
    this.assertOpen();
    this.watchArrays(info, document);
    this.buffer(info.name, id, document);
  }

  delete(collection: string, id: string): void {
    this.assertOpen();
    this.collection(collection);
    assertId(id);
    this.buffer(collection, id, null);
  }

  /**
   * With `expected` (a position, or null for "no checkpoint yet"), the transaction commits only if that is what is
   * stored when it commits, and fails with CheckpointConflictError otherwise: compare-and-set, which fences a
   * second projector instance. Without it, the store's `checkpointFencing` option decides (see MongoDocumentStore).
   * `expected` is not part of the DocumentWriter port yet: a writer typed as the port calls it with two arguments.
   */
  setCheckpoint(name: string, position: bigint, expected?: bigint | null): void {
    this.assertOpen();
    assertCheckpointName(name);
    assertPosition(name, position);
    if (expected !== undefined && expected !== null) assertPosition(name, expected);
    this.checkpoints.set(name, expected === undefined ? { position } : { position, expected });
  }

  /** Applies everything buffered, the registry's new arrays and the checkpoints; the caller then commits. */
  async finish(): Promise<void> {
    this.assertOpen();
    await this.serverTurn;
    await this.flush();
    for (const [collection, fields] of this.newArrays) {
      await this.backend.bulkWrite(mongoName.registry, [
        { updateOne: { filter: { _id: collection }, update: { $addToSet: { arrays: { $each: [...fields] } } } } },
      ]);
    }
    await this.writeCheckpoints();
    this.open = false;
  }

  /** After a failure, or when the transaction is retried: later calls (a stray promise of `work`) throw. */
  abandon(): void {
    this.open = false;
    this.pending.clear();
  }

  get isOpen(): boolean {
    return this.open;
  }

  private buffer(collection: string, id: string, document: Record<string, unknown> | null): void {
    let documents = this.pending.get(collection);
    if (documents === undefined) {
      documents = new Map();
      this.pending.set(collection, documents);
    }
    documents.set(id, document);
    this.pendingWrites += 1;
  }

  private async flush(): Promise<void> {
    const pending = [...this.pending];
    this.pending.clear();
    this.pendingWrites = 0;
    for (const [collection, documents] of pending) await this.write(this.collection(collection), documents);
  }

  /** Writes (a null: deletes) documents of one collection, and moves its counters by the difference. */
  private async write(info: CollectionInfo, documents: ReadonlyMap<string, Record<string, unknown> | null>): Promise<void> {
    const ids = [...documents.keys()].sort();
    // While bulk loading there are no counters yet: completeBulkLoad counts the documents.
    const counters = info.bulk ? [] : info.counters;
    const before = new Map<string, Record<string, unknown>>();
    if (counters.length > 0) {
      for (let i = 0; i < ids.length; i += READ_CHUNK) {
        for (const stored of await this.backend.findDocuments(info.name, ids.slice(i, i + READ_CHUNK), counterProjection(counters))) {
          before.set(stored._id, stored.d ?? {});
        }
      }
    }
    const text = info.definition.text?.fields;
    const operations: AnyBulkWriteOperation<Row>[] = ids.map((id) => {
      const document = documents.get(id)!;
      if (document === null) return { deleteOne: { filter: { _id: id } } };
      const replacement: Document = { _id: id, d: document };
      // Text keys are kept while bulk loading too: completeBulkLoad then only builds the index.
      if (text) replacement[TEXT_KEYS] = textKeys(document, text);
      return { replaceOne: { filter: { _id: id }, replacement, upsert: true } };
    });
    await this.backend.bulkWrite(info.name, operations);
    if (counters.length === 0) return;
    const deltas = counterDeltas(
      counters,
      ids.map((id) => [before.get(id), documents.get(id) ?? undefined] as const),
    );
    if (deltas.length > 0) await this.backend.bulkWrite(mongoName.counters(info.name), counterUpdates(deltas));
  }

  private async writeCheckpoints(): Promise<void> {
    if (this.checkpoints.size === 0) return;
    const expectations = new Map<string, Exclude<Expectation, undefined>>();
    for (const [name, { expected }] of this.checkpoints) {
      const expectation = expected !== undefined ? expected : this.options.expectation(name);
      if (expectation !== undefined) expectations.set(name, expectation);
    }
    if (expectations.size > 0) {
      // Read inside the transaction: a writer that moves one of them after this read and commits first makes
      // this transaction's update a write conflict; MongoDB retries it, and the retry reads the new position.
      const stored = await this.backend.readCheckpoints([...expectations.keys()]);
      for (const [name, expectation] of expectations) {
        const actual = stored.get(name) ?? null;
        if (expectation === 'current') this.options.observed?.(name, actual);
        else if (actual !== expectation) throw new CheckpointConflictError(name, expectation, actual);
      }
    }
    await this.backend.bulkWrite(
      mongoName.checkpoints,
      [...this.checkpoints].map(([name, { position }]) => ({
        updateOne: {
          filter: { _id: name },
          update: { $set: { position: positionToLong(this.options.Long, position) } },
          upsert: true,
        },
      })),
    );
  }

  /**
   * An array in a field of an index or counter: noted for the registry (it makes them multikey), unless an index
   * or counter would then have two array fields, which is refused, as MongoDB refuses to index parallel arrays.
   * The common case, no array where none is expected, is one Array.isArray per watched field.
   */
  private watchArrays(info: CollectionInfo, document: Readonly<Record<string, unknown>>): void {
    const noted = this.newArrays.get(info.name);
    const known = (field: string): boolean => info.arrayFields.has(field) || noted?.has(field) === true;
    const inDocument = (field: string): boolean => Array.isArray(document[field]);
    const fresh = info.watchedFields.filter((f) => !known(f) && inDocument(f));
    const anyArray = fresh.length > 0 || [...info.arrayFields, ...(noted ?? [])].some(inDocument);
    if (!anyArray) return;
    for (const structure of [...info.indexes, ...info.counters]) {
      const arrays = new Set(structure.fields.filter((f) => inDocument(f) || known(f)));
      if (arrays.size > 1) throw parallelArrays(info.name, structure, [...arrays]);
    }
    if (fresh.length === 0) return;
    const fields = noted ?? new Set<string>();
    for (const field of fresh) fields.add(field);
    this.newArrays.set(info.name, fields);
  }

  private collection(name: string): CollectionInfo {
    const info = this.catalog.get(name);
    if (info === undefined) throw new Error(`Unknown collection ${JSON.stringify(name)}: call ensureCollection first`);
    return info;
  }

  private assertOpen(): void {
    if (!this.open) throw new Error('This transaction is over: its writer cannot be used any more');
  }
}

/** Ids per read of stored versions (an `$in` of this many ids is far below the 16 MB command limit). */
const READ_CHUNK = 5000;

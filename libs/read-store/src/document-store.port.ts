/**
 * The read store port: a document store with declared indexes, keyset pagination, counts and text
 * search. Projections write to it; the read APIs query it. Every query must be served by an index the
 * collection declared — an adapter refuses a query it would have to answer by scanning a collection.
 */
export type Scalar = string | number | boolean | null;

/**
 * An index over top-level fields of the documents, in order. Equality filters on a prefix of the
 * fields, then a range filter and/or sort on the next field, are served by it. At most one field may
 * hold arrays (a multikey index: the document is found by any of the array's values).
 */
export interface IndexDefinition {
  readonly name: string;
  readonly fields: readonly string[];
}

/**
 * Exact counts kept up to date with every write (like a materialised GROUP BY): `count` and `countBy`
 * whose filters are equality / `in` conditions on fields of one counter are answered from it in time
 * independent of the collection's size. At most one field may hold arrays (counted per element).
 */
export interface CounterDefinition {
  readonly name: string;
  readonly fields: readonly string[];
}

export interface CollectionDefinition {
  readonly name: string;
  readonly indexes: readonly IndexDefinition[];
  readonly counters?: readonly CounterDefinition[];
  /** Top-level string (or string array) fields indexed for full-text search, in order of weight. */
  readonly text?: { readonly fields: readonly string[] };
}

export interface RangeFilter {
  readonly eq?: Scalar;
  readonly in?: readonly Scalar[];
  readonly gt?: Scalar;
  readonly gte?: Scalar;
  readonly lt?: Scalar;
  readonly lte?: Scalar;
}

/**
 * Field -> value (equality; for an array field: "contains") or a range/in filter. `null` matches a null or
 * missing field (the unassigned queue). A range compares within one type, as MongoDB does: `{ lt: 5 }` never
 * matches a string or null, `{ lt: '2024' }` never a number or null.
 */
export type Filter = Readonly<Record<string, Scalar | RangeFilter>>;

export interface SortKey {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

export interface FindOptions {
  readonly filter?: Filter;
  /**
   * The id is always the last sort key (same direction as the last given one), so pages are stable. Without
   * a sort, documents come in id order. Null and missing values sort first ascending.
   */
  readonly sort?: readonly SortKey[];
  readonly limit: number;
  /** Opaque, from a previous page's nextCursor. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Undefined on the last page. */
  readonly nextCursor?: string;
}

export interface SearchOptions {
  readonly filter?: Filter;
  readonly limit: number;
  readonly cursor?: string;
}

export interface SearchHit<T> {
  readonly document: T;
  /** Higher is better. */
  readonly score: number;
  /** A fragment of the best-matching text with the matches between « and ». */
  readonly snippet: string;
}

/** Writes of one transaction: all of them and the checkpoints are committed together, or none. */
export interface DocumentWriter {
  get<T>(collection: string, id: string): Promise<T | undefined>;
  upsert(collection: string, id: string, document: object): void;
  delete(collection: string, id: string): void;
  /**
   * Moves a checkpoint with the transaction. With `expected` (the position the writer read, or null for
   * none) it is a compare-and-set: if another writer moved it meanwhile, the whole transaction fails with
   * CheckpointConflictError and writes nothing — which is what keeps a second projector from applying a
   * batch twice.
   */
  setCheckpoint(name: string, position: bigint, expected?: bigint | null): void;
}

/** Writes decided without reading the store in between (see DocumentStore.write). */
export interface WriteBatch {
  /** Per collection: id -> the document, or null to delete it. */
  readonly documents: ReadonlyMap<string, ReadonlyMap<string, object | null>>;
  /** Checkpoints committed with the documents. */
  readonly checkpoints?: ReadonlyMap<string, bigint>;
}

export interface DocumentStore {
  /**
   * Creates the collection and its indexes if missing (idempotent). With `bulkLoad`, a NEW collection
   * is created without its secondary indexes and counters, which `completeBulkLoad` builds in one pass
   * at the end: a rebuild writes millions of documents far faster that way (an adapter may do the same
   * with its text index, or keep that one as it goes where that costs less). Until then the collection
   * serves only `get` (and writes); it is not queried.
   */
  ensureCollection(definition: CollectionDefinition, options?: { readonly bulkLoad?: boolean }): Promise<void>;
  /** Builds what a bulk load deferred; afterwards the collection is like any other (idempotent). */
  completeBulkLoad(name: string): Promise<void>;
  dropCollection(name: string): Promise<void>;
  listCollections(): Promise<string[]>;

  get<T>(collection: string, id: string): Promise<T | undefined>;
  getMany<T>(collection: string, ids: readonly string[]): Promise<T[]>;
  find<T>(collection: string, options: FindOptions): Promise<Page<T>>;
  count(collection: string, filter?: Filter): Promise<number>;
  /**
   * Counts per value of `field` among the documents matching `filter`. Null and missing values count under
   * "null"; an array field counts a document once per element.
   */
  countBy(collection: string, field: string, filter?: Filter): Promise<Record<string, number>>;
  /**
   * Full-text search over the collection's text fields, best first (equal scores in an order of the adapter's
   * choosing, but stable across pages). The query is plain user text: no operator syntax, the last term is a
   * prefix, case and diacritics do not matter.
   */
  search<T>(collection: string, query: string, options: SearchOptions): Promise<Page<SearchHit<T>>>;
  /** Every document of a collection in id order, for `verify` (the one sanctioned full read). */
  scan<T>(collection: string, options: { after?: string; limit: number }): Promise<{ id: string; document: T }[]>;

  transaction(work: (writer: DocumentWriter) => Promise<void>): Promise<void>;
  /**
   * Commits a batch in one transaction: what `transaction` does with the same upserts, deletes and checkpoints,
   * for a writer that needs no reads in between (a rebuild keeping its documents in memory). The documents are
   * checked and serialised before `write` returns (a bad one throws a TypeError and nothing of the batch is
   * written), so the caller may change its objects and prepare its next batch at once: the store may commit in
   * the background, in the order of the calls. The promise resolves once the batch has committed (`get` then
   * sees it). If a batch fails, so do those passed to `write` after it while it was pending: each may build on
   * the ones before. Optional: a store without it is written through `transaction` (see BulkApplier).
   */
  write?(batch: WriteBatch): Promise<void>;
  checkpoint(name: string): Promise<bigint | undefined>;
  close(): Promise<void>;
}

export const DOCUMENT_STORE = Symbol('DocumentStore');

/** The query would need a scan: no declared index serves this filter and sort. */
export class UnindexedQueryError extends Error {
  constructor(collection: string, detail: string) {
    super(`No index of ${collection} serves this query (${detail})`);
    this.name = 'UnindexedQueryError';
  }
}

/** The cursor was not made by this collection and query. */
export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor is not valid for this query');
    this.name = 'InvalidCursorError';
  }
}

/**
 * A checkpoint was not where its writer expected it: another writer (a second projector instance, a rebuild
 * started twice) moved it since this one read it. The transaction that tried to move it wrote nothing; the
 * writer must re-read the checkpoint (and the documents) before going on, or stop.
 */
export class CheckpointConflictError extends Error {
  constructor(
    readonly checkpoint: string,
    /** What the writer expected (null: no checkpoint yet). */
    readonly expected: bigint | null,
    /** What is stored (null: none). */
    readonly actual: bigint | null,
  ) {
    super(
      `Checkpoint ${checkpoint} is at ${actual === null ? 'none' : String(actual)}, not at ${expected === null ? 'none' : String(expected)} ` +
        'as this writer expected: another writer moved it (nothing of this transaction was written)',
    );
    this.name = 'CheckpointConflictError';
  }
}

/**
 * Names: what the port accepts, and what each thing is called in MongoDB.
 *
 * The port's rules are the SQLite adapter's (the same regular expressions, repeated here so that neither adapter
 * depends on the other's files). A validated name never holds a dot, so the store's own collections
 * (`read_store.*`) can never collide with a collection of the port, nor with `system.*`.
 */

/** Collection, index and counter names. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Top-level document fields. Nested paths are not indexable through the port. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function assertName(kind: 'collection' | 'index' | 'counter', name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`A ${kind} name must match ${NAME.source}, got ${JSON.stringify(name)}`);
  }
}

export function assertField(field: unknown): asserts field is string {
  if (typeof field !== 'string' || !FIELD.test(field)) {
    throw new TypeError(`A field must be a top-level name matching ${FIELD.source}, got ${JSON.stringify(field)}`);
  }
}

export function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('A document id is a non-empty string');
}

/*
 * A stored document of collection `c` lives in the MongoDB collection `c` as
 *
 *   { _id: <the port's id>, d: <the document, as JSON would give it back>, x?: <text search keys, see text-search.ts> }
 *
 * The document is kept whole under `d` rather than spread at the top level: whatever its fields are called
 * (`_id`, `x`, `$x`, `language`), they never meet the store's own fields, and `get` returns exactly `d`.
 */
export const DOC = 'd';
export const TEXT_KEYS = 'x';

/** The path of a document field inside a stored document. */
export const fieldPath = (field: string): string => `${DOC}.${field}`;

export const mongoName = {
  /** The documents of a collection. */
  documents: (collection: string): string => collection,
  /** A collection's counters (counters.ts): one MongoDB document per combination of keys. */
  counters: (collection: string): string => `read_store.counters.${collection}`,
  /** Definitions of every collection (catalog.ts). */
  registry: 'read_store.collections',
  /** Checkpoints: { _id: name, position: Long }. */
  checkpoints: 'read_store.checkpoints',
  /**
   * A declared index. Prefixed: MongoDB's own `_id_` (and the text index) can then never clash with a
   * declared name.
   */
  index: (index: string): string => `i_${index}`,
  /** The one text index of a collection. */
  textIndex: 't_text',
  /** The index the counters of a collection are read by. */
  countersIndex: 'c_1',
  /** MongoDB's index on _id. */
  idIndex: '_id_',
} as const;

/**
 * A MongoDB document of the store with a string _id: documents, registry entries, checkpoints (the driver's
 * Document types _id as an ObjectId, and its update types refuse fields an `unknown` index signature cannot prove).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = { _id: string; [key: string]: any };

/** A counter's row (counters.ts): its _id is the combination of keys. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type CounterRowDocument = { _id: { c: string; [key: string]: unknown }; c: string; v: number; [key: string]: any };

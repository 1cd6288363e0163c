/**
 * Names: what the port accepts, and what each thing is called in MongoDB.
 *
 * The port's rules are in ../port-rules.ts, shared with the SQLite adapter. A validated name never holds a dot, so the store's own collections
 * (`read_store.*`) can never collide with a collection of the port, nor with `system.*`.
 */

export { assertField, assertName } from '../port-rules';

export { assertId } from '../port-rules';

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

import { Scalar } from '../document-store.port';

export { assertField, assertName } from '../port-rules';

/**
 * Quoted SQLite identifiers of everything a collection owns. A validated name never holds ':', so these can
 * collide neither with each other nor with the store's own tables (read_store_*).
 */
export const sqlName = {
  documents: (collection: string): string => `"c:${collection}"`,
  index: (collection: string, index: string): string => `"i:${collection}:${index}"`,
  /** The side table of a multikey index: one row per array element. */
  keys: (collection: string, index: string): string => `"m:${collection}:${index}"`,
  keysById: (collection: string, index: string): string => `"m:${collection}:${index}:id"`,
  /** The triggers that keep side tables and counters in step with "c:<name>" (see triggers.ts). */
  trigger: (collection: string, event: TriggerEvent): string => `"t:${collection}:${event}"`,
  /** A multikey index's own trigger, as files made before schema version 2 had them (dropped on upgrade). */
  keysTrigger: (collection: string, index: string, event: TriggerEvent): string =>
    `"m:${collection}:${index}:${event}"`,
  /** A side-table column: k0, k1 ... in the order of the index's fields. */
  keyColumn: (position: number): string => `k${position}`,
  /** A documents-table column holding a field's key (see KeySource). */
  fieldKey: (field: string): string => `"k:${field}"`,
  text: (collection: string): string => `"x:${collection}"`,
  /** The view the FTS5 table reads its external content from. */
  textSource: (collection: string): string => `"v:${collection}"`,
  /** FTS5 columns are positional: a field called `rank` must not clash with FTS5's own hidden column. */
  textColumn: (position: number): string => `t${position}`,
  /** A counter: one row per combination of its fields' keys (k0 .. kn) with its count (n). */
  counter: (collection: string, counter: string): string => `"n:${collection}:${counter}"`,
  /**
   * A view that exists while the collection is being bulk loaded. It holds nothing: creating and dropping it
   * changes the schema, which is how other connections learn that the collection's state changed.
   */
  bulkMarker: (collection: string): string => `"b:${collection}"`,
} as const;

export type TriggerEvent = 'insert' | 'update' | 'delete';

/** A field name is validated, so it can be written into SQL as a JSON path literal. */
export const jsonPath = (field: string): string => `'$.${field}'`;

/**
 * How a missing or null field is keyed in every index: -Infinity sorts below every number and string (as null
 * does in MongoDB), cannot come from JSON, and is never NULL, so the comparisons of keyset pagination
 * (`k = ?`, `k > ?`) hold for it too and `ownerId = null` is an ordinary index lookup.
 */
export const NULL_KEY = -Infinity;
export const NULL_KEY_SQL = '-9e999';

/** The key of a field of `doc` (an SQL expression holding JSON text): json_extract's value, null -> NULL_KEY. */
export const keyExpression = (doc: string, field: string): string =>
  `coalesce(json_extract(${doc}, ${jsonPath(field)}), ${NULL_KEY_SQL})`;

/**
 * What the writer stores in a key column (collection-schema.ts): the field's key (keyExpression), except that an
 * array is kept whole, as JSONB. A blob is never equal to a scalar key and sorts after them all; arrays are in
 * side tables anyway (multikey), which can then be filled from the column without parsing the document.
 */
export const keyColumnValue = (doc: string, field: string): string =>
  `CASE json_type(${doc}, ${jsonPath(field)}) WHEN 'array' THEN jsonb_extract(${doc}, ${jsonPath(field)}) ELSE ${keyExpression(doc, field)} END`;

/**
 * Where a field's key is read from, for a row of a documents table called `row` (an alias, or new / old in a
 * trigger): its key column if the table has one, else keyExpression of the row's doc. Indexes, counters,
 * triggers and queries all ask this, so they read the same key the same way.
 */
export interface KeySource {
  (row: string, field: string): string;
  /** selectElements of the row's field: over its key column where there is one (the same elements), else its doc. */
  elements(row: string, field: string, select: (value: string) => string, from?: string): string;
}

export const keySource = (keyColumns: readonly string[] | undefined): KeySource => {
  const columns = new Set(keyColumns ?? []);
  // An empty `row`: the table's own columns, unqualified (CREATE INDEX takes no alias).
  const prefix = (row: string): string => (row === '' ? '' : `${row}.`);
  const key = (row: string, field: string): string =>
    columns.has(field) ? `${prefix(row)}${sqlName.fieldKey(field)}` : keyExpression(`${prefix(row)}doc`, field);
  const elements = (row: string, field: string, select: (value: string) => string, from?: string): string => {
    if (!columns.has(field)) return selectElements(`${prefix(row)}doc`, field, select, from);
    const k = `${prefix(row)}${sqlName.fieldKey(field)}`;
    // The CASEs keep json_each and json_array_length from ever seeing a scalar key (a string is not JSON).
    return (
      `SELECT ${select('j.value')} FROM ${from ? `${from}, ` : ''}json_each(CASE WHEN typeof(${k}) = 'blob' THEN ${k} ELSE '[]' END) AS j ` +
      `UNION ALL SELECT ${select(`CASE WHEN typeof(${k}) = 'blob' THEN NULL ELSE ${k} END`)} ${from ? `FROM ${from} ` : ''}` +
      `WHERE CASE WHEN typeof(${k}) = 'blob' THEN json_array_length(${k}) = 0 ELSE 1 END`
    );
  };
  return Object.assign(key, { elements });
};

/**
 * One SELECT row per element of a field of `doc` (an SQL expression holding JSON text): an array's elements;
 * a scalar (or object) alone; an empty array or a missing field as one NULL. `select` gets the element's raw
 * json value (NULL for null) and returns the select list. `from` names a table `doc` refers to (json_each is
 * the one correlated source SQLite accepts in FROM). This is what a multikey index stores and what
 * array-aware predicates test, so both always agree.
 */
export function selectElements(doc: string, field: string, select: (value: string) => string, from?: string): string {
  const path = jsonPath(field);
  const alone = `CASE WHEN json_type(${doc}, ${path}) = 'array' THEN NULL ELSE json_extract(${doc}, ${path}) END`;
  return (
    `SELECT ${select('j.value')} FROM ${from ? `${from}, ` : ''}json_each(${doc}, ${path}) AS j ` +
    `WHERE json_type(${doc}, ${path}) = 'array' ` +
    `UNION ALL SELECT ${select(alone)} ${from ? `FROM ${from} ` : ''}` +
    `WHERE coalesce(json_array_length(${doc}, ${path}), 0) = 0`
  );
}

/** The elements of a field of `doc`, in column `v` (see selectElements). */
export const elementsOf = (doc: string, field: string): string => selectElements(doc, field, (v) => `${v} AS v`);

/** A scalar as the index key it is compared with: null -> NULL_KEY, booleans as json_extract gives them (1/0). */
export function keyOf(value: Scalar): string | number {
  if (value === null) return NULL_KEY;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** An index key read back as a port value (booleans stay 1/0: the key does not know it was one). */
export function scalarOfKey(key: unknown): Scalar {
  if (key === NULL_KEY || key === null || key === undefined) return null;
  if (typeof key === 'string' || typeof key === 'number') return key;
  return String(key);
}

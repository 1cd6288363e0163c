import type Database from 'better-sqlite3';
import {
  deleteStoredCollection,
  readStoredCollection,
  sameFields,
  StoredCollection,
  StoredIndex,
  writeStoredCollection,
} from './catalog';
import { createCounter, dropCounter } from './counters';
import { createTriggers, dropTriggers, keyRows } from './triggers';
import { jsonPath, KeySource, keySource, NULL_KEY_SQL, sqlName } from './sql-names';

/*
 * The tables of one collection (all DDL runs inside the caller's write transaction):
 *
 *   "c:<name>"   id TEXT PRIMARY KEY, a key column "k:<field>" per field of the indexes and counters declared when
 *                the table is made, doc TEXT (the JSON). The writer stores each document's keys with it
 *                (keyColumnValue: its json value, null -> NULL_KEY, an array as JSONB), made from the object it
 *                was given (keysOf) or, failing that, by SQLite from the JSON in the same statement. So a rebuild
 *                parses no document to index it, where an index on expressions parsed every document once per
 *                index, and a multikey side table is filled from the small JSONB of the array. Plain columns,
 *                not generated ones: SQLite never reads a generated column from an index (counting through one
 *                reads every document). A row inserted by SQL from outside the store gets the default keys.
 *   "i:<name>:<index>"   an SQLite index on each field's key column, then id (pages ordered by (key, id) walk
 *                it). A field declared after the table was made (or any, in files made before key columns)
 *                has no column: the index is on its key expression instead, which SQLite also reads from the
 *                index itself. KeySource says which, for everything that reads keys.
 *   "m:<name>:<index>"   instead of the above when a field of the index holds arrays (multikey): a WITHOUT ROWID
 *                table (k0 .. kn, id) with one row per array element, kept by the triggers below.
 *   "x:<name>"   FTS5 over the text fields, external content read through the view "v:<name>": the text is
 *                stored once (in doc). The writer keeps it in step (see textIndexSql): not a trigger, because
 *                an FTS5 write inside a trigger costs ~6 us more than the same write as a statement (measured:
 *                10k inserts, 80 ms vs 20 ms), which made text the larger part of every projection batch.
 *   "n:<name>:<counter>"   a counter (counters.ts): counts per combination of its fields' keys, kept by the triggers.
 *   "t:<name>:insert|update|delete"   the triggers on "c:<name>" that keep side tables and counters exact
 *                (triggers.ts), recreated whenever what they maintain changes.
 *   "b:<name>"   a view that exists while the collection is bulk loaded: then "c:<name>" and its text index (kept
 *                by the writer as it goes) are all there is, and the rest is built at the end
 *                (completeBulkLoadSchema) from the definition stored in the catalog.
 *
 * The triggers make the documents table all a writer touches for multikey indexes and counters: whatever
 * writes a document keeps them in step, inside the same transaction. Plain triggers cost no more than the
 * same statements sent from JS (measured), so there is nothing to gain by doing that by hand.
 */

const arrayInField = (collection: string, field: string): string =>
  `SELECT 1 FROM ${sqlName.documents(collection)} WHERE json_type(doc, ${jsonPath(field)}) = 'array' LIMIT 1`;

/** Which fields hold arrays: asked of the documents (a scan per field), or known (noted during a bulk load). */
type ArraysIn = (fields: readonly string[]) => string[];

const scanForArrays =
  (db: Database.Database, collection: string): ArraysIn =>
  (fields) =>
    fields.filter((f) => db.prepare(arrayInField(collection, f)).get() !== undefined);

const fieldsOf = (stored: StoredCollection): Set<string> =>
  new Set([...stored.indexes, ...(stored.counters ?? [])].flatMap((s) => s.fields));

export interface EnsureOptions {
  readonly bulkLoad?: boolean;
}

/**
 * Creates the collection or brings it to `wanted`; returns what is now stored (multikey state included).
 *
 * With `bulkLoad`, a new collection gets its documents table only (and the bulk marker): `wanted` is stored
 * as a promise that completeBulkLoadSchema keeps. A collection being bulk loaded stays so with the option
 * (its promise updated) and is completed without it. An existing collection ignores the option.
 */
export function ensureCollectionSchema(
  db: Database.Database,
  wanted: StoredCollection,
  options: EnsureOptions = {},
): StoredCollection {
  const name = wanted.name;
  const current = readStoredCollection(db, name);
  if (!current) {
    const keyColumns = [...fieldsOf(wanted)];
    // The default keys a row inserted without them (by SQL from outside the store) as if its fields were missing:
    // its indexes, side tables and counters then agree with its key columns, whatever its document says.
    const columns = keyColumns.map((f) => `${sqlName.fieldKey(f)} ANY NOT NULL DEFAULT ${NULL_KEY_SQL}, `).join('');
    db.exec(`CREATE TABLE ${sqlName.documents(name)} (id TEXT PRIMARY KEY NOT NULL, ${columns}doc TEXT NOT NULL) STRICT`);
    const made = keyColumns.length > 0 ? { keyColumns } : {};
    if (options.bulkLoad) {
      db.exec(`CREATE VIEW ${sqlName.bulkMarker(name)} AS SELECT 1 AS bulk_load`);
      // The text index from the start (the writer keeps it): tokenising is most of its cost, and a rebuild does it
      // while the documents are written rather than after, where nothing else goes on.
      if (wanted.text) createText(db, name, wanted.text.fields, { loading: true });
      return save(db, checkedBulkState({ ...wanted, ...made, bulkLoad: { arrays: [], ...(wanted.text ? { textKept: true } : {}) } }));
    }
    return build(db, { name, indexes: [], ...made }, wanted, scanForArrays(db, name));
  }
  if (current.bulkLoad) {
    // Fields the writer was not watching may hold arrays already: looked for now, once.
    const known = fieldsOf(current);
    const added = [...fieldsOf(wanted)].filter((f) => !known.has(f));
    const arrays = [...current.bulkLoad.arrays, ...scanForArrays(db, name)(added)];
    // A kept text index over other fields than wanted now goes: completion makes the right one.
    let textKept = current.bulkLoad.textKept === true;
    if (textKept && !sameFields(current.text?.fields, wanted.text?.fields)) {
      dropText(db, name);
      textKept = false;
    }
    const pending = checkedBulkState({ ...wanted, ...keyColumnsOf(current), bulkLoad: { arrays, ...(textKept ? { textKept } : {}) } });
    return options.bulkLoad ? save(db, pending) : completeBulkLoadSchema(db, pending);
  }
  return build(db, current, wanted, scanForArrays(db, name));
}

const keyColumnsOf = (stored: StoredCollection): Pick<StoredCollection, 'keyColumns'> =>
  stored.keyColumns ? { keyColumns: stored.keyColumns } : {};

/**
 * Builds what a bulk load deferred (`pending`, as stored, or the stored definition of `name`): each secondary
 * index with one CREATE INDEX (one sort), the side tables of fields seen holding arrays (filled in key order),
 * the counters with one GROUP BY each (over an index or side table where one holds their keys) and the text
 * index in one pass over the documents. No-op on a collection that is not bulk loading.
 */
export function completeBulkLoadSchema(db: Database.Database, pending: StoredCollection | string): StoredCollection {
  const stored = typeof pending === 'string' ? readStoredCollection(db, pending) : pending;
  if (!stored) throw new Error(`Unknown collection ${JSON.stringify(pending)}: call ensureCollection first`);
  if (!stored.bulkLoad) return stored;
  const arrays = new Set(stored.bulkLoad.arrays);
  db.exec(`DROP VIEW IF EXISTS ${sqlName.bulkMarker(stored.name)}`);
  const { bulkLoad: _, ...wanted } = stored;
  const kept = stored.bulkLoad.textKept && stored.text ? { text: stored.text } : {};
  if (kept.text) textLoaded(db, stored.name);
  return build(db, { name: stored.name, indexes: [], ...keyColumnsOf(stored), ...kept }, wanted, (fields) => fields.filter((f) => arrays.has(f)));
}

/**
 * Brings what is built of `current` to `wanted`: drops what changed or went, creates what is new. The documents
 * table stays as it is (its key columns are current's).
 */
function build(db: Database.Database, current: StoredCollection, wanted: StoredCollection, arraysIn: ArraysIn): StoredCollection {
  const name = wanted.name;
  const key = keySource(current.keyColumns);
  dropTriggers(db, current);
  for (const index of current.indexes) {
    const next = wanted.indexes.find((i) => i.name === index.name);
    if (!next || !sameFields(next.fields, index.fields)) dropIndex(db, name, index);
  }
  const indexes = wanted.indexes.map((index) => {
    const kept = current.indexes.find((i) => i.name === index.name);
    return kept && sameFields(kept.fields, index.fields) ? kept : createIndex(db, name, index, arraysIn, key);
  });

  for (const counter of current.counters ?? []) {
    const next = wanted.counters?.find((c) => c.name === counter.name);
    if (!next || !sameFields(next.fields, counter.fields)) dropCounter(db, name, counter);
  }
  const counters = (wanted.counters ?? []).map((counter) => {
    const kept = current.counters?.find((c) => c.name === counter.name);
    if (kept && sameFields(kept.fields, counter.fields)) return kept;
    return createCounter(db, name, { name: counter.name, fields: counter.fields }, singleArray(name, counter, arraysIn), indexes, key);
  });

  if (!sameFields(current.text?.fields, wanted.text?.fields)) {
    if (current.text) dropText(db, name);
    if (wanted.text) createText(db, name, wanted.text.fields);
  }

  const built: StoredCollection = {
    name,
    ...keyColumnsOf(current),
    indexes,
    ...(counters.length > 0 ? { counters } : {}),
    ...(wanted.text ? { text: wanted.text } : {}),
  };
  createTriggers(db, built);
  return save(db, built);
}

function save(db: Database.Database, stored: StoredCollection): StoredCollection {
  writeStoredCollection(db, stored);
  return stored;
}

/** A bulk load's promise, refused now rather than at the end if an index or counter has two array fields. */
function checkedBulkState(stored: StoredCollection): StoredCollection {
  const arrays = new Set(stored.bulkLoad?.arrays ?? []);
  for (const structure of [...stored.indexes, ...(stored.counters ?? [])]) {
    singleArray(stored.name, structure, (fields) => fields.filter((f) => arrays.has(f)));
  }
  return stored;
}

/** The one field of an index or counter holding arrays, if any; two are "parallel arrays". */
function singleArray(collection: string, structure: StoredIndex, arraysIn: ArraysIn): string | undefined {
  const arrays = arraysIn(structure.fields);
  if (arrays.length > 1) throw parallelArrays(collection, structure, arrays);
  return arrays[0];
}

export function dropCollectionSchema(db: Database.Database, name: string): boolean {
  const stored = readStoredCollection(db, name);
  if (!stored) return false;
  if (stored.bulkLoad) {
    db.exec(`DROP VIEW IF EXISTS ${sqlName.bulkMarker(name)}`);
    if (stored.bulkLoad.textKept) dropText(db, name);
  } else {
    if (stored.text) dropText(db, name);
    for (const index of stored.indexes) dropIndex(db, name, index);
    for (const counter of stored.counters ?? []) dropCounter(db, name, counter);
  }
  db.exec(`DROP TABLE IF EXISTS ${sqlName.documents(name)}`);
  deleteStoredCollection(db, name);
  return true;
}

/**
 * `field` was found holding an array: every index naming it becomes multikey on it (its SQLite index is
 * replaced by a side table, filled from the documents already stored), and every counter naming it counts
 * per element from now on (recounted). An index or counter can be multikey on one field only, as in MongoDB:
 * "parallel arrays" cannot be indexed.
 */
export function makeMultikey(db: Database.Database, stored: StoredCollection, field: string): StoredCollection {
  const key = keySource(stored.keyColumns);
  dropTriggers(db, stored);
  const indexes = stored.indexes.map((index) => {
    if (!index.fields.includes(field) || index.multikey === field) return index;
    if (index.multikey !== undefined) throw parallelArrays(stored.name, index, [index.multikey, field]);
    dropIndex(db, stored.name, index);
    return createKeys(db, stored.name, index, field, key);
  });
  const counters = stored.counters?.map((counter) => {
    if (!counter.fields.includes(field) || counter.multikey === field) return counter;
    if (counter.multikey !== undefined) throw parallelArrays(stored.name, counter, [counter.multikey, field]);
    dropCounter(db, stored.name, counter);
    return createCounter(db, stored.name, { name: counter.name, fields: counter.fields }, field, indexes, key);
  });
  const next: StoredCollection = { ...stored, indexes, ...(counters ? { counters } : {}) };
  createTriggers(db, next);
  return save(db, next);
}

/**
 * While bulk loading: `fields` were seen holding arrays (nothing is built yet; completion reads this). Read
 * from the file, not a cache: this is a row, not DDL, so another connection's catalog may not know it yet.
 */
export function noteBulkArrays(db: Database.Database, collection: string, fields: readonly string[]): StoredCollection {
  const stored = readStoredCollection(db, collection);
  if (!stored?.bulkLoad) throw new Error(`${collection} is not being bulk loaded any more`);
  const arrays = [...new Set([...stored.bulkLoad.arrays, ...fields])];
  return save(db, checkedBulkState({ ...stored, bulkLoad: { ...stored.bulkLoad, arrays } }));
}

export const parallelArrays = (collection: string, index: StoredIndex, fields: readonly string[]): TypeError =>
  new TypeError(
    `${collection}.${index.name}: fields ${fields.join(' and ')} both hold arrays; an index or counter can be multikey on one field only`,
  );

function createIndex(db: Database.Database, collection: string, index: StoredIndex, arraysIn: ArraysIn, key: KeySource): StoredIndex {
  const plain: StoredIndex = { name: index.name, fields: index.fields };
  const array = singleArray(collection, plain, arraysIn);
  if (array !== undefined) return createKeys(db, collection, plain, array, key);
  const columns = [...index.fields.map((f) => key('', f)), 'id'].join(', ');
  db.exec(`CREATE INDEX ${sqlName.index(collection, index.name)} ON ${sqlName.documents(collection)} (${columns})`);
  return plain;
}

function dropIndex(db: Database.Database, collection: string, index: StoredIndex): void {
  if (index.multikey === undefined) db.exec(`DROP INDEX IF EXISTS ${sqlName.index(collection, index.name)}`);
  else db.exec(`DROP TABLE IF EXISTS ${sqlName.keys(collection, index.name)}`);
}

/**
 * The side table of a multikey index with its rows for the documents already stored (the caller then
 * recreates the collection's triggers, which keep it in step). Filled in key order before its id index
 * exists: appending to a b-tree is far cheaper than inserting in document order (125k documents: 0.5 s of
 * CPU against 0.65 s, and half the wall time).
 */
function createKeys(db: Database.Database, collection: string, index: StoredIndex, field: string, key: KeySource): StoredIndex {
  const keys = sqlName.keys(collection, index.name);
  const keyColumns = index.fields.map((_, i) => sqlName.keyColumn(i));
  const multikey: StoredIndex = { name: index.name, fields: index.fields, multikey: field };
  const rows = keyRows(multikey, 'd', key, `${sqlName.documents(collection)} AS d`);
  db.exec(`
    CREATE TABLE ${keys} (${keyColumns.map((c) => `${c} ANY`).join(', ')}, id TEXT NOT NULL,
      PRIMARY KEY (${[...keyColumns, 'id'].join(', ')})) STRICT, WITHOUT ROWID;
    INSERT OR IGNORE INTO ${keys} (${[...keyColumns, 'id'].join(', ')})
      SELECT * FROM (${rows}) ORDER BY ${[...keyColumns, 'id'].map((_, i) => i + 1).join(', ')};
    CREATE INDEX ${sqlName.keysById(collection, index.name)} ON ${keys} (id);
  `);
  return multikey;
}

/**
 * The text FTS5 indexes for a field: a string, or the strings of an array one per line; else nothing.
 * No json_each here: FTS5 reads external content with SQLITE_PREPARE_NO_VTAB, so a view using a table-valued
 * function fails ("no such table: main.json_each"); a recursive CTE over the array's indexes does not.
 */
function textOf(doc: string, field: string): string {
  const path = jsonPath(field);
  const element = `'$.${field}[' || i || ']'`;
  const lines =
    `(WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < json_array_length(${doc}, ${path})) ` +
    `SELECT group_concat(json_extract(${doc}, ${element}), char(10)) FROM n WHERE json_type(${doc}, ${element}) = 'text')`;
  return `CASE json_type(${doc}, ${path}) WHEN 'text' THEN json_extract(${doc}, ${path}) WHEN 'array' THEN ${lines} END`;
}

/** The same text as textOf, through json_each (faster; allowed here, where FTS5 does not read it as content). */
function textOfFast(doc: string, field: string): string {
  const path = jsonPath(field);
  const lines = `(SELECT group_concat(e.value, char(10) ORDER BY e.key) FROM json_each(${doc}, ${path}) AS e WHERE e.type = 'text')`;
  return `CASE json_type(${doc}, ${path}) WHEN 'text' THEN json_extract(${doc}, ${path}) WHEN 'array' THEN ${lines} END`;
}

/** FTS5's default: the pending terms it holds in memory before writing a segment. */
const FTS_HASHSIZE = 1024 * 1024;
/**
 * While indexing many documents in a row (those already stored, or a bulk load's: a setting of the FTS table, kept
 * in the file): far fewer segments to write and merge (125k documents: 8.4 -> 3.4 s). The terms pending are
 * written at every COMMIT whatever the size.
 */
const FTS_LOAD_HASHSIZE = 64 * 1024 * 1024;
/** FTS5's default: segments of a level merged into one of the next. */
const FTS_AUTOMERGE = 4;
/**
 * While a bulk load writes a segment per batch: merged 8 at a time, each entry is rewritten fewer times (20k
 * requests in 600-document commits: 0.8 s of FTS work with 4, 0.58 s with 8). Back to 4 once loaded.
 */
const FTS_LOAD_AUTOMERGE = 8;

/**
 * Makes the text index and indexes the documents stored (none, for a bulk load: the writer adds them), by
 * inserting every document's text in rowid order (what 'rebuild' does, without reading the view). `loading`: a bulk
 * load's, kept with the loading hash size until completion (textLoaded).
 */
function createText(db: Database.Database, collection: string, fields: readonly string[], options: { loading?: boolean } = {}): void {
  const fts = sqlName.text(collection);
  const source = sqlName.textSource(collection);
  const columns = fields.map((_, i) => sqlName.textColumn(i));
  db.exec(`
    CREATE VIEW ${source} AS SELECT rowid AS rid, ${fields.map((f, i) => `${textOf('doc', f)} AS ${columns[i]}`).join(', ')}
      FROM ${sqlName.documents(collection)};
    CREATE VIRTUAL TABLE ${fts} USING fts5(${columns.join(', ')}, content='${source.slice(1, -1)}', content_rowid='rid',
      tokenize='unicode61 remove_diacritics 2');
    INSERT INTO ${fts} (${fts}, rank) VALUES ('hashsize', ${FTS_LOAD_HASHSIZE});
    INSERT INTO ${fts} (${fts}, rank) VALUES ('automerge', ${options.loading ? FTS_LOAD_AUTOMERGE : FTS_AUTOMERGE});
    INSERT INTO ${fts} (rowid, ${columns.join(', ')})
      SELECT rowid, ${fields.map((f) => textOfFast('doc', f)).join(', ')} FROM ${sqlName.documents(collection)} ORDER BY rowid;
  `);
  if (!options.loading) textLoaded(db, collection);
}

/** Back to FTS5's defaults once what there was to index is indexed: writes then come a batch at a time. */
function textLoaded(db: Database.Database, collection: string): void {
  const fts = sqlName.text(collection);
  db.exec(`
    INSERT INTO ${fts} (${fts}, rank) VALUES ('hashsize', ${FTS_HASHSIZE});
    INSERT INTO ${fts} (${fts}, rank) VALUES ('automerge', ${FTS_AUTOMERGE});
  `);
}

/** The statements that keep a collection's FTS index in step with its documents (run by the writer). */
export interface TextIndexSql {
  /** ?: id -> [rowid, text0, text1 ...] as indexed now (FTS5 must be told exactly that to remove it). */
  readonly indexed: string;
  /** @doc: JSON -> [text0, text1 ...]: the same expressions over a document not stored yet. */
  readonly textsOf: string;
  /** (rowid, text0 ...): removes a row's entries. */
  readonly remove: string;
  /** (rowid, text0 ...): adds them. */
  readonly add: string;
}

export function textIndexSql(collection: string, fields: readonly string[]): TextIndexSql {
  const fts = sqlName.text(collection);
  const columns = fields.map((_, i) => sqlName.textColumn(i)).join(', ');
  const slots = fields.map(() => '?').join(', ');
  // textOfFast: the same texts as the view's, and these statements are not FTS5's content reads.
  return {
    indexed: `SELECT rowid, ${fields.map((f) => textOfFast('doc', f)).join(', ')} FROM ${sqlName.documents(collection)} WHERE id = ?`,
    textsOf: `SELECT ${fields.map((f) => textOfFast('doc', f)).join(', ')} FROM (SELECT CAST(@doc AS TEXT) AS doc)`,
    remove: `INSERT INTO ${fts} (${fts}, rowid, ${columns}) VALUES ('delete', ?, ${slots})`,
    add: `INSERT INTO ${fts} (rowid, ${columns}) VALUES (?, ${fields.map(() => 'CAST(? AS TEXT)').join(', ')})`,
  };
}

function dropText(db: Database.Database, collection: string): void {
  db.exec(`DROP TABLE IF EXISTS ${sqlName.text(collection)}; DROP VIEW IF EXISTS ${sqlName.textSource(collection)};`);
}

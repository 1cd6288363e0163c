import type Database from 'better-sqlite3';
import { CollectionDefinition } from '../document-store.port';
import { sameFields, validateDefinition as validatePortDefinition } from '../port-rules';
import { KeySource, keySource } from './sql-names';

/** An index as stored: its declaration, plus the field found to hold arrays (the index is then multikey). */
export interface StoredIndex {
  readonly name: string;
  readonly fields: readonly string[];
  readonly multikey?: string;
}

/** A counter as stored: like an index, multikey (counting per element) once a field is found holding arrays. */
export type StoredCounter = StoredIndex;

/**
 * While a collection is bulk loaded its indexes, counters and text are declared but not built (see
 * completeBulkLoad); the writer notes instead which of their fields it has seen holding arrays.
 */
export interface BulkLoadState {
  readonly arrays: readonly string[];
  /**
   * The text index was made at the start and the writer keeps it as it goes (completion has nothing to do for
   * it): its work is done while the documents are loaded, not after.
   */
  readonly textKept?: boolean;
}

export interface StoredCollection {
  readonly name: string;
  readonly indexes: readonly StoredIndex[];
  /** Absent in files written before counters existed. */
  readonly counters?: readonly StoredCounter[];
  readonly text?: { readonly fields: readonly string[] };
  readonly bulkLoad?: BulkLoadState;
  /**
   * Fields whose key has a column of its own in the documents table, written with every document (the fields
   * of the indexes and counters declared when the table was made). Absent in files made before there were
   * any: their keys are read from the documents (keyExpression), as are those of fields declared later.
   */
  readonly keyColumns?: readonly string[];
}

/** A collection's stored definition with what queries and writes derive from it. */
export class CollectionInfo {
  readonly counters: readonly StoredCounter[];
  /** Being bulk loaded: nothing but the documents exists; queries are refused. */
  readonly bulk: boolean;
  /** Indexed fields never found holding arrays: a predicate on one compares its key (see keyExpression). */
  readonly scalarFields: ReadonlySet<string>;
  /** Fields found holding arrays: their indexes are side tables, and filters on them mean "contains". */
  readonly arrayFields: ReadonlySet<string>;
  /** Fields of indexes and counters an upsert must look at: an array there makes them multikey. */
  readonly watchedFields: readonly string[];
  /** Every field an index or counter names (watched or not). */
  readonly namedFields: readonly string[];
  /** Where a field's key is read from (see KeySource). */
  readonly key: KeySource;

  constructor(readonly stored: StoredCollection) {
    this.key = keySource(stored.keyColumns);
    this.counters = stored.counters ?? [];
    this.bulk = stored.bulkLoad !== undefined;
    const structures = [...stored.indexes, ...this.counters];
    const arrays = new Set(
      stored.bulkLoad ? stored.bulkLoad.arrays : structures.flatMap((s) => (s.multikey ? [s.multikey] : [])),
    );
    const indexed = new Set(stored.indexes.flatMap((i) => i.fields));
    this.arrayFields = arrays;
    this.scalarFields = new Set([...indexed].filter((f) => !arrays.has(f)));
    // A field already multikey in everything naming it needs no look: its arrays are expected.
    const named = new Set(structures.flatMap((s) => s.fields));
    this.namedFields = [...named];
    this.watchedFields = [...named].filter((f) =>
      structures.some((s) => s.fields.includes(f) && this.arrayFieldOf(s) !== f),
    );
  }

  get name(): string {
    return this.stored.name;
  }

  index(name: string): StoredIndex | undefined {
    return this.stored.indexes.find((i) => i.name === name);
  }

  /** The field of an index or counter known to hold arrays (while bulk loading: seen holding them so far). */
  arrayFieldOf(structure: StoredIndex): string | undefined {
    if (!this.stored.bulkLoad) return structure.multikey;
    const arrays = this.stored.bulkLoad.arrays;
    return structure.fields.find((f) => arrays.includes(f));
  }
}

/** Validates a definition from a caller (the port's rules); the store keeps a copy. */
export function validateDefinition(definition: CollectionDefinition): StoredCollection {
  const { name, indexes, counters, text } = validatePortDefinition(definition);
  return { name, indexes, ...(counters.length > 0 ? { counters } : {}), ...(text ? { text } : {}) };
}

/** Same names and fields, in the same order (what is built from them may differ: multikey, bulk load). */
export function sameDefinition(a: StoredCollection, b: StoredCollection): boolean {
  const sameLists = (x: readonly StoredIndex[], y: readonly StoredIndex[]): boolean =>
    x.length === y.length && x.every((s, i) => s.name === y[i].name && sameFields(s.fields, y[i].fields));
  return (
    sameLists(a.indexes, b.indexes) &&
    sameLists(a.counters ?? [], b.counters ?? []) &&
    sameFields(a.text?.fields, b.text?.fields)
  );
}

export { sameFields };

export const CATALOG_DDL = `
CREATE TABLE IF NOT EXISTS read_store_collections (
  name       TEXT PRIMARY KEY,
  definition TEXT NOT NULL
) STRICT;

-- Positions are bigints at the port; INTEGER holds any int64.
CREATE TABLE IF NOT EXISTS read_store_checkpoints (
  name     TEXT PRIMARY KEY,
  position INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

export function readCatalog(db: Database.Database): Map<string, CollectionInfo> {
  const rows = db
    .prepare<[], { name: string; definition: string }>('SELECT name, definition FROM read_store_collections')
    .all();
  return new Map(rows.map((r) => [r.name, new CollectionInfo(JSON.parse(r.definition) as StoredCollection)]));
}

export function readStoredCollection(db: Database.Database, name: string): StoredCollection | undefined {
  const json = db
    .prepare<[string], string>('SELECT definition FROM read_store_collections WHERE name = ?')
    .pluck()
    .get(name);
  return json === undefined ? undefined : (JSON.parse(json) as StoredCollection);
}

export function writeStoredCollection(db: Database.Database, stored: StoredCollection): void {
  db.prepare(
    `INSERT INTO read_store_collections (name, definition) VALUES (?, ?)
     ON CONFLICT (name) DO UPDATE SET definition = excluded.definition`,
  ).run(stored.name, JSON.stringify(stored));
}

export function deleteStoredCollection(db: Database.Database, name: string): void {
  db.prepare('DELETE FROM read_store_collections WHERE name = ?').run(name);
}

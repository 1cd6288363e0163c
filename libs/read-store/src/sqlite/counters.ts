import type Database from 'better-sqlite3';
import { CollectionInfo, StoredCounter, StoredIndex } from './catalog';
import { Condition, predicate, SqlPart } from './filters';
import { KeySource, keySource, NULL_KEY_SQL, sqlName } from './sql-names';

/*
 * A counter of a collection is a materialised GROUP BY over its fields:
 *
 *   "n:<name>:<counter>"   WITHOUT ROWID (k0 .. kn, n): one row per combination of keys present among the
 *                documents (keys as the indexes make them: keyExpression, null and missing -> NULL_KEY), with the
 *                number of documents that have it (0 for a combination no document has any more: see
 *                triggers.ts; queries skip those).
 *
 * The collection's triggers (triggers.ts) keep it exact within the transaction that writes the documents. A
 * counter whose field was found holding arrays (multikey, at most one field) counts a document once per
 * distinct element of it, an empty array or a missing field as one null: the same elements a multikey index
 * holds, so both answer alike.
 */

/** Creates the counter's table and counts the documents already stored (the caller then recreates the triggers). */
export function createCounter(
  db: Database.Database,
  collection: string,
  counter: StoredCounter,
  arrayField: string | undefined,
  indexes: readonly StoredIndex[] = [],
  key: KeySource = keySource(undefined),
): StoredCounter {
  const table = sqlName.counter(collection, counter.name);
  const columns = counter.fields.map((_, i) => sqlName.keyColumn(i));
  db.exec(`CREATE TABLE ${table} (${columns.map((c) => `${c} ANY NOT NULL`).join(', ')}, n INTEGER NOT NULL,
      PRIMARY KEY (${columns.join(', ')})) STRICT, WITHOUT ROWID`);
  db.exec(countAll(collection, table, counter.fields, arrayField, indexes, key));
  return arrayField === undefined
    ? { name: counter.name, fields: counter.fields }
    : { name: counter.name, fields: counter.fields, multikey: arrayField };
}

/**
 * The counter's rows from the documents stored: one GROUP BY (one sort) over the collection. SQLite reads the
 * keys of a scalar counter from an index on the same expressions when there is one; a multikey counter is
 * counted from the side table of a multikey index on the same array field holding all its fields, if any
 * (its rows are the elements already), else from the documents' arrays.
 */
function countAll(
  collection: string,
  table: string,
  fields: readonly string[],
  arrayField: string | undefined,
  indexes: readonly StoredIndex[],
  key: KeySource,
): string {
  const docs = sqlName.documents(collection);
  const columns = fields.map((_, i) => sqlName.keyColumn(i));
  const columnList = columns.join(', ');
  if (arrayField === undefined) {
    const keys = fields.map((f, i) => `${key('d', f)} AS ${columns[i]}`);
    return `INSERT INTO ${table} (${columnList}, n) SELECT ${keys.join(', ')}, count(*) FROM ${docs} AS d GROUP BY ${columnList}`;
  }
  const side = indexes.find((i) => i.multikey === arrayField && fields.every((f) => i.fields.includes(f)));
  if (side) {
    // The side table's columns, in the counter's order (grouped by them, not by the names they get here).
    const sources = fields.map((f) => sqlName.keyColumn(side.fields.indexOf(f)));
    return (
      `INSERT INTO ${table} (${columnList}, n) SELECT ${sources.join(', ')}, count(DISTINCT id) ` +
      `FROM ${sqlName.keys(collection, side.name)} GROUP BY ${sources.join(', ')}`
    );
  }
  // A row per (element, document); an element repeated in one array counts once.
  const position = fields.indexOf(arrayField);
  const rows = key.elements(
    'd',
    arrayField,
    (v) =>
      [
        ...fields.map((f, i) => `${i === position ? `coalesce(${v}, ${NULL_KEY_SQL})` : key('d', f)} AS ${columns[i]}`),
        'd.id AS id',
      ].join(', '),
    `${docs} AS d`,
  );
  return `INSERT INTO ${table} (${columnList}, n) SELECT ${columnList}, count(DISTINCT id) FROM (${rows}) GROUP BY ${columnList}`;
}

export function dropCounter(db: Database.Database, collection: string, counter: StoredCounter): void {
  db.exec(`DROP TABLE IF EXISTS ${sqlName.counter(collection, counter.name)}`);
}

export interface CounterQuery {
  readonly sql: string;
  readonly params: unknown[];
}

/**
 * `count` from a counter, if one serves the conditions: SELECT of one value. A counter serves conditions that
 * are all equality or `in` on its fields. A multikey counter holds a row per element, so it serves only
 * when its array field is pinned to one value (each document then has one row among those summed).
 */
export function countFromCounter(info: CollectionInfo, conditions: readonly Condition[]): CounterQuery | undefined {
  const chosen = counterFor(info, conditions, undefined);
  if (!chosen) return undefined;
  const where = wherePart(chosen.counter, conditions);
  return {
    sql: `SELECT coalesce(sum(c.n), 0) FROM ${sqlName.counter(info.name, chosen.counter.name)} AS c${where.sql}`,
    params: where.params,
  };
}

/**
 * `countBy` from a counter: selects g (the group's key) and n. Besides serving the conditions, the counter
 * holds `field`; if it is multikey, either `field` is its array field (counted per element, as countBy
 * promises) and no condition names it, or that field is pinned to one value.
 */
export function countByFromCounter(
  info: CollectionInfo,
  field: string,
  conditions: readonly Condition[],
): CounterQuery | undefined {
  const chosen = counterFor(info, conditions, field);
  if (!chosen) return undefined;
  const where = wherePart(chosen.counter, conditions);
  const group = `c.${sqlName.keyColumn(chosen.counter.fields.indexOf(field))}`;
  return {
    sql:
      `SELECT ${group} AS g, sum(c.n) AS n FROM ${sqlName.counter(info.name, chosen.counter.name)} AS c${where.sql} ` +
      `GROUP BY ${group} HAVING sum(c.n) > 0`,
    params: where.params,
  };
}

function counterFor(
  info: CollectionInfo,
  conditions: readonly Condition[],
  group: string | undefined,
): { counter: StoredCounter } | undefined {
  if (info.counters.length === 0) return undefined;
  if (conditions.some((c) => c.values === undefined || c.lower !== undefined || c.upper !== undefined)) return undefined;
  const pinned = (field: string): boolean => conditions.some((c) => c.field === field && c.values!.length === 1);
  let best: { counter: StoredCounter; score: number[] } | undefined;
  info.counters.forEach((counter, position) => {
    if (!conditions.every((c) => counter.fields.includes(c.field))) return;
    if (group !== undefined && !counter.fields.includes(group)) return;
    // A multikey counter has a row per element: each document must have one row among those summed. Grouped by
    // its array field, every element of the documents the filter selects counts, not only those it names.
    const array = counter.multikey;
    if (array !== undefined && (array === group ? conditions.some((c) => c.field === array) : !pinned(array))) return;
    // The fewer rows summed the better: fields left free multiply them.
    const free = counter.fields.filter((f) => f !== group && !pinned(f)).length;
    const score = [-free, -counter.fields.length, -position];
    if (!best || compareScores(score, best.score) > 0) best = { counter, score };
  });
  return best;
}

function wherePart(counter: StoredCounter, conditions: readonly Condition[]): SqlPart {
  const parts = conditions.map((c) => predicate(`c.${sqlName.keyColumn(counter.fields.indexOf(c.field))}`, c));
  return {
    sql: parts.length === 0 ? '' : ` WHERE ${parts.map((p) => `(${p.sql})`).join(' AND ')}`,
    params: parts.flatMap((p) => p.params),
  };
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

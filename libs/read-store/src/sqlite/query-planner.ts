import { Filter, SortKey } from '../document-store.port';
import { chooseForCount, chooseForCountBy, chooseForFind, type Direction, type IndexCandidate, indexCandidates } from '../index-choice';
import { CollectionInfo, StoredIndex } from './catalog';
import { countByFromCounter, countFromCounter } from './counters';
import { CursorKeys, queryShape } from './cursor';
import { Condition, elementPredicate, isMembership, normaliseFilter, predicate, SqlPart } from './filters';
import { assertField, NULL_KEY_SQL, selectElements, sqlName } from './sql-names';

/**
 * Turns a port query into SQL that walks one declared index, or refuses it (UnindexedQueryError). Which index
 * is the port's rule, shared with the MongoDB adapter (index-choice.ts); a multikey index is a side table with a
 * row per array element. The SQL names the chosen index (INDEXED BY), so SQLite cannot fall back to a scan
 * behind our back: if it could not use the index, preparing the statement would fail.
 */

/** How rows are reached: a FROM clause and the key expression of each field it serves. */
interface Access {
  readonly from: string;
  /** The same path without the documents, where nothing but keys is needed (a count over a side table). */
  readonly keysOnly?: string;
  readonly id: string;
  readonly index?: StoredIndex;
  /** The expression holding a field's key on this path, if the path has one. */
  key(field: string): string | undefined;
}

type Candidate = IndexCandidate<StoredIndex>;

export interface PlannedQuery {
  readonly sql: string;
  readonly params: unknown[];
}

export interface FindPlan {
  /** Identifies the query for its cursors. */
  readonly shape: string;
  /** Keys in a cursor: the sort fields' keys, then the id. */
  readonly arity: number;
  /** Selects id, doc, then the sort keys as o0, o1 ... of the page (limit + 1 rows: the extra says "more"). */
  build(after: CursorKeys | undefined, limit: number): PlannedQuery;
}

export function planFind(info: CollectionInfo, filter: Filter | undefined, sort: readonly SortKey[] | undefined): FindPlan {
  const conditions = normaliseFilter(filter);
  const byField = new Map(conditions.map((c) => [c.field, c]));
  const { given, order, direction, candidate: best } = chooseForFind(info.name, candidates(info, byField), conditions, byField, sort);
  const access = accessFor(info, best?.index);
  const served = new Set(best ? best.index.fields.slice(0, best.prefix) : []);
  const range = best?.range;
  const orderKeys = [...order.map((k) => access.key(k.field)!), access.id];
  const distinct = distinctNeeded(access, byField);
  const shape = queryShape(['find', info.name, conditions, given]);

  return {
    shape,
    arity: orderKeys.length,
    build(after, limit) {
      const where: SqlPart[] = [];
      for (const condition of conditions) {
        if (served.has(condition.field)) {
          where.push(predicate(access.key(condition.field)!, condition));
        } else if (condition === range) {
          // The keyset already starts inside the range, so its bound on that side is implied (and dropping it
          // lets SQLite seek straight to the cursor instead of walking from the start of the range).
          const first = order.length > 0 && order[0].field === condition.field && after !== undefined;
          where.push(
            predicate(access.key(condition.field)!, condition, {
              skipLower: first && direction === 'asc',
              skipUpper: first && direction === 'desc',
            }),
          );
        } else {
          where.push(residual(info, access, condition));
        }
      }
      if (after) where.push(keyset(orderKeys, after, direction));
      const select = ['d.id AS id', 'd.doc AS doc', ...order.map((_, i) => `${orderKeys[i]} AS o${i}`)];
      const dir = direction === 'asc' ? 'ASC' : 'DESC';
      const sql =
        `SELECT ${distinct ? 'DISTINCT ' : ''}${select.join(', ')} FROM ${access.from}` +
        whereClause(where) +
        ` ORDER BY ${orderKeys.map((k) => `${k} ${dir}`).join(', ')} LIMIT ?`;
      return { sql, params: [...where.flatMap((w) => w.params), limit] };
    },
  };
}

/**
 * A count is answered from a counter when one serves it (counters.ts: summing a few counter rows, whatever the
 * size of the collection), else by counting an index range.
 */
export function planCount(info: CollectionInfo, filter: Filter | undefined): PlannedQuery {
  const conditions = normaliseFilter(filter);
  const fromCounter = countFromCounter(info, conditions);
  if (fromCounter) return fromCounter;
  if (conditions.length === 0) return { sql: `SELECT count(*) FROM ${sqlName.documents(info.name)}`, params: [] };
  const byField = new Map(conditions.map((c) => [c.field, c]));
  const candidate = countCandidate(info, conditions, byField);
  const access = accessFor(info, candidate.index);
  const { where, from } = conditionsOn(info, access, candidate, conditions);
  const counted = distinctNeeded(access, byField) ? `count(DISTINCT ${access.id})` : 'count(*)';
  return { sql: `SELECT ${counted} FROM ${from}${whereClause(where)}`, params: where.flatMap((w) => w.params) };
}

/** The index range that finds the documents matching every condition (else UnindexedQueryError). */
function countCandidate(info: CollectionInfo, conditions: readonly Condition[], byField: ReadonlyMap<string, Condition>): Candidate {
  return chooseForCount(info.name, candidates(info, byField), conditions, byField);
}

/**
 * Selects g (the group's key) and n (its count). An array field counts each document once per element. From a
 * counter when one serves it, else over an index range.
 */
export function planCountBy(info: CollectionInfo, field: string, filter: Filter | undefined): PlannedQuery {
  assertField(field);
  const conditions = normaliseFilter(filter);
  const fromCounter = countByFromCounter(info, field, conditions);
  if (fromCounter) return fromCounter;
  const byField = new Map(conditions.map((c) => [c.field, c]));
  const arrayField = info.arrayFields.has(field);
  if (arrayField && byField.has(field)) return countByElements(info, field, conditions, byField);
  const chosen = chooseForCountBy(info.name, candidates(info, byField), conditions, byField, field, arrayField);
  const access = accessFor(info, chosen.index);
  const key = access.key(field);
  const group = key ?? info.key('d', field);
  const conditioned = conditionsOn(info, access, chosen, conditions);
  const from = key === undefined ? access.from : conditioned.from;
  const counted = distinctNeeded(access, byField) ? `count(DISTINCT ${access.id})` : 'count(*)';
  return {
    sql: `SELECT ${group} AS g, ${counted} AS n FROM ${from}${whereClause(conditioned.where)} GROUP BY ${group}`,
    params: conditioned.where.flatMap((w) => w.params),
  };
}

/**
 * countBy an array field the filter also names: the filter selects documents (by any of their elements), and
 * each counts once per element, matching or not. The groups come from the arrays of the documents found, not
 * from the side-table rows the filter walked (those hold the matching elements only).
 */
function countByElements(
  info: CollectionInfo,
  field: string,
  conditions: readonly Condition[],
  byField: ReadonlyMap<string, Condition>,
): PlannedQuery {
  const candidate = countCandidate(info, conditions, byField);
  const access = accessFor(info, candidate.index);
  const { where, from } = conditionsOn(info, access, candidate, conditions);
  const matching =
    `SELECT o.id AS id, o.doc AS doc FROM ${sqlName.documents(info.name)} AS o ` +
    `WHERE o.id IN (SELECT ${access.id} FROM ${from}${whereClause(where)})`;
  const rows = selectElements('m.doc', field, (v) => `coalesce(${v}, ${NULL_KEY_SQL}) AS g, m.id AS id`, `(${matching}) AS m`);
  // The documents' query is written twice (once per branch of the elements' UNION ALL), so are its parameters.
  const params = where.flatMap((w) => w.params);
  return { sql: `SELECT g, count(DISTINCT id) AS n FROM (${rows}) GROUP BY g`, params: [...params, ...params] };
}

/** A condition tested on documents that no index serves (search filters): array-aware where needed. */
export function residualOnDocuments(info: CollectionInfo, conditions: readonly Condition[]): SqlPart[] {
  const access = accessFor(info, undefined);
  return conditions.map((c) => residual(info, access, c));
}

function candidates(info: CollectionInfo, byField: ReadonlyMap<string, Condition>): Candidate[] {
  return indexCandidates(info.stored.indexes, (index) => index.multikey, byField);
}

function accessFor(info: CollectionInfo, index: StoredIndex | undefined): Access {
  const docs = sqlName.documents(info.name);
  if (index === undefined) return { from: `${docs} AS d`, id: 'd.id', key: () => undefined };
  if (index.multikey === undefined) {
    return {
      from: `${docs} AS d INDEXED BY ${sqlName.index(info.name, index.name)}`,
      id: 'd.id',
      index,
      // The very column or expression the index was made on: SQLite matches it and reads the key from the index.
      key: (field) => (index.fields.includes(field) ? info.key('d', field) : undefined),
    };
  }
  // CROSS JOIN fixes the join order: walk the side table's range, then fetch each document by id.
  return {
    from: `${sqlName.keys(info.name, index.name)} AS k CROSS JOIN ${docs} AS d ON d.id = k.id`,
    keysOnly: `${sqlName.keys(info.name, index.name)} AS k`,
    id: 'k.id',
    index,
    key: (field) => {
      const i = index.fields.indexOf(field);
      return i < 0 ? undefined : `k.${sqlName.keyColumn(i)}`;
    },
  };
}

/** `in` on the array field of a multikey index finds a document once per matching element. */
function distinctNeeded(access: Access, byField: ReadonlyMap<string, Condition>): boolean {
  const field = access.index?.multikey;
  return field !== undefined && isMembership(byField.get(field));
}

/** The conditions as predicates on the index's keys where it serves them, else on the documents. */
function conditionsOn(
  info: CollectionInfo,
  access: Access,
  candidate: Candidate,
  conditions: readonly Condition[],
): { where: SqlPart[]; from: string } {
  const prefix = candidate.index.fields.slice(0, candidate.prefix);
  const served = (c: Condition): boolean => prefix.includes(c.field) || c === candidate.range;
  const where = conditions.map((c) => (served(c) ? predicate(access.key(c.field)!, c) : residual(info, access, c)));
  const from = conditions.every(served) ? (access.keysOnly ?? access.from) : access.from;
  return { where, from };
}

function residual(info: CollectionInfo, access: Access, condition: Condition): SqlPart {
  const { field } = condition;
  if (info.arrayFields.has(field) || !info.scalarFields.has(field)) {
    // An array field (equality means "contains"), or a field no index names (it might hold arrays).
    return elementPredicate('d.doc', condition);
  }
  return predicate(access.key(field) ?? info.key('d', field), condition);
}

/**
 * The rows after a cursor in (k1, ..., id) order. Spelt out rather than as a row value `(k1, id) > (?, ?)`:
 * SQLite seeks an index on columns by a row value, but not an index on expressions; `k1 >= ?` it seeks by,
 * and the rest is tested only over the ties of k1.
 */
export function keyset(keys: readonly string[], after: CursorKeys, direction: Direction): SqlPart {
  const strict = direction === 'asc' ? '>' : '<';
  const params: unknown[] = [];
  let sql = '';
  for (let i = keys.length - 1; i >= 0; i -= 1) {
    if (i === keys.length - 1) {
      sql = `${keys[i]} ${strict} ?`;
      params.unshift(after[i]);
    } else {
      sql = `${keys[i]} ${strict} ? OR (${keys[i]} = ? AND (${sql}))`;
      params.unshift(after[i], after[i]);
    }
  }
  if (keys.length === 1) return { sql, params };
  return { sql: `${keys[0]} ${strict}= ? AND (${sql})`, params: [after[0], ...params] };
}

function whereClause(parts: readonly SqlPart[]): string {
  return parts.length === 0 ? '' : ` WHERE ${parts.map((p) => `(${p.sql})`).join(' AND ')}`;
}

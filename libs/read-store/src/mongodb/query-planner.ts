import type { Document } from 'mongodb';
import { Filter, SortKey, UnindexedQueryError } from '../document-store.port';
import { counterCountByPipeline, counterCountPipeline, counterFor, elementsExpression } from './counters';
import { CursorKeys, keysetFilter, queryShape } from './cursor';
import { CollectionInfo, FieldList } from './definitions';
import { Condition, filterToMongo, isEquality, isMembership, isRangeOnly, mergeClauses, normaliseFilter } from './filters';
import { assertField, fieldPath, mongoName } from './names';

/*
 * Turns a port query into a MongoDB query on one declared index, or refuses it (UnindexedQueryError). The rule is
 * the port's (and the SQLite adapter's, whose planner this follows decision for decision):
 *
 * An index (f0 .. fn) serves equality or `in` on a prefix f0 .. fp-1, then a range and/or the sort on fp (and
 * further sort keys on fp+1 ...). Other conditions are tested on the documents that index range yields. A
 * multikey index (one of its fields holds arrays) serves only when its array field is in the equality prefix.
 *
 * Every query names its index with `hint`: MongoDB's planner cannot then fall back to a collection scan (or
 * pick an index we did not plan for) behind our back; a hint naming an index that does not exist fails.
 */

export type Direction = 'asc' | 'desc';

interface Candidate {
  readonly index: FieldList;
  readonly position: number;
  /** Conditions on fields[0 .. prefix-1] all have values (equality or in). */
  readonly prefix: number;
  /** A bound-only condition on fields[prefix]. */
  readonly range?: Condition;
  readonly multikey?: string;
}

export interface FindPlan {
  /** Identifies the query for its cursors. */
  readonly shape: string;
  /** Port fields the page is sorted by, before the id. */
  readonly orderFields: readonly string[];
  readonly direction: Direction;
  readonly sort: Document;
  readonly hint: string;
  /** Keys in a cursor: the sort fields' values, then the id. */
  readonly arity: number;
  /** The filter of the page after `keys` (the first page: undefined). */
  filter(after: CursorKeys | undefined): Document;
}

export function planFind(info: CollectionInfo, filter: Filter | undefined, sort: readonly SortKey[] | undefined): FindPlan {
  const conditions = normaliseFilter(filter);
  const byField = new Map(conditions.map((c) => [c.field, c]));
  const given = validateSort(sort);
  const direction: Direction = given.length > 0 ? given[given.length - 1].direction : 'asc';
  // Sorting by a field held constant by an equality changes nothing: it is dropped before matching indexes.
  const order = given.filter((k) => !isEquality(byField.get(k.field)));
  if (order.some((k) => k.direction !== direction)) {
    throw new UnindexedQueryError(info.name, `${describe(conditions, given)}: mixed sort directions`);
  }

  let best: { candidate: Candidate; score: number[] } | undefined;
  for (const candidate of candidates(info, byField)) {
    const { index, prefix, range, multikey } = candidate;
    if (multikey !== undefined && index.fields.indexOf(multikey) >= prefix) continue;
    const sortServed = order.every((k, i) => index.fields[prefix + i] === k.field);
    if (!sortServed || (prefix === 0 && !range && order.length === 0)) continue;
    const inPrefix = index.fields.slice(0, prefix).some((f) => isMembership(byField.get(f)));
    const needsSort = inPrefix || (order.length === 0 && prefix < index.fields.length);
    const score = [prefix + (range ? 1 : 0), -seeks(candidate, byField), needsSort ? 0 : 1, -index.fields.length, -candidate.position];
    if (!best || compareScores(score, best.score) > 0) best = { candidate, score };
  }
  if (!best && (conditions.length > 0 || order.length > 0)) {
    throw new UnindexedQueryError(info.name, describe(conditions, given));
  }

  const orderFields = order.map((k) => k.field);
  const paths = orderFields.map(fieldPath);
  const sign = direction === 'asc' ? 1 : -1;
  const sortSpec: Document = {};
  for (const path of paths) sortSpec[path] = sign;
  sortSpec._id = sign;
  const base = filterToMongo(conditions, (f) => info.holds(f));
  return {
    shape: queryShape(['find', info.name, conditions, given]),
    orderFields,
    direction,
    sort: sortSpec,
    hint: best ? mongoName.index(best.candidate.index.name) : mongoName.idIndex,
    arity: orderFields.length + 1,
    filter: (after) => (after === undefined ? base : mergeClauses([base, keysetFilter(paths, after, direction)].filter(nonEmpty))),
  };
}

const nonEmpty = (document: Document): boolean => Object.keys(document).length > 0;

/** A count: from a counter (an aggregation over its rows), or of the documents an index range finds. */
export type CountPlan =
  | { readonly kind: 'counter'; readonly pipeline: Document[]; readonly hint: string }
  | { readonly kind: 'documents'; readonly filter: Document; readonly hint: string };

/**
 * A count is answered from a counter when one serves it (summing a few rows, whatever the size of the
 * collection), else by counting what an index range finds (MongoDB counts a document once however many of its
 * elements a multikey index holds); without a filter, by counting the _id index.
 */
export function planCount(info: CollectionInfo, filter: Filter | undefined): CountPlan {
  const conditions = normaliseFilter(filter);
  const counter = counterFor(info, conditions, undefined);
  if (counter) return { kind: 'counter', pipeline: counterCountPipeline(counter, conditions), hint: mongoName.countersIndex };
  if (conditions.length === 0) return { kind: 'documents', filter: {}, hint: mongoName.idIndex };
  const byField = new Map(conditions.map((c) => [c.field, c]));
  const candidate = countCandidate(info, conditions, byField);
  return { kind: 'documents', filter: filterToMongo(conditions, (f) => info.holds(f)), hint: mongoName.index(candidate.index.name) };
}

/** The index range that finds the documents matching every condition (else UnindexedQueryError). */
function countCandidate(info: CollectionInfo, conditions: readonly Condition[], byField: ReadonlyMap<string, Condition>): Candidate {
  let best: { candidate: Candidate; score: number[] } | undefined;
  for (const candidate of candidates(info, byField)) {
    const { index, prefix, range, multikey } = candidate;
    if (multikey !== undefined && index.fields.indexOf(multikey) >= prefix) continue;
    if (prefix === 0 && !range) continue;
    const score = [prefix + (range ? 1 : 0), -seeks(candidate, byField), -index.fields.length, -candidate.position];
    if (!best || compareScores(score, best.score) > 0) best = { candidate, score };
  }
  if (!best) throw new UnindexedQueryError(info.name, describe(conditions, []));
  return best.candidate;
}

/** countBy: an aggregation selecting { _id: the group's key, n: its count }. */
export interface CountByPlan {
  readonly kind: 'counter' | 'documents';
  readonly pipeline: Document[];
  readonly hint: string;
}

/**
 * countBy from a counter when one serves it; else the documents an index range finds are grouped by the
 * field's elements (an array field counts a document once per distinct element, null for missing or empty).
 * Refused when no index range finds the documents, with the SQLite adapter's rules: the index must also be
 * usable for the field grouped (an array field only through an index multikey on it).
 */
export function planCountBy(info: CollectionInfo, field: string, filter: Filter | undefined): CountByPlan {
  assertField(field);
  const conditions = normaliseFilter(filter);
  const counter = counterFor(info, conditions, field);
  if (counter) return { kind: 'counter', pipeline: counterCountByPipeline(counter, field, conditions), hint: mongoName.countersIndex };
  const byField = new Map(conditions.map((c) => [c.field, c]));
  const arrayField = info.arrayFields.has(field);
  let chosen: Candidate | undefined;
  if (arrayField && byField.has(field)) {
    // A filter on the array field selects documents (by any element); each then counts once per element.
    chosen = countCandidate(info, conditions, byField);
  } else {
    let best: { candidate: Candidate; score: number[] } | undefined;
    for (const candidate of candidates(info, byField)) {
      const { index, prefix, range, multikey } = candidate;
      const grouped = index.fields[prefix] === field;
      if (arrayField && multikey !== field) continue;
      // Unconstrained, an array field yields an entry per element: fine only when those elements are the groups.
      const perElement = grouped && multikey === field;
      if (multikey !== undefined && index.fields.indexOf(multikey) >= prefix && !perElement) continue;
      if (prefix === 0 && !range && !grouped) continue;
      const score = [prefix + (range ? 1 : 0), -seeks(candidate, byField), grouped ? 1 : 0, index.fields.includes(field) ? 1 : 0, -index.fields.length];
      if (!best || compareScores(score, best.score) > 0) best = { candidate, score };
    }
    if (!best) throw new UnindexedQueryError(info.name, `${describe(conditions, [])}, counted by ${field}`);
    chosen = best.candidate;
  }
  return {
    kind: 'documents',
    pipeline: [
      { $match: filterToMongo(conditions, (f) => info.holds(f)) },
      { $project: { _id: 0, g: elementsExpression(field) } },
      { $unwind: '$g' },
      { $group: { _id: '$g', n: { $sum: 1 } } },
    ],
    hint: mongoName.index(chosen.index.name),
  };
}

function candidates(info: CollectionInfo, byField: ReadonlyMap<string, Condition>): Candidate[] {
  return info.indexes.map((index, position) => {
    const multikey = info.multikeyOf(index);
    let prefix = 0;
    while (prefix < index.fields.length && byField.get(index.fields[prefix])?.values !== undefined) prefix += 1;
    const next = index.fields[prefix];
    const condition = next === undefined ? undefined : byField.get(next);
    const range = isRangeOnly(condition) && next !== multikey ? condition : undefined;
    return { index, position, prefix, ...(range ? { range } : {}), ...(multikey !== undefined ? { multikey } : {}) };
  });
}

function validateSort(sort: readonly SortKey[] | undefined): SortKey[] {
  if (sort === undefined) return [];
  if (!Array.isArray(sort)) throw new TypeError('sort must be an array of { field, direction }');
  const seen = new Set<string>();
  return sort.map((key: SortKey) => {
    assertField(key?.field);
    if (key.direction !== 'asc' && key.direction !== 'desc') {
      throw new TypeError(`sort on ${key.field}: direction must be 'asc' or 'desc'`);
    }
    if (seen.has(key.field)) throw new TypeError(`sort names ${key.field} twice`);
    seen.add(key.field);
    return { field: key.field, direction: key.direction };
  });
}

/**
 * How many index ranges the prefix makes MongoDB walk (the product of its `in` list sizes): the best guess at
 * selectivity between two indexes with prefixes of the same length, without statistics.
 */
function seeks(candidate: Candidate, byField: ReadonlyMap<string, Condition>): number {
  return candidate.index.fields
    .slice(0, candidate.prefix)
    .reduce((n, f) => n * Math.max(1, byField.get(f)?.values?.length ?? 1), 1);
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function describe(conditions: readonly Condition[], sort: readonly SortKey[]): string {
  const filter = conditions.length === 0 ? 'no filter' : `filter on ${conditions.map((c) => c.field).join(', ')}`;
  const order = sort.length === 0 ? '' : `, sort by ${sort.map((k) => `${k.field} ${k.direction}`).join(', ')}`;
  return filter + order;
}

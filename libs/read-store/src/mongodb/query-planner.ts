import type { Document } from 'mongodb';
import { Filter, SortKey } from '../document-store.port';
import { chooseForCount, chooseForCountBy, chooseForFind, type Direction, type IndexCandidate, indexCandidates } from '../index-choice';
import { counterCountByPipeline, counterCountPipeline, counterFor, elementsExpression } from './counters';
import { CursorKeys, keysetFilter, queryShape } from './cursor';
import { CollectionInfo, FieldList } from './definitions';
import { Condition, filterToMongo, mergeClauses, normaliseFilter } from './filters';
import { assertField, fieldPath, mongoName } from './names';

/*
 * Turns a port query into a MongoDB query on one declared index, or refuses it (UnindexedQueryError). Which index
 * is the port's rule, shared with the SQLite adapter (index-choice.ts).
 *
 * Every query names its index with `hint`: MongoDB's planner cannot then fall back to a collection scan (or
 * pick an index we did not plan for) behind our back; a hint naming an index that does not exist fails.
 */

type Candidate = IndexCandidate<FieldList>;

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
  const { given, order, direction, candidate } = chooseForFind(info.name, candidates(info, byField), conditions, byField, sort);
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
    hint: candidate ? mongoName.index(candidate.index.name) : mongoName.idIndex,
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
  return chooseForCount(info.name, candidates(info, byField), conditions, byField);
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
  // A filter on the array field selects documents (by any element); each then counts once per element.
  const chosen =
    arrayField && byField.has(field)
      ? countCandidate(info, conditions, byField)
      : chooseForCountBy(info.name, candidates(info, byField), conditions, byField, field, arrayField);
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
  return indexCandidates(info.indexes, (index) => info.multikeyOf(index), byField);
}

import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { Scalar } from '../document-store.port';
import { CollectionInfo, FieldList } from './definitions';
import { Condition } from './filters';
import { CounterRowDocument, fieldPath } from './names';

/*
 * A counter is a materialised GROUP BY over its fields, kept in the collection's counters collection
 * (`read_store.counters.<collection>`), one MongoDB document per combination of keys present:
 *
 *   { _id: { c: <counter>, k0: <key of field 0>, k1: ... }, c: <counter>, k0: ..., k1: ..., v: <documents> }
 *
 * The keys are the values the port counts by: a field's value, null for null or missing; for an array, each
 * distinct element (an empty array: null), so a document counts once per element, as a multikey index finds it.
 * The _id is the combination itself (BSON compares numbers by value, so 1 and 1.0 are one row); the copies at
 * the top level are what queries filter and group on, through the index { c: 1 }.
 *
 * The writer keeps them exact inside the transaction that writes the documents: it reads the stored version of
 * each document it writes, and applies the difference of their rows as `$inc` (counterDeltas). A combination no
 * document has any more stays, at 0 (queries skip those), as in the SQLite adapter.
 */

/** What a field of a document counts as: its distinct elements (an array), or itself; null for missing or empty. */
export function elementsOf(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [value ?? null];
  if (value.length === 0) return [null];
  const seen = new Map<string, unknown>();
  for (const element of value) {
    const key = canonical(element ?? null);
    if (!seen.has(key)) seen.set(key, element ?? null);
  }
  return [...seen.values()];
}

/** A value's identity for counting: JSON (a document's values are JSON: numbers 1 and 1.0 are one). */
const canonical = (value: unknown): string => JSON.stringify(value) ?? 'null';

export interface CounterRow {
  readonly counter: string;
  readonly keys: readonly unknown[];
}

/**
 * The rows a document adds to a counter: the product of its fields' elements (at most one field holds an
 * array: the writer refuses parallel arrays before this is reached).
 */
export function counterRows(counter: FieldList, document: Readonly<Record<string, unknown>> | undefined): CounterRow[] {
  if (document === undefined) return [];
  let combinations: unknown[][] = [[]];
  for (const field of counter.fields) {
    const elements = elementsOf(document[field]);
    combinations = combinations.flatMap((prefix) => elements.map((e) => [...prefix, e]));
  }
  return combinations.map((keys) => ({ counter: counter.name, keys }));
}

export interface CounterDelta extends CounterRow {
  readonly delta: number;
}

/**
 * Accumulates what replacing `before` (undefined: none) by `after` (undefined: deleted) changes in the counters:
 * -1 for each of the old document's rows, +1 for each of the new one's. An unchanged field gives nothing.
 */
export function addCounterDeltas(
  deltas: Map<string, CounterDelta>,
  counters: readonly FieldList[],
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
): void {
  for (const counter of counters) {
    for (const [rows, sign] of [
      [counterRows(counter, before), -1],
      [counterRows(counter, after), 1],
    ] as const) {
      for (const row of rows) {
        const key = canonical([row.counter, ...row.keys]);
        const delta = (deltas.get(key)?.delta ?? 0) + sign;
        deltas.set(key, { ...row, delta });
      }
    }
  }
}

/** The deltas of a batch of (before, after) pairs, without those that cancel out. */
export function counterDeltas(
  counters: readonly FieldList[],
  changes: Iterable<readonly [Readonly<Record<string, unknown>> | undefined, Readonly<Record<string, unknown>> | undefined]>,
): CounterDelta[] {
  const deltas = new Map<string, CounterDelta>();
  for (const [before, after] of changes) addCounterDeltas(deltas, counters, before, after);
  return [...deltas.values()].filter((d) => d.delta !== 0);
}

/** A counter row's _id: the counter, then its keys as k0, k1 ... (in that order: embedded documents compare in order). */
export function counterRowId(row: CounterRow): CounterRowDocument['_id'] {
  const id: CounterRowDocument['_id'] = { c: row.counter };
  row.keys.forEach((key, i) => {
    id[`k${i}`] = key;
  });
  return id;
}

export function counterUpdates(deltas: readonly CounterDelta[]): AnyBulkWriteOperation<CounterRowDocument>[] {
  return deltas.map((delta) => {
    const _id = counterRowId(delta);
    return {
      updateOne: {
        filter: { _id },
        update: { $inc: { v: delta.delta }, $setOnInsert: { ...copyOf(_id) } as Partial<CounterRowDocument> },
        upsert: true,
      },
    };
  });
}

const copyOf = (id: CounterRowDocument['_id']): Record<string, unknown> => ({ ...id });

/** The fields counters need of the stored version of a document (a projection for reading it). */
export function counterProjection(counters: readonly FieldList[]): Document {
  const projection: Document = {};
  for (const field of new Set(counters.flatMap((c) => c.fields))) projection[fieldPath(field)] = 1;
  return projection;
}

/**
 * The counter serving `count` (group undefined) or `countBy(group)` under `conditions`, if any. The same rules as
 * the SQLite adapter: every condition is equality or `in` on a field of the counter; a counter multikey on a field
 * (it holds arrays) has a row per element, so each document must have one row among those summed: its array field
 * is pinned to one value, or, grouped by it, no condition names it (countBy then counts per element, as it should).
 * The fewer rows summed the better: fields left free multiply them.
 */
export function counterFor(info: CollectionInfo, conditions: readonly Condition[], group: string | undefined): FieldList | undefined {
  if (info.counters.length === 0) return undefined;
  if (conditions.some((c) => c.values === undefined || c.lower !== undefined || c.upper !== undefined)) return undefined;
  const pinned = (field: string): boolean => conditions.some((c) => c.field === field && c.values!.length === 1);
  let best: { counter: FieldList; score: number[] } | undefined;
  info.counters.forEach((counter, position) => {
    if (!conditions.every((c) => counter.fields.includes(c.field))) return;
    if (group !== undefined && !counter.fields.includes(group)) return;
    const array = info.multikeyOf(counter);
    if (array !== undefined && (array === group ? conditions.some((c) => c.field === array) : !pinned(array))) return;
    const free = counter.fields.filter((f) => f !== group && !pinned(f)).length;
    const score = [-free, -counter.fields.length, -position];
    if (!best || compareScores(score, best.score) > 0) best = { counter, score };
  });
  return best?.counter;
}

/** The $match selecting a counter's rows under the conditions (on its keys). */
export function counterMatch(counter: FieldList, conditions: readonly Condition[]): Document {
  const match: Document = { c: counter.name };
  for (const condition of conditions) {
    const key = `k${counter.fields.indexOf(condition.field)}`;
    const values = condition.values as readonly Scalar[];
    // Rows hold null explicitly (never a missing key, never an array): plain equality and $in are exact.
    match[key] = values.length === 1 ? values[0] : { $in: [...values] };
  }
  return match;
}

/** count from a counter: the sum of the rows selected. Returns { n } or nothing. */
export function counterCountPipeline(counter: FieldList, conditions: readonly Condition[]): Document[] {
  return [{ $match: counterMatch(counter, conditions) }, { $group: { _id: null, n: { $sum: '$v' } } }];
}

/** countBy from a counter: per key of `group`, the sum of the rows selected; groups at 0 left out. */
export function counterCountByPipeline(counter: FieldList, group: string, conditions: readonly Condition[]): Document[] {
  return [
    { $match: counterMatch(counter, conditions) },
    { $group: { _id: `$k${counter.fields.indexOf(group)}`, n: { $sum: '$v' } } },
    { $match: { n: { $gt: 0 } } },
  ];
}

/**
 * An aggregation expression giving a field's elements as elementsOf does: an array's distinct elements (an
 * empty one: [null]), else [the value or null].
 */
export function elementsExpression(field: string): Document {
  return {
    $let: {
      vars: { v: `$${fieldPath(field)}` },
      in: {
        $cond: [
          { $isArray: '$$v' },
          { $cond: [{ $eq: [{ $size: '$$v' }, 0] }, [null], { $setUnion: ['$$v'] }] },
          [{ $ifNull: ['$$v', null] }],
        ],
      },
    },
  };
}

/**
 * Counts a counter from the documents stored (a bulk load's end, a counter added to a collection): one pass
 * grouping every document's rows, merged into the counters collection (whose rows of this counter were deleted
 * first). The rows are those counterRows gives, with the same _id.
 */
export function counterBuildPipeline(counter: FieldList, into: string): Document[] {
  const keys = counter.fields.map((_, i) => `k${i}`);
  const project: Document = { _id: 0 };
  counter.fields.forEach((field, i) => {
    project[keys[i]] = elementsExpression(field);
  });
  const groupId: Document = { c: { $literal: counter.name } };
  for (const key of keys) groupId[key] = `$${key}`;
  const copies: Document = { c: '$_id.c' };
  for (const key of keys) copies[key] = `$_id.${key}`;
  return [
    { $project: project },
    ...keys.map((key) => ({ $unwind: `$${key}` })),
    { $group: { _id: groupId, v: { $sum: 1 } } },
    { $set: copies },
    { $merge: { into, on: '_id', whenMatched: 'replace', whenNotMatched: 'insert' } },
  ];
}

/** A group's key as countBy names it: "null" for null and missing, JSON for objects. */
export function countKey(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

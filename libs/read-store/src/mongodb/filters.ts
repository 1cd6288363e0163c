import type { Document } from 'mongodb';
import { Filter, RangeFilter, Scalar } from '../document-store.port';
import { assertField, fieldPath } from './names';

export interface Bound {
  readonly value: string | number;
  readonly inclusive: boolean;
}

/** One field's part of a filter, normalised. */
export interface Condition {
  readonly field: string;
  /** Equality (one value) or membership (any number, none included); undefined when only bounded. */
  readonly values?: readonly Scalar[];
  readonly lower?: Bound;
  readonly upper?: Bound;
}

/** Equality on one value: the field is constant over the result (and sorting by it changes nothing). */
export const isEquality = (c: Condition | undefined): boolean => c?.values?.length === 1;
export const isMembership = (c: Condition | undefined): boolean => c?.values !== undefined && c.values.length !== 1;
export const isRangeOnly = (c: Condition | undefined): boolean =>
  c !== undefined && c.values === undefined && (c.lower !== undefined || c.upper !== undefined);

const RANGE_KEYS = new Set(['eq', 'in', 'gt', 'gte', 'lt', 'lte']);

/**
 * Validates a filter and returns its conditions in field order (so equal filters give equal query shapes).
 * Throws TypeError on anything the port does not describe, rather than guessing (`{ gtee: 1 }`, `{ in: 'a' }`):
 * the same rules as the SQLite adapter.
 */
export function normaliseFilter(filter: Filter | undefined): Condition[] {
  if (filter === undefined) return [];
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new TypeError('A filter must be an object of field -> value or range');
  }
  return Object.keys(filter)
    .sort()
    .map((field) => {
      assertField(field);
      const value = filter[field];
      if (typeof value === 'object' && value !== null) return rangeCondition(field, value);
      return { field, values: [scalar(field, value)] };
    });
}

function rangeCondition(field: string, range: RangeFilter): Condition {
  if (Array.isArray(range)) throw new TypeError(`Filter on ${field}: use { in: [...] } to match any of several values`);
  const keys = Object.keys(range);
  const unknown = keys.filter((k) => !RANGE_KEYS.has(k));
  if (unknown.length > 0 || keys.length === 0) {
    throw new TypeError(`Filter on ${field}: expected some of eq, in, gt, gte, lt, lte, got {${keys.join(', ')}}`);
  }
  if (range.eq !== undefined && range.in !== undefined) throw new TypeError(`Filter on ${field}: both eq and in`);
  if (range.gt !== undefined && range.gte !== undefined) throw new TypeError(`Filter on ${field}: both gt and gte`);
  if (range.lt !== undefined && range.lte !== undefined) throw new TypeError(`Filter on ${field}: both lt and lte`);
  let values: Scalar[] | undefined;
  if (range.eq !== undefined) values = [scalar(field, range.eq)];
  if (range.in !== undefined) {
    if (!Array.isArray(range.in)) throw new TypeError(`Filter on ${field}: in must be an array`);
    values = [...new Set(range.in.map((v) => scalar(field, v)))];
  }
  const lower = bound(field, range.gt, range.gte);
  const upper = bound(field, range.lt, range.lte);
  if (lower && upper && typeof lower.value !== typeof upper.value) {
    throw new TypeError(`Filter on ${field}: a range is between two strings or two numbers`);
  }
  return {
    field,
    ...(values !== undefined ? { values } : {}),
    ...(lower !== undefined ? { lower } : {}),
    ...(upper !== undefined ? { upper } : {}),
  };
}

function bound(field: string, exclusive: Scalar | undefined, inclusive: Scalar | undefined): Bound | undefined {
  const value = exclusive !== undefined ? exclusive : inclusive;
  if (value === undefined) return undefined;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    return { value, inclusive: exclusive === undefined };
  }
  throw new TypeError(`Filter on ${field}: a range bound must be a string or a finite number, got ${String(value)}`);
}

function scalar(field: string, value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`Filter on ${field}: ${String(value)} is not a string, finite number, boolean or null`);
}

/**
 * What a filter's field is known to hold: 'array' (some document had an array there), 'scalar' (an index or
 * counter names it and no document ever had an array there), 'unknown' (nothing names it: nothing watched it).
 */
export type Holds = 'array' | 'scalar' | 'unknown';

/**
 * The MongoDB filter for the port's conditions. MongoDB already has most of the port's semantics:
 *
 * - equality on an array field means "contains"; `in` finds a document once however many elements match;
 * - a range compares within one type (type bracketing): `{ $lt: 5 }` never matches a string or null;
 * - `{ f: null }` matches null and missing.
 *
 * What differs is bridged here:
 *
 * - null also stands for an empty array in the port (a document without tags is "unassigned" to every tag,
 *   as countBy counts it), which `{ f: null }` does not match: null becomes `{ $in: [null, []] }`;
 * - a condition with two parts (two bounds, or values and a bound) holds for ONE element of an array in the
 *   port, while MongoDB lets each part match a different element. On a field that may hold arrays it is
 *   written as `$elemMatch` for arrays, or the plain condition for anything else. A field known to hold
 *   scalars only keeps the plain form, which an index bounds tightly.
 */
export function filterToMongo(conditions: readonly Condition[], holds: (field: string) => Holds): Document {
  return mergeClauses(conditions.map((c) => conditionToMongo(c, holds(c.field))));
}

export function conditionToMongo(condition: Condition, holds: Holds): Document {
  const path = fieldPath(condition.field);
  const { values, lower, upper } = condition;
  const bounds: Document = {};
  if (lower) bounds[lower.inclusive ? '$gte' : '$gt'] = lower.value;
  if (upper) bounds[upper.inclusive ? '$lte' : '$lt'] = upper.value;
  const parts = (values ? 1 : 0) + (lower ? 1 : 0) + (upper ? 1 : 0);
  if (values !== undefined && parts === 1) return { [path]: valuesToMongo(values) };
  if (parts === 1) return { [path]: bounds };
  const together: Document = { ...(values ? { $in: [...values] } : {}), ...bounds };
  if (holds === 'scalar') return { [path]: together };
  return {
    $or: [{ [path]: { $elemMatch: together } }, { [path]: { $not: { $type: 'array' }, ...together } }],
  };
}

/** Equality or membership; null also matches a missing field and an empty array. */
export function valuesToMongo(values: readonly Scalar[]): unknown {
  const withNull = values.includes(null);
  if (values.length === 1 && !withNull) return values[0];
  return { $in: withNull ? [...values, []] : [...values] };
}

/** One filter from several clauses: a plain object when their keys differ, else `$and`. */
export function mergeClauses(clauses: readonly Document[]): Document {
  const merged: Document = {};
  for (const clause of clauses) {
    for (const key of Object.keys(clause)) {
      if (key in merged) return clauses.length === 1 ? clauses[0] : { $and: [...clauses] };
      merged[key] = clause[key];
    }
  }
  return merged;
}

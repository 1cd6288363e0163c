import { Filter, RangeFilter, Scalar } from '../document-store.port';
import { assertField, elementsOf, keyOf, NULL_KEY_SQL } from './sql-names';

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
 * Throws TypeError on anything the port does not describe, rather than guessing (`{ gtee: 1 }`, `{ in: 'a' }`).
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
  return { field, values, lower, upper };
}

function bound(field: string, exclusive: Scalar | undefined, inclusive: Scalar | undefined): Bound | undefined {
  const value = exclusive ?? inclusive;
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

export interface SqlPart {
  readonly sql: string;
  readonly params: unknown[];
}

export interface PredicateOptions {
  /** Leave out the lower / upper bounds (a keyset cursor already implies them). */
  readonly skipLower?: boolean;
  readonly skipUpper?: boolean;
}

/**
 * The condition on `key`, an SQL expression holding a field's key (never NULL: see NULL_KEY).
 *
 * Comparisons are kept within one type, as MongoDB does: SQLite orders NULL_KEY < numbers < text, so a range
 * open on one side gets the type's other end as well (`lt: 5` must not match null, `gt: 5` must not match
 * 'abc', `lt: 'b'` must not match 42). The added bound is on the same key, so an index still serves it.
 */
export function predicate(key: string, condition: Condition, options: PredicateOptions = {}): SqlPart {
  const parts: string[] = [];
  const params: unknown[] = [];
  const { values, lower, upper } = condition;
  if (values !== undefined) {
    if (values.length === 1) parts.push(`${key} = ?`);
    else parts.push(`${key} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values.map(keyOf));
  }
  const type = typeof (lower ?? upper)?.value;
  if (lower && !options.skipLower) {
    parts.push(`${key} ${lower.inclusive ? '>=' : '>'} ?`);
    params.push(lower.value);
  }
  if (upper && !options.skipUpper) {
    parts.push(`${key} ${upper.inclusive ? '<=' : '<'} ?`);
    params.push(upper.value);
  }
  if (lower && !upper && type === 'number' && !options.skipUpper) parts.push(`${key} < ''`);
  if (upper && !lower && !options.skipLower) parts.push(type === 'number' ? `${key} > ${NULL_KEY_SQL}` : `${key} >= ''`);
  return { sql: parts.join(' AND ') || '1', params };
}

/**
 * The condition tested on the elements of a field of `doc` (array-aware: equality on an array means "contains").
 * Used for fields no scalar column holds: array fields and fields no index names.
 */
export function elementPredicate(doc: string, condition: Condition): SqlPart {
  const inner = predicate(`coalesce(e.v, ${NULL_KEY_SQL})`, condition);
  return { sql: `EXISTS (SELECT 1 FROM (${elementsOf(doc, condition.field)}) AS e WHERE ${inner.sql})`, params: inner.params };
}

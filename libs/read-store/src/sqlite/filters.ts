import { elementsOf, keyOf, NULL_KEY_SQL } from './sql-names';

import type { Condition } from '../port-rules';

export { isEquality, isMembership, isRangeOnly, normaliseFilter, type Bound, type Condition } from '../port-rules';

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

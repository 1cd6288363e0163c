import type { Document } from 'mongodb';
import { Scalar } from '../document-store.port';
import { fieldPath } from './names';

import type { Condition } from '../port-rules';

export { isEquality, isMembership, isRangeOnly, normaliseFilter, type Bound, type Condition } from '../port-rules';

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

import type { Document } from 'mongodb';
import { openCursor, queryShape, sealCursor } from '../cursor-envelope';
import { InvalidCursorError } from '../document-store.port';

/** A value a page can be sorted by (the JSON a document holds; a sort field never holds an array). */
export type SortValue = null | number | string | boolean | { readonly [key: string]: unknown };

/** A page boundary: the sort values of the last document returned, then its id (or, for search: score, id). */
export type CursorKeys = readonly SortValue[];

export { queryShape };

export function encodeCursor(shape: string, keys: CursorKeys): string {
  return sealCursor(shape, keys);
}

/**
 * The keys of a cursor made by the query of this shape with `arity` keys, the last one a document id (a
 * string) and, with `firstNumber` (search), the first one a score; else InvalidCursorError.
 */
export function decodeCursor(cursor: unknown, shape: string, arity: number, firstNumber = false): CursorKeys {
  const keys = openCursor(cursor, shape, arity);
  for (const key of keys) if (!isSortValue(key)) throw new InvalidCursorError();
  const id = keys[keys.length - 1];
  if (typeof id !== 'string' || id.length === 0) throw new InvalidCursorError();
  if (firstNumber && typeof keys[0] !== 'number') throw new InvalidCursorError();
  return keys as SortValue[];
}

function isSortValue(value: unknown): value is SortValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  return typeof value === 'object' && !Array.isArray(value);
}

/*
 * Keyset pagination: the documents after a boundary, in the order of a sort (k1, ..., id), all ascending or all
 * descending. MongoDB orders values of different types by type first (null/missing < numbers < strings <
 * objects < arrays < booleans), and its comparison operators compare within one type only, so "after 5"
 * is { $gt: 5 } OR any type sorting after numbers. Spelt out per key, like the SQLite adapter's keyset:
 *
 *   k1 after v1  OR  (k1 = v1 AND k2 after v2)  OR ...  OR  (k1 = v1 AND ... AND id after lastId)
 *
 * Every branch is on the fields of the index the query walks, so each is an index range (MongoDB merges
 * them in sort order); arrays are left out of the type order because a sort field never holds one (such a
 * query is refused: query-planner.ts).
 */

const TYPE_ORDER = ['null', 'number', 'string', 'object', 'bool'] as const;
type TypeName = (typeof TYPE_ORDER)[number];

export function typeOf(value: SortValue): TypeName {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

/** Clauses on `path` selecting what sorts strictly after `value` in `direction`. */
export function after(path: string, value: SortValue, direction: 'asc' | 'desc'): Document[] {
  const rank = TYPE_ORDER.indexOf(typeOf(value));
  if (direction === 'asc') {
    const higher = TYPE_ORDER.slice(rank + 1);
    const clauses: Document[] = value === null ? [] : [{ [path]: { $gt: value } }];
    if (higher.length > 0) clauses.push({ [path]: { $type: [...higher] } });
    return clauses;
  }
  if (value === null) return [];
  const lower = TYPE_ORDER.slice(1, rank);
  const clauses: Document[] = [{ [path]: { $lt: value } }];
  if (lower.length > 0) clauses.push({ [path]: { $type: [...lower] } });
  // Null and missing sort first: below every value.
  clauses.push({ [path]: null });
  return clauses;
}

/** The documents after the boundary `keys` (the sort values of `paths`, then the id) in `direction`. */
export function keysetFilter(paths: readonly string[], keys: CursorKeys, direction: 'asc' | 'desc'): Document {
  if (keys.length !== paths.length + 1) throw new InvalidCursorError();
  const branches: Document[] = [];
  const equal: Document = {};
  paths.forEach((path, i) => {
    for (const clause of after(path, keys[i], direction)) branches.push({ ...equal, ...clause });
    equal[path] = keys[i];
  });
  branches.push({ ...equal, _id: { [direction === 'asc' ? '$gt' : '$lt']: keys[keys.length - 1] } });
  return branches.length === 1 ? branches[0] : { $or: branches };
}

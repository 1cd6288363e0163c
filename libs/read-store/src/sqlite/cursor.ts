import { openCursor, queryShape, sealCursor } from '../cursor-envelope';
import { InvalidCursorError } from '../document-store.port';
import { NULL_KEY } from './sql-names';

/** A page boundary: the sort keys of the last row returned, its id last. */
export type CursorKeys = readonly (string | number)[];

export { queryShape };

/** NULL_KEY written as null (JSON has no -Infinity). */
export function encodeCursor(shape: string, keys: CursorKeys): string {
  return sealCursor(shape, keys.map((k) => (k === NULL_KEY ? null : k)));
}

/**
 * The keys of a cursor made by the query of this shape with `arity` keys, the last one the row's id (a string)
 * or, for search, its rowid (a number); else InvalidCursorError.
 */
export function decodeCursor(cursor: unknown, shape: string, arity: number, last: 'string' | 'number' = 'string'): CursorKeys {
  const keys = openCursor(cursor, shape, arity).map((k) => {
    if (k === null) return NULL_KEY;
    if (typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))) return k;
    throw new InvalidCursorError();
  });
  if (typeof keys[keys.length - 1] !== last) throw new InvalidCursorError();
  return keys;
}

import { createHash } from 'node:crypto';
import { InvalidCursorError } from '../document-store.port';
import { NULL_KEY } from './sql-names';

/** A page boundary: the sort keys of the last row returned, its id last. */
export type CursorKeys = readonly (string | number)[];

/**
 * A digest of what a query asks (collection, filter values, sort, search text). A cursor carries it, so a
 * cursor replayed against another query is refused instead of silently seeking into the wrong list.
 */
export function queryShape(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

/** Opaque to callers: base64url of [shape, ...keys] (NULL_KEY written as null, JSON having no -Infinity). */
export function encodeCursor(shape: string, keys: CursorKeys): string {
  const json = JSON.stringify([shape, ...keys.map((k) => (k === NULL_KEY ? null : k))]);
  return Buffer.from(json, 'utf8').toString('base64url');
}

/**
 * The keys of a cursor made by the query of this shape with `arity` keys, the last one the row's id (a string)
 * or, for search, its rowid (a number); else InvalidCursorError.
 */
export function decodeCursor(cursor: unknown, shape: string, arity: number, last: 'string' | 'number' = 'string'): CursorKeys {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 8192) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== arity + 1 || parsed[0] !== shape) throw new InvalidCursorError();
  const keys = parsed.slice(1).map((k: unknown) => {
    if (k === null) return NULL_KEY;
    if (typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k))) return k;
    throw new InvalidCursorError();
  });
  if (typeof keys[keys.length - 1] !== last) throw new InvalidCursorError();
  return keys;
}

import { createHash } from 'node:crypto';
import { InvalidCursorError } from './document-store.port';

/*
 * The envelope of every adapter's cursors: base64url of the JSON [shape, ...keys]. What the keys are and how
 * they are checked is the adapter's (see sqlite/cursor.ts, mongodb/cursor.ts).
 */

/**
 * A digest of what a query asks (collection, filter values, sort, search text). A cursor carries it, so a
 * cursor replayed against another query is refused instead of silently seeking into the wrong list.
 */
export function queryShape(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

/** Opaque to callers. */
export function sealCursor(shape: string, keys: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([shape, ...keys]), 'utf8').toString('base64url');
}

/** The `arity` keys of a cursor sealed by the query of this shape, unchecked; else InvalidCursorError. */
export function openCursor(cursor: unknown, shape: string, arity: number): unknown[] {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 8192) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== arity + 1 || parsed[0] !== shape) throw new InvalidCursorError();
  return parsed.slice(1);
}

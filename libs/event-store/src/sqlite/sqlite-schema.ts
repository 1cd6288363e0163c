import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

const SCHEMA_VERSION = 1;

/**
 * STRICT tables keep JSON as the TEXT it was written as: a column declared JSON would get NUMERIC affinity
 * and turn a payload such as '42' into an integer.
 *
 * `position` is the rowid. Without AUTOINCREMENT SQLite assigns max(rowid)+1, which is enough here because
 * rows are never deleted (the triggers below), so a position is never reused. Writers are serialised by the
 * database write lock, so positions also become visible in commit order: a reader that has seen position P
 * will never later see a new event below P (the gap trap of stores with concurrent writers does not exist).
 */
const DDL = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY,
  event_id    TEXT NOT NULL UNIQUE,
  stream_id   TEXT NOT NULL,
  category    TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  data        TEXT NOT NULL,
  metadata    TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream_id, revision)
) STRICT;

-- One row per stream: the expected-revision check is a primary-key lookup, not max() over the stream.
CREATE TABLE IF NOT EXISTS streams (
  stream_id TEXT PRIMARY KEY,
  revision  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- (x, position): filtered reads of the global log walk one index range in position order and stop at the page size.
CREATE INDEX IF NOT EXISTS events_by_category ON events (category, position);
CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);

-- The log is the audit trail: the database itself refuses to change or remove history.
CREATE TRIGGER IF NOT EXISTS events_are_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_are_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
`;

export interface OpenOptions {
  readonly path: string;
  readonly synchronous: SqliteSynchronous;
  /** How long a connection waits for another one's write lock before SQLITE_BUSY. */
  readonly busyTimeoutMs: number;
  /** WAL size (pages) that triggers a checkpoint at the end of a COMMIT; SQLite's default is 1000. */
  readonly walAutoCheckpointPages?: number;
}

/** Opens (creating if needed) an event-store database file with the pragmas its guarantees rest on. */
export function openEventStoreDatabase(options: OpenOptions): Database.Database {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  // `timeout` sets SQLite's busy handler: a second process waits for the write lock instead of failing.
  const db = new Database(options.path, { timeout: options.busyTimeoutMs });
  try {
    // WAL: readers (subscriptions, queries) never block the writer and the writer never blocks them.
    db.pragma('journal_mode = WAL');
    // FULL: the WAL is fsynced at every COMMIT, so an acknowledged append survives a power cut.
    // NORMAL is faster but may lose the last commits on power loss (never corrupts).
    db.pragma(`synchronous = ${options.synchronous}`);
    if (options.walAutoCheckpointPages !== undefined) {
      db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(options.walAutoCheckpointPages))}`);
    }
    // IMMEDIATE: two processes creating the schema at once are serialised by the write lock.
    db.transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(`${options.path} has event-store schema ${version}; this code knows ${SCHEMA_VERSION}`);
      }
      db.exec(DDL);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A connection to one of the mail channel's SQLite files (its folder made if missing): WAL, so readers never
 * wait for the writer, and a busy timeout for the other connections and processes on the same file. FULL:
 * a commit survives a power cut; NORMAL: what is derived and can be made again.
 */
export const openSqliteFile = (path: string, synchronous: 'FULL' | 'NORMAL'): Database.Database => {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  return db;
};

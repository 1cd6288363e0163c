import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { CATALOG_DDL, readCatalog } from './catalog';
import { createTriggers } from './triggers';

export type SqliteSynchronous = 'FULL' | 'NORMAL';

/**
 * 1: triggers per multikey index. 2: one set of triggers per collection for side tables and counters
 * (triggers.ts); a file at 1 is upgraded on open. 3: key columns in the documents tables of collections made
 * from then on (collection-schema.ts); older collections keep reading keys from their documents, so a file
 * at 2 needs nothing but the number (and code that knows only 2 must not open a file at 3).
 */
const SCHEMA_VERSION = 3;

export interface OpenOptions {
  readonly path: string;
  readonly synchronous: SqliteSynchronous;
  readonly busyTimeoutMs: number;
  /** Page cache per connection, in KiB. */
  readonly cacheKiB: number;
  /** WAL pages after which a COMMIT also checkpoints. */
  readonly walAutoCheckpointPages: number;
  /** Bytes per page of a file made now (an existing file keeps its own). */
  readonly pageSize?: number;
}

export interface ReadStoreConnections {
  /** Every write, each in a BEGIN IMMEDIATE transaction. */
  readonly writer: Database.Database;
  /**
   * Every query. A second connection, so that a query made while a projection transaction is open (the
   * writer's transaction spans awaits) sees committed documents only, never what may yet roll back.
   */
  readonly reader: Database.Database;
}

/** Opens (creating if needed) a read-store database file: the writer connection first, then the reader. */
export function openReadStoreDatabase(options: OpenOptions): ReadStoreConnections {
  if (options.path === ':memory:' || options.path === '') {
    throw new Error('The document store needs a file: it opens two connections to it');
  }
  mkdirSync(dirname(options.path), { recursive: true });
  const writer = new Database(options.path, { timeout: options.busyTimeoutMs });
  let reader: Database.Database | undefined;
  try {
    // Before WAL: the page size of an empty file can be set until its first write (SQLite ignores it after).
    if (options.pageSize !== undefined) writer.pragma(`page_size = ${Math.trunc(options.pageSize)}`);
    configureWriter(writer, options);
    writer
      .transaction(() => {
        const version = writer.pragma('user_version', { simple: true }) as number;
        if (version > SCHEMA_VERSION) {
          throw new Error(`${options.path} has read-store schema ${version}; this code knows ${SCHEMA_VERSION}`);
        }
        writer.exec(CATALOG_DDL);
        if (version < 2) for (const info of readCatalog(writer).values()) createTriggers(writer, info.stored);
        if (version < SCHEMA_VERSION) writer.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      .immediate();
    reader = new Database(options.path, { timeout: options.busyTimeoutMs });
    reader.pragma(`cache_size = -${options.cacheKiB}`);
    reader.pragma('temp_store = MEMORY');
    // A guard, not a permission: this connection is for queries only.
    reader.pragma('query_only = ON');
    return { writer, reader };
  } catch (error) {
    reader?.close();
    writer.close();
    throw error;
  }
}

/** A connection for writes (the store's writer, or the background writer's): WAL and the options' settings. */
export function configureWriter(writer: Database.Database, options: OpenOptions): void {
  // WAL: queries never wait for a projection's write, and a COMMIT is atomic whatever `synchronous` says:
  // NORMAL may lose the last commits on power loss (the projection replays them from its checkpoint, which
  // is lost with them), but never half of one.
  writer.pragma('journal_mode = WAL');
  writer.pragma(`synchronous = ${options.synchronous}`);
  writer.pragma(`cache_size = -${options.cacheKiB}`);
  writer.pragma('temp_store = MEMORY');
  writer.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(options.walAutoCheckpointPages))}`);
}

/**
 * Prepared statements by SQL text. Queries are built from their shape (never from values), so a few dozen
 * texts cover an application; the cap only guards against a caller generating shapes without end.
 */
export class StatementCache {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly max = 500,
  ) {}

  get(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      if (this.statements.size >= this.max) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

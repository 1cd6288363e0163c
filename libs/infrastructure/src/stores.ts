import { join } from 'node:path';
import { KurrentDbEventStore, SqliteEventStore, type EventStore } from '@helpdesk/event-store';
import { MongoDocumentStore, SqliteDocumentStore, type DocumentStore } from '@helpdesk/read-store';
import type { ServerConfig } from './config';

/** The embedded stores' files under DATA_DIR. */
export const sqliteFiles = (config: ServerConfig) => ({ events: join(config.dataDir, 'events.sqlite'), read: join(config.dataDir, 'read.sqlite') });

/** The event store the configuration names. Adapters connect lazily; `verifyStores` proves they answer. */
export const openEventStore = (config: ServerConfig): EventStore =>
  config.eventStore.kind === 'kurrentdb'
    ? new KurrentDbEventStore({ connectionString: config.eventStore.url })
    : new SqliteEventStore({ path: sqliteFiles(config).events, synchronous: config.sqliteSynchronous });

/** Read models are rebuildable from the log, so SQLite commits of read models need no fsync of their own. */
export const openDocumentStore = (config: ServerConfig): DocumentStore =>
  config.readStore.kind === 'mongodb'
    ? new MongoDocumentStore({ url: config.readStore.url, database: config.readStore.database })
    : new SqliteDocumentStore({ path: sqliteFiles(config).read, synchronous: 'NORMAL' });

export class StoreUnreachable extends Error {}

const within = async <T>(what: string, timeoutMs: number, work: () => Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new StoreUnreachable(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    if (error instanceof StoreUnreachable) throw error;
    throw new StoreUnreachable(`${what} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * A start-up check: both stores answer, or the process stops with the reason (which server, which
 * error) instead of hanging on a wrong URL. Connection strings are shown without credentials.
 */
export const verifyStores = async (config: ServerConfig, events: EventStore, documents: DocumentStore): Promise<void> => {
  const eventsName = config.eventStore.kind === 'kurrentdb' ? `KurrentDB at ${redact(config.eventStore.url)}` : 'The SQLite event store';
  const readName = config.readStore.kind === 'mongodb' ? `MongoDB at ${redact(config.readStore.url)}` : 'The SQLite read store';
  await within(eventsName, config.connectTimeoutMs, () => events.headPosition());
  await within(readName, config.connectTimeoutMs, () => documents.listCollections());
};

export const redact = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

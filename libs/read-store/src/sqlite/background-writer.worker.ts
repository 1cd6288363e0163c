import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { BackgroundReply, BackgroundRequest, BackgroundWriterSettings, serialiseError } from './background-writer';
import { commitSerialisedBatch } from './document-writer';
import { configureWriter, StatementCache } from './read-store-database';

/*
 * The background writer's thread (see BackgroundWriter): one connection to the read-store file, configured as the
 * store's own writer, committing the batches it is sent one by one.
 */

const { connection, limits } = workerData as BackgroundWriterSettings;
const db = new Database(connection.path, { timeout: connection.busyTimeoutMs });
configureWriter(db, connection);
const statements = new StatementCache(db);
/** A batch failed: those sent after it are refused until the main thread says it has seen the failure. */
let failed = false;

/*
 * Checkpoints while there is nothing to write: the WAL's pages go to the database file (PASSIVE: never waiting for,
 * nor holding up, a writer, this one's next batch aside) in time this thread would spend idle, rather than in a
 * COMMIT that reaches wal_autocheckpoint (which stays, for when no idle time comes). At the end of a rebuild the
 * WAL is checkpointed this way while the store's writer completes the bulk load. Only after enough was written:
 * each checkpoint also syncs the file.
 */
const IDLE_MS = 2;
const CHECKPOINT_AFTER_BYTES = 16 * 1024 * 1024;
let unchecked = 0;
let idle: NodeJS.Timeout | undefined;
const checkpoint = (): void => {
  idle = undefined;
  unchecked = 0;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Another connection's checkpoint or lock: this one is an optimisation, the next COMMIT checkpoints anyway.
  }
};
const bytesOf = (request: Extract<BackgroundRequest, { kind: 'write' }>): number => {
  let bytes = 0;
  for (const { documents } of request.batch.collections) for (const document of documents) bytes += document?.json.length ?? 0;
  return bytes;
};

const port = parentPort!;
port.on('message', (request: BackgroundRequest) => {
  if (idle !== undefined) {
    clearTimeout(idle);
    idle = undefined;
  }
  if (request.kind === 'resume') {
    failed = false;
    return;
  }
  unchecked += bytesOf(request);
  const { sequence, batch } = request;
  let reply: BackgroundReply;
  if (failed) {
    reply = { sequence, ok: false, skipped: true, error: { name: 'Error', message: 'Not written: a batch written before it failed' } };
  } else {
    try {
      reply = { sequence, ok: true, changed: commitSerialisedBatch(db, statements, limits, batch) };
    } catch (error) {
      failed = true;
      reply = { sequence, ok: false, skipped: false, error: serialiseError(error) };
    }
  }
  port.postMessage(reply);
  if (unchecked >= CHECKPOINT_AFTER_BYTES) idle = setTimeout(checkpoint, IDLE_MS);
});

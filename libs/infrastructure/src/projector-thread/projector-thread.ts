import 'reflect-metadata';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@helpdesk/event-store';
import { allProjections } from '@helpdesk/projections';
import { ProjectionRunner, SqliteDocumentStore } from '@helpdesk/read-store';
import type { BatchLinger, FromProjectorThread, ProjectorThreadData, ToProjectorThread } from './messages';

/**
 * The embedded server's projector, on a thread of its own (see ProjectorThread): the same runner as
 * in-process, over its own connections to the event log and the read store (WAL: it reads the log
 * while the API thread appends, and writes the read models while the API thread reads them).
 */
const port = parentPort!;
const { eventsPath, readPath, lingerMs, lingerFrom } = workerData as ProjectorThreadData & BatchLinger;
const post = (message: FromProjectorThread) => port.postMessage(message);
const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

// It never appends, so its commits' durability setting does not matter; the poll is the fallback wake-up.
const events = new SqliteEventStore({ path: eventsPath, synchronous: 'NORMAL', pollIntervalMs: 200 });
const documents = new SqliteDocumentStore({ path: readPath, synchronous: 'NORMAL' });
const runner = new ProjectionRunner(events, documents, allProjections, {
  onError: (error) => post({ type: 'error', message: `Projection batch failed, retrying: ${describe(error)}`, fatal: false }),
  onProgress: (position) => post({ type: 'progress', position }),
  lingerMs,
  lingerFrom,
});

const stop = async () => {
  await runner.stop();
  await documents.close();
  await events.close();
  post({ type: 'stopped' });
  port.close();
};

port.on('message', (message: ToProjectorThread) => {
  if (message.type === 'appended') events.wake();
  else void stop().catch((error) => post({ type: 'error', message: `Stopping failed: ${describe(error)}`, fatal: true }));
});

runner
  .start()
  .then(() => {
    post({ type: 'started' });
    return runner.upgraded();
  })
  .then(() => post({ type: 'upgraded' }))
  .catch((error) => post({ type: 'error', message: `The projector could not start: ${describe(error)}`, fatal: true }));

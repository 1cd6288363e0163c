/**
 * Append throughput of SqliteEventStore: N concurrent appenders, each appending one event at a time to its
 * own streams with the exact expected revision (the command path), for a fixed time. Prints events/s and
 * how group commit batched them. Not a test: timings never are.
 *
 *   node dist/libs/event-store/bench/append-throughput.js [appenders=50] [seconds=5] [FULL|NORMAL]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../src';

async function main(): Promise<void> {
  const appenders = Number(process.argv[2] ?? 50);
  const seconds = Number(process.argv[3] ?? 5);
  const synchronous = (process.argv[4] ?? 'FULL') as 'FULL' | 'NORMAL';
  const folder = mkdtempSync(join(tmpdir(), 'event-store-bench-'));
  const store = new SqliteEventStore({ path: join(folder, 'events.db'), synchronous });
  // About 200 bytes of data and 80 of metadata, as in the environment notes' figures.
  const data = { requestId: randomUUID(), subject: 'Printer on floor 3 jams again', body: 'x'.repeat(110) };
  const metadata = { actor: 'agent-17', correlationId: randomUUID(), channel: 'api' };

  const deadline = Date.now() + seconds * 1000;
  let appended = 0;
  const appender = async (n: number): Promise<void> => {
    const streams = Array.from({ length: 20 }, (_, i) => ({ id: `request-${n}x${i}-${randomUUID()}`, next: -1n }));
    for (let i = 0; Date.now() < deadline; i += 1) {
      const stream = streams[i % streams.length];
      const expected = stream.next < 0n ? 'no_stream' : stream.next;
      const result = await store.append(stream.id, [{ id: randomUUID(), type: 'NoteAdded', data, metadata }], expected);
      stream.next = result.nextExpectedRevision;
      appended += 1;
    }
  };

  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: appenders }, (_, n) => appender(n)));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const stats = store.groupCommitStats();
  await store.close();
  rmSync(folder, { recursive: true, force: true });

  console.log(
    JSON.stringify({
      appenders,
      synchronous,
      seconds: Number(elapsed.toFixed(2)),
      eventsPerSecond: Math.round(appended / elapsed),
      commitsPerSecond: Math.round(stats.commits / elapsed),
      averageBatch: Number((stats.calls / stats.commits).toFixed(1)),
      largestBatch: stats.largestBatch,
    }),
  );
}

void main();

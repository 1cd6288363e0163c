import type Database from 'better-sqlite3';
import {
  AppendResult,
  DuplicateEventIdError,
  ExpectedRevision,
  WrongExpectedVersionError,
} from '../event-store.port';
import { PreparedWrite } from './prepared-write';

interface StoredId {
  readonly stream_id: string;
  readonly revision: number;
  readonly position: number;
}

/**
 * Applies one stream write inside a transaction the caller holds (BEGIN IMMEDIATE, so the revision read
 * here cannot be overtaken by another connection before the insert). Throws the port's errors; the caller
 * rolls the write back to its savepoint.
 */
export class StreamWriter {
  private readonly findId: Database.Statement<[string], StoredId>;
  private readonly streamRevision: Database.Statement<[string], number>;
  private readonly insertEvent: Database.Statement<[string, string, string, number, string, string, string, string]>;
  private readonly saveRevision: Database.Statement<[string, number]>;

  constructor(db: Database.Database) {
    this.findId = db.prepare('SELECT stream_id, revision, position FROM events WHERE event_id = ?');
    this.streamRevision = db.prepare<[string], number>('SELECT revision FROM streams WHERE stream_id = ?').pluck();
    this.insertEvent = db.prepare(
      `INSERT INTO events (event_id, stream_id, category, revision, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.saveRevision = db.prepare(
      `INSERT INTO streams (stream_id, revision) VALUES (?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision`,
    );
  }

  apply(write: PreparedWrite, recordedAt: string): AppendResult {
    // Ids first: a retry of a write that already happened is acknowledged whatever its expected revision says
    // (the stream has moved on since, because of that very write).
    const stored = write.events.map((event) => this.findId.get(event.id));
    if (stored.some((row) => row !== undefined)) return this.acknowledgeRetry(write, stored);

    const actual = this.streamRevision.get(write.streamId);
    assertExpected(write.streamId, write.expected, actual);

    let position = 0;
    let revision = actual ?? -1;
    for (const event of write.events) {
      revision += 1;
      const { id, type, data, metadata } = event;
      const row = [id, write.streamId, write.category, revision, type, data, metadata, recordedAt] as const;
      position = Number(this.insertEvent.run(...row).lastInsertRowid);
    }
    this.saveRevision.run(write.streamId, revision);
    return { streamId: write.streamId, nextExpectedRevision: BigInt(revision), position: BigInt(position) };
  }

  /** All ids stored in this stream, at consecutive revisions, in this order: the original result. Else a duplicate. */
  private acknowledgeRetry(write: PreparedWrite, stored: readonly (StoredId | undefined)[]): AppendResult {
    const first = stored[0];
    const sameWrite =
      first !== undefined &&
      stored.every(
        (row, i) => row !== undefined && row.stream_id === write.streamId && row.revision === first.revision + i,
      );
    if (!sameWrite) {
      const clash = stored.findIndex((row) => row !== undefined);
      throw new DuplicateEventIdError(write.streamId, write.events[clash].id);
    }
    const last = stored[stored.length - 1]!;
    return { streamId: write.streamId, nextExpectedRevision: BigInt(last.revision), position: BigInt(last.position) };
  }
}

function assertExpected(streamId: string, expected: ExpectedRevision, actual: number | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === undefined) ||
    (expected === 'stream_exists' && actual !== undefined) ||
    (typeof expected === 'bigint' && actual !== undefined && expected === BigInt(actual));
  if (!ok) {
    throw new WrongExpectedVersionError(streamId, expected, actual === undefined ? 'no_stream' : BigInt(actual));
  }
}

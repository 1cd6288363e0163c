import { randomUUID } from 'node:crypto';
import type { AppendStreamRequest, EventData } from '@kurrent/kurrentdb-client';
import { AppendResult, DuplicateEventIdError, WrongExpectedVersionError } from '../event-store.port';
import type { CheckedWrite } from './checked-writes';
import {
  conflictStreamOf,
  isUnsupported,
  isWrongExpectedVersion,
  toPortWrongExpectedVersion,
  UnsupportedServerError,
} from './errors';
import type { KurrentClient } from './kurrent-client';
import type { KurrentDbReader } from './kurrentdb-reader';
import { commitOrUndefined, toActualRevision, toBigInt, toEventData, toStreamState } from './mapping';
import { decideOnStoredIds, StoredId } from './stored-ids';

/**
 * How strictly event ids are kept unique (see README.md in this folder):
 * - 'store' (default): as the port says. Every append is a multi-stream append that also creates one
 *   stream per event id, `<indexCategory>-<id>`, expecting it not to exist; the server refuses the whole
 *   append if any id is already stored, anywhere, even under races. Needs KurrentDB 25.1+.
 * - 'stream': ids are only compared with the last `scanWindow` events of the target stream (read before each
 *   append, and again after a conflict), plus the server's own idempotency for exact expected revisions.
 *   Works with any server for `append`; a duplicate elsewhere, or older than the window, is not detected.
 */
export type EventIdUniqueness = 'store' | 'stream';

export interface WriterOptions {
  readonly uniqueness: EventIdUniqueness;
  /** Category of the event-id index streams ('store' mode). */
  readonly indexCategory: string;
  /** How far back 'stream' mode looks for the ids of an append. */
  readonly scanWindow: number;
}

/** Type of the reservation events in the event-id index: `$`-prefixed, so every read and subscription skips them. */
export const ID_RESERVED = '$EventIdReserved';

/** Attempts of one call: an attempt ends early only by acknowledging some writes as retries. */
const MAX_ATTEMPTS = 5;
const SCAN_PAGE = 100;
const LOOKUP_CONCURRENCY = 32;

export class KurrentDbWriter {
  constructor(
    private readonly client: KurrentClient,
    private readonly reader: KurrentDbReader,
    private readonly options: WriterOptions,
  ) {}

  guardStreamOf(eventId: string): string {
    return `${this.options.indexCategory}-${eventId}`;
  }

  /**
   * Writes all or none of `writes` (one stream each), honouring ids already stored:
   * 1. ('stream' mode) look for the ids first: retries are acknowledged, duplicates refused;
   * 2. write what is left, atomically;
   * 3. on a version conflict, look for the ids (a retry, or a duplicate, also shows up as a conflict:
   *    on the index in 'store' mode, or because the stream moved on); acknowledged retries drop out of the
   *    call and the rest is written again; if no id was stored, it is a real conflict: the port's
   *    WrongExpectedVersionError for the stream the server named.
   */
  async write(writes: readonly CheckedWrite[]): Promise<AppendResult[]> {
    const results: (AppendResult | undefined)[] = writes.map(() => undefined);
    let pending = writes.map((_, i) => i);
    if (this.options.uniqueness === 'stream') pending = await this.settleStoredIds(writes, pending, results);

    for (let attempt = 1; pending.length > 0; attempt += 1) {
      const batch = pending.map((i) => writes[i]);
      try {
        const written = await this.attempt(batch);
        written.forEach((result, k) => (results[pending[k]] = result));
        pending = [];
      } catch (error) {
        if (isUnsupported(error)) throw this.unsupported(batch.length, error);
        if (!isWrongExpectedVersion(error)) throw error;
        const remaining = await this.settleStoredIds(writes, pending, results);
        if (remaining.length > 0 && (remaining.length === pending.length || attempt >= MAX_ATTEMPTS)) {
          throw await this.conflict(error, remaining.map((i) => writes[i]));
        }
        pending = remaining;
      }
    }
    return results as AppendResult[];
  }

  //////////////////////////////////////  one attempt

  private async attempt(batch: readonly CheckedWrite[]): Promise<AppendResult[]> {
    if (this.options.uniqueness === 'stream' && batch.length === 1) return [await this.appendToStream(batch[0])];
    return this.multiStreamAppend(batch);
  }

  private async appendToStream(write: CheckedWrite): Promise<AppendResult> {
    const result = await this.client.appendToStream(
      write.streamId,
      write.events.map((event) => toEventData(event, 'json')),
      { streamState: toStreamState(write.expected) },
    );
    if (result.success === false) {
      // `throwOnAppendFailure=false` in the connection string: the conflict comes back as a value.
      throw Object.assign(new Error(`Wrong expected version on ${write.streamId}`), {
        type: 'wrong-expected-version',
        streamName: write.streamId,
        actualState: toActualRevision(result.nextExpectedRevision),
      });
    }
    const revision = toBigInt(result.nextExpectedRevision, 'a stream revision');
    const position =
      commitOrUndefined(result.position) ?? (await this.positionOf(write.streamId, revision, lastId(write)));
    return { streamId: write.streamId, nextExpectedRevision: revision, position };
  }

  /**
   * One atomic multi-stream append (server 25.1+). Its result has one position for the whole transaction,
   * so each stream's last event is read back for the position the port promises (the one readStream and
   * readAll report for that event).
   */
  private async multiStreamAppend(batch: readonly CheckedWrite[]): Promise<AppendResult[]> {
    const requests: AppendStreamRequest[] = batch.map((write) => ({
      streamName: write.streamId,
      expectedState: toStreamState(write.expected),
      events: write.events.map((event) => toEventData(event, 'properties')),
    }));
    if (this.options.uniqueness === 'store') {
      for (const write of batch) {
        for (const event of write.events) {
          requests.push({ streamName: this.guardStreamOf(event.id), expectedState: 'no_stream', events: [this.reservation(write)] });
        }
      }
    }
    const response = await this.client.multiStreamAppend(requests);
    const revisions = new Map(
      response.responses.map((r) => [r.streamName, toBigInt(r.revision, 'a stream revision')] as const),
    );
    return Promise.all(
      batch.map(async (write) => {
        const revision = revisions.get(write.streamId);
        if (revision === undefined) throw new Error(`KurrentDB's multi-stream append did not report ${write.streamId}`);
        const position = await this.positionOf(write.streamId, revision, lastId(write));
        return { streamId: write.streamId, nextExpectedRevision: revision, position };
      }),
    );
  }

  private reservation(write: CheckedWrite): EventData {
    return { id: randomUUID(), contentType: 'application/json', type: ID_RESERVED, data: { streamId: write.streamId }, metadata: undefined } as EventData;
  }

  private async positionOf(streamId: string, revision: bigint, expectedId: string): Promise<bigint> {
    const [event] = await this.reader.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    if (!event || event.id !== expectedId) {
      throw new Error(`After appending to ${streamId}, revision ${revision} is not event ${expectedId}`);
    }
    return event.position;
  }

  //////////////////////////////////////  ids already stored

  /** Decides each pending write on its stored ids: acknowledges retries (into `results`), throws on duplicates. */
  private async settleStoredIds(
    writes: readonly CheckedWrite[],
    pending: readonly number[],
    results: (AppendResult | undefined)[],
  ): Promise<number[]> {
    const located = await this.locate(pending.map((i) => writes[i]));
    const remaining: number[] = [];
    pending.forEach((i, k) => {
      const write = writes[i];
      const decision = decideOnStoredIds(write.streamId, write.events.map((e) => e.id), located[k]);
      if (decision.kind === 'duplicate') throw new DuplicateEventIdError(write.streamId, decision.eventId);
      if (decision.kind === 'retry') results[i] = decision.result;
      else remaining.push(i);
    });
    return remaining;
  }

  /** For each write, where each of its ids is stored (undefined: not stored). */
  private async locate(batch: readonly CheckedWrite[]): Promise<(StoredId | undefined)[][]> {
    if (this.options.uniqueness === 'stream') {
      return Promise.all(
        batch.map(async (write) => {
          const found = await this.scan(write.streamId, new Set(write.events.map((e) => e.id)), this.options.scanWindow);
          return write.events.map((e) => found.get(e.id));
        }),
      );
    }
    const owners = await this.ownersOf(batch.flatMap((write) => write.events.map((e) => e.id)));
    return Promise.all(
      batch.map(async (write) => {
        const ownerOf = write.events.map((e) => owners.get(e.id));
        if (!ownerOf.every((owner) => owner === write.streamId)) {
          return ownerOf.map((owner) => (owner === undefined ? undefined : { streamId: owner }));
        }
        // All in this stream, by the index: where exactly (a retry acknowledges the original revisions).
        const found = await this.scan(write.streamId, new Set(write.events.map((e) => e.id)), Number.POSITIVE_INFINITY);
        return write.events.map((e) => found.get(e.id) ?? { streamId: write.streamId });
      }),
    );
  }

  /** Owner stream of each id per the event-id index (absent: not stored). */
  private async ownersOf(ids: readonly string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    for (let i = 0; i < ids.length; i += LOOKUP_CONCURRENCY) {
      await Promise.all(
        ids.slice(i, i + LOOKUP_CONCURRENCY).map(async (id) => {
          const [reservation] = await this.reader.readStream(this.guardStreamOf(id), { maxCount: 1 });
          const owner = (reservation?.data as { streamId?: unknown } | undefined)?.streamId;
          if (typeof owner === 'string') owners.set(id, owner);
        }),
      );
    }
    return owners;
  }

  /** Reads `streamId` backwards, at most `limit` events, until every wanted id is found. */
  private async scan(streamId: string, wanted: ReadonlySet<string>, limit: number): Promise<Map<string, StoredId>> {
    const found = new Map<string, StoredId>();
    let from: bigint | undefined;
    let scanned = 0;
    while (found.size < wanted.size && scanned < limit) {
      const page = await this.reader.readStream(streamId, {
        direction: 'backwards',
        ...(from !== undefined ? { fromRevision: from } : {}),
        maxCount: Math.min(SCAN_PAGE, limit - scanned),
      });
      for (const event of page) {
        if (wanted.has(event.id)) found.set(event.id, { streamId, revision: event.revision, position: event.position });
      }
      scanned += page.length;
      const oldest = page[page.length - 1];
      if (!oldest || oldest.revision === 0n) break;
      from = oldest.revision - 1n;
    }
    return found;
  }

  //////////////////////////////////////  errors

  /** The port's error for a conflict in which no id was stored: on the stream the server named. */
  private async conflict(error: unknown, batch: readonly CheckedWrite[]): Promise<WrongExpectedVersionError> {
    const named = conflictStreamOf(error);
    const write = batch.find((w) => w.streamId === named) ?? (named === undefined && batch.length === 1 ? batch[0] : undefined);
    if (write) return toPortWrongExpectedVersion(error, write);
    // Named a stream outside the batch (an index stream whose reservation then was not found, which a
    // lagging read could cause): find the write whose stream is not where it expected.
    for (const w of batch) {
      const [last] = await this.reader.readStream(w.streamId, { direction: 'backwards', maxCount: 1 });
      const actual = last ? last.revision : ('no_stream' as const);
      const ok =
        w.expected === 'any' ||
        (w.expected === 'no_stream' && actual === 'no_stream') ||
        (w.expected === 'stream_exists' && actual !== 'no_stream') ||
        w.expected === actual;
      if (!ok) return new WrongExpectedVersionError(w.streamId, w.expected, actual);
    }
    throw error;
  }

  private unsupported(writes: number, cause: unknown): UnsupportedServerError {
    return new UnsupportedServerError(
      writes > 1 ? 'appendMany (atomic multi-stream append)' : "append with eventIdUniqueness 'store'",
      '25.1',
      writes > 1
        ? 'this server cannot write several streams atomically, and nothing was written'
        : "nothing was written; on an older server use eventIdUniqueness 'stream' (ids unique per stream only)",
      cause,
    );
  }
}

const lastId = (write: CheckedWrite): string => write.events[write.events.length - 1].id;

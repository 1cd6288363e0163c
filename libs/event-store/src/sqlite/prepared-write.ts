import {
  DuplicateEventIdError,
  EventToAppend,
  ExpectedRevision,
  StreamWrite,
  streamCategory,
} from '../event-store.port';

/** An event already serialised: the commit path does no JSON work and cannot fail on a bad payload. */
export interface SerialisedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export interface PreparedWrite {
  readonly streamId: string;
  readonly category: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly SerialisedEvent[];
}

/**
 * Validates and serialises the writes of one append/appendMany call. It runs before the call joins a
 * group-commit batch, so a caller's bad input rejects that caller's promise only.
 */
export function prepareWrites(writes: readonly StreamWrite[]): PreparedWrite[] {
  if (writes.length === 0) throw new RangeError('appendMany needs at least one write');
  const seen = new Set<string>();
  return writes.map((write) => {
    const { streamId, events, expectedRevision } = write;
    if (typeof streamId !== 'string' || streamId.length === 0) {
      throw new TypeError('A stream id must be a non-empty string');
    }
    assertExpectedRevision(streamId, expectedRevision);
    if (!Array.isArray(events) || events.length === 0) {
      throw new RangeError(`An append to ${streamId} needs at least one event`);
    }
    return {
      streamId,
      category: streamCategory(streamId),
      expected: expectedRevision,
      events: events.map((event) => {
        // The same id twice in one call could never be told apart from a retry later on.
        if (seen.has(event.id)) throw new DuplicateEventIdError(streamId, event.id);
        seen.add(event.id);
        return serialise(streamId, event);
      }),
    };
  });
}

function serialise(streamId: string, event: EventToAppend): SerialisedEvent {
  if (typeof event.id !== 'string' || event.id.length === 0) {
    throw new TypeError(`An event for ${streamId} has no id`);
  }
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw new TypeError(`Event ${event.id} has no type`);
  }
  // JSON.stringify throws on a bigint and returns undefined for undefined or a function.
  const data = JSON.stringify(event.data);
  if (data === undefined) throw new TypeError(`Event ${event.id} has data that is not JSON`);
  return { id: event.id, type: event.type, data, metadata: JSON.stringify(event.metadata ?? {}) };
}

// A plain number (e.g. from JSON) would never equal the stored revision and would read as a conflict.
function assertExpectedRevision(streamId: string, expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return;
  if (typeof expected === 'bigint' && expected >= 0n) return;
  throw new TypeError(
    `Expected revision for ${streamId} must be 'any', 'no_stream', 'stream_exists' or a bigint >= 0n, ` +
      `got ${String(expected)}`,
  );
}

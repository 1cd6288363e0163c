import { DuplicateEventIdError, ExpectedRevision, StreamWrite, streamCategory } from '../event-store.port';
import { CheckedEvent, toStreamState } from './mapping';

export interface CheckedWrite {
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  readonly events: readonly CheckedEvent[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Validates the writes of one append/appendMany call before anything is sent, with the SQLite adapter's
 * errors (RangeError for an empty call, TypeError for bad input, DuplicateEventIdError for an id twice in one
 * call), plus what KurrentDB needs on top:
 * - ids must be UUIDs (the server stores them as such) and are lower-cased, as the server reads them back;
 * - event types starting with `$` are refused: they are system events, which reads and subscriptions skip;
 * - one call may not write a stream twice (a multi-stream append takes one expected state per stream);
 * - streams of the event-id index's category are the adapter's own.
 */
export function checkWrites(writes: readonly StreamWrite[], reservedCategory: string | undefined): CheckedWrite[] {
  if (!Array.isArray(writes) || writes.length === 0) throw new RangeError('appendMany needs at least one write');
  const ids = new Set<string>();
  const streams = new Set<string>();
  return writes.map(({ streamId, events, expectedRevision }) => {
    if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('A stream id must be a non-empty string');
    if (reservedCategory !== undefined && streamCategory(streamId) === reservedCategory) {
      throw new TypeError(`Stream ${streamId} belongs to the event-id index (category ${reservedCategory})`);
    }
    if (streams.has(streamId)) throw new RangeError(`One call cannot write to ${streamId} twice`);
    streams.add(streamId);
    toStreamState(expectedRevision);
    if (!Array.isArray(events) || events.length === 0) {
      throw new RangeError(`An append to ${streamId} needs at least one event`);
    }
    return {
      streamId,
      expected: expectedRevision,
      events: events.map((event): CheckedEvent => {
        if (typeof event.id !== 'string' || !UUID.test(event.id)) {
          throw new TypeError(`An event for ${streamId} has an id that is not a UUID: ${String(event.id)}`);
        }
        const id = event.id.toLowerCase();
        if (ids.has(id)) throw new DuplicateEventIdError(streamId, id);
        ids.add(id);
        if (typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`Event ${id} has no type`);
        if (event.type.startsWith('$')) throw new TypeError(`Event ${id}: types starting with '$' are system events`);
        // JSON.stringify throws on a bigint and returns undefined for undefined or a function.
        if (JSON.stringify(event.data) === undefined) throw new TypeError(`Event ${id} has data that is not JSON`);
        const { metadata } = event;
        if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
          throw new TypeError(`Event ${id} has metadata that is not an object`);
        }
        if (metadata !== undefined) JSON.stringify(metadata);
        return { id, type: event.type, data: event.data, ...(metadata !== undefined ? { metadata } : {}) };
      }),
    };
  });
}

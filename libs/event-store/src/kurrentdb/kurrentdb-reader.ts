import type { Position, ReadPosition } from '@kurrent/kurrentdb-client';
import type { ReadAllOptions, ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { isStreamNotFound } from './errors';
import { compileFilter, EXCLUDE_SYSTEM_EVENTS, toClientFilter } from './filters';
import type { KurrentClient } from './kurrent-client';
import {
  ClientResolvedEvent,
  comparePositions,
  positionOfResolved,
  resumePosition,
  toRecordedEvent,
} from './mapping';

/** Reads of one stream and of $all, on the port's terms. */
export class KurrentDbReader {
  constructor(
    private readonly client: KurrentClient,
    /** Reads from the leader only: what the command path needs to see its own writes in a cluster. */
    private readonly requiresLeader: boolean,
  ) {}

  /** StreamNotFoundError comes while iterating, not at the call: it reads as an empty stream. */
  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = limitOf(options.maxCount);
    if (limit === 0) return [];
    const backwards = options.direction === 'backwards';
    if (options.fromRevision !== undefined) nonNegative(options.fromRevision, 'fromRevision');
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? (backwards ? 'end' : 'start'),
        direction: backwards ? 'backwards' : 'forwards',
        maxCount: limit ?? Number.MAX_SAFE_INTEGER,
        requiresLeader: this.requiresLeader,
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved as ClientResolvedEvent);
        if (event) events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    return events;
  }

  /**
   * A page of $all after `fromPosition` (exclusive), in position order, filtered. The server filters on one
   * field and a $all read may include the event AT its start position, so the page is re-checked here
   * (position and whole filter) and topped up from where the server's page ended when that dropped events.
   * A server page shorter than asked means the end of the log (a filtered read counts the events it returns).
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const limit = limitOf(options.maxCount);
    if (limit === 0) return [];
    const filter = compileFilter(options.filter);
    if (filter.kind === 'nothing') return [];
    if (options.fromPosition !== undefined) nonNegative(options.fromPosition, 'fromPosition');

    const events: RecordedEvent[] = [];
    let after: Position | undefined =
      options.fromPosition === undefined ? undefined : resumePosition(options.fromPosition);
    for (;;) {
      // One more than needed when the start may be included, so that dropping it still fills the page.
      const asked = limit === undefined ? Number.MAX_SAFE_INTEGER : limit - events.length + (after ? 1 : 0);
      let returned = 0;
      let last: Position | undefined;
      const read = this.client.readAll({
        fromPosition: after ?? ('start' as ReadPosition),
        direction: 'forwards',
        maxCount: asked,
        filter: toClientFilter(filter.server),
        requiresLeader: this.requiresLeader,
      });
      for await (const resolved of read) {
        returned += 1;
        const position = positionOfResolved(resolved as ClientResolvedEvent);
        if (position) {
          if (after && comparePositions(position, after) <= 0) continue;
          last = position;
        }
        const event = toRecordedEvent(resolved as ClientResolvedEvent);
        if (!event || !filter.matches(event.streamId, event.type)) continue;
        events.push(event);
        if (events.length === limit) return events;
      }
      if (limit === undefined || returned < asked || !last) return events;
      after = last;
    }
  }

  /** The last non-system event's position (the store's head as readers see it), or undefined when there is none. */
  async headPosition(): Promise<bigint | undefined> {
    const read = this.client.readAll({
      fromPosition: 'end',
      direction: 'backwards',
      maxCount: 1,
      filter: toClientFilter(EXCLUDE_SYSTEM_EVENTS),
      requiresLeader: this.requiresLeader,
    });
    for await (const resolved of read) {
      const position = positionOfResolved(resolved as ClientResolvedEvent);
      if (position) return position.commit;
    }
    return undefined;
  }
}

function limitOf(maxCount: number | undefined): number | undefined {
  if (maxCount === undefined) return undefined;
  if (!Number.isInteger(maxCount) || maxCount < 0) {
    throw new RangeError(`maxCount must be a non-negative integer, got ${maxCount}`);
  }
  return maxCount;
}

function nonNegative(value: bigint, name: string): void {
  if (typeof value !== 'bigint') throw new TypeError(`${name} must be a bigint, got ${typeof value}`);
  if (value < 0n) throw new RangeError(`Revisions and positions are never negative, got ${value}`);
}

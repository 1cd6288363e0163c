/**
 * The event store port. Semantics follow EventStoreDB/KurrentDB so that every adapter can honour them:
 * - stream revisions are dense and 0-based; a stream that was never written has no revision;
 * - global positions increase monotonically but may have gaps (never compute "next = +1");
 * - reading "from a position" is exclusive: you get the events after it;
 * - event ids make appends idempotent: appending events whose ids are already stored in that stream,
 *   in the same order, acknowledges the original write instead of writing again. Ids are unique within
 *   a stream; an adapter may (SQLite does) also refuse an id stored in another stream.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventToAppend {
  /** A UUID. Deterministic ids (e.g. derived from an idempotency key) make retries safe. */
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: bigint;
  readonly type: string;
  readonly data: any;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** When the store committed it (ISO 8601). */
  readonly recordedAt: string;
}

export interface AppendResult {
  readonly streamId: string;
  /** Revision of the last event now in the stream: the expected revision for the next append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event written (or found, for an idempotent retry). */
  readonly position: bigint;
}

export interface StreamWrite {
  readonly streamId: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
}

export interface ReadStreamOptions {
  /** Inclusive. Default: the first event. */
  readonly fromRevision?: bigint;
  readonly maxCount?: number;
  readonly direction?: 'forwards' | 'backwards';
}

/**
 * Server-side filter for reads of the global log. A stream's category is the part of its name before
 * the first '-' (`request-<uuid>` -> `request`), as in EventStoreDB's `$ce-` convention.
 * Both lists must match when both are given. An omitted list does not filter; an empty list matches nothing.
 */
export interface EventFilter {
  readonly streamCategories?: readonly string[];
  readonly eventTypes?: readonly string[];
}

export interface ReadAllOptions {
  /** Exclusive. Omitted: from the very beginning. */
  readonly fromPosition?: bigint;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
}

export interface SubscribeOptions {
  /** Exclusive. Omitted: from the very beginning. */
  readonly fromPosition?: bigint;
  readonly filter?: EventFilter;
}

/** Catch-up, then live. Iterate with `for await`; stop with `close()`. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  /**
   * Append to one stream if it is at the expected revision. Throws WrongExpectedVersionError otherwise.
   * `events` must not be empty (a RangeError says so): an empty write has no position to acknowledge.
   */
  append(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult>;
  /**
   * Append to several streams atomically: either every write happens or none does. Used where one
   * command changes two requests (merge, split) so that nothing is ever half-written.
   */
  appendMany(writes: readonly StreamWrite[]): Promise<AppendResult[]>;
  /** The events of one stream; an unknown stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** A page of the global log, in position order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the store, or undefined when it is empty. */
  headPosition(): Promise<bigint | undefined>;
  subscribe(options?: SubscribeOptions): Subscription;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');

export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual last revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId} is at ${String(actual)}, expected ${String(expected)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** Event ids that were already stored, but not as the same write (different stream or order). */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`Event id ${eventId} is already stored and does not match this append to ${streamId}`);
    this.name = 'DuplicateEventIdError';
  }
}

export const streamCategory = (streamId: string): string => {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
};

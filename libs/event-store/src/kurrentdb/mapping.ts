import type { AppendStreamState, EventData, Position } from '@kurrent/kurrentdb-client';
import type { ExpectedRevision, RecordedEvent } from '../event-store.port';

/**
 * Pure conversions between the port's vocabulary and the client's. Nothing here loads the client.
 */

//////////////////////////////////////  bigints

/**
 * Revisions and positions as bigints. Client 1.x returned some of them as numbers at run time (#423, #513)
 * and the gRPC layer carries them as decimal strings, so every value from the client goes through here.
 */
export function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`KurrentDB returned ${what} as ${typeof value} ${String(value)}, not an integer`);
}

//////////////////////////////////////  positions

/** 2^64-1: what servers before 22.6 put in the position of an event read from a stream ("no position"). */
export const NO_POSITION = 18446744073709551615n;

export function normalisePosition(position: { commit: unknown; prepare: unknown }): Position {
  return { commit: toBigInt(position.commit, 'a commit position'), prepare: toBigInt(position.prepare, 'a prepare position') };
}

/** The commit position of an append result, if the server gave a real one. */
export function commitOrUndefined(position: { commit: unknown; prepare: unknown } | undefined): bigint | undefined {
  if (!position) return undefined;
  const { commit } = normalisePosition(position);
  return commit === NO_POSITION ? undefined : commit;
}

/**
 * The port's position of a resolved event: its commit position. Commit positions increase along the log and
 * have gaps (they are byte offsets); events written by one append each get their own.
 */
export function positionOfResolved(resolved: {
  event?: { position?: { commit: unknown; prepare: unknown } };
  commitPosition?: unknown;
}): Position | undefined {
  const own = resolved.event?.position;
  if (own) {
    const position = normalisePosition(own);
    if (position.commit !== NO_POSITION) return position;
  }
  if (resolved.commitPosition !== undefined && resolved.commitPosition !== null) {
    const commit = toBigInt(resolved.commitPosition, 'a commit position');
    if (commit !== NO_POSITION) return { commit, prepare: commit };
  }
  return undefined;
}

/**
 * Where to resume after a stored port position (a commit position). Events written outside legacy TCP
 * transactions have prepare = commit, which is what KurrentDB's docs and Emmett use to resume.
 */
export const resumePosition = (commit: bigint): Position => ({ commit, prepare: commit });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

//////////////////////////////////////  expected revisions

/** The port's expected revision is the client's stream state, value for value; plain numbers are refused. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (typeof expected === 'bigint' && expected >= 0n) return expected;
  throw new TypeError(
    `Expected revision must be 'any', 'no_stream', 'stream_exists' or a bigint >= 0n, got ${String(expected)}`,
  );
}

/** A stream's current state as the client reports it (`'no_stream'`, a revision, or -1 for none). */
export function toActualRevision(current: unknown): bigint | 'no_stream' {
  if (current === undefined || current === null || current === 'no_stream') return 'no_stream';
  const revision = toBigInt(current, 'a stream revision');
  return revision < 0n ? 'no_stream' : revision;
}

//////////////////////////////////////  metadata

/**
 * Metadata written by a multi-stream append travels as string-valued properties (the client refuses other
 * values); the server stores them as a JSON object and adds `$schema.name` and `$schema.data-format`.
 * Metadata that is not all strings is therefore sent as one property holding its JSON, and unwrapped on read.
 * The same envelope is used by single appends whenever the metadata has a key the reader would strip.
 */
export const METADATA_ENVELOPE = '$metadata.json';
const SERVER_KEY_PREFIX = '$schema.';

export function encodeMetadata(
  metadata: Readonly<Record<string, unknown>> | undefined,
  as: 'json' | 'properties',
): Record<string, unknown> | undefined {
  if (metadata === undefined) return undefined;
  const keys = Object.keys(metadata);
  if (keys.length === 0) return undefined;
  const reserved = keys.some((key) => key === METADATA_ENVELOPE || key.startsWith(SERVER_KEY_PREFIX));
  const stringsOnly = keys.every((key) => typeof metadata[key] === 'string');
  if (reserved || (as === 'properties' && !stringsOnly)) return { [METADATA_ENVELOPE]: JSON.stringify(metadata) };
  return { ...metadata };
}

/** Metadata as read: the envelope unwrapped, the server's `$schema.*` keys dropped; anything else reads as {}. */
export function decodeMetadata(raw: unknown): Record<string, unknown> {
  const object = raw instanceof Uint8Array ? parseJson(Buffer.from(raw).toString('utf8')) : raw;
  if (!isPlainObject(object)) return {};
  const envelope = object[METADATA_ENVELOPE];
  if (typeof envelope === 'string') {
    const inner = parseJson(envelope);
    if (isPlainObject(inner)) return inner;
  }
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!key.startsWith(SERVER_KEY_PREFIX)) metadata[key] = value;
  return metadata;
}

//////////////////////////////////////  events

/** An event checked and normalised by `validateWrites` (id lower-cased: KurrentDB reads ids back that way). */
export interface CheckedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export function toEventData(event: CheckedEvent, metadataAs: 'json' | 'properties'): EventData {
  return {
    id: event.id,
    contentType: 'application/json',
    type: event.type,
    // The client JSON.stringifies data: any JSON value round-trips, including strings, numbers and null.
    data: event.data as never,
    metadata: encodeMetadata(event.metadata, metadataAs) as never,
  } as EventData;
}

/** The shape of a recorded event as the client hands it out (bridge reads and gRPC subscriptions alike). */
export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: unknown;
  readonly type: string;
  readonly data: unknown;
  readonly metadata?: unknown;
  readonly isJson: boolean;
  readonly created: unknown;
  readonly position?: { commit: unknown; prepare: unknown };
}

export interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent;
  readonly link?: unknown;
  readonly commitPosition?: unknown;
}

/**
 * The port's event, or undefined for an unresolved link (no event). Throws when the server gives no $all
 * position for the event (servers before 22.6 on stream reads): the port promises one on every event.
 */
export function toRecordedEvent(resolved: ClientResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event) return undefined;
  const position = positionOfResolved(resolved);
  if (!position) {
    throw new Error(
      `KurrentDB gave no $all position for event ${event.id} of ${event.streamId}: ` +
        'stream reads carry positions from server 22.6 on',
    );
  }
  return {
    id: event.id.toLowerCase(),
    streamId: event.streamId,
    revision: toBigInt(event.revision, 'a stream revision'),
    position: position.commit,
    type: event.type,
    data: event.isJson ? event.data : decodeBinary(event.data),
    metadata: decodeMetadata(event.metadata),
    recordedAt: toIsoString(event.created, event.id),
  };
}

function toIsoString(created: unknown, id: string): string {
  const date =
    created instanceof Date ? created : typeof created === 'number' || typeof created === 'string' ? new Date(created) : null;
  if (!date || Number.isNaN(date.getTime())) throw new Error(`KurrentDB gave event ${id} no valid creation time`);
  return date.toISOString();
}

/** Events written by other tools as binary: JSON if they hold JSON, otherwise the bytes. */
function decodeBinary(data: unknown): unknown {
  if (!(data instanceof Uint8Array)) return data;
  const parsed = parseJson(Buffer.from(data).toString('utf8'));
  return parsed === INVALID ? data : parsed;
}

const INVALID = Symbol('invalid JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

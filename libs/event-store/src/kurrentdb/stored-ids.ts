import type { AppendResult } from '../event-store.port';

/**
 * Where one event id of a write was found already stored. `revision` and `position` are known when the event
 * was found in a stream; an id known only from the event-id index (its owner stream) has neither.
 */
export interface StoredId {
  readonly streamId: string;
  readonly revision?: bigint;
  readonly position?: bigint;
}

export type StoredIdsDecision =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'retry'; readonly result: AppendResult }
  | { readonly kind: 'duplicate'; readonly eventId: string };

/**
 * The port's rule for ids already stored (the SQLite adapter's, to the letter):
 * - none of the write's ids stored: a fresh write (its expected revision decides);
 * - all stored in this stream, at consecutive revisions, in this order: a retry of a write that already
 *   happened, acknowledged with that write's result whatever its expected revision says;
 * - anything else (some only, another order, another stream): DuplicateEventIdError on the first stored id.
 */
export function decideOnStoredIds(
  streamId: string,
  eventIds: readonly string[],
  stored: readonly (StoredId | undefined)[],
): StoredIdsDecision {
  const clash = stored.findIndex((s) => s !== undefined);
  if (clash === -1) return { kind: 'fresh' };
  const first = stored[0];
  const sameWrite =
    first?.revision !== undefined &&
    stored.length === eventIds.length &&
    stored.every(
      (s, i) =>
        s !== undefined &&
        s.streamId === streamId &&
        s.revision === first.revision! + BigInt(i) &&
        s.position !== undefined,
    );
  if (!sameWrite) return { kind: 'duplicate', eventId: eventIds[clash] };
  const last = stored[stored.length - 1]!;
  return { kind: 'retry', result: { streamId, nextExpectedRevision: last.revision!, position: last.position! } };
}

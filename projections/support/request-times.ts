import type { BaseStatus, RequestEvent } from '@helpdesk/domain';

/** The moments a request view shows that the write-side state does not keep. */
export interface RequestTimes {
  readonly createdBy: string;
  /** occurredAt of the last event on the request: every recorded request event is a change to it. */
  readonly updatedAt: string;
  /** When it was last closed; null unless its base status is closed now. */
  readonly closedAt: string | null;
}

type TimesSoFar = (RequestTimes & { readonly baseStatus: BaseStatus }) | null;

/** Who created it: RequestCreated says; every later event keeps it. */
export const createdByAfter = (before: TimesSoFar, event: RequestEvent): string =>
  event.type === 'RequestCreated' ? event.data.createdBy : (before?.createdBy ?? '');

/**
 * `before` is the document so far (null before RequestCreated). A request that stays closed
 * (closed -> solved) keeps its closedAt; one that becomes closed by any path (close, split or
 * restore to a closed status, a status change) is closed from this event on.
 */
export const closedAtAfter = (before: TimesSoFar, baseStatus: BaseStatus, at: string): string | null => {
  if (baseStatus !== 'closed') return null;
  return before !== null && before.baseStatus === 'closed' && before.closedAt !== null ? before.closedAt : at;
};

import type { ProjectedEvent } from '../projection';

/**
 * When the event happened, as the write side recorded it (`metadata.occurredAt`, the command's `now`).
 * Falls back to the store's `recordedAt` for events written without it: both come with the event,
 * so a projection stays a pure function of its input.
 */
export const occurredAt = (event: ProjectedEvent): string => {
  const at = event.metadata['occurredAt'];
  return typeof at === 'string' ? at : event.recordedAt;
};

/** Who caused the event (`metadata.actorId`), or null when the metadata does not say. */
export const actorIdOf = (event: ProjectedEvent): string | null => {
  const actor = event.metadata['actorId'];
  return typeof actor === 'string' ? actor : null;
};

/** The string a field of the event's data holds, or undefined: ids must never be guessed. */
export const stringField = (event: ProjectedEvent, field: string): string | undefined => {
  const value: unknown = event.data?.[field];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/** ISO-8601 instants in UTC (`...Z`, as the write side stores them) order as strings do. */
export const latest = (times: readonly (string | null)[]): string | null =>
  times.reduce<string | null>((max, t) => (t !== null && (max === null || t > max) ? t : max), null);

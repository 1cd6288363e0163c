import type { Event } from '../shared/message';

/** All priorities live in one stream, `config-priorities`. */
export type PriorityDefined = Event<
  'PriorityDefined',
  { priorityId: string; name: string; deadlineMinutes: number | null; rank: number }
>;
/** Carries the full new values. */
export type PriorityUpdated = Event<
  'PriorityUpdated',
  { priorityId: string; name: string; deadlineMinutes: number | null; rank: number }
>;
export type DefaultPriorityChosen = Event<'DefaultPriorityChosen', { priorityId: string }>;

export type PriorityEvent = PriorityDefined | PriorityUpdated | DefaultPriorityChosen;
export type PriorityEventType = PriorityEvent['type'];

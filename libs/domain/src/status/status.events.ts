import type { Event } from '../shared/message';
import type { BaseStatus } from '../catalog/catalog';

/** All statuses live in one stream, `config-statuses`, so name uniqueness and defaults are decided together. */
export type StatusDefined = Event<
  'StatusDefined',
  { statusId: string; name: string; base: BaseStatus; queue: boolean; newRequestOnReply: boolean }
>;
/** Carries the full new values; the base of a status never changes. */
export type StatusUpdated = Event<
  'StatusUpdated',
  { statusId: string; name: string; queue: boolean; newRequestOnReply: boolean }
>;
/** The status a request gets when it moves to `base` without naming one. */
export type DefaultStatusChosen = Event<'DefaultStatusChosen', { base: BaseStatus; statusId: string }>;
/** The global "new status when accepting a request". */
export type AcceptStatusChosen = Event<'AcceptStatusChosen', { statusId: string }>;

export type StatusEvent = StatusDefined | StatusUpdated | DefaultStatusChosen | AcceptStatusChosen;
export type StatusEventType = StatusEvent['type'];

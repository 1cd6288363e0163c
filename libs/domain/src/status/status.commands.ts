import type { Command } from '../shared/message';
import type { BaseStatus } from '../catalog/catalog';

export type DefineStatus = Command<
  'DefineStatus',
  {
    statusId: string;
    name: string;
    /** Only open, closed and postponed: deleted and merged statuses are the system's own. */
    base: BaseStatus;
    /** Default false. */
    queue?: boolean;
    /** Default false. */
    newRequestOnReply?: boolean;
  }
>;
/** Omitted fields keep their value. There is no `base`: it never changes. */
export type UpdateStatus = Command<
  'UpdateStatus',
  { statusId: string; name?: string; queue?: boolean; newRequestOnReply?: boolean }
>;
export type ChooseDefaultStatus = Command<'ChooseDefaultStatus', { statusId: string }>;
export type ChooseAcceptStatus = Command<'ChooseAcceptStatus', { statusId: string }>;
/** Installs the standard statuses on a fresh system; does nothing once any status exists. */
export type SeedStatuses = Command<'SeedStatuses', Record<string, never>>;

export type StatusCommand = DefineStatus | UpdateStatus | ChooseDefaultStatus | ChooseAcceptStatus | SeedStatuses;

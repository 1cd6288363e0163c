import type { BaseStatus } from '../catalog/catalog';

export interface StatusSeed {
  readonly statusId: string;
  readonly name: string;
  readonly base: BaseStatus;
  readonly queue: boolean;
  readonly newRequestOnReply: boolean;
  /** The default of its base. */
  readonly isDefault: boolean;
  /** The global accept status. */
  readonly isAccept: boolean;
}

/**
 * The statuses a fresh system starts with. Ids are stable strings so other seeds, tests and the
 * application can name them. Every base has a default, as the request decider needs one.
 */
export const STATUS_SEEDS: readonly StatusSeed[] = [
  { statusId: 'new', name: 'New', base: 'open', queue: true, newRequestOnReply: false, isDefault: true, isAccept: false },
  { statusId: 'in-progress', name: 'In progress', base: 'open', queue: false, newRequestOnReply: false, isDefault: false, isAccept: true },
  { statusId: 'waiting', name: 'Waiting for customer', base: 'open', queue: false, newRequestOnReply: false, isDefault: false, isAccept: false },
  { statusId: 'closed', name: 'Closed', base: 'closed', queue: false, newRequestOnReply: false, isDefault: true, isAccept: false },
  { statusId: 'postponed', name: 'Postponed', base: 'postponed', queue: false, newRequestOnReply: false, isDefault: true, isAccept: false },
  // A reply to a deleted request must not bring it back from the recycle bin: it starts a new one.
  { statusId: 'deleted', name: 'Deleted', base: 'deleted', queue: false, newRequestOnReply: true, isDefault: true, isAccept: false },
  { statusId: 'merged', name: 'Merged', base: 'merged', queue: false, newRequestOnReply: false, isDefault: true, isAccept: false },
];

import type { Command } from '../shared/message';

export type DefinePriority = Command<
  'DefinePriority',
  {
    priorityId: string;
    name: string;
    /** Minutes from creation to the deadline; null: no deadline. */
    deadlineMinutes: number | null;
    /** Order in lists, higher is more urgent. Default: above every existing priority. */
    rank?: number;
  }
>;
/** Omitted fields keep their value; `deadlineMinutes: null` removes the deadline. */
export type UpdatePriority = Command<
  'UpdatePriority',
  { priorityId: string; name?: string; deadlineMinutes?: number | null; rank?: number }
>;
export type ChooseDefaultPriority = Command<'ChooseDefaultPriority', { priorityId: string }>;
/** Installs Low, Medium and High on a fresh system; does nothing once any priority exists. */
export type SeedPriorities = Command<'SeedPriorities', Record<string, never>>;

export type PriorityCommand = DefinePriority | UpdatePriority | ChooseDefaultPriority | SeedPriorities;

import type { SeedCategories } from '../category/category.commands';
import type { SeedPriorities } from '../priority/priority.commands';
import type { CommandMetadata } from '../shared/message';
import type { SeedStatuses } from '../status/status.commands';

/**
 * The commands that give a fresh system its standard statuses, category and priorities, one per
 * configuration stream (`config-statuses`, `config-categories`, `config-priorities`). Each does
 * nothing once its stream has any entry, so sending them at every start is safe.
 */
export const catalogSeedCommands = (metadata: CommandMetadata): readonly [SeedStatuses, SeedCategories, SeedPriorities] => [
  { type: 'SeedStatuses', data: {}, metadata },
  { type: 'SeedCategories', data: {}, metadata },
  { type: 'SeedPriorities', data: {}, metadata },
];

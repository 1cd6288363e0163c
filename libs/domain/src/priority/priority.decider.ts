import type { PriorityDefinition } from '../catalog/catalog';
import { requireAdmin, requireName, sameName } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { assertNever, conflict, invalid, notFound } from '../shared/errors';
import type { PriorityCommand } from './priority.commands';
import type { PriorityEvent } from './priority.events';
import { evolvePriorityState, initialPriorityState, type PriorityState } from './priority.state';

/** requests-domain.md §1.6: "Defaults: High, Medium, Low". Medium is the default. */
export const PRIORITY_SEEDS: readonly (Omit<PriorityDefinition, 'id'> & { priorityId: string; isDefault: boolean })[] = [
  { priorityId: 'low', name: 'Low', deadlineMinutes: 3 * 24 * 60, rank: 1, isDefault: false },
  { priorityId: 'medium', name: 'Medium', deadlineMinutes: 24 * 60, rank: 2, isDefault: true },
  { priorityId: 'high', name: 'High', deadlineMinutes: 4 * 60, rank: 3, isDefault: false },
];

const existing = (state: PriorityState, priorityId: string): PriorityDefinition => {
  const priority = state.priorities[priorityId];
  if (!priority) throw notFound('unknown-priority', `There is no priority ${priorityId}`);
  return priority;
};

const requireFreeName = (state: PriorityState, name: string, exceptId?: string): void => {
  const taken = Object.values(state.priorities).some((p) => p.id !== exceptId && sameName(p.name, name));
  if (taken) throw conflict('priority-name-taken', `A priority named "${name}" already exists`);
};

const requireDeadline = (minutes: number | null): number | null => {
  if (minutes === null || (Number.isSafeInteger(minutes) && minutes > 0)) return minutes;
  throw invalid('invalid-deadline', 'A deadline is a whole, positive number of minutes, or none');
};

const requireRank = (rank: number): number => {
  if (Number.isSafeInteger(rank)) return rank;
  throw invalid('invalid-rank', 'A rank is a whole number');
};

const decide = (command: PriorityCommand, state: PriorityState): readonly PriorityEvent[] => {
  switch (command.type) {
    case 'DefinePriority': {
      requireAdmin(command.metadata);
      const { priorityId } = command.data;
      if (state.priorities[priorityId]) throw conflict('priority-exists', `Priority ${priorityId} already exists`);
      const name = requireName(command.data.name, 'priority');
      const deadlineMinutes = requireDeadline(command.data.deadlineMinutes);
      const rank =
        command.data.rank === undefined
          ? Math.max(0, ...Object.values(state.priorities).map((p) => p.rank)) + 1
          : requireRank(command.data.rank);
      requireFreeName(state, name);
      const defined: PriorityEvent = { type: 'PriorityDefined', data: { priorityId, name, deadlineMinutes, rank } };
      // Requests always need a priority, so the first one becomes the default.
      return state.defaultPriorityId === null ? [defined, { type: 'DefaultPriorityChosen', data: { priorityId } }] : [defined];
    }
    case 'UpdatePriority': {
      requireAdmin(command.metadata);
      const current = existing(state, command.data.priorityId);
      const name = command.data.name === undefined ? current.name : requireName(command.data.name, 'priority');
      if (name !== current.name) requireFreeName(state, name, current.id);
      const deadlineMinutes =
        command.data.deadlineMinutes === undefined ? current.deadlineMinutes : requireDeadline(command.data.deadlineMinutes);
      const rank = command.data.rank === undefined ? current.rank : requireRank(command.data.rank);
      if (name === current.name && deadlineMinutes === current.deadlineMinutes && rank === current.rank) return [];
      return [{ type: 'PriorityUpdated', data: { priorityId: current.id, name, deadlineMinutes, rank } }];
    }
    case 'ChooseDefaultPriority': {
      requireAdmin(command.metadata);
      const priority = existing(state, command.data.priorityId);
      if (state.defaultPriorityId === priority.id) return [];
      return [{ type: 'DefaultPriorityChosen', data: { priorityId: priority.id } }];
    }
    case 'SeedPriorities': {
      requireAdmin(command.metadata, { allowSystem: true });
      if (Object.keys(state.priorities).length > 0) return [];
      // Seeds name their default outright rather than letting the first (Low) become it.
      return [
        ...PRIORITY_SEEDS.map(({ priorityId, name, deadlineMinutes, rank }): PriorityEvent => ({
          type: 'PriorityDefined',
          data: { priorityId, name, deadlineMinutes, rank },
        })),
        ...PRIORITY_SEEDS.filter((p) => p.isDefault).map(({ priorityId }): PriorityEvent => ({
          type: 'DefaultPriorityChosen',
          data: { priorityId },
        })),
      ];
    }
    default:
      return assertNever(command);
  }
};

/** Stream `config-priorities`: priorities with their deadlines, and the default one. */
export const priorityDecider: Decider<PriorityCommand, PriorityEvent, PriorityState> = {
  initialState: initialPriorityState,
  decide,
  evolve: evolvePriorityState,
};

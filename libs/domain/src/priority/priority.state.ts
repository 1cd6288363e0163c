import type { PriorityDefinition } from '../catalog/catalog';
import { assertNever } from '../shared/errors';
import type { PriorityEvent } from './priority.events';

export interface PriorityState {
  readonly priorities: Readonly<Record<string, PriorityDefinition>>;
  readonly defaultPriorityId: string | null;
}

export const initialPriorityState = (): PriorityState => ({ priorities: {}, defaultPriorityId: null });

export const evolvePriorityState = (state: PriorityState, event: PriorityEvent): PriorityState => {
  switch (event.type) {
    case 'PriorityDefined':
    case 'PriorityUpdated': {
      const { priorityId, name, deadlineMinutes, rank } = event.data;
      return { ...state, priorities: { ...state.priorities, [priorityId]: { id: priorityId, name, deadlineMinutes, rank } } };
    }
    case 'DefaultPriorityChosen':
      return { ...state, defaultPriorityId: event.data.priorityId };
    default:
      return assertNever(event);
  }
};

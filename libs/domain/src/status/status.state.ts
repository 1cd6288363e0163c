import type { BaseStatus, StatusDefinition } from '../catalog/catalog';
import { assertNever } from '../shared/errors';
import type { StatusEvent } from './status.events';

export interface StatusState {
  readonly statuses: Readonly<Record<string, StatusDefinition>>;
  readonly defaultStatusIds: Readonly<Partial<Record<BaseStatus, string>>>;
  readonly acceptStatusId: string | null;
}

export const initialStatusState = (): StatusState => ({ statuses: {}, defaultStatusIds: {}, acceptStatusId: null });

export const evolveStatusState = (state: StatusState, event: StatusEvent): StatusState => {
  switch (event.type) {
    case 'StatusDefined': {
      const { statusId, name, base, queue, newRequestOnReply } = event.data;
      return { ...state, statuses: { ...state.statuses, [statusId]: { id: statusId, name, base, queue, newRequestOnReply } } };
    }
    case 'StatusUpdated': {
      const { statusId, name, queue, newRequestOnReply } = event.data;
      const current = state.statuses[statusId];
      if (!current) return state;
      return { ...state, statuses: { ...state.statuses, [statusId]: { ...current, name, queue, newRequestOnReply } } };
    }
    case 'DefaultStatusChosen':
      return { ...state, defaultStatusIds: { ...state.defaultStatusIds, [event.data.base]: event.data.statusId } };
    case 'AcceptStatusChosen':
      return { ...state, acceptStatusId: event.data.statusId };
    default:
      return assertNever(event);
  }
};

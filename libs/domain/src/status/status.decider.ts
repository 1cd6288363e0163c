import { BASE_STATUSES, SELECTABLE_BASE_STATUSES, type BaseStatus, type StatusDefinition } from '../catalog/catalog';
import { requireAdmin, requireName, sameName } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { assertNever, conflict, invalid, notFound } from '../shared/errors';
import type { StatusCommand } from './status.commands';
import type { StatusEvent } from './status.events';
import { STATUS_SEEDS } from './status.seed';
import { evolveStatusState, initialStatusState, type StatusState } from './status.state';

const existing = (state: StatusState, statusId: string): StatusDefinition => {
  const status = state.statuses[statusId];
  if (!status) throw notFound('unknown-status', `There is no status ${statusId}`);
  return status;
};

/** Names are unique across all statuses, whatever their base: the dropdown shows them side by side. */
const requireFreeName = (state: StatusState, name: string, exceptId?: string): void => {
  const taken = Object.values(state.statuses).some((s) => s.id !== exceptId && sameName(s.name, name));
  if (taken) throw conflict('status-name-taken', `A status named "${name}" already exists`);
};

const requirePersonBase = (base: BaseStatus): void => {
  if (!BASE_STATUSES.includes(base)) throw invalid('unknown-base-status', `"${String(base)}" is not a base status`);
  // requests-domain.md §1.7: the deleted and merged statuses are only used by DeleteRequest and MergeRequests.
  if (!SELECTABLE_BASE_STATUSES.includes(base)) {
    throw invalid('system-base-status', `Statuses with base ${base} are the system's own and cannot be defined`);
  }
};

const seed = (): StatusEvent[] =>
  STATUS_SEEDS.flatMap(({ statusId, name, base, queue, newRequestOnReply, isDefault, isAccept }): StatusEvent[] => [
    { type: 'StatusDefined', data: { statusId, name, base, queue, newRequestOnReply } },
    ...(isDefault ? [{ type: 'DefaultStatusChosen', data: { base, statusId } } as const] : []),
    ...(isAccept ? [{ type: 'AcceptStatusChosen', data: { statusId } } as const] : []),
  ]);

const decide = (command: StatusCommand, state: StatusState): readonly StatusEvent[] => {
  switch (command.type) {
    case 'DefineStatus': {
      requireAdmin(command.metadata);
      const { statusId, base } = command.data;
      if (state.statuses[statusId]) throw conflict('status-exists', `Status ${statusId} already exists`);
      const name = requireName(command.data.name, 'status');
      requirePersonBase(base);
      requireFreeName(state, name);
      const defined: StatusEvent = {
        type: 'StatusDefined',
        data: {
          statusId,
          name,
          base,
          queue: command.data.queue ?? false,
          newRequestOnReply: command.data.newRequestOnReply ?? false,
        },
      };
      // Every base in use needs a default, so the first status of a base becomes it.
      return state.defaultStatusIds[base] === undefined
        ? [defined, { type: 'DefaultStatusChosen', data: { base, statusId } }]
        : [defined];
    }
    case 'UpdateStatus': {
      requireAdmin(command.metadata);
      const current = existing(state, command.data.statusId);
      const name = command.data.name === undefined ? current.name : requireName(command.data.name, 'status');
      if (name !== current.name) requireFreeName(state, name, current.id);
      const queue = command.data.queue ?? current.queue;
      const newRequestOnReply = command.data.newRequestOnReply ?? current.newRequestOnReply;
      if (name === current.name && queue === current.queue && newRequestOnReply === current.newRequestOnReply) return [];
      return [{ type: 'StatusUpdated', data: { statusId: current.id, name, queue, newRequestOnReply } }];
    }
    case 'ChooseDefaultStatus': {
      requireAdmin(command.metadata);
      const status = existing(state, command.data.statusId);
      if (state.defaultStatusIds[status.base] === status.id) return [];
      return [{ type: 'DefaultStatusChosen', data: { base: status.base, statusId: status.id } }];
    }
    case 'ChooseAcceptStatus': {
      requireAdmin(command.metadata);
      const status = existing(state, command.data.statusId);
      if (status.base !== 'open') {
        throw invalid('status-not-open', `Accepting a request keeps it open; "${status.name}" is not an open status`);
      }
      if (state.acceptStatusId === status.id) return [];
      return [{ type: 'AcceptStatusChosen', data: { statusId: status.id } }];
    }
    case 'SeedStatuses': {
      requireAdmin(command.metadata, { allowSystem: true });
      return Object.keys(state.statuses).length === 0 ? seed() : [];
    }
    default:
      return assertNever(command);
  }
};

/** Stream `config-statuses`: every user-defined status, the default of each base and the accept status. */
export const statusDecider: Decider<StatusCommand, StatusEvent, StatusState> = {
  initialState: initialStatusState,
  decide,
  evolve: evolveStatusState,
};

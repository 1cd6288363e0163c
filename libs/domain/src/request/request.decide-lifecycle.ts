import type { Catalog, StatusDefinition } from '../catalog/catalog';
import { conflict, invalid } from '../shared/errors';
import type {
  ActivateRequest,
  ChangeStatus,
  CloseRequest,
  DeleteRequest,
  PostponeRequest,
  ReopenRequest,
  RestoreRequest,
} from './request.commands';
import type { RequestEvent } from './request.events';
import type { ExistingRequest } from './request.state';
import {
  defaultStatusId,
  isAfter,
  rememberedStatus,
  requireAdmin,
  requireFutureTime,
  requireSelectable,
  statusOf,
  statusWithBase,
} from './request.rules';

/**
 * The status lifecycle (requests-domain §3): people move a request freely between open, closed and
 * postponed statuses; deleted and merged are reached only through their own commands.
 */

/** C11. A postponed request may be closed too. */
export const decideClose = ({ data }: CloseRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  if (state.baseStatus === 'closed') throw conflict('request-already-closed', `Request #${state.number} is already closed`);
  const status = statusWithBase(catalog, data.statusId, 'closed', 'status-not-closed');
  return [closed(state, status)];
};

export const decideReopen = ({ data }: ReopenRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  if (state.baseStatus === 'open') throw conflict('request-not-closed', `Request #${state.number} is open already`);
  const status = statusWithBase(catalog, data.statusId, 'open', 'status-not-open');
  return [reopened(state, status)];
};

/** C12. Closed requests may be postponed as well (the status list offers every base to people). */
export const decidePostpone = ({ data, metadata }: PostponeRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  const until = requireFutureTime(data.until, metadata.now);
  const status = statusWithBase(catalog, data.statusId, 'postponed', 'status-not-postponed');
  return postponed(state, status, until);
};

/** C12, system: the time has come. Not due (any more) is not an error: the scheduler may be late or early. */
export const decideActivate = ({ metadata }: ActivateRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  if (state.baseStatus !== 'postponed') return [];
  if (state.postponedUntil !== null && isAfter(state.postponedUntil, metadata.now)) return [];
  return [
    {
      type: 'RequestActivated',
      data: { requestId: state.id, statusId: defaultStatusId(catalog, 'open'), previousStatusId: state.statusId },
    },
  ];
};

/** C18. Soft delete: the request keeps everything and remembers its status for a restore. */
export const decideDelete = ({ metadata }: DeleteRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  requireAdmin(metadata.actor);
  return [
    {
      type: 'RequestDeleted',
      data: { requestId: state.id, statusId: defaultStatusId(catalog, 'deleted'), previousStatusId: state.statusId },
    },
  ];
};

/** The docs leave the restored status open (§3, gap): we go back to the one before the delete. */
export const decideRestore = ({ metadata }: RestoreRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  requireAdmin(metadata.actor);
  if (state.baseStatus !== 'deleted') throw conflict('request-not-deleted', `Request #${state.number} is not deleted`);
  const status = rememberedStatus(catalog, state.statusBeforeDelete);
  return [
    {
      type: 'RequestRestored',
      data: { requestId: state.id, statusId: status.id, baseStatus: status.base, previousStatusId: state.statusId },
    },
  ];
};

export const decideChangeStatus = ({ data, metadata }: ChangeStatus, state: ExistingRequest, catalog: Catalog): RequestEvent[] =>
  decideStatus(state, catalog, data.statusId, data.postponedUntil, metadata.now);

/**
 * Any selectable status, with the event that says what happened: a close, a reopen, a postpone, or a
 * move between two statuses of the same base.
 */
export const decideStatus = (
  state: ExistingRequest,
  catalog: Catalog,
  statusId: string,
  postponedUntil: string | undefined,
  now: string,
): RequestEvent[] => {
  const status = requireSelectable(statusOf(catalog, statusId), ['open', 'closed', 'postponed']);
  if (status.base !== 'postponed' && postponedUntil !== undefined) {
    throw invalid('postpone-until-unexpected', `Status "${status.name}" is not a postponed status, so it takes no postpone time`);
  }
  if (status.id === state.statusId && (status.base !== 'postponed' || postponedUntil === undefined)) return [];
  switch (status.base) {
    case 'postponed':
      return postponed(state, status, requireFutureTime(postponedUntil, now));
    case 'closed':
      if (state.baseStatus !== 'closed') return [closed(state, status)];
      break;
    case 'open':
      if (state.baseStatus !== 'open') return [reopened(state, status)];
      break;
  }
  return [
    {
      type: 'RequestStatusChanged',
      data: { requestId: state.id, statusId: status.id, baseStatus: status.base, previousStatusId: state.statusId },
    },
  ];
};

const closed = (state: ExistingRequest, status: StatusDefinition): RequestEvent => ({
  type: 'RequestClosed',
  data: { requestId: state.id, statusId: status.id, previousStatusId: state.statusId },
});

const reopened = (state: ExistingRequest, status: StatusDefinition): RequestEvent => ({
  type: 'RequestReopened',
  data: { requestId: state.id, statusId: status.id, previousStatusId: state.statusId },
});

const postponed = (state: ExistingRequest, status: StatusDefinition, until: string): RequestEvent[] =>
  status.id === state.statusId && state.postponedUntil === until
    ? []
    : [{ type: 'RequestPostponed', data: { requestId: state.id, statusId: status.id, until, previousStatusId: state.statusId } }];

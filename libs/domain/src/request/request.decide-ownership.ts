import type { Catalog, StatusDefinition } from '../catalog/catalog';
import { conflict, forbidden, invalid } from '../shared/errors';
import type { AcceptRequest, AssignRequest, TransferRequest } from './request.commands';
import type { RequestEvent } from './request.events';
import type { ExistingRequest } from './request.state';
import { categoryIdOf, checkOwner, defaultStatusId, statusOf } from './request.rules';

/**
 * C3. Accepting takes a request nobody (or the actor) owns. Taking it from a colleague is an
 * assignment or a transfer: so when two agents accept the same request at once, the second decision,
 * retried on the new revision, is refused and exactly one of them owns it.
 */
export const decideAccept = ({ metadata }: AcceptRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  const { actor } = metadata;
  const agent = catalog.agents[actor.id];
  if (!agent || !agent.active || (agent.role !== 'admin' && agent.role !== 'agent') || actor.role === 'system') {
    throw forbidden('agent-cannot-own', 'Only an active agent or administrator can accept a request');
  }
  if (state.baseStatus === 'closed') throw conflict('request-closed', `Request #${state.number} is closed; reopen it first`);
  if (state.ownerId !== null && state.ownerId !== actor.id) {
    throw conflict(
      'request-owned-by-another',
      `Request #${state.number} is owned by someone else; use assign or transfer to take it over`,
    );
  }
  const status = acceptStatus(catalog);
  if (state.ownerId === actor.id && state.statusId === status.id) return [];
  return [
    {
      type: 'RequestAccepted',
      data: { requestId: state.id, ownerId: actor.id, previousOwnerId: state.ownerId, statusId: status.id, baseStatus: status.base },
    },
  ];
};

/** The global "new status when accepting a request", when it is an open status; else the default open one. */
const acceptStatus = (catalog: Catalog): StatusDefinition => {
  const configured = catalog.acceptStatusId === null ? undefined : catalog.statuses[catalog.acceptStatusId];
  return configured && configured.base === 'open' ? configured : statusOf(catalog, defaultStatusId(catalog, 'open'));
};

/** C7 (owner). Open, postponed and closed requests alike; null puts it back in the unassigned queue. */
export const decideAssign = ({ data }: AssignRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  const ownerId = checkOwner(catalog, data.ownerId);
  if (ownerId === state.ownerId) return [];
  return [{ type: 'RequestAssigned', data: { requestId: state.id, ownerId, previousOwnerId: state.ownerId } }];
};

/** C6 "Ask another request handler for help": a new owner or queue, and an internal note saying why. */
export const decideTransfer = ({ data, metadata }: TransferRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  const note = (data.note ?? '').trim();
  if (note.length === 0) throw invalid('transfer-note-required', 'A transfer needs a note for the colleague');
  if (state.baseStatus === 'closed') throw conflict('request-closed', `Request #${state.number} is closed; reopen it first`);
  if ((data.ownerId === null || data.ownerId === undefined) && data.categoryId === undefined) {
    throw invalid('transfer-needs-owner-or-category', 'Transfer to a colleague, or to the queue of a category');
  }
  const categoryId = data.categoryId === undefined ? state.categoryId : categoryIdOf(catalog, data.categoryId);
  const ownerId = checkOwner(catalog, data.ownerId);
  if (ownerId === state.ownerId && categoryId === state.categoryId) {
    throw invalid('transfer-to-current-owner', 'The request already has this owner; choose a colleague or another category');
  }
  return [
    {
      type: 'RequestTransferred',
      data: {
        requestId: state.id,
        ownerId,
        previousOwnerId: state.ownerId,
        categoryId,
        previousCategoryId: state.categoryId,
        noteMessageId: data.noteMessageId,
      },
    },
    {
      type: 'InternalNoteAdded',
      data: { requestId: state.id, messageId: data.noteMessageId, body: note, authorId: metadata.actor.id, at: metadata.now },
    },
  ];
};

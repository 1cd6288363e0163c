import type { Catalog } from '../catalog/catalog';
import type { Decider } from '../shared/decider';
import { assertNever, conflict, notFound } from '../shared/errors';
import type { RequestCommand } from './request.commands';
import { decideCreate, decideCreateSplit } from './request.decide-create';
import {
  decideActivate,
  decideChangeStatus,
  decideClose,
  decideDelete,
  decidePostpone,
  decideReopen,
  decideRestore,
} from './request.decide-lifecycle';
import {
  decideAddNote,
  decideEdit,
  decideFlag,
  decideForward,
  decideMessageAccessLevel,
  decideReply,
  decideUnflag,
} from './request.decide-messages';
import { decideReceiveEmail } from './request.decide-email';
import { decideAccept, decideAssign, decideTransfer } from './request.decide-ownership';
import {
  decideAddContact,
  decideAddTag,
  decideChangeAccessLevel,
  decideChangeCategory,
  decideChangePriority,
  decideRemoveContact,
  decideRemoveTag,
  decideReorderContacts,
  decideRetitle,
  decideUpdate,
} from './request.decide-properties';
import {
  decideJoinMerged,
  decideMergeInto,
  decideSplit,
  decideUndoMerge,
  decideUnmerge,
} from './request.decide-split-merge';
import type { RequestEvent } from './request.events';
import { evolveRequest } from './request.evolve';
import { requireWriter } from './request.rules';
import { initialRequestState, type ExistingRequest, type RequestState } from './request.state';

/**
 * Decides what a command on one request stream does. Pure: time, actor and ids come with the command,
 * reference data with the catalog. Throws a RuleViolation when a rule says no; returns [] when the
 * command asks for what already is.
 */
export const decideRequest = (command: RequestCommand, state: RequestState, catalog: Catalog): RequestEvent[] => {
  requireWriter(command.metadata.actor);

  if (command.type === 'CreateRequest' || command.type === 'CreateSplitRequest') {
    if (state.kind === 'existing') throw conflict('request-exists', `Request #${state.number} exists already`);
    return command.type === 'CreateRequest' ? decideCreate(command, catalog) : decideCreateSplit(command, catalog);
  }
  // A mail that threads nowhere starts its own request.
  if (command.type === 'ReceiveEmail' && state.kind === 'none') return decideReceiveEmail(command, state, catalog);
  if (state.kind === 'none') throw notFound('request-not-found', 'There is no such request');

  requireUsable(command, state);
  return decideOnExisting(command, state, catalog);
};

/**
 * A merged request is only a pointer to its target until the merge is undone; a deleted one waits
 * for a restore. Everything else on them is refused, naming where to go instead.
 */
const requireUsable = (command: RequestCommand, state: ExistingRequest): void => {
  if (state.baseStatus === 'merged' && command.type !== 'UndoMerge') {
    const target = state.mergedInto ? ` into #${state.mergedInto.number}` : '';
    if (command.type === 'MergeIntoRequest') {
      throw conflict('request-already-merged', `Request #${state.number} is already merged${target}`);
    }
    if (command.type === 'JoinMergedRequest') {
      throw conflict('merge-target-merged', `Request #${state.number} is itself merged${target}; merge into that one instead`);
    }
    throw conflict('request-merged', `Request #${state.number} has been merged${target}; work on that request instead`);
  }
  if (state.baseStatus === 'deleted' && command.type !== 'RestoreRequest') {
    if (command.type === 'DeleteRequest') throw conflict('request-already-deleted', `Request #${state.number} is already deleted`);
    throw conflict('request-deleted', `Request #${state.number} is deleted; restore it first`);
  }
};

type ExistingCommand = Exclude<RequestCommand, { type: 'CreateRequest' | 'CreateSplitRequest' }>;

const decideOnExisting = (command: ExistingCommand, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  switch (command.type) {
    case 'AcceptRequest':
      return decideAccept(command, state, catalog);
    case 'AssignRequest':
      return decideAssign(command, state, catalog);
    case 'TransferRequest':
      return decideTransfer(command, state, catalog);

    case 'AddInternalNote':
      return decideAddNote(command, state);
    case 'ReplyToContact':
      return decideReply(command, state, catalog);
    case 'ForwardRequest':
      return decideForward(command, state);
    case 'EditMessage':
      return decideEdit(command, state);
    case 'SetMessageAccessLevel':
      return decideMessageAccessLevel(command, state);
    case 'FlagMessage':
      return decideFlag(command, state);
    case 'UnflagMessage':
      return decideUnflag(command, state);

    case 'CloseRequest':
      return decideClose(command, state, catalog);
    case 'ReopenRequest':
      return decideReopen(command, state, catalog);
    case 'PostponeRequest':
      return decidePostpone(command, state, catalog);
    case 'ActivateRequest':
      return decideActivate(command, state, catalog);
    case 'DeleteRequest':
      return decideDelete(command, state, catalog);
    case 'RestoreRequest':
      return decideRestore(command, state, catalog);
    case 'ChangeStatus':
      return decideChangeStatus(command, state, catalog);

    case 'UpdateRequest':
      return decideUpdate(command, state, catalog);
    case 'ChangePriority':
      return decideChangePriority(command, state, catalog);
    case 'ChangeCategory':
      return decideChangeCategory(command, state, catalog);
    case 'RetitleRequest':
      return decideRetitle(command, state);
    case 'ChangeAccessLevel':
      return decideChangeAccessLevel(command, state);
    case 'AddTag':
      return decideAddTag(command, state);
    case 'RemoveTag':
      return decideRemoveTag(command, state);
    case 'AddContact':
      return decideAddContact(command, state);
    case 'RemoveContact':
      return decideRemoveContact(command, state);
    case 'ReorderContacts':
      return decideReorderContacts(command, state);

    case 'SplitRequest':
      return decideSplit(command, state, catalog);
    case 'MergeIntoRequest':
      return decideMergeInto(command, state, catalog);
    case 'JoinMergedRequest':
      return decideJoinMerged(command, state);
    case 'UnmergeRequest':
      return decideUnmerge(command, state);
    case 'UndoMerge':
      return decideUndoMerge(command, state, catalog);

    case 'ReceiveEmail':
      return decideReceiveEmail(command, state, catalog);
    default:
      return assertNever(command);
  }
};

export const requestDecider: Decider<RequestCommand, RequestEvent, RequestState, Catalog> = {
  initialState: initialRequestState,
  decide: decideRequest,
  evolve: evolveRequest,
};

import type { Catalog } from '../catalog/catalog';
import { conflict, invalid } from '../shared/errors';
import type { JoinMergedRequest, MergeIntoRequest, SplitRequest, UndoMerge, UnmergeRequest } from './request.commands';
import type { MessageSnapshot, RequestEvent } from './request.events';
import type { ExistingRequest } from './request.state';
import { chosenMessages, defaultStatusId, rememberedStatus, requireSelectable, statusOf, unique } from './request.rules';

/**
 * Split and merge span two requests, so each is two decisions, one per stream, that a process
 * manager chains: SplitRequest (original) -> CreateSplitRequest (new); MergeIntoRequest (source) ->
 * JoinMergedRequest (target); UnmergeRequest (target) -> UndoMerge (source). Messages travel as full
 * snapshots (every version, flag, access level), so nothing is lost on the way.
 */

/** C15, on the original: the chosen messages leave; the original gets the chosen status (open or closed). */
export const decideSplit = ({ data }: SplitRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  const messageIds = unique(data.messageIds ?? []);
  if (messageIds.length === 0) throw invalid('split-needs-messages', 'Choose the messages that go to the new request');
  const moving = chosenMessages(state, messageIds);
  if (moving.length === state.messages.length) {
    throw invalid('split-would-empty-request', `Request #${state.number} must keep at least one message`);
  }
  const status =
    data.originalStatusId === undefined
      ? { id: state.statusId, base: state.baseStatus }
      : requireSelectable(statusOf(catalog, data.originalStatusId), ['open', 'closed']);
  return [
    {
      type: 'RequestSplit',
      data: {
        requestId: state.id,
        newRequest: data.newRequest,
        messages: moving,
        statusId: status.id,
        baseStatus: status.base,
        previousStatusId: state.statusId,
      },
    },
  ];
};

/** C17, on a source: it points at the target from now on and hands over what it has. */
export const decideMergeInto = ({ data }: MergeIntoRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  if (data.target.requestId === state.id) throw invalid('merge-into-self', 'A request cannot be merged into itself');
  return [
    {
      type: 'RequestMerged',
      data: {
        requestId: state.id,
        target: data.target,
        statusId: defaultStatusId(catalog, 'merged'),
        previousStatusId: state.statusId,
        messages: [...state.messages],
        contactIds: [...state.contactIds],
      },
    },
  ];
};

/** C17, on the target: the source's messages and the contacts it lacks join it. Closed targets accept merges. */
export const decideJoinMerged = ({ data }: JoinMergedRequest, state: ExistingRequest): RequestEvent[] => {
  if (data.source.requestId === state.id) throw invalid('merge-into-self', 'A request cannot be merged into itself');
  if (state.mergedSources.some((source) => source.requestId === data.source.requestId)) {
    throw conflict('already-merged-here', `Request #${data.source.number} is already merged into #${state.number}`);
  }
  return [
    {
      type: 'MergedRequestJoined',
      data: {
        requestId: state.id,
        source: data.source,
        messages: (data.messages ?? []).map((m) => withOrigin(m, data.source.requestId)),
        addedContactIds: unique(data.contactIds ?? []).filter((id) => !state.contactIds.includes(id)),
      },
    },
  ];
};

/**
 * On the target: exactly what the merge brought leaves again, as it is now (edits and flags made
 * meanwhile travel back). A contact the merge added stays when it is all the target has left.
 */
export const decideUnmerge = ({ data }: UnmergeRequest, state: ExistingRequest): RequestEvent[] => {
  const source = state.mergedSources.find((s) => s.requestId === data.sourceId);
  if (!source) throw conflict('request-not-merged', `Request "${data.sourceId}" is not merged into #${state.number}`);
  const leaving = new Set(source.messageIds);
  const added = new Set(source.addedContactIds);
  const stillHere = state.contactIds.filter((id) => added.has(id));
  const keepers = state.contactIds.length - stillHere.length;
  const removedContactIds = keepers > 0 ? stillHere : stillHere.slice(1);
  return [
    {
      type: 'RequestUnmerged',
      data: {
        requestId: state.id,
        source: { requestId: source.requestId, number: source.number },
        messages: state.messages.filter((m) => leaving.has(m.messageId)),
        removedContactIds,
      },
    },
  ];
};

/** On the source: back to the status it had (or the default open one), with its messages as they came back. */
export const decideUndoMerge = ({ data }: UndoMerge, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  if (state.mergedInto === null || state.mergedInto.requestId !== data.target.requestId) {
    throw conflict('request-not-merged', `Request #${state.number} is not merged into #${data.target.number}`);
  }
  const status = rememberedStatus(catalog, state.statusBeforeMerge);
  return [
    {
      type: 'RequestMergeUndone',
      data: {
        requestId: state.id,
        target: data.target,
        statusId: status.id,
        baseStatus: status.base,
        previousStatusId: state.statusId,
        // Back home: a message that was written here has no other origin.
        messages: (data.messages ?? []).map((m) => (m.originRequestId === state.id ? { ...m, originRequestId: null } : m)),
      },
    },
  ];
};

/** Where a message was first written, when it travels by split or merge. */
const withOrigin = (message: MessageSnapshot, origin: string): MessageSnapshot =>
  message.originRequestId === null ? { ...message, originRequestId: origin } : message;

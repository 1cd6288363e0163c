import type { BaseStatus } from '../catalog/catalog';
import { assertNever } from '../shared/errors';
import type { Channel } from '../shared/message';
import type { BounceFacts, OutboundEmailFacts } from './request.email';
import type { AccessLevel, MessageKind, RequestCreated, RequestEvent } from './request.events';
import type { ExistingRequest, MessageState, RequestState } from './request.state';

/**
 * Folds one request event into the state. Total: a new event type does not compile until it is
 * handled here. Events for a request that does not exist (yet) leave the state as it is.
 */
export const evolveRequest = (state: RequestState, event: RequestEvent): RequestState => {
  if (event.type === 'RequestCreated') return fromCreated(event.data);
  return state.kind === 'existing' ? evolveExisting(state, event) : state;
};

const evolveExisting = (s: ExistingRequest, event: Exclude<RequestEvent, RequestCreated>): ExistingRequest => {
  switch (event.type) {
    case 'CustomerMessageAdded': {
      const e = event.data;
      return appendMessage(s, {
        ...newMessage(e.messageId, 'customer', e.body, e.at, e.recordedBy, e.accessLevel, e.channel),
        contactId: e.contactId,
      });
    }
    case 'ReplyAdded': {
      const e = event.data;
      // Replies and forwards are sent by mail; notes are written in the agent UI (the API).
      return appendMessage(s, {
        ...newMessage(e.messageId, 'reply', e.body, e.at, e.authorId, e.accessLevel, 'email'),
        authorId: e.authorId,
        to: e.to,
        cc: e.cc,
        bcc: e.bcc,
        ...(e.attachments && e.attachments.length > 0 ? { attachments: e.attachments } : {}),
      });
    }
    case 'InternalNoteAdded': {
      const e = event.data;
      return appendMessage(s, {
        ...newMessage(e.messageId, 'note', e.body, e.at, e.authorId, 'internal', 'api'),
        authorId: e.authorId,
      });
    }
    case 'RequestForwarded': {
      const e = event.data;
      // The customer is not copied on a forward, so it is never shown to them.
      return appendMessage(s, {
        ...newMessage(e.messageId, 'forward', e.note, e.at, e.authorId, 'internal', 'email'),
        authorId: e.authorId,
        to: e.to,
        cc: e.cc,
        bcc: e.bcc,
      });
    }
    case 'MessageEdited': {
      const e = event.data;
      return updateMessage(s, e.messageId, (m) => ({
        ...m,
        versions: [...m.versions, { version: e.version, body: e.body, at: e.at, by: e.editedBy }],
      }));
    }
    case 'MessageAccessLevelChanged':
      return updateMessage(s, event.data.messageId, (m) => ({ ...m, accessLevel: event.data.accessLevel }));
    case 'MessageFlagged':
      return updateMessage(s, event.data.messageId, (m) => ({ ...m, flagged: true }));
    case 'MessageUnflagged':
      return updateMessage(s, event.data.messageId, (m) => ({ ...m, flagged: false }));

    case 'RequestAccepted':
      return withStatus({ ...s, ownerId: event.data.ownerId }, event.data.statusId, event.data.baseStatus);
    case 'RequestAssigned':
      return { ...s, ownerId: event.data.ownerId };
    case 'RequestTransferred':
      return { ...s, ownerId: event.data.ownerId, categoryId: event.data.categoryId };

    case 'RequestClosed':
      return withStatus(s, event.data.statusId, 'closed');
    case 'RequestReopened':
      return withStatus(s, event.data.statusId, 'open');
    case 'RequestPostponed':
      return withStatus(s, event.data.statusId, 'postponed', event.data.until);
    case 'RequestActivated':
      return withStatus(s, event.data.statusId, 'open');
    case 'RequestStatusChanged':
      return withStatus(s, event.data.statusId, event.data.baseStatus);
    case 'RequestDeleted':
      // postponedUntil stays, so a restore to a postponed status still knows when it is due.
      return { ...s, statusId: event.data.statusId, baseStatus: 'deleted', statusBeforeDelete: event.data.previousStatusId };
    case 'RequestRestored':
      return withStatus({ ...s, statusBeforeDelete: null }, event.data.statusId, event.data.baseStatus);

    case 'RequestPriorityChanged':
      return { ...s, priorityId: event.data.priorityId, deadline: event.data.deadline };
    case 'RequestCategoryChanged':
      return { ...s, categoryId: event.data.categoryId };
    case 'RequestRetitled':
      return { ...s, title: event.data.title };
    case 'RequestAccessLevelChanged':
      return { ...s, accessLevel: event.data.accessLevel };
    case 'TagAdded':
      return s.tags.includes(event.data.tag) ? s : { ...s, tags: [...s.tags, event.data.tag] };
    case 'TagRemoved':
      return { ...s, tags: s.tags.filter((tag) => tag !== event.data.tag) };
    case 'ContactAdded': {
      const { contactId, position } = event.data;
      if (s.contactIds.includes(contactId)) return s;
      const contactIds = [...s.contactIds];
      contactIds.splice(position, 0, contactId);
      return { ...s, contactIds };
    }
    case 'ContactRemoved':
      return { ...s, contactIds: s.contactIds.filter((id) => id !== event.data.contactId) };
    case 'ContactsReordered':
      return { ...s, contactIds: event.data.contactIds };

    case 'RequestSplit': {
      const e = event.data;
      const moved = new Set(e.messages.map((m) => m.messageId));
      return withStatus(
        { ...s, messages: s.messages.filter((m) => !moved.has(m.messageId)), splitInto: [...s.splitInto, e.newRequest] },
        e.statusId,
        e.baseStatus,
      );
    }
    case 'MessagesMovedIn':
      return appendMessages(s, event.data.messages);

    case 'RequestMerged':
      // The source keeps its messages as they were when they left: they are its record until an undo.
      return {
        ...s,
        statusId: event.data.statusId,
        baseStatus: 'merged',
        mergedInto: event.data.target,
        statusBeforeMerge: event.data.previousStatusId,
      };
    case 'MergedRequestJoined': {
      const e = event.data;
      return {
        ...appendMessages(s, e.messages),
        contactIds: [...s.contactIds, ...e.addedContactIds.filter((id) => !s.contactIds.includes(id))],
        mergedSources: [
          ...s.mergedSources,
          {
            requestId: e.source.requestId,
            number: e.source.number,
            messageIds: e.messages.map((m) => m.messageId),
            addedContactIds: e.addedContactIds,
          },
        ],
      };
    }
    case 'RequestUnmerged': {
      const e = event.data;
      const leaving = new Set(e.messages.map((m) => m.messageId));
      const removed = new Set(e.removedContactIds);
      return {
        ...s,
        messages: s.messages.filter((m) => !leaving.has(m.messageId)),
        contactIds: s.contactIds.filter((id) => !removed.has(id)),
        mergedSources: s.mergedSources.filter((source) => source.requestId !== e.source.requestId),
      };
    }
    case 'RequestMergeUndone':
      return withStatus(
        { ...s, mergedInto: null, statusBeforeMerge: null, messages: event.data.messages },
        event.data.statusId,
        event.data.baseStatus,
      );

    case 'EmailReceived': {
      const e = event.data;
      const bounced = e.email.bounce?.messageId ?? null;
      const withMessage = appendMessage(s, {
        ...newMessage(e.messageId, e.role === 'contact' ? 'customer' : 'external', e.body, e.at, null, e.accessLevel, 'email'),
        contactId: e.contactId,
        to: e.email.to,
        cc: e.email.cc,
        email: e.email,
      });
      // A bounce that names one of our messages says how its delivery ended.
      return bounced === null ? withMessage : updateDelivery(withMessage, bounced, (d) => ({ ...d, status: 'bounced', lastError: bounceError(e.email.bounce) }));
    }
    case 'AutoReplyQueued': {
      const e = event.data;
      return appendMessage(s, { ...newMessage(e.messageId, 'automatic', e.body, e.at, null, 'external', 'email'), to: e.to });
    }
    case 'EmailSent': {
      const e = event.data;
      return updateDelivery(s, e.messageId, (d) => ({ ...d, status: 'sent', messageIdHeader: e.messageIdHeader, attempts: e.attempt, lastError: null, nextAttemptAt: null, sentAt: e.at }));
    }
    case 'EmailSendFailed': {
      const e = event.data;
      return updateDelivery(s, e.messageId, (d) => ({ ...d, status: 'failed', attempts: e.attempt, lastError: e.error, nextAttemptAt: e.nextAttemptAt }));
    }
    case 'EmailSuppressed':
      return updateDelivery(s, event.data.messageId, (d) => ({ ...d, status: 'suppressed', lastError: event.data.reason, nextAttemptAt: null }));
    default:
      return assertNever(event);
  }
};

const fromCreated = (e: RequestCreated['data']): ExistingRequest => ({
  kind: 'existing',
  id: e.requestId,
  number: e.number,
  title: e.title,
  contactIds: e.contactIds,
  categoryId: e.categoryId,
  priorityId: e.priorityId,
  ownerId: e.ownerId,
  statusId: e.statusId,
  baseStatus: e.baseStatus,
  postponedUntil: e.postponedUntil,
  tags: e.tags,
  accessLevel: e.accessLevel,
  channel: e.channel,
  createdAt: e.createdAt,
  deadline: e.deadline,
  messages: [],
  statusBeforeDelete: null,
  mergedInto: null,
  statusBeforeMerge: null,
  mergedSources: [],
  splitFrom: e.splitFrom,
  splitInto: [],
});

/** A postpone time only means something while the request is postponed. */
const withStatus = (s: ExistingRequest, statusId: string, baseStatus: BaseStatus, until?: string): ExistingRequest => ({
  ...s,
  statusId,
  baseStatus,
  postponedUntil: baseStatus === 'postponed' ? (until ?? s.postponedUntil) : null,
});

const newMessage = (
  messageId: string,
  kind: MessageKind,
  body: string,
  at: string,
  by: string | null,
  accessLevel: AccessLevel,
  channel: Channel,
): MessageState => ({
  messageId,
  kind,
  versions: [{ version: 1, body, at, by }],
  accessLevel,
  flagged: false,
  authorId: null,
  contactId: null,
  channel,
  createdAt: at,
  to: [],
  cc: [],
  bcc: [],
  originRequestId: null,
});

/** Message ids are unique on a request: a message that is already here is not added twice. */
const appendMessages = (s: ExistingRequest, messages: readonly MessageState[]): ExistingRequest => {
  const present = new Set(s.messages.map((m) => m.messageId));
  const fresh = messages.filter((m) => !present.has(m.messageId));
  return fresh.length === 0 ? s : { ...s, messages: [...s.messages, ...fresh] };
};

const appendMessage = (s: ExistingRequest, message: MessageState): ExistingRequest => appendMessages(s, [message]);

const updateMessage = (s: ExistingRequest, messageId: string, change: (m: MessageState) => MessageState): ExistingRequest => ({
  ...s,
  messages: s.messages.map((m) => (m.messageId === messageId ? change(m) : m)),
});

const NO_DELIVERY: OutboundEmailFacts = {
  direction: 'outbound',
  status: 'failed',
  messageIdHeader: null,
  attempts: 0,
  lastError: null,
  nextAttemptAt: null,
  sentAt: null,
};

/** The delivery facts of an outbound message (an inbound one has none to change). */
const updateDelivery = (s: ExistingRequest, messageId: string, change: (d: OutboundEmailFacts) => OutboundEmailFacts): ExistingRequest =>
  updateMessage(s, messageId, (m) => (m.email?.direction === 'inbound' ? m : { ...m, email: change(m.email ?? NO_DELIVERY) }));

const bounceError = (bounce: BounceFacts | null): string =>
  `Bounced${bounce?.status ? ` (${bounce.status})` : ''}${bounce && bounce.recipients.length > 0 ? `: ${bounce.recipients.join(', ')}` : ''}`;

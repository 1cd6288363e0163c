import type { Catalog } from '../catalog/catalog';
import type {
  AddInternalNote,
  EditMessage,
  FlagMessage,
  ForwardRequest,
  ReplyToContact,
  SetMessageAccessLevel,
  UnflagMessage,
} from './request.commands';
import type { RequestEvent } from './request.events';
import type { ExistingRequest } from './request.state';
import {
  chosenMessages,
  latestBody,
  messageOf,
  normaliseAddresses,
  normaliseAttachments,
  requireBody,
  requireMessageAuthor,
  requireRecipient,
  statusWithBase,
} from './request.rules';

/** C9. Notes may be added to a closed request; they do not reopen it. */
export const decideAddNote = ({ data, metadata }: AddInternalNote, state: ExistingRequest): RequestEvent[] => [
  {
    type: 'InternalNoteAdded',
    data: { requestId: state.id, messageId: data.messageId, body: requireBody(data.body), authorId: metadata.actor.id, at: metadata.now },
  },
];

/** C8. The reply records exactly what the mail channel sends. Replying does not reopen a closed request. */
export const decideReply = ({ data, metadata }: ReplyToContact, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  const body = requireBody(data.body);
  const to = normaliseAddresses(data.to);
  const cc = normaliseAddresses(data.cc);
  const bcc = normaliseAddresses(data.bcc);
  requireRecipient(to);
  const attachments = normaliseAttachments(data.attachments);
  const closeStatus = data.closeAfterReply ? statusWithBase(catalog, data.closeStatusId, 'closed', 'status-not-closed') : null;
  const events: RequestEvent[] = [
    {
      type: 'ReplyAdded',
      data: {
        requestId: state.id,
        messageId: data.messageId,
        body,
        accessLevel: data.accessLevel ?? 'external',
        to,
        cc,
        bcc,
        authorId: metadata.actor.id,
        at: metadata.now,
        ...(attachments.length > 0 ? { attachments } : {}),
      },
    },
  ];
  if (closeStatus && state.baseStatus !== 'closed') {
    events.push({ type: 'RequestClosed', data: { requestId: state.id, statusId: closeStatus.id, previousStatusId: state.statusId } });
  }
  return events;
};

/** C13. To an external party; the note may be empty, and by default every message goes along. */
export const decideForward = ({ data, metadata }: ForwardRequest, state: ExistingRequest): RequestEvent[] => {
  const to = normaliseAddresses(data.to);
  const cc = normaliseAddresses(data.cc);
  const bcc = normaliseAddresses(data.bcc);
  requireRecipient(to);
  const forwarded =
    data.messageIds === undefined || data.messageIds.length === 0 ? state.messages : chosenMessages(state, data.messageIds);
  return [
    {
      type: 'RequestForwarded',
      data: {
        requestId: state.id,
        messageId: data.messageId,
        note: (data.note ?? '').trim(),
        forwardedMessageIds: forwarded.map((m) => m.messageId),
        to,
        cc,
        bcc,
        authorId: metadata.actor.id,
        at: metadata.now,
      },
    },
  ];
};

/**
 * C20. An edit is a new version; earlier versions stay. Admins may edit any message, others only
 * their own, so a contact's words are changed only by an administrator.
 */
export const decideEdit = ({ data, metadata }: EditMessage, state: ExistingRequest): RequestEvent[] => {
  const message = messageOf(state, data.messageId);
  requireMessageAuthor(metadata.actor, message);
  const body = requireBody(data.body);
  if (body === latestBody(message)) return [];
  return [
    {
      type: 'MessageEdited',
      data: {
        requestId: state.id,
        messageId: message.messageId,
        version: message.versions.length + 1,
        body,
        editedBy: metadata.actor.id,
        at: metadata.now,
      },
    },
  ];
};

export const decideMessageAccessLevel = ({ data, metadata }: SetMessageAccessLevel, state: ExistingRequest): RequestEvent[] => {
  const message = messageOf(state, data.messageId);
  requireMessageAuthor(metadata.actor, message);
  if (message.accessLevel === data.accessLevel) return [];
  return [{ type: 'MessageAccessLevelChanged', data: { requestId: state.id, messageId: message.messageId, accessLevel: data.accessLevel } }];
};

/** C21. Any agent; flagging twice is still one flag. */
export const decideFlag = ({ data }: FlagMessage, state: ExistingRequest): RequestEvent[] => {
  const message = messageOf(state, data.messageId);
  return message.flagged ? [] : [{ type: 'MessageFlagged', data: { requestId: state.id, messageId: message.messageId } }];
};

export const decideUnflag = ({ data }: UnflagMessage, state: ExistingRequest): RequestEvent[] => {
  const message = messageOf(state, data.messageId);
  return message.flagged ? [{ type: 'MessageUnflagged', data: { requestId: state.id, messageId: message.messageId } }] : [];
};

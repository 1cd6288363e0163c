import type { Event, Channel } from '../shared/message';
import type { BaseStatus } from '../catalog/catalog';
import type { AttachmentRef, AutoReplyDraft, EmailFacts, InboundEmailFacts } from './request.email';

export type AccessLevel = 'internal' | 'external';
/**
 * customer: from a contact; reply: to contacts; note: internal; forward: to external parties;
 * external: mail from someone who is not a contact (an expert answering a forward, a bounce), internal;
 * automatic: an auto-reply or acknowledgement the mail channel sent.
 */
export type MessageKind = 'customer' | 'reply' | 'note' | 'forward' | 'external' | 'automatic';

export interface MessageVersion {
  readonly version: number;
  readonly body: string;
  readonly at: string;
  /** Agent id, or null when the text came from outside (a contact's own message). */
  readonly by: string | null;
}

/** A message with its whole history; what travels with split and merge so nothing is lost on the way. */
export interface MessageSnapshot {
  readonly messageId: string;
  readonly kind: MessageKind;
  readonly versions: readonly MessageVersion[];
  readonly accessLevel: AccessLevel;
  readonly flagged: boolean;
  readonly authorId: string | null;
  readonly contactId: string | null;
  readonly channel: Channel;
  readonly createdAt: string;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  readonly bcc: readonly string[];
  /** The request the message was first written on, when it came here by split or merge. */
  readonly originRequestId: string | null;
  /** Mail facts: how it arrived (inbound) or how its delivery went (outbound). Absent for messages never mailed. */
  readonly email?: EmailFacts;
  /** Files an agent sent with a reply (inbound mail keeps its own in `email`). Absent when there are none. */
  readonly attachments?: readonly AttachmentRef[];
}

export interface RequestRef {
  readonly requestId: string;
  readonly number: number;
}

export type RequestCreated = Event<
  'RequestCreated',
  {
    requestId: string;
    number: number;
    title: string;
    /** Ordered; the first is the main contact. */
    contactIds: string[];
    categoryId: string;
    priorityId: string;
    ownerId: string | null;
    statusId: string;
    baseStatus: BaseStatus;
    postponedUntil: string | null;
    tags: string[];
    accessLevel: AccessLevel;
    channel: Channel;
    createdAt: string;
    createdBy: string;
    deadline: string | null;
    splitFrom: RequestRef | null;
  }
>;

/** An enquiry from a contact, registered by an agent (phone, web, api) or imported (email). */
export type CustomerMessageAdded = Event<
  'CustomerMessageAdded',
  {
    requestId: string;
    messageId: string;
    body: string;
    accessLevel: AccessLevel;
    channel: Channel;
    contactId: string | null;
    /** The agent who typed it in, when it was not imported. */
    recordedBy: string | null;
    at: string;
  }
>;

/** An outbound message to the contact(s): records exactly what the mail channel must send. */
export type ReplyAdded = Event<
  'ReplyAdded',
  {
    requestId: string;
    messageId: string;
    body: string;
    accessLevel: AccessLevel;
    to: string[];
    cc: string[];
    bcc: string[];
    authorId: string;
    at: string;
    /** Absent when the reply has none (and in events written before replies could carry files). */
    attachments?: AttachmentRef[];
  }
>;

export type InternalNoteAdded = Event<
  'InternalNoteAdded',
  { requestId: string; messageId: string; body: string; authorId: string; at: string }
>;

/** Sent to external parties (a supplier, an expert); the customer is not copied. */
export type RequestForwarded = Event<
  'RequestForwarded',
  {
    requestId: string;
    messageId: string;
    note: string;
    forwardedMessageIds: string[];
    to: string[];
    cc: string[];
    bcc: string[];
    authorId: string;
    at: string;
  }
>;

/** Text is never overwritten: an edit is a new version, the earlier ones stay. */
export type MessageEdited = Event<
  'MessageEdited',
  { requestId: string; messageId: string; version: number; body: string; editedBy: string; at: string }
>;
export type MessageAccessLevelChanged = Event<
  'MessageAccessLevelChanged',
  { requestId: string; messageId: string; accessLevel: AccessLevel }
>;
export type MessageFlagged = Event<'MessageFlagged', { requestId: string; messageId: string }>;
export type MessageUnflagged = Event<'MessageUnflagged', { requestId: string; messageId: string }>;

export type RequestAccepted = Event<
  'RequestAccepted',
  { requestId: string; ownerId: string; previousOwnerId: string | null; statusId: string; baseStatus: BaseStatus }
>;
export type RequestAssigned = Event<
  'RequestAssigned',
  { requestId: string; ownerId: string | null; previousOwnerId: string | null }
>;
/** "Ask a colleague": ownership (and maybe category) moves, with an internal note (emitted next) that explains why. */
export type RequestTransferred = Event<
  'RequestTransferred',
  {
    requestId: string;
    ownerId: string | null;
    previousOwnerId: string | null;
    categoryId: string;
    previousCategoryId: string;
    noteMessageId: string;
  }
>;

export type RequestClosed = Event<'RequestClosed', { requestId: string; statusId: string; previousStatusId: string }>;
export type RequestReopened = Event<'RequestReopened', { requestId: string; statusId: string; previousStatusId: string }>;
export type RequestPostponed = Event<
  'RequestPostponed',
  { requestId: string; statusId: string; until: string; previousStatusId: string }
>;
/** A postponed request whose time has come is open again (system). */
export type RequestActivated = Event<'RequestActivated', { requestId: string; statusId: string; previousStatusId: string }>;
/** A change between two statuses of the same base status (e.g. "In queue" -> "In progress"). */
export type RequestStatusChanged = Event<
  'RequestStatusChanged',
  { requestId: string; statusId: string; baseStatus: BaseStatus; previousStatusId: string }
>;
export type RequestDeleted = Event<'RequestDeleted', { requestId: string; statusId: string; previousStatusId: string }>;
export type RequestRestored = Event<
  'RequestRestored',
  { requestId: string; statusId: string; baseStatus: BaseStatus; previousStatusId: string }
>;

export type RequestPriorityChanged = Event<
  'RequestPriorityChanged',
  { requestId: string; priorityId: string; previousPriorityId: string; deadline: string | null }
>;
export type RequestCategoryChanged = Event<
  'RequestCategoryChanged',
  { requestId: string; categoryId: string; previousCategoryId: string }
>;
export type RequestRetitled = Event<'RequestRetitled', { requestId: string; title: string; previousTitle: string }>;
export type RequestAccessLevelChanged = Event<
  'RequestAccessLevelChanged',
  { requestId: string; accessLevel: AccessLevel }
>;
export type TagAdded = Event<'TagAdded', { requestId: string; tag: string }>;
export type TagRemoved = Event<'TagRemoved', { requestId: string; tag: string }>;
export type ContactAdded = Event<'ContactAdded', { requestId: string; contactId: string; position: number }>;
export type ContactRemoved = Event<'ContactRemoved', { requestId: string; contactId: string }>;
export type ContactsReordered = Event<'ContactsReordered', { requestId: string; contactIds: string[] }>;

/** On the original: the chosen messages left for a new request, and the original got the chosen status. */
export type RequestSplit = Event<
  'RequestSplit',
  {
    requestId: string;
    newRequest: RequestRef;
    messages: MessageSnapshot[];
    statusId: string;
    baseStatus: BaseStatus;
    previousStatusId: string;
  }
>;
/** On the new request, right after its RequestCreated (whose splitFrom points back). */
export type MessagesMovedIn = Event<
  'MessagesMovedIn',
  { requestId: string; from: RequestRef; messages: MessageSnapshot[] }
>;

/** On the source: it now points at the target, with the status it had so that an unmerge can restore it. */
export type RequestMerged = Event<
  'RequestMerged',
  {
    requestId: string;
    target: RequestRef;
    statusId: string;
    previousStatusId: string;
    messages: MessageSnapshot[];
    contactIds: string[];
  }
>;
/** On the target: the source's messages and the contacts it did not have yet join it. */
export type MergedRequestJoined = Event<
  'MergedRequestJoined',
  { requestId: string; source: RequestRef; messages: MessageSnapshot[]; addedContactIds: string[] }
>;
/** On the target: exactly what the merge brought leaves again (with any edits/flags made meanwhile). */
export type RequestUnmerged = Event<
  'RequestUnmerged',
  { requestId: string; source: RequestRef; messages: MessageSnapshot[]; removedContactIds: string[] }
>;
/** On the source: back to its own status, with its messages as they were when they left the target. */
export type RequestMergeUndone = Event<
  'RequestMergeUndone',
  {
    requestId: string;
    target: RequestRef;
    statusId: string;
    baseStatus: BaseStatus;
    previousStatusId: string;
    messages: MessageSnapshot[];
  }
>;

/**
 * A mail imported by the mail channel: from a contact (a customer message) or from someone else (an
 * expert answering a forward, a bounce, an auto-responder: internal). One per inbound mail.
 */
export type EmailReceived = Event<
  'EmailReceived',
  {
    requestId: string;
    messageId: string;
    /** The plain text (from the HTML when the mail had no text part). */
    body: string;
    role: 'contact' | 'external';
    accessLevel: AccessLevel;
    contactId: string | null;
    /** A closed request whose status asks for a new request on reply: the request this one follows up. */
    followUpOf: RequestRef | null;
    email: InboundEmailFacts;
    at: string;
  }
>;

/** An acknowledgement or auto-reply the mail channel is to send (with Auto-Submitted: auto-replied). */
export type AutoReplyQueued = Event<
  'AutoReplyQueued',
  { requestId: string; inReplyToMessageId: string; at: string } & AutoReplyDraft
>;

/** The outbox handed an outbound message (reply, forward, auto-reply) to the mail server. */
export type EmailSent = Event<
  'EmailSent',
  { requestId: string; messageId: string; attempt: number; messageIdHeader: string; recipients: string[]; at: string }
>;

/** A send attempt failed; `nextAttemptAt` null means the outbox gave up. */
export type EmailSendFailed = Event<
  'EmailSendFailed',
  { requestId: string; messageId: string; attempt: number; error: string; permanent: boolean; nextAttemptAt: string | null; at: string }
>;

/** Not sent on purpose (e.g. too many auto-replies to one address): the loop protection at work. */
export type EmailSuppressed = Event<'EmailSuppressed', { requestId: string; messageId: string; reason: string; at: string }>;

export type RequestEvent =
  | RequestCreated
  | CustomerMessageAdded
  | ReplyAdded
  | InternalNoteAdded
  | RequestForwarded
  | MessageEdited
  | MessageAccessLevelChanged
  | MessageFlagged
  | MessageUnflagged
  | RequestAccepted
  | RequestAssigned
  | RequestTransferred
  | RequestClosed
  | RequestReopened
  | RequestPostponed
  | RequestActivated
  | RequestStatusChanged
  | RequestDeleted
  | RequestRestored
  | RequestPriorityChanged
  | RequestCategoryChanged
  | RequestRetitled
  | RequestAccessLevelChanged
  | TagAdded
  | TagRemoved
  | ContactAdded
  | ContactRemoved
  | ContactsReordered
  | RequestSplit
  | MessagesMovedIn
  | RequestMerged
  | MergedRequestJoined
  | RequestUnmerged
  | RequestMergeUndone
  | EmailReceived
  | AutoReplyQueued
  | EmailSent
  | EmailSendFailed
  | EmailSuppressed;

export type RequestEventType = RequestEvent['type'];

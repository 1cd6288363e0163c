import type { Command, Channel } from '../shared/message';
import type { AttachmentRef, AutoReplyDraft, InboundEmailFacts } from './request.email';
import type { AccessLevel, MessageSnapshot, RequestRef } from './request.events';

/**
 * Ids (request, message, number) are made by the caller before the command reaches the decider;
 * everything optional here has a default the decider takes from the catalog.
 */
export type CreateRequest = Command<
  'CreateRequest',
  {
    requestId: string;
    number: number;
    title: string;
    contactIds: string[];
    categoryId?: string;
    priorityId?: string;
    /** Omitted or null: unassigned. */
    ownerId?: string | null;
    statusId?: string;
    /** Required when the status is a postponed one. */
    postponedUntil?: string;
    tags?: string[];
    accessLevel?: AccessLevel;
    channel: Channel;
    message: {
      messageId: string;
      body: string;
      /** customer: the contact's enquiry as taken down (default); outbound: written to To/Cc/Bcc; note: internal. */
      kind?: 'customer' | 'outbound' | 'note';
      accessLevel?: AccessLevel;
      to?: string[];
      cc?: string[];
      bcc?: string[];
    };
  }
>;

export type AcceptRequest = Command<'AcceptRequest', Record<string, never>>;
export type AssignRequest = Command<'AssignRequest', { ownerId: string | null }>;
export type TransferRequest = Command<
  'TransferRequest',
  {
    /** A colleague, or null for the unassigned queue of `categoryId`. */
    ownerId: string | null;
    categoryId?: string;
    note: string;
    noteMessageId: string;
  }
>;

export type AddInternalNote = Command<'AddInternalNote', { messageId: string; body: string }>;
export type ReplyToContact = Command<
  'ReplyToContact',
  {
    messageId: string;
    body: string;
    /** Resolved by the caller (default: the main contact's address). */
    to: string[];
    cc?: string[];
    bcc?: string[];
    accessLevel?: AccessLevel;
    closeAfterReply?: boolean;
    closeStatusId?: string;
    /** Files the agent uploaded to the blob store, sent with the reply. */
    attachments?: AttachmentRef[];
  }
>;
export type ForwardRequest = Command<
  'ForwardRequest',
  {
    messageId: string;
    note: string;
    to: string[];
    cc?: string[];
    bcc?: string[];
    /** Default: every message of the request. */
    messageIds?: string[];
  }
>;

export type EditMessage = Command<'EditMessage', { messageId: string; body: string }>;
export type SetMessageAccessLevel = Command<'SetMessageAccessLevel', { messageId: string; accessLevel: AccessLevel }>;
export type FlagMessage = Command<'FlagMessage', { messageId: string }>;
export type UnflagMessage = Command<'UnflagMessage', { messageId: string }>;

export type CloseRequest = Command<'CloseRequest', { statusId?: string }>;
export type ReopenRequest = Command<'ReopenRequest', { statusId?: string }>;
export type PostponeRequest = Command<'PostponeRequest', { until: string; statusId?: string }>;
/** System: reopen a postponed request whose time has come. A no-op when it is not (or no longer) due. */
export type ActivateRequest = Command<'ActivateRequest', Record<string, never>>;
export type DeleteRequest = Command<'DeleteRequest', Record<string, never>>;
export type RestoreRequest = Command<'RestoreRequest', Record<string, never>>;

/** PATCH: several property changes decided together, applied in this order, atomically. */
export type UpdateRequest = Command<
  'UpdateRequest',
  {
    title?: string;
    statusId?: string;
    postponedUntil?: string;
    priorityId?: string;
    categoryId?: string;
    accessLevel?: AccessLevel;
    /** The complete new set of tags. */
    tags?: string[];
  }
>;
export type ChangeStatus = Command<'ChangeStatus', { statusId: string; postponedUntil?: string }>;
export type ChangePriority = Command<'ChangePriority', { priorityId: string }>;
export type ChangeCategory = Command<'ChangeCategory', { categoryId: string }>;
export type RetitleRequest = Command<'RetitleRequest', { title: string }>;
export type ChangeAccessLevel = Command<'ChangeAccessLevel', { accessLevel: AccessLevel }>;
export type AddTag = Command<'AddTag', { tag: string }>;
export type RemoveTag = Command<'RemoveTag', { tag: string }>;
export type AddContact = Command<'AddContact', { contactId: string; position?: number }>;
export type RemoveContact = Command<'RemoveContact', { contactId: string }>;
export type ReorderContacts = Command<'ReorderContacts', { contactIds: string[] }>;

/** On the original request. */
export type SplitRequest = Command<
  'SplitRequest',
  {
    newRequest: RequestRef;
    messageIds: string[];
    /** The original's status after the split (default: unchanged). */
    originalStatusId?: string;
  }
>;
/** On the new request, with what SplitRequest decided. */
export type CreateSplitRequest = Command<
  'CreateSplitRequest',
  {
    requestId: string;
    number: number;
    from: RequestRef;
    messages: MessageSnapshot[];
    title: string;
    /** Defaults: the original's contacts, category, priority, access level; unassigned; the default open status. */
    contactIds: string[];
    categoryId?: string;
    priorityId?: string;
    ownerId?: string | null;
    statusId?: string;
    postponedUntil?: string;
    accessLevel?: AccessLevel;
    tags?: string[];
  }
>;

/** On each source request. */
export type MergeIntoRequest = Command<'MergeIntoRequest', { target: RequestRef }>;
/** On the target, with what MergeIntoRequest decided on the source. */
export type JoinMergedRequest = Command<
  'JoinMergedRequest',
  { source: RequestRef; messages: MessageSnapshot[]; contactIds: string[] }
>;
/** On the target. */
export type UnmergeRequest = Command<'UnmergeRequest', { sourceId: string }>;
/** On the source, with what UnmergeRequest decided on the target. */
export type UndoMerge = Command<'UndoMerge', { target: RequestRef; messages: MessageSnapshot[] }>;

/**
 * System (mail channel): one inbound mail, on the request it threads to, or creating one (the request
 * stream does not exist yet). Ids, the number and the title are made by the caller.
 */
export type ReceiveEmail = Command<
  'ReceiveEmail',
  {
    requestId: string;
    messageId: string;
    body: string;
    role: 'contact' | 'external';
    contactId: string | null;
    email: InboundEmailFacts;
    /** For a new request. */
    number?: number;
    title?: string;
    categoryId?: string;
    priorityId?: string;
    followUpOf?: RequestRef | null;
    autoReply?: AutoReplyDraft | null;
  }
>;
export type RequestCommand =
  | CreateRequest
  | AcceptRequest
  | AssignRequest
  | TransferRequest
  | AddInternalNote
  | ReplyToContact
  | ForwardRequest
  | EditMessage
  | SetMessageAccessLevel
  | FlagMessage
  | UnflagMessage
  | CloseRequest
  | ReopenRequest
  | PostponeRequest
  | ActivateRequest
  | DeleteRequest
  | RestoreRequest
  | UpdateRequest
  | ChangeStatus
  | ChangePriority
  | ChangeCategory
  | RetitleRequest
  | ChangeAccessLevel
  | AddTag
  | RemoveTag
  | AddContact
  | RemoveContact
  | ReorderContacts
  | SplitRequest
  | CreateSplitRequest
  | MergeIntoRequest
  | JoinMergedRequest
  | UnmergeRequest
  | UndoMerge
  | ReceiveEmail;

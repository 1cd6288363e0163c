/**
 * Builders for the request decider specs: a small help-desk catalog, the people in it, and one
 * builder per command and per event with the defaults a reader expects ("a request about a printer,
 * taken down by Alice on the phone"). Override only what a spec is about.
 */
import type { BaseStatus, Catalog, StatusDefinition } from '../catalog/catalog';
import { fold } from '../shared/decider';
import { type Actor, SYSTEM_ACTOR } from '../shared/message';
import { DeciderSpecification } from '../testing/specification';
import type * as C from './request.commands';
import type * as E from './request.events';
import { requestDecider } from './request.decider';
import type { RequestState } from './request.state';

// ---- time ---------------------------------------------------------------------------------------

export const minutesAfter = (time: string, minutes: number): string => new Date(Date.parse(time) + minutes * 60_000).toISOString();

export const NOW = '2026-03-02T09:00:00.000Z';
export const LATER = minutesAfter(NOW, 90);
export const TOMORROW = minutesAfter(NOW, 24 * 60);
export const NEXT_WEEK = minutesAfter(NOW, 7 * 24 * 60);
export const YESTERDAY = minutesAfter(NOW, -24 * 60);

// ---- people -------------------------------------------------------------------------------------

export const alice: Actor = { id: 'alice', role: 'agent' };
export const bob: Actor = { id: 'bob', role: 'agent' };
export const carol: Actor = { id: 'carol', role: 'admin' };
/** An agent who has left: still in the catalog, not active. */
export const dave: Actor = { id: 'dave', role: 'agent' };
export const audrey: Actor = { id: 'audrey', role: 'auditor' };
export const rory: Actor = { id: 'rory', role: 'reporter' };
/** Someone with a token but not in the catalog. */
export const zed: Actor = { id: 'zed', role: 'agent' };
export const system: Actor = SYSTEM_ACTOR;

// ---- catalog ------------------------------------------------------------------------------------

const status = (id: string, name: string, base: BaseStatus, queue = false): StatusDefinition => ({
  id,
  name,
  base,
  queue,
  newRequestOnReply: false,
});

export const testCatalog: Catalog = {
  statuses: {
    new: status('new', 'New', 'open', true),
    'in-progress': status('in-progress', 'In progress', 'open'),
    waiting: status('waiting', 'Waiting for customer', 'open'),
    closed: status('closed', 'Closed', 'closed'),
    solved: status('solved', 'Solved', 'closed'),
    postponed: status('postponed', 'Postponed', 'postponed'),
    'on-hold': status('on-hold', 'On hold', 'postponed'),
    deleted: status('deleted', 'Deleted', 'deleted'),
    merged: status('merged', 'Merged', 'merged'),
  },
  defaultStatusIds: { open: 'new', closed: 'closed', postponed: 'postponed', deleted: 'deleted', merged: 'merged' },
  acceptStatusId: 'in-progress',
  categories: {
    general: { id: 'general', name: 'General', parentId: null, restricted: false, memberIds: [] },
    invoicing: { id: 'invoicing', name: 'Invoicing', parentId: null, restricted: true, memberIds: ['bob'] },
  },
  defaultCategoryId: 'general',
  priorities: {
    normal: { id: 'normal', name: 'Normal', deadlineMinutes: 8 * 60, rank: 2 },
    urgent: { id: 'urgent', name: 'Urgent', deadlineMinutes: 60, rank: 1 },
    someday: { id: 'someday', name: 'Some day', deadlineMinutes: null, rank: 3 },
  },
  defaultPriorityId: 'normal',
  agents: {
    alice: { id: 'alice', name: 'Alice', email: 'alice@helpdesk.test', role: 'agent', active: true },
    bob: { id: 'bob', name: 'Bob', email: 'bob@helpdesk.test', role: 'agent', active: true },
    carol: { id: 'carol', name: 'Carol', email: 'carol@helpdesk.test', role: 'admin', active: true },
    dave: { id: 'dave', name: 'Dave', email: 'dave@helpdesk.test', role: 'agent', active: false },
    audrey: { id: 'audrey', name: 'Audrey', email: 'audrey@helpdesk.test', role: 'auditor', active: true },
    rory: { id: 'rory', name: 'Rory', email: 'rory@helpdesk.test', role: 'reporter', active: true },
  },
  tokens: {},
};

/** The catalog after an administrator changed it: `changes` replaces whole top-level entries. */
export const catalogWith = (changes: Partial<Catalog>): Catalog => ({ ...testCatalog, ...changes });

/** The test catalog without some statuses (e.g. deleted by an administrator since). */
export const catalogWithout = (...statusIds: string[]): Catalog =>
  catalogWith({
    statuses: Object.fromEntries(Object.entries(testCatalog.statuses).filter(([id]) => !statusIds.includes(id))),
  });

export const { given } = DeciderSpecification.for(requestDecider, testCatalog);

/** The state a history folds to, for the few specs about evolve itself. */
export const stateAfter = (...events: (E.RequestEvent | readonly E.RequestEvent[])[]): RequestState =>
  fold(requestDecider, events.flat() as E.RequestEvent[]);

/** Runs the decider directly, for specs about the wording of a refusal. */
export const decide = (history: readonly E.RequestEvent[], command: C.RequestCommand, catalog: Catalog = testCatalog) =>
  requestDecider.decide(command, stateAfter(history), catalog);

// ---- requests -----------------------------------------------------------------------------------

export const REQUEST: E.RequestRef = { requestId: 'req-1', number: 1042 };
export const OTHER: E.RequestRef = { requestId: 'req-2', number: 1043 };
export const THIRD: E.RequestRef = { requestId: 'req-3', number: 1044 };

export const TITLE = 'Printer on fire';
export const ENQUIRY = 'My printer is on fire, please help';
export const DEADLINE = minutesAfter(NOW, 8 * 60);

// ---- commands -----------------------------------------------------------------------------------

/** Who sends a command and when; Alice, at NOW, unless a spec says otherwise. */
export interface Who {
  actor?: Actor;
  at?: string;
}

const command = <T extends C.RequestCommand>(type: T['type'], data: T['data'], { actor = alice, at = NOW }: Who): T =>
  ({ type, data, metadata: { now: at, actor, channel: 'api', correlationId: 'correlation-1' } }) as T;

/** Splits `{ actor, at, ...data }` into the metadata part and the data part. */
const parts = <D extends object>(input: D & Who): [D, Who] => {
  const { actor, at, ...data } = input;
  return [data as unknown as D, { actor, at }];
};

type CreateInput = Partial<Omit<C.CreateRequest['data'], 'message'>> & { message?: Partial<C.CreateRequest['data']['message']> } & Who;

export const create = (input: CreateInput = {}): C.CreateRequest => {
  const [{ message, ...data }, who] = parts(input);
  return command<C.CreateRequest>(
    'CreateRequest',
    {
      requestId: REQUEST.requestId,
      number: REQUEST.number,
      title: TITLE,
      contactIds: ['contact-1'],
      channel: 'phone',
      ...data,
      message: { messageId: 'msg-1', body: ENQUIRY, ...message },
    },
    who,
  );
};

export const accept = (who: Who = {}): C.AcceptRequest => command<C.AcceptRequest>('AcceptRequest', {}, who);

export const assign = (input: C.AssignRequest['data'] & Who): C.AssignRequest => {
  const [data, who] = parts(input);
  return command<C.AssignRequest>('AssignRequest', data, who);
};

export const transfer = (input: Partial<C.TransferRequest['data']> & Who = {}): C.TransferRequest => {
  const [data, who] = parts(input);
  return command<C.TransferRequest>(
    'TransferRequest',
    { ownerId: 'bob', note: 'Can you check the invoice?', noteMessageId: 'msg-note', ...data },
    who,
  );
};

export const addNote = (input: Partial<C.AddInternalNote['data']> & Who = {}): C.AddInternalNote => {
  const [data, who] = parts(input);
  return command<C.AddInternalNote>('AddInternalNote', { messageId: 'msg-2', body: 'Called back, no answer', ...data }, who);
};

export const reply = (input: Partial<C.ReplyToContact['data']> & Who = {}): C.ReplyToContact => {
  const [data, who] = parts(input);
  return command<C.ReplyToContact>(
    'ReplyToContact',
    { messageId: 'msg-2', body: 'A technician is on the way', to: ['jane@customer.example'], ...data },
    who,
  );
};

export const forward = (input: Partial<C.ForwardRequest['data']> & Who = {}): C.ForwardRequest => {
  const [data, who] = parts(input);
  return command<C.ForwardRequest>(
    'ForwardRequest',
    { messageId: 'msg-fwd', note: 'Is this covered by the warranty?', to: ['support@supplier.example'], ...data },
    who,
  );
};

export const editMessage = (input: Partial<C.EditMessage['data']> & Who = {}): C.EditMessage => {
  const [data, who] = parts(input);
  return command<C.EditMessage>('EditMessage', { messageId: 'msg-1', body: 'My printer is smoking', ...data }, who);
};

export const setMessageAccessLevel = (input: Partial<C.SetMessageAccessLevel['data']> & Who = {}): C.SetMessageAccessLevel => {
  const [data, who] = parts(input);
  return command<C.SetMessageAccessLevel>('SetMessageAccessLevel', { messageId: 'msg-1', accessLevel: 'internal', ...data }, who);
};

export const flag = (input: Partial<C.FlagMessage['data']> & Who = {}): C.FlagMessage => {
  const [data, who] = parts(input);
  return command<C.FlagMessage>('FlagMessage', { messageId: 'msg-1', ...data }, who);
};

export const unflag = (input: Partial<C.UnflagMessage['data']> & Who = {}): C.UnflagMessage => {
  const [data, who] = parts(input);
  return command<C.UnflagMessage>('UnflagMessage', { messageId: 'msg-1', ...data }, who);
};

export const close = (input: C.CloseRequest['data'] & Who = {}): C.CloseRequest => {
  const [data, who] = parts(input);
  return command<C.CloseRequest>('CloseRequest', data, who);
};

export const reopen = (input: C.ReopenRequest['data'] & Who = {}): C.ReopenRequest => {
  const [data, who] = parts(input);
  return command<C.ReopenRequest>('ReopenRequest', data, who);
};

export const postpone = (input: Partial<C.PostponeRequest['data']> & Who = {}): C.PostponeRequest => {
  const [data, who] = parts(input);
  return command<C.PostponeRequest>('PostponeRequest', { until: TOMORROW, ...data }, who);
};

export const activate = (who: Who = {}): C.ActivateRequest => command<C.ActivateRequest>('ActivateRequest', {}, { actor: system, ...who });

/** `delete` is a keyword. */
export const deleteRequest = (who: Who = {}): C.DeleteRequest => command<C.DeleteRequest>('DeleteRequest', {}, { actor: carol, ...who });

export const restore = (who: Who = {}): C.RestoreRequest => command<C.RestoreRequest>('RestoreRequest', {}, { actor: carol, ...who });

export const update = (input: C.UpdateRequest['data'] & Who = {}): C.UpdateRequest => {
  const [data, who] = parts(input);
  return command<C.UpdateRequest>('UpdateRequest', data, who);
};

export const changeStatus = (input: C.ChangeStatus['data'] & Who): C.ChangeStatus => {
  const [data, who] = parts(input);
  return command<C.ChangeStatus>('ChangeStatus', data, who);
};

export const changePriority = (input: C.ChangePriority['data'] & Who): C.ChangePriority => {
  const [data, who] = parts(input);
  return command<C.ChangePriority>('ChangePriority', data, who);
};

export const changeCategory = (input: C.ChangeCategory['data'] & Who): C.ChangeCategory => {
  const [data, who] = parts(input);
  return command<C.ChangeCategory>('ChangeCategory', data, who);
};

export const retitle = (input: C.RetitleRequest['data'] & Who): C.RetitleRequest => {
  const [data, who] = parts(input);
  return command<C.RetitleRequest>('RetitleRequest', data, who);
};

export const changeAccessLevel = (input: C.ChangeAccessLevel['data'] & Who): C.ChangeAccessLevel => {
  const [data, who] = parts(input);
  return command<C.ChangeAccessLevel>('ChangeAccessLevel', data, who);
};

export const addTag = (input: C.AddTag['data'] & Who): C.AddTag => {
  const [data, who] = parts(input);
  return command<C.AddTag>('AddTag', data, who);
};

export const removeTag = (input: C.RemoveTag['data'] & Who): C.RemoveTag => {
  const [data, who] = parts(input);
  return command<C.RemoveTag>('RemoveTag', data, who);
};

export const addContact = (input: C.AddContact['data'] & Who): C.AddContact => {
  const [data, who] = parts(input);
  return command<C.AddContact>('AddContact', data, who);
};

export const removeContact = (input: C.RemoveContact['data'] & Who): C.RemoveContact => {
  const [data, who] = parts(input);
  return command<C.RemoveContact>('RemoveContact', data, who);
};

export const reorderContacts = (input: C.ReorderContacts['data'] & Who): C.ReorderContacts => {
  const [data, who] = parts(input);
  return command<C.ReorderContacts>('ReorderContacts', data, who);
};

export const split = (input: Partial<C.SplitRequest['data']> & Who = {}): C.SplitRequest => {
  const [data, who] = parts(input);
  return command<C.SplitRequest>('SplitRequest', { newRequest: OTHER, messageIds: ['msg-2'], ...data }, who);
};

export const createSplit = (input: Partial<C.CreateSplitRequest['data']> & Who = {}): C.CreateSplitRequest => {
  const [data, who] = parts(input);
  return command<C.CreateSplitRequest>(
    'CreateSplitRequest',
    {
      requestId: OTHER.requestId,
      number: OTHER.number,
      from: REQUEST,
      messages: [snapshot({ messageId: 'msg-2', body: 'And the scanner jams' })],
      title: 'Scanner jams',
      contactIds: ['contact-1'],
      ...data,
    },
    who,
  );
};

export const mergeInto = (input: Partial<C.MergeIntoRequest['data']> & Who = {}): C.MergeIntoRequest => {
  const [data, who] = parts(input);
  return command<C.MergeIntoRequest>('MergeIntoRequest', { target: OTHER, ...data }, who);
};

export const joinMerged = (input: Partial<C.JoinMergedRequest['data']> & Who = {}): C.JoinMergedRequest => {
  const [data, who] = parts(input);
  return command<C.JoinMergedRequest>(
    'JoinMergedRequest',
    {
      source: OTHER,
      messages: [snapshot({ messageId: 'msg-b1', body: 'Printer still on fire', contactId: 'contact-2' })],
      contactIds: ['contact-2'],
      ...data,
    },
    who,
  );
};

export const unmerge = (input: Partial<C.UnmergeRequest['data']> & Who = {}): C.UnmergeRequest => {
  const [data, who] = parts(input);
  return command<C.UnmergeRequest>('UnmergeRequest', { sourceId: OTHER.requestId, ...data }, who);
};

export const undoMerge = (input: Partial<C.UndoMerge['data']> & Who = {}): C.UndoMerge => {
  const [data, who] = parts(input);
  return command<C.UndoMerge>('UndoMerge', { target: OTHER, messages: [snapshot()], ...data }, who);
};

// ---- events -------------------------------------------------------------------------------------

const on = REQUEST.requestId;

export const created = (data: Partial<E.RequestCreated['data']> = {}): E.RequestCreated => ({
  type: 'RequestCreated',
  data: {
    requestId: on,
    number: REQUEST.number,
    title: TITLE,
    contactIds: ['contact-1'],
    categoryId: 'general',
    priorityId: 'normal',
    ownerId: null,
    statusId: 'new',
    baseStatus: 'open',
    postponedUntil: null,
    tags: [],
    accessLevel: 'external',
    channel: 'phone',
    createdAt: NOW,
    createdBy: 'alice',
    deadline: DEADLINE,
    splitFrom: null,
    ...data,
  },
});

/** The enquiry Alice took down on the phone. */
export const customerMessage = (data: Partial<E.CustomerMessageAdded['data']> = {}): E.CustomerMessageAdded => ({
  type: 'CustomerMessageAdded',
  data: {
    requestId: on,
    messageId: 'msg-1',
    body: ENQUIRY,
    accessLevel: 'external',
    channel: 'phone',
    contactId: 'contact-1',
    recordedBy: 'alice',
    at: NOW,
    ...data,
  },
});

export const replied = (data: Partial<E.ReplyAdded['data']> = {}): E.ReplyAdded => ({
  type: 'ReplyAdded',
  data: {
    requestId: on,
    messageId: 'msg-2',
    body: 'A technician is on the way',
    accessLevel: 'external',
    to: ['jane@customer.example'],
    cc: [],
    bcc: [],
    authorId: 'alice',
    at: NOW,
    ...data,
  },
});

export const noted = (data: Partial<E.InternalNoteAdded['data']> = {}): E.InternalNoteAdded => ({
  type: 'InternalNoteAdded',
  data: { requestId: on, messageId: 'msg-2', body: 'Called back, no answer', authorId: 'alice', at: NOW, ...data },
});

export const forwarded = (data: Partial<E.RequestForwarded['data']> = {}): E.RequestForwarded => ({
  type: 'RequestForwarded',
  data: {
    requestId: on,
    messageId: 'msg-fwd',
    note: 'Is this covered by the warranty?',
    forwardedMessageIds: ['msg-1'],
    to: ['support@supplier.example'],
    cc: [],
    bcc: [],
    authorId: 'alice',
    at: NOW,
    ...data,
  },
});

export const edited = (data: Partial<E.MessageEdited['data']> = {}): E.MessageEdited => ({
  type: 'MessageEdited',
  data: { requestId: on, messageId: 'msg-1', version: 2, body: 'My printer is smoking', editedBy: 'alice', at: NOW, ...data },
});

export const messageAccessLevelChanged = (
  data: Partial<E.MessageAccessLevelChanged['data']> = {},
): E.MessageAccessLevelChanged => ({
  type: 'MessageAccessLevelChanged',
  data: { requestId: on, messageId: 'msg-1', accessLevel: 'internal', ...data },
});

export const flagged = (data: Partial<E.MessageFlagged['data']> = {}): E.MessageFlagged => ({
  type: 'MessageFlagged',
  data: { requestId: on, messageId: 'msg-1', ...data },
});

export const unflagged = (data: Partial<E.MessageUnflagged['data']> = {}): E.MessageUnflagged => ({
  type: 'MessageUnflagged',
  data: { requestId: on, messageId: 'msg-1', ...data },
});

export const accepted = (data: Partial<E.RequestAccepted['data']> = {}): E.RequestAccepted => ({
  type: 'RequestAccepted',
  data: { requestId: on, ownerId: 'alice', previousOwnerId: null, statusId: 'in-progress', baseStatus: 'open', ...data },
});

export const assigned = (data: Partial<E.RequestAssigned['data']> = {}): E.RequestAssigned => ({
  type: 'RequestAssigned',
  data: { requestId: on, ownerId: 'bob', previousOwnerId: null, ...data },
});

export const transferred = (data: Partial<E.RequestTransferred['data']> = {}): E.RequestTransferred => ({
  type: 'RequestTransferred',
  data: {
    requestId: on,
    ownerId: 'bob',
    previousOwnerId: null,
    categoryId: 'general',
    previousCategoryId: 'general',
    noteMessageId: 'msg-note',
    ...data,
  },
});

export const closed = (data: Partial<E.RequestClosed['data']> = {}): E.RequestClosed => ({
  type: 'RequestClosed',
  data: { requestId: on, statusId: 'closed', previousStatusId: 'new', ...data },
});

export const reopened = (data: Partial<E.RequestReopened['data']> = {}): E.RequestReopened => ({
  type: 'RequestReopened',
  data: { requestId: on, statusId: 'new', previousStatusId: 'closed', ...data },
});

export const postponed = (data: Partial<E.RequestPostponed['data']> = {}): E.RequestPostponed => ({
  type: 'RequestPostponed',
  data: { requestId: on, statusId: 'postponed', until: TOMORROW, previousStatusId: 'new', ...data },
});

export const activated = (data: Partial<E.RequestActivated['data']> = {}): E.RequestActivated => ({
  type: 'RequestActivated',
  data: { requestId: on, statusId: 'new', previousStatusId: 'postponed', ...data },
});

export const statusChanged = (data: Partial<E.RequestStatusChanged['data']> = {}): E.RequestStatusChanged => ({
  type: 'RequestStatusChanged',
  data: { requestId: on, statusId: 'waiting', baseStatus: 'open', previousStatusId: 'new', ...data },
});

export const deleted = (data: Partial<E.RequestDeleted['data']> = {}): E.RequestDeleted => ({
  type: 'RequestDeleted',
  data: { requestId: on, statusId: 'deleted', previousStatusId: 'new', ...data },
});

export const restored = (data: Partial<E.RequestRestored['data']> = {}): E.RequestRestored => ({
  type: 'RequestRestored',
  data: { requestId: on, statusId: 'new', baseStatus: 'open', previousStatusId: 'deleted', ...data },
});

export const priorityChanged = (data: Partial<E.RequestPriorityChanged['data']> = {}): E.RequestPriorityChanged => ({
  type: 'RequestPriorityChanged',
  data: { requestId: on, priorityId: 'urgent', previousPriorityId: 'normal', deadline: minutesAfter(NOW, 60), ...data },
});

export const categoryChanged = (data: Partial<E.RequestCategoryChanged['data']> = {}): E.RequestCategoryChanged => ({
  type: 'RequestCategoryChanged',
  data: { requestId: on, categoryId: 'invoicing', previousCategoryId: 'general', ...data },
});

export const retitled = (data: Partial<E.RequestRetitled['data']> = {}): E.RequestRetitled => ({
  type: 'RequestRetitled',
  data: { requestId: on, title: 'Printer smoking', previousTitle: TITLE, ...data },
});

export const accessLevelChanged = (data: Partial<E.RequestAccessLevelChanged['data']> = {}): E.RequestAccessLevelChanged => ({
  type: 'RequestAccessLevelChanged',
  data: { requestId: on, accessLevel: 'internal', ...data },
});

export const tagAdded = (tag: string): E.TagAdded => ({ type: 'TagAdded', data: { requestId: on, tag } });
export const tagRemoved = (tag: string): E.TagRemoved => ({ type: 'TagRemoved', data: { requestId: on, tag } });

export const contactAdded = (data: Partial<E.ContactAdded['data']> = {}): E.ContactAdded => ({
  type: 'ContactAdded',
  data: { requestId: on, contactId: 'contact-2', position: 1, ...data },
});

export const contactRemoved = (data: Partial<E.ContactRemoved['data']> = {}): E.ContactRemoved => ({
  type: 'ContactRemoved',
  data: { requestId: on, contactId: 'contact-2', ...data },
});

export const contactsReordered = (contactIds: string[]): E.ContactsReordered => ({
  type: 'ContactsReordered',
  data: { requestId: on, contactIds },
});

export const requestSplit = (data: Partial<E.RequestSplit['data']> = {}): E.RequestSplit => ({
  type: 'RequestSplit',
  data: {
    requestId: on,
    newRequest: OTHER,
    messages: [noteSnapshot()],
    statusId: 'new',
    baseStatus: 'open',
    previousStatusId: 'new',
    ...data,
  },
});

export const messagesMovedIn = (data: Partial<E.MessagesMovedIn['data']> = {}): E.MessagesMovedIn => ({
  type: 'MessagesMovedIn',
  data: { requestId: OTHER.requestId, from: REQUEST, messages: [], ...data },
});

export const merged = (data: Partial<E.RequestMerged['data']> = {}): E.RequestMerged => ({
  type: 'RequestMerged',
  data: {
    requestId: on,
    target: OTHER,
    statusId: 'merged',
    previousStatusId: 'new',
    messages: [snapshot()],
    contactIds: ['contact-1'],
    ...data,
  },
});

export const mergedJoined = (data: Partial<E.MergedRequestJoined['data']> = {}): E.MergedRequestJoined => ({
  type: 'MergedRequestJoined',
  data: {
    requestId: on,
    source: OTHER,
    messages: [snapshot({ messageId: 'msg-b1', body: 'Printer still on fire', contactId: 'contact-2', originRequestId: OTHER.requestId })],
    addedContactIds: ['contact-2'],
    ...data,
  },
});

export const unmerged = (data: Partial<E.RequestUnmerged['data']> = {}): E.RequestUnmerged => ({
  type: 'RequestUnmerged',
  data: { requestId: on, source: OTHER, messages: [], removedContactIds: [], ...data },
});

export const mergeUndone = (data: Partial<E.RequestMergeUndone['data']> = {}): E.RequestMergeUndone => ({
  type: 'RequestMergeUndone',
  data: {
    requestId: on,
    target: OTHER,
    statusId: 'new',
    baseStatus: 'open',
    previousStatusId: 'merged',
    messages: [snapshot()],
    ...data,
  },
});

// ---- message snapshots ----------------------------------------------------------------------------

type SnapshotInput = Partial<E.MessageSnapshot> & { body?: string; by?: string | null };

/** A message as it travels with split and merge; by default the enquiry of `customerMessage()`. */
export const snapshot = ({ body = ENQUIRY, by = 'alice', ...fields }: SnapshotInput = {}): E.MessageSnapshot => ({
  messageId: 'msg-1',
  kind: 'customer',
  versions: [{ version: 1, body, at: fields.createdAt ?? NOW, by }],
  accessLevel: 'external',
  flagged: false,
  authorId: null,
  contactId: 'contact-1',
  channel: 'phone',
  createdAt: NOW,
  to: [],
  cc: [],
  bcc: [],
  originRequestId: null,
  ...fields,
});

/** The note of `noted()`, as a snapshot. */
export const noteSnapshot = (fields: SnapshotInput = {}): E.MessageSnapshot =>
  snapshot({
    messageId: 'msg-2',
    kind: 'note',
    body: 'Called back, no answer',
    accessLevel: 'internal',
    authorId: 'alice',
    contactId: null,
    channel: 'api',
    ...fields,
  });

/** A request Alice took down on the phone: created, with the enquiry as message msg-1. */
export const opened = (): E.RequestEvent[] => [created(), customerMessage()];

/** The same, with Alice's note as msg-2. */
export const openedWithNote = (): E.RequestEvent[] => [created(), customerMessage(), noted()];

/** The reply of `replied()`, as a snapshot. */
export const replySnapshot = (fields: SnapshotInput = {}): E.MessageSnapshot =>
  snapshot({
    messageId: 'msg-2',
    kind: 'reply',
    body: 'A technician is on the way',
    authorId: 'alice',
    contactId: null,
    channel: 'email',
    to: ['jane@customer.example'],
    ...fields,
  });

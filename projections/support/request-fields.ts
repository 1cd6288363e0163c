import { evolveRequest, type ExistingRequest, type RequestEvent, type RequestEventType, type RequestState } from '@helpdesk/domain';
import type { ProjectedEvent } from '../projection';

/**
 * Every request event type. A Record over the union, so a new event type does not compile until it
 * is listed here, and every request read model then receives it.
 */
const REQUEST_EVENTS: Readonly<Record<RequestEventType, true>> = {
  RequestCreated: true,
  CustomerMessageAdded: true,
  ReplyAdded: true,
  InternalNoteAdded: true,
  RequestForwarded: true,
  MessageEdited: true,
  MessageAccessLevelChanged: true,
  MessageFlagged: true,
  MessageUnflagged: true,
  RequestAccepted: true,
  RequestAssigned: true,
  RequestTransferred: true,
  RequestClosed: true,
  RequestReopened: true,
  RequestPostponed: true,
  RequestActivated: true,
  RequestStatusChanged: true,
  RequestDeleted: true,
  RequestRestored: true,
  RequestPriorityChanged: true,
  RequestCategoryChanged: true,
  RequestRetitled: true,
  RequestAccessLevelChanged: true,
  TagAdded: true,
  TagRemoved: true,
  ContactAdded: true,
  ContactRemoved: true,
  ContactsReordered: true,
  RequestSplit: true,
  MessagesMovedIn: true,
  RequestMerged: true,
  MergedRequestJoined: true,
  RequestUnmerged: true,
  RequestMergeUndone: true,
  EmailReceived: true,
  AutoReplyQueued: true,
  EmailSent: true,
  EmailSendFailed: true,
  EmailSuppressed: true,
};

export const REQUEST_EVENT_TYPES: readonly RequestEventType[] = Object.keys(REQUEST_EVENTS) as RequestEventType[];

/**
 * The events on which evolveRequest changes messages only (adds one, edits one, records a delivery)
 * and leaves every request-level field as it was. A read model keeps its request fields as they are
 * on these without running the fold: most request events are messages. Listing a type here is a
 * promise about evolveRequest, checked by request-fields.spec; a type not listed (a new one too)
 * goes through the fold, which is always right, only slower.
 */
export const MESSAGE_ONLY_EVENTS = [
  'CustomerMessageAdded',
  'ReplyAdded',
  'InternalNoteAdded',
  'RequestForwarded',
  'MessageEdited',
  'MessageAccessLevelChanged',
  'MessageFlagged',
  'MessageUnflagged',
  'MessagesMovedIn',
  'EmailReceived',
  'AutoReplyQueued',
  'EmailSent',
  'EmailSendFailed',
  'EmailSuppressed',
] as const satisfies readonly RequestEventType[];

const MESSAGE_ONLY: ReadonlySet<string> = new Set(MESSAGE_ONLY_EVENTS);

/** False when the event certainly leaves the request-level fields as they are (see MESSAGE_ONLY_EVENTS). */
export const changesRequestFields = (type: string): boolean => !MESSAGE_ONLY.has(type);

/**
 * The runner only hands a projection the types it handles, so a handled event is a request event.
 * The projected event is one already (type and data; evolveRequest reads nothing else): no copy.
 */
export const asRequestEvent = (event: ProjectedEvent): RequestEvent => event as unknown as RequestEvent;

/** The request-level fields of the write-side state (everything but messages and merge/split bookkeeping). */
export type RequestCore = Omit<
  ExistingRequest,
  'kind' | 'messages' | 'statusBeforeDelete' | 'statusBeforeMerge' | 'mergedSources' | 'splitInto'
>;

export const REQUEST_CORE_KEYS = [
  'id',
  'number',
  'title',
  'contactIds',
  'categoryId',
  'priorityId',
  'ownerId',
  'statusId',
  'baseStatus',
  'postponedUntil',
  'tags',
  'accessLevel',
  'channel',
  'createdAt',
  'deadline',
  'mergedInto',
  'splitFrom',
] as const satisfies readonly (keyof RequestCore)[];

/**
 * Stands in for the fields a read model does not keep. Safe because evolveRequest sets each request
 * field from the event's data or from that same field only (tags from tags, contactIds from
 * contactIds ...), never from another one: a stand-in can only ever flow into itself.
 */
const STAND_IN: ExistingRequest = {
  kind: 'existing',
  id: '',
  number: 0,
  title: '',
  contactIds: [],
  categoryId: '',
  priorityId: '',
  ownerId: null,
  statusId: '',
  baseStatus: 'open',
  postponedUntil: null,
  tags: [],
  accessLevel: 'external',
  channel: 'api',
  createdAt: '',
  deadline: null,
  messages: [],
  statusBeforeDelete: null,
  mergedInto: null,
  statusBeforeMerge: null,
  mergedSources: [],
  splitFrom: null,
  splitInto: [],
};

/**
 * The write side's own fold, applied to the request fields a read model keeps (`keys`): one
 * definition of what each event does to a request, shared by the deciders and every read model.
 * The fold answers null while the request does not exist (an event before its RequestCreated
 * changes nothing).
 *
 * The answer is the write side's state itself, not a copy of the kept fields: read those (the type
 * shows no others; the rest are stand-ins), never spread it into a document.
 */
export const foldRequestFields = <K extends keyof RequestCore>(
  keys: readonly K[],
): ((current: Pick<RequestCore, K> | null, event: RequestEvent) => Pick<RequestCore, K> | null) => {
  const kept = Object.fromEntries(REQUEST_CORE_KEYS.map((key) => [key, (keys as readonly string[]).includes(key)])) as Record<keyof RequestCore, boolean>;
  return (current, event) => {
    const after = evolveRequest(current === null ? NO_REQUEST : stateOf(current as RequestCore, kept), event);
    return after.kind === 'none' ? null : after;
  };
};

const NO_REQUEST: RequestState = { kind: 'none' };

/** The kept fields of a document, the stand-ins for the others: written out, it is far faster than spreads. */
const stateOf = (c: RequestCore, kept: Record<keyof RequestCore, boolean>): ExistingRequest => ({
  kind: 'existing',
  id: kept.id ? c.id : STAND_IN.id,
  number: kept.number ? c.number : STAND_IN.number,
  title: kept.title ? c.title : STAND_IN.title,
  contactIds: kept.contactIds ? c.contactIds : STAND_IN.contactIds,
  categoryId: kept.categoryId ? c.categoryId : STAND_IN.categoryId,
  priorityId: kept.priorityId ? c.priorityId : STAND_IN.priorityId,
  ownerId: kept.ownerId ? c.ownerId : STAND_IN.ownerId,
  statusId: kept.statusId ? c.statusId : STAND_IN.statusId,
  baseStatus: kept.baseStatus ? c.baseStatus : STAND_IN.baseStatus,
  postponedUntil: kept.postponedUntil ? c.postponedUntil : STAND_IN.postponedUntil,
  tags: kept.tags ? c.tags : STAND_IN.tags,
  accessLevel: kept.accessLevel ? c.accessLevel : STAND_IN.accessLevel,
  channel: kept.channel ? c.channel : STAND_IN.channel,
  createdAt: kept.createdAt ? c.createdAt : STAND_IN.createdAt,
  deadline: kept.deadline ? c.deadline : STAND_IN.deadline,
  messages: STAND_IN.messages,
  statusBeforeDelete: STAND_IN.statusBeforeDelete,
  mergedInto: kept.mergedInto ? c.mergedInto : STAND_IN.mergedInto,
  statusBeforeMerge: STAND_IN.statusBeforeMerge,
  mergedSources: STAND_IN.mergedSources,
  splitFrom: kept.splitFrom ? c.splitFrom : STAND_IN.splitFrom,
  splitInto: STAND_IN.splitInto,
});

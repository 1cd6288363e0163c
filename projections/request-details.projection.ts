import { evolveRequest, type ExistingRequest, type MessageState, type RequestEvent, type RequestState } from '@helpdesk/domain';
import { projection, type Projected } from './projection';
import { actorIdOf, occurredAt, stringField } from './support/event-facts';
import { countIn, messageFacts, NO_FACTS, onlyAppends, type MessageFacts } from './support/message-ledger';
import { asRequestEvent, REQUEST_EVENT_TYPES } from './support/request-fields';
import { closedAtAfter, createdByAfter, type RequestTimes } from './support/request-times';

/** A message as the request view shows it: every version, and when and by whom it was flagged. */
export interface DetailedMessage extends MessageState {
  /** Null when not flagged; the arrival time when it came flagged by split or merge. */
  readonly flaggedAt: string | null;
  /** Null when not flagged, or when it came flagged by split or merge (the snapshot does not say who). */
  readonly flaggedBy: string | null;
}

/**
 * One document per request (id = requestId) for GET /requests/{id}: the write-side state, folded by
 * the write side's own evolveRequest, plus the times it does not keep and the list counts.
 *
 * A merged source keeps its messages as they were when they left (its record until an undo, as in
 * the write-side state), but counts none of them: they are on the target now.
 */
export interface RequestDetails extends Omit<ExistingRequest, 'kind' | 'messages'>, RequestTimes, MessageFacts, Projected {
  readonly messages: readonly DetailedMessage[];
}

const NONE: RequestState = { kind: 'none' };

export const requestDetails = projection<RequestDetails>({
  name: 'request-details',
  version: 1,
  handles: REQUEST_EVENT_TYPES,
  id: (e) => stringField(e, 'requestId'),
  // The document is the write-side state with a little more on each message, so evolveRequest folds
  // it as it is: the messages it does not touch (every one, for most events) stay the same objects,
  // and only a message that is new here or changes its flag is written anew.
  evolve: (doc, e) => {
    const event = asRequestEvent(e);
    const state = evolveRequest(doc === null ? NONE : stateOf(doc), event);
    if (state.kind === 'none') return null;
    const at = occurredAt(e);
    const messages = doc !== null && state.messages === doc.messages ? doc.messages : detailed(state.messages, doc, event, at, actorIdOf(e));
    const facts = factsAfter(doc, state, messages, event);
    return {
      id: state.id,
      number: state.number,
      title: state.title,
      contactIds: state.contactIds,
      categoryId: state.categoryId,
      priorityId: state.priorityId,
      ownerId: state.ownerId,
      statusId: state.statusId,
      baseStatus: state.baseStatus,
      postponedUntil: state.postponedUntil,
      tags: state.tags,
      accessLevel: state.accessLevel,
      channel: state.channel,
      createdAt: state.createdAt,
      deadline: state.deadline,
      messages,
      statusBeforeDelete: state.statusBeforeDelete,
      mergedInto: state.mergedInto,
      statusBeforeMerge: state.statusBeforeMerge,
      mergedSources: state.mergedSources,
      splitFrom: state.splitFrom,
      splitInto: state.splitInto,
      createdBy: createdByAfter(doc, event),
      updatedAt: at,
      closedAt: closedAtAfter(doc, state.baseStatus, at),
      messageCount: facts.messageCount,
      lastMessageAt: facts.lastMessageAt,
      flaggedCount: facts.flaggedCount,
      lastFlaggedAt: facts.lastFlaggedAt,
      _position: e.position,
    };
  },
  // Read by id only (a request's number resolves through the write side): no index, so a rebuild reads none of
  // these large documents again to make one.
  indexes: [],
});

/** The document as the write side's state: its own messages (a DetailedMessage is a MessageState), no copies. */
const stateOf = (d: RequestDetails): ExistingRequest => ({
  kind: 'existing',
  id: d.id,
  number: d.number,
  title: d.title,
  contactIds: d.contactIds,
  categoryId: d.categoryId,
  priorityId: d.priorityId,
  ownerId: d.ownerId,
  statusId: d.statusId,
  baseStatus: d.baseStatus,
  postponedUntil: d.postponedUntil,
  tags: d.tags,
  accessLevel: d.accessLevel,
  channel: d.channel,
  createdAt: d.createdAt,
  deadline: d.deadline,
  messages: d.messages,
  statusBeforeDelete: d.statusBeforeDelete,
  mergedInto: d.mergedInto,
  statusBeforeMerge: d.statusBeforeMerge,
  mergedSources: d.mergedSources,
  splitFrom: d.splitFrom,
  splitInto: d.splitInto,
});

/**
 * The state's messages with their flag times. Those that were here already are DetailedMessages
 * still (evolveRequest keeps them, or copies them with a change, extra fields and all); the others
 * are new here: written by this event, or come with a split, a merge or an undone merge.
 */
const detailed = (
  messages: readonly MessageState[],
  doc: RequestDetails | null,
  event: RequestEvent,
  at: string,
  actorId: string | null,
): readonly DetailedMessage[] => {
  let out: DetailedMessage[] | null = null;
  // A message event adds at the end; what was here before keeps its flag times (a bounce's new delivery state too).
  const from = doc !== null && onlyAppends(event.type) ? doc.messages.length : 0;
  for (let i = from; i < messages.length; i++) {
    const m = messages[i]!;
    const d = withFlagTimes(m, doc, event, at, actorId);
    if (d === m) continue;
    out ??= messages.slice() as DetailedMessage[];
    out[i] = d;
  }
  // Every message kept its object: each one was a DetailedMessage already.
  return out ?? (messages as readonly DetailedMessage[]);
};

const withFlagTimes = (m: MessageState, doc: RequestDetails | null, event: RequestEvent, at: string, actorId: string | null): DetailedMessage => {
  const known = m as Partial<DetailedMessage> & MessageState;
  if (known.flaggedAt === undefined) {
    if (!m.flagged) return detailedMessage(m, null, null);
    // Flagged from its arrival (the snapshot carries the flag, not its time), unless it comes home by
    // an undone merge: then it gets back the time and author it had before it left.
    const was = event.type === 'RequestMergeUndone' ? doc?.messages.find((x) => x.messageId === m.messageId) : undefined;
    return was?.flaggedAt ? detailedMessage(m, was.flaggedAt, was.flaggedBy) : detailedMessage(m, at, null);
  }
  const d = known as DetailedMessage;
  switch (event.type) {
    case 'MessageFlagged':
      // Flagging a flagged message changes nothing: the first flag's time and author stay.
      return d.messageId === event.data.messageId && d.flaggedAt === null ? detailedMessage(d, at, actorId) : d;
    case 'MessageUnflagged':
      return d.messageId === event.data.messageId && (d.flaggedAt !== null || d.flaggedBy !== null) ? detailedMessage(d, null, null) : d;
    default:
      return d;
  }
};

/**
 * The snapshot's own fields (what evolveRequest keeps and what travels with split and merge) and the
 * flag times. Written out rather than spread: a spread with more fields after it is several times
 * slower, and this runs for every message a request gets. Mail facts only where the message has them
 * (its inbound HTML is sanitised before it is ever stored) and files only where it has them.
 */
const detailedMessage = (m: MessageState, flaggedAt: string | null, flaggedBy: string | null): DetailedMessage => {
  const detailed = withoutAttachments(m, flaggedAt, flaggedBy);
  // Files sent with a reply (the few messages that have them).
  return m.attachments === undefined ? detailed : { ...detailed, attachments: m.attachments };
};

const withoutAttachments = (m: MessageState, flaggedAt: string | null, flaggedBy: string | null): DetailedMessage =>
  m.email === undefined
    ? {
        messageId: m.messageId,
        kind: m.kind,
        versions: m.versions,
        accessLevel: m.accessLevel,
        flagged: m.flagged,
        authorId: m.authorId,
        contactId: m.contactId,
        channel: m.channel,
        createdAt: m.createdAt,
        to: m.to,
        cc: m.cc,
        bcc: m.bcc,
        originRequestId: m.originRequestId,
        flaggedAt,
        flaggedBy,
      }
    : {
        email: m.email,
        messageId: m.messageId,
        kind: m.kind,
        versions: m.versions,
        accessLevel: m.accessLevel,
        flagged: m.flagged,
        authorId: m.authorId,
        contactId: m.contactId,
        channel: m.channel,
        createdAt: m.createdAt,
        to: m.to,
        cc: m.cc,
        bcc: m.bcc,
        originRequestId: m.originRequestId,
        flaggedAt,
        flaggedBy,
      };

/**
 * The counts over the messages on the request: none while merged (they are all on the target);
 * counted on from the messages added at the end by a message event; counted anew in one pass after
 * anything else that changed the messages (a flag, a split, a merge coming back).
 */
const factsAfter = (doc: RequestDetails | null, state: ExistingRequest, messages: readonly DetailedMessage[], event: RequestEvent): MessageFacts => {
  if (state.baseStatus === 'merged') return NO_FACTS;
  if (doc === null || doc.baseStatus === 'merged') return messageFacts(messages);
  if (messages === doc.messages) return doc;
  return onlyAppends(event.type) ? countIn(doc, messages, doc.messages.length) : messageFacts(messages);
};

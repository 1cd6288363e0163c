import type { MessageKind } from '@helpdesk/domain';
import { projection, type Projected } from './projection';
import { actorIdOf, occurredAt, stringField } from './support/event-facts';
import { evolveLedger, onlyAppends, type LedgerEntry } from './support/message-ledger';
import { asRequestEvent, changesRequestFields, foldRequestFields, REQUEST_EVENT_TYPES, type RequestCore } from './support/request-fields';

const REQUEST_KEYS = ['number', 'title', 'categoryId', 'baseStatus'] as const;

export interface FlaggedMessage {
  readonly messageId: string;
  /** The start of the message's latest text. */
  readonly excerpt: string;
  readonly kind: MessageKind;
  /** When it was flagged; for a message that arrived flagged by split or merge, when it arrived. */
  readonly flaggedAt: string;
  /** Null when it arrived flagged by split or merge: the snapshot carries the flag, not who set it. */
  readonly flaggedBy: string | null;
}

/** What the list shows of a request: its flagged messages, how many, and the latest flag. */
interface FlaggedList {
  /** In message order. */
  readonly flagged: readonly FlaggedMessage[];
  readonly flaggedCount: number;
  readonly lastFlaggedAt: string | null;
}

/**
 * One document per request (id = requestId) with its flagged messages, listed by lastFlaggedAt
 * (null when none is flagged: such documents are left out by a range filter on it).
 *
 * The document exists from RequestCreated on, not from the first flag: MessageFlagged carries
 * only ids, so the request's number, title and category and the text of every message must already
 * be known here when a flag comes, possibly long after. Flags leave with the messages a split or a
 * merge takes away, and come back with an unmerge.
 */
export interface FlaggedMessagesDocument extends Pick<RequestCore, (typeof REQUEST_KEYS)[number]>, FlaggedList, Projected {
  readonly requestId: string;
  /** Every message of the request with an excerpt of its text, flagged or not; not for display. */
  readonly _ledger: readonly LedgerEntry[];
}

const NO_ENTRIES: readonly LedgerEntry[] = [];
const foldFields = foldRequestFields(REQUEST_KEYS);

export const flaggedMessages = projection<FlaggedMessagesDocument>({
  name: 'flagged-messages',
  version: 1,
  handles: REQUEST_EVENT_TYPES,
  id: (e) => stringField(e, 'requestId'),
  evolve: (doc, e) => {
    const event = asRequestEvent(e);
    let request: Pick<RequestCore, (typeof REQUEST_KEYS)[number]> | null = doc;
    if (doc === null || changesRequestFields(event.type)) request = foldFields(doc, event);
    if (request === null) return null;
    const before = doc === null ? NO_ENTRIES : doc._ledger;
    const ledger = evolveLedger(before, event, { at: occurredAt(e), actorId: actorIdOf(e), excerpts: true });
    // Most events add an unflagged message, or change no message at all: the list stays as it was.
    const list = doc !== null && (ledger === before || (onlyAppends(event.type) && noneFlagged(ledger, before.length))) ? doc : flaggedIn(ledger);
    return {
      requestId: event.data.requestId,
      number: request.number,
      title: request.title,
      categoryId: request.categoryId,
      baseStatus: request.baseStatus,
      flagged: list.flagged,
      flaggedCount: list.flaggedCount,
      lastFlaggedAt: list.lastFlaggedAt,
      _ledger: ledger,
      _position: e.position,
    };
  },
  indexes: [
    { name: 'by_last_flagged', fields: ['lastFlaggedAt'] },
    { name: 'by_category_last_flagged', fields: ['categoryId', 'lastFlaggedAt'] },
  ],
});

const noneFlagged = (ledger: readonly LedgerEntry[], from: number): boolean => {
  for (let i = from; i < ledger.length; i++) if (ledger[i]!.flaggedAt !== null) return false;
  return true;
};

const flaggedIn = (ledger: readonly LedgerEntry[]): FlaggedList => {
  const flagged: FlaggedMessage[] = [];
  let lastFlaggedAt: string | null = null;
  for (const m of ledger) {
    if (m.away || m.flaggedAt === null) continue;
    flagged.push({ messageId: m.messageId, excerpt: m.excerpt ?? '', kind: m.kind, flaggedAt: m.flaggedAt, flaggedBy: m.flaggedBy });
    if (lastFlaggedAt === null || m.flaggedAt > lastFlaggedAt) lastFlaggedAt = m.flaggedAt;
  }
  return { flagged, flaggedCount: flagged.length, lastFlaggedAt };
};

import type { MessageKind, MessageSnapshot, RequestEvent } from '@helpdesk/domain';

/**
 * What the request read models remember about each message of a request, beyond what its events
 * carry later: when and by whom it was flagged (MessageFlagged has neither; they come from the
 * event's metadata), when it was written, and (for flagged-messages) the start of its latest text,
 * since a flag can come long after the text and does not carry it.
 */
export interface LedgerEntry {
  readonly messageId: string;
  readonly kind: MessageKind;
  readonly createdAt: string;
  /**
   * When it was flagged, null when it is not. A message that arrives flagged by a split or a merge
   * counts as flagged from its arrival (the snapshot carries the flag, not its time); one that comes
   * home by an undone merge gets back the time it had before it left.
   */
  readonly flaggedAt: string | null;
  /** Who flagged it; null when it arrived flagged (unknown here) or is not flagged. */
  readonly flaggedBy: string | null;
  /** Left with a merge: kept for the undo, counted nowhere. */
  readonly away: boolean;
  /** The start of its latest text, when the ledger keeps excerpts; null otherwise. */
  readonly excerpt: string | null;
}

export interface LedgerOptions {
  /** occurredAt of the event. */
  readonly at: string;
  readonly actorId: string | null;
  /** Keep an excerpt of each message's latest text. */
  readonly excerpts: boolean;
}

/** The counts a request list shows, over the messages that are on the request now. */
export interface MessageFacts {
  readonly messageCount: number;
  readonly lastMessageAt: string | null;
  readonly flaggedCount: number;
  readonly lastFlaggedAt: string | null;
}

export const NO_FACTS: MessageFacts = { messageCount: 0, lastMessageAt: null, flaggedCount: 0, lastFlaggedAt: null };

export const EXCERPT_LENGTH = 200;

/** Any whitespace that folding would change: a run of two, or one that is not a plain space. */
const UNFOLDED = /[^\S ]| {2}/;
const WHITESPACE = /\s+/g;

const fold = (text: string): string => (UNFOLDED.test(text) ? text.replace(WHITESPACE, ' ') : text).trim();
const cut = (flat: string): string => `${flat.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…`;

/**
 * Whitespace folded, at most EXCERPT_LENGTH characters, an ellipsis when cut.
 *
 * Only the start of a text can show, so it folds a start of the text first, a few characters longer
 * than an excerpt, then four times as long, and so on: the folded start of a text is the start of the
 * folded text, so once it is longer than an excerpt the rest cannot show. Every message of a request
 * gets an excerpt, and a long mail costs no more than a short one.
 */
export const excerptOf = (text: string): string => {
  for (let head = EXCERPT_LENGTH + 2; head < text.length; head *= 4) {
    const flat = fold(text.slice(0, head));
    if (flat.length > EXCERPT_LENGTH) return cut(flat);
  }
  const flat = fold(text);
  return flat.length <= EXCERPT_LENGTH ? flat : cut(flat);
};

/** Edits add versions; the highest one is the text people see now. */
export const latestText = (message: Pick<MessageSnapshot, 'versions'>): string =>
  message.versions.reduce<{ version: number; body: string } | null>(
    (best, v) => (best === null || v.version >= best.version ? v : best),
    null,
  )?.body ?? '';

const written = (messageId: string, kind: MessageKind, createdAt: string, text: string, options: LedgerOptions): LedgerEntry => ({
  messageId,
  kind,
  createdAt,
  flaggedAt: null,
  flaggedBy: null,
  away: false,
  excerpt: options.excerpts ? excerptOf(text) : null,
});

/** A message that came with a split or a merge: flagged from its arrival when it came flagged. */
const arrived = (m: MessageSnapshot, options: LedgerOptions): LedgerEntry => ({
  messageId: m.messageId,
  kind: m.kind,
  createdAt: m.createdAt,
  flaggedAt: m.flagged ? options.at : null,
  flaggedBy: null,
  away: false,
  excerpt: options.excerpts ? excerptOf(latestText(m)) : null,
});

/**
 * The ledger after the event: the same array when the event changes no entry, otherwise a new one
 * sharing every entry it does not change (the entries are never modified).
 */
export const evolveLedger = (ledger: readonly LedgerEntry[], event: RequestEvent, options: LedgerOptions): readonly LedgerEntry[] => {
  switch (event.type) {
    case 'CustomerMessageAdded':
      return appendWritten(ledger, event.data.messageId, 'customer', event.data.at, event.data.body, options);
    case 'ReplyAdded':
      return appendWritten(ledger, event.data.messageId, 'reply', event.data.at, event.data.body, options);
    case 'InternalNoteAdded':
      return appendWritten(ledger, event.data.messageId, 'note', event.data.at, event.data.body, options);
    case 'RequestForwarded':
      return appendWritten(ledger, event.data.messageId, 'forward', event.data.at, event.data.note, options);
    case 'EmailReceived':
      return appendWritten(ledger, event.data.messageId, event.data.role === 'contact' ? 'customer' : 'external', event.data.at, event.data.body, options);
    case 'AutoReplyQueued':
      return appendWritten(ledger, event.data.messageId, 'automatic', event.data.at, event.data.body, options);
    case 'MessageEdited':
      return options.excerpts ? update(ledger, event.data.messageId, (e) => withExcerpt(e, excerptOf(event.data.body))) : ledger;
    case 'MessageFlagged':
      // Flagging a flagged message changes nothing: the first flag's time and author stay.
      return update(ledger, event.data.messageId, (e) => (e.flaggedAt !== null ? e : withFlag(e, options.at, options.actorId)));
    case 'MessageUnflagged':
      return update(ledger, event.data.messageId, (e) => (e.flaggedAt === null && e.flaggedBy === null ? e : withFlag(e, null, null)));

    case 'RequestSplit':
    case 'RequestUnmerged':
      return remove(ledger, event.data.messages);
    case 'MessagesMovedIn':
    case 'MergedRequestJoined':
      return append(ledger, event.data.messages, options);
    case 'RequestMerged': {
      const leaving = idsOf(event.data.messages);
      return ledger.map((e) => (leaving.has(e.messageId) ? { ...e, away: true } : e));
    }
    case 'RequestMergeUndone':
      // Home again, as they are now: the text and flag may have changed on the target meanwhile.
      return event.data.messages.map((m) => {
        const entry = arrived(m, options);
        const was = m.flagged ? ledger.find((e) => e.messageId === m.messageId) : undefined;
        return was?.flaggedAt ? withFlag(entry, was.flaggedAt, was.flaggedBy) : entry;
      });
    default:
      return ledger;
  }
};

/** The events that only add entries at the end of a ledger (when they change it at all). */
const APPENDING: ReadonlySet<string> = new Set<RequestEvent['type']>([
  'CustomerMessageAdded',
  'ReplyAdded',
  'InternalNoteAdded',
  'RequestForwarded',
  'EmailReceived',
  'AutoReplyQueued',
  'MessagesMovedIn',
  'MergedRequestJoined',
]);

/** Whether this event only ever adds messages, unflagged unless they came flagged by split or merge. */
export const onlyAppends = (type: string): boolean => APPENDING.has(type);

/** Anything the facts can be counted over: ledger entries, or messages that say when they were flagged. */
export interface Countable {
  readonly createdAt: string;
  readonly flaggedAt: string | null;
  readonly away?: boolean;
}

/** `base` with `entries` from index `from` on counted in (the ones away not). */
export const countIn = (base: MessageFacts, entries: readonly Countable[], from: number): MessageFacts => {
  let { messageCount, lastMessageAt, flaggedCount, lastFlaggedAt } = base;
  for (let i = from; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.away === true) continue;
    messageCount++;
    if (lastMessageAt === null || e.createdAt > lastMessageAt) lastMessageAt = e.createdAt;
    if (e.flaggedAt !== null) {
      flaggedCount++;
      if (lastFlaggedAt === null || e.flaggedAt > lastFlaggedAt) lastFlaggedAt = e.flaggedAt;
    }
  }
  return { messageCount, lastMessageAt, flaggedCount, lastFlaggedAt };
};

export const messageFacts = (ledger: readonly Countable[]): MessageFacts => countIn(NO_FACTS, ledger, 0);

/**
 * The facts after the event, from those before: unchanged when the ledger is, counted on from the
 * entries added at the end by a message, counted anew (one pass, nothing allocated but the answer)
 * after the rare events that change entries already there.
 */
export const evolveFacts = (
  facts: MessageFacts,
  before: readonly LedgerEntry[],
  after: readonly LedgerEntry[],
  event: RequestEvent,
): MessageFacts => {
  if (after === before) return facts;
  return onlyAppends(event.type) ? countIn(facts, after, before.length) : messageFacts(after);
};

/** Message ids are unique on a request (as in evolveRequest): one that is here already is not added again. */
const isHere = (ledger: readonly LedgerEntry[], messageId: string): boolean => {
  for (let i = 0; i < ledger.length; i++) if (ledger[i]!.messageId === messageId) return true;
  return false;
};

const appendWritten = (
  ledger: readonly LedgerEntry[],
  messageId: string,
  kind: MessageKind,
  createdAt: string,
  text: string,
  options: LedgerOptions,
): readonly LedgerEntry[] => (isHere(ledger, messageId) ? ledger : [...ledger, written(messageId, kind, createdAt, text, options)]);

const append = (ledger: readonly LedgerEntry[], messages: readonly MessageSnapshot[], options: LedgerOptions): readonly LedgerEntry[] => {
  let next: LedgerEntry[] | null = null;
  for (const m of messages) {
    if (isHere(next ?? ledger, m.messageId)) continue;
    (next ??= [...ledger]).push(arrived(m, options));
  }
  return next ?? ledger;
};

/** The one entry of this message changed; the same ledger when it is not here or `change` keeps it. */
const update = (ledger: readonly LedgerEntry[], messageId: string, change: (e: LedgerEntry) => LedgerEntry): readonly LedgerEntry[] => {
  const i = ledger.findIndex((e) => e.messageId === messageId);
  if (i < 0) return ledger;
  const changed = change(ledger[i]!);
  if (changed === ledger[i]) return ledger;
  const next = ledger.slice();
  next[i] = changed;
  return next;
};

const remove = (ledger: readonly LedgerEntry[], messages: readonly MessageSnapshot[]): readonly LedgerEntry[] => {
  const leaving = idsOf(messages);
  return ledger.filter((e) => !leaving.has(e.messageId));
};

const idsOf = (messages: readonly MessageSnapshot[]): ReadonlySet<string> => new Set(messages.map((m) => m.messageId));

const withFlag = (e: LedgerEntry, flaggedAt: string | null, flaggedBy: string | null): LedgerEntry => ({
  messageId: e.messageId,
  kind: e.kind,
  createdAt: e.createdAt,
  flaggedAt,
  flaggedBy,
  away: e.away,
  excerpt: e.excerpt,
});

const withExcerpt = (e: LedgerEntry, excerpt: string): LedgerEntry =>
  e.excerpt === excerpt
    ? e
    : { messageId: e.messageId, kind: e.kind, createdAt: e.createdAt, flaggedAt: e.flaggedAt, flaggedBy: e.flaggedBy, away: e.away, excerpt };

import { projection, type Projected } from './projection';
import { actorIdOf, occurredAt, stringField } from './support/event-facts';
import { evolveFacts, evolveLedger, NO_FACTS, type LedgerEntry, type MessageFacts } from './support/message-ledger';
import {
  asRequestEvent,
  changesRequestFields,
  foldRequestFields,
  REQUEST_CORE_KEYS,
  REQUEST_EVENT_TYPES,
  type RequestCore,
} from './support/request-fields';
import { closedAtAfter, createdByAfter, type RequestTimes } from './support/request-times';

/**
 * One document per request (id = requestId) for lists, counts and the dashboard: own open,
 * unassigned queue, deadline passed, by status, by category, by tag, a contact's (and via contacts a
 * company's) requests, last requests, flagged. Merged sources stay, with baseStatus 'merged' and
 * `mergedInto`, so an old number still resolves to its target.
 *
 * Message counts follow the messages: a split takes them to the new request, a merge to the target
 * (the source counts none while merged), an unmerge brings them back with their flags.
 */
/** Sorts after every real deadline: requests without one come last in the queue. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

export interface RequestSummary extends RequestCore, RequestTimes, MessageFacts, Projected {
  /** The deadline, or NO_DEADLINE: what the queue is ordered by ("closest deadlines first", none last). */
  readonly queueDeadline: string;
  /**
   * The UTC day of the deadline (deadlines are UTC ISO strings), for the deadline-passed count: whole days from a
   * counter, only today's by an index range. Not for display.
   */
  readonly _deadlineDay: string | null;
  /** Bookkeeping behind the counts (which messages are here, which are flagged since when); not for display. */
  readonly _ledger: readonly LedgerEntry[];
}

const NO_ENTRIES: readonly LedgerEntry[] = [];
const foldFields = foldRequestFields(REQUEST_CORE_KEYS);

export const requestSummaries = projection<RequestSummary>({
  name: 'request-summaries',
  // v2: queueDeadline (requests without a deadline go to the end of the queue). v3: _deadlineDay and its counter.
  version: 3,
  handles: REQUEST_EVENT_TYPES,
  id: (e) => stringField(e, 'requestId'),
  // What an event changes, and nothing else: the request fields through the write side's fold only
  // when the event can change them, the ledger by the one entry it touches, the counts from the last.
  evolve: (doc, e) => {
    const event = asRequestEvent(e);
    let core: RequestCore | null = doc;
    if (doc === null || changesRequestFields(event.type)) core = foldFields(doc, event);
    if (core === null) return null;
    const at = occurredAt(e);
    const before = doc === null ? NO_ENTRIES : doc._ledger;
    const ledger = evolveLedger(before, event, { at, actorId: actorIdOf(e), excerpts: false });
    const facts = evolveFacts(doc ?? NO_FACTS, before, ledger, event);
    return {
      id: core.id,
      number: core.number,
      title: core.title,
      statusId: core.statusId,
      baseStatus: core.baseStatus,
      ownerId: core.ownerId,
      categoryId: core.categoryId,
      priorityId: core.priorityId,
      accessLevel: core.accessLevel,
      channel: core.channel,
      tags: core.tags,
      contactIds: core.contactIds,
      deadline: core.deadline,
      queueDeadline: core.deadline ?? NO_DEADLINE,
      _deadlineDay: core.deadline === null ? null : core.deadline.slice(0, 10),
      postponedUntil: core.postponedUntil,
      createdAt: core.createdAt,
      updatedAt: at,
      closedAt: closedAtAfter(doc, core.baseStatus, at),
      messageCount: facts.messageCount,
      lastMessageAt: facts.lastMessageAt,
      flaggedCount: facts.flaggedCount,
      lastFlaggedAt: facts.lastFlaggedAt,
      mergedInto: core.mergedInto,
      splitFrom: core.splitFrom,
      createdBy: createdByAfter(doc, event),
      _ledger: ledger,
      _position: e.position,
    };
  },
  indexes: [
    // Own open requests / a handler's requests by status, most recently changed first.
    { name: 'by_owner_base_updated', fields: ['ownerId', 'baseStatus', 'updatedAt'] },
    // The unassigned queue (ownerId null, open) by deadline, none last; also "my open requests by deadline".
    { name: 'by_owner_base_queue', fields: ['ownerId', 'baseStatus', 'queueDeadline'] },
    // Deadline passed: open requests whose deadline is before now; counts per base status.
    { name: 'by_base_deadline', fields: ['baseStatus', 'deadline'] },
    { name: 'by_base_updated', fields: ['baseStatus', 'updatedAt'] },
    { name: 'by_status_updated', fields: ['statusId', 'updatedAt'] },
    { name: 'by_category_base_updated', fields: ['categoryId', 'baseStatus', 'updatedAt'] },
    // By category over several base statuses (the listed ones: `baseStatus in`), no base-status equality.
    { name: 'by_category_updated', fields: ['categoryId', 'updatedAt'] },
    { name: 'by_tag_updated', fields: ['tags', 'updatedAt'] },
    // A contact's requests (a company's: over its contacts' ids).
    { name: 'by_contact_updated', fields: ['contactIds', 'updatedAt'] },
    // Last requests.
    { name: 'by_created', fields: ['createdAt'] },
    // (Flagged lists are flagged-messages': no lastFlaggedAt index here.)
    { name: 'by_number', fields: ['number'] },
  ],
  // Exact counts for the dashboard tiles and the lists' totals, each restricted to the categories an
  // agent may see (`categoryId in`): own open and unassigned (and open per agent), open per status,
  // unresolved (base status in open, postponed), a status's or a tag's list.
  counters: [
    { name: 'by_base_owner_category', fields: ['baseStatus', 'ownerId', 'categoryId'] },
    { name: 'by_base_status_category', fields: ['baseStatus', 'statusId', 'categoryId'] },
    { name: 'by_tag_base_category', fields: ['tags', 'baseStatus', 'categoryId'] },
    // Deadline passed: open requests per deadline day (and category), summed over the days before today.
    { name: 'by_base_deadline_day_category', fields: ['baseStatus', '_deadlineDay', 'categoryId'] },
  ],
});

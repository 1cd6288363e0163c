/**
 * Builders for projection specs: domain events with the defaults a reader expects ("request #1042
 * about a jamming printer, phoned in by Petra, taken down by Alice") and a log that gives each one a
 * position, a stream revision and metadata as the write side stores it. Override only what a spec
 * is about.
 */
import type * as D from '@helpdesk/domain';
import type { ProjectedEvent } from '../projection';

export type DomainEvent = D.RequestEvent | D.AgentEvent | D.ContactEvent | D.CompanyEvent;

// ---- time ---------------------------------------------------------------------------------------

export const T0 = '2026-03-02T09:00:00.000Z';
/** `n` minutes after T0, as an ISO instant. */
export const T = (n: number): string => new Date(Date.parse(T0) + n * 60_000).toISOString();

// ---- the log ------------------------------------------------------------------------------------

export interface Step {
  readonly event: DomainEvent;
  readonly at: string;
  readonly by: string;
}

/** `event` happened `minute` minutes after T0, done by `by` (an agent id, or 'system'). */
export const at = (minute: number, event: DomainEvent, by = 'alice'): Step => ({ event, at: T(minute), by });

const streamOf = (event: DomainEvent): string => {
  const data = event.data as Record<string, unknown>;
  if ('requestId' in data) return `request-${String(data['requestId'])}`;
  if ('agentId' in data) return `agent-${String(data['agentId'])}`;
  if ('contactId' in data) return `contact-${String(data['contactId'])}`;
  return `company-${String(data['companyId'])}`;
};

/** The steps as the store records them: global positions from 1, revisions per stream from 0. */
export const log = (...steps: readonly (Step | readonly Step[])[]): ProjectedEvent[] => {
  const revisions = new Map<string, number>();
  return steps.flat().map((step, i) => {
    const streamId = streamOf(step.event);
    const revision = revisions.get(streamId) ?? 0;
    revisions.set(streamId, revision + 1);
    return {
      type: step.event.type,
      data: step.event.data,
      streamId,
      revision,
      position: i + 1,
      metadata: {
        actorId: step.by,
        actorRole: step.by === 'system' ? 'system' : 'agent',
        channel: step.by === 'system' ? 'system' : 'api',
        occurredAt: step.at,
        correlationId: `corr-${i + 1}`,
        schemaVersion: 1,
      },
      // The store writes a moment later than the command's clock.
      recordedAt: new Date(Date.parse(step.at) + 5).toISOString(),
    };
  });
};

// ---- requests -----------------------------------------------------------------------------------

export const REQ: D.RequestRef = { requestId: 'req-1', number: 1042 };
export const OTHER: D.RequestRef = { requestId: 'req-2', number: 1043 };
export const THIRD: D.RequestRef = { requestId: 'req-3', number: 1044 };

export const TITLE = 'Printer on floor 3 jams on every job';
export const ENQUIRY = 'Hello, the printer on floor 3 jams on every job since Monday. Can someone look at it?';

export const created = (data: Partial<D.RequestCreated['data']> = {}): D.RequestCreated => ({
  type: 'RequestCreated',
  data: {
    requestId: REQ.requestId,
    number: REQ.number,
    title: TITLE,
    contactIds: ['petra'],
    categoryId: 'general',
    priorityId: 'normal',
    ownerId: null,
    statusId: 'new',
    baseStatus: 'open',
    postponedUntil: null,
    tags: [],
    accessLevel: 'external',
    channel: 'phone',
    createdAt: T(0),
    createdBy: 'alice',
    deadline: T(8 * 60),
    splitFrom: null,
    ...data,
  },
});

export const customerMessage = (data: Partial<D.CustomerMessageAdded['data']> = {}): D.CustomerMessageAdded => ({
  type: 'CustomerMessageAdded',
  data: {
    requestId: REQ.requestId,
    messageId: 'm-1',
    body: ENQUIRY,
    accessLevel: 'external',
    channel: 'phone',
    contactId: 'petra',
    recordedBy: 'alice',
    at: T(0),
    ...data,
  },
});

export const replied = (data: Partial<D.ReplyAdded['data']> = {}): D.ReplyAdded => ({
  type: 'ReplyAdded',
  data: {
    requestId: REQ.requestId,
    messageId: 'm-2',
    body: 'Hi Petra, we are sending a technician this afternoon.',
    accessLevel: 'external',
    to: ['petra@acme.test'],
    cc: [],
    bcc: [],
    authorId: 'bob',
    at: T(30),
    ...data,
  },
});

export const noted = (data: Partial<D.InternalNoteAdded['data']> = {}): D.InternalNoteAdded => ({
  type: 'InternalNoteAdded',
  data: { requestId: REQ.requestId, messageId: 'm-3', body: 'Fuser unit is worn, order a new one.', authorId: 'bob', at: T(60), ...data },
});

export const forwarded = (data: Partial<D.RequestForwarded['data']> = {}): D.RequestForwarded => ({
  type: 'RequestForwarded',
  data: {
    requestId: REQ.requestId,
    messageId: 'm-4',
    note: 'Please quote a replacement fuser for an LX-400.',
    forwardedMessageIds: ['m-1'],
    to: ['parts@supplier.test'],
    cc: [],
    bcc: [],
    authorId: 'bob',
    at: T(90),
    ...data,
  },
});

export const edited = (data: Partial<D.MessageEdited['data']> = {}): D.MessageEdited => ({
  type: 'MessageEdited',
  data: { requestId: REQ.requestId, messageId: 'm-1', version: 2, body: 'The printer on floor 3 jams on every job.', editedBy: 'carol', at: T(120), ...data },
});

export const messageAccessLevelChanged = (data: Partial<D.MessageAccessLevelChanged['data']> = {}): D.MessageAccessLevelChanged => ({
  type: 'MessageAccessLevelChanged',
  data: { requestId: REQ.requestId, messageId: 'm-1', accessLevel: 'internal', ...data },
});

export const flagged = (data: Partial<D.MessageFlagged['data']> = {}): D.MessageFlagged => ({
  type: 'MessageFlagged',
  data: { requestId: REQ.requestId, messageId: 'm-1', ...data },
});

export const unflagged = (data: Partial<D.MessageUnflagged['data']> = {}): D.MessageUnflagged => ({
  type: 'MessageUnflagged',
  data: { requestId: REQ.requestId, messageId: 'm-1', ...data },
});

export const accepted = (data: Partial<D.RequestAccepted['data']> = {}): D.RequestAccepted => ({
  type: 'RequestAccepted',
  data: { requestId: REQ.requestId, ownerId: 'bob', previousOwnerId: null, statusId: 'in-progress', baseStatus: 'open', ...data },
});

export const assigned = (data: Partial<D.RequestAssigned['data']> = {}): D.RequestAssigned => ({
  type: 'RequestAssigned',
  data: { requestId: REQ.requestId, ownerId: 'bob', previousOwnerId: null, ...data },
});

export const transferred = (data: Partial<D.RequestTransferred['data']> = {}): D.RequestTransferred => ({
  type: 'RequestTransferred',
  data: {
    requestId: REQ.requestId,
    ownerId: 'carol',
    previousOwnerId: 'bob',
    categoryId: 'invoicing',
    previousCategoryId: 'general',
    noteMessageId: 'm-5',
    ...data,
  },
});

export const closed = (data: Partial<D.RequestClosed['data']> = {}): D.RequestClosed => ({
  type: 'RequestClosed',
  data: { requestId: REQ.requestId, statusId: 'closed', previousStatusId: 'in-progress', ...data },
});

export const reopened = (data: Partial<D.RequestReopened['data']> = {}): D.RequestReopened => ({
  type: 'RequestReopened',
  data: { requestId: REQ.requestId, statusId: 'in-progress', previousStatusId: 'closed', ...data },
});

export const postponed = (data: Partial<D.RequestPostponed['data']> = {}): D.RequestPostponed => ({
  type: 'RequestPostponed',
  data: { requestId: REQ.requestId, statusId: 'postponed', until: T(3 * 24 * 60), previousStatusId: 'in-progress', ...data },
});

export const activated = (data: Partial<D.RequestActivated['data']> = {}): D.RequestActivated => ({
  type: 'RequestActivated',
  data: { requestId: REQ.requestId, statusId: 'new', previousStatusId: 'postponed', ...data },
});

export const statusChanged = (data: Partial<D.RequestStatusChanged['data']> = {}): D.RequestStatusChanged => ({
  type: 'RequestStatusChanged',
  data: { requestId: REQ.requestId, statusId: 'waiting', baseStatus: 'open', previousStatusId: 'in-progress', ...data },
});

export const deleted = (data: Partial<D.RequestDeleted['data']> = {}): D.RequestDeleted => ({
  type: 'RequestDeleted',
  data: { requestId: REQ.requestId, statusId: 'deleted', previousStatusId: 'in-progress', ...data },
});

export const restored = (data: Partial<D.RequestRestored['data']> = {}): D.RequestRestored => ({
  type: 'RequestRestored',
  data: { requestId: REQ.requestId, statusId: 'in-progress', baseStatus: 'open', previousStatusId: 'deleted', ...data },
});

export const priorityChanged = (data: Partial<D.RequestPriorityChanged['data']> = {}): D.RequestPriorityChanged => ({
  type: 'RequestPriorityChanged',
  data: { requestId: REQ.requestId, priorityId: 'urgent', previousPriorityId: 'normal', deadline: T(60), ...data },
});

export const categoryChanged = (data: Partial<D.RequestCategoryChanged['data']> = {}): D.RequestCategoryChanged => ({
  type: 'RequestCategoryChanged',
  data: { requestId: REQ.requestId, categoryId: 'invoicing', previousCategoryId: 'general', ...data },
});

export const retitled = (data: Partial<D.RequestRetitled['data']> = {}): D.RequestRetitled => ({
  type: 'RequestRetitled',
  data: { requestId: REQ.requestId, title: 'LX-400 fuser worn out', previousTitle: TITLE, ...data },
});

export const accessLevelChanged = (data: Partial<D.RequestAccessLevelChanged['data']> = {}): D.RequestAccessLevelChanged => ({
  type: 'RequestAccessLevelChanged',
  data: { requestId: REQ.requestId, accessLevel: 'internal', ...data },
});

export const tagAdded = (tag: string, requestId = REQ.requestId): D.TagAdded => ({ type: 'TagAdded', data: { requestId, tag } });
export const tagRemoved = (tag: string, requestId = REQ.requestId): D.TagRemoved => ({ type: 'TagRemoved', data: { requestId, tag } });

export const contactAdded = (contactId: string, position: number, requestId = REQ.requestId): D.ContactAdded => ({
  type: 'ContactAdded',
  data: { requestId, contactId, position },
});
export const contactRemoved = (contactId: string, requestId = REQ.requestId): D.ContactRemoved => ({
  type: 'ContactRemoved',
  data: { requestId, contactId },
});
export const contactsReordered = (contactIds: string[], requestId = REQ.requestId): D.ContactsReordered => ({
  type: 'ContactsReordered',
  data: { requestId, contactIds },
});

// ---- messages travelling by split and merge ------------------------------------------------------

/** A message as split and merge carry it: one version unless given more. */
export const snapshot = (data: Partial<D.MessageSnapshot> & { body?: string } = {}): D.MessageSnapshot => {
  const { body = ENQUIRY, ...rest } = data;
  return {
    messageId: 'm-1',
    kind: 'customer',
    versions: [{ version: 1, body, at: rest.createdAt ?? T(0), by: 'alice' }],
    accessLevel: 'external',
    flagged: false,
    authorId: null,
    contactId: 'petra',
    channel: 'phone',
    createdAt: T(0),
    to: [],
    cc: [],
    bcc: [],
    originRequestId: null,
    ...rest,
  };
};

export const split = (data: Partial<D.RequestSplit['data']> = {}): D.RequestSplit => ({
  type: 'RequestSplit',
  data: {
    requestId: REQ.requestId,
    newRequest: OTHER,
    messages: [],
    statusId: 'in-progress',
    baseStatus: 'open',
    previousStatusId: 'in-progress',
    ...data,
  },
});

export const movedIn = (data: Partial<D.MessagesMovedIn['data']> = {}): D.MessagesMovedIn => ({
  type: 'MessagesMovedIn',
  data: { requestId: OTHER.requestId, from: REQ, messages: [], ...data },
});

export const merged = (data: Partial<D.RequestMerged['data']> = {}): D.RequestMerged => ({
  type: 'RequestMerged',
  data: {
    requestId: OTHER.requestId,
    target: REQ,
    statusId: 'merged',
    previousStatusId: 'new',
    messages: [],
    contactIds: [],
    ...data,
  },
});

export const joined = (data: Partial<D.MergedRequestJoined['data']> = {}): D.MergedRequestJoined => ({
  type: 'MergedRequestJoined',
  data: { requestId: REQ.requestId, source: OTHER, messages: [], addedContactIds: [], ...data },
});

export const unmerged = (data: Partial<D.RequestUnmerged['data']> = {}): D.RequestUnmerged => ({
  type: 'RequestUnmerged',
  data: { requestId: REQ.requestId, source: OTHER, messages: [], removedContactIds: [], ...data },
});

export const mergeUndone = (data: Partial<D.RequestMergeUndone['data']> = {}): D.RequestMergeUndone => ({
  type: 'RequestMergeUndone',
  data: {
    requestId: OTHER.requestId,
    target: REQ,
    statusId: 'new',
    baseStatus: 'open',
    previousStatusId: 'merged',
    messages: [],
    ...data,
  },
});

// ---- agents, contacts, companies ----------------------------------------------------------------

export const favouriteAdded = (agentId: string, requestId: string): D.FavouriteAdded => ({ type: 'FavouriteAdded', data: { agentId, requestId } });
export const favouriteRemoved = (agentId: string, requestId: string): D.FavouriteRemoved => ({
  type: 'FavouriteRemoved',
  data: { agentId, requestId },
});

export const contactCreated = (data: Partial<D.ContactCreated['data']> = {}): D.ContactCreated => ({
  type: 'ContactCreated',
  data: { contactId: 'petra', name: 'Petra Lind', emails: ['petra@acme.test'], phone: '+46 8 123 45 67', companyId: 'acme', ...data },
});
export const contactUpdated = (data: Partial<D.ContactUpdated['data']> = {}): D.ContactUpdated => ({
  type: 'ContactUpdated',
  data: { contactId: 'petra', name: 'Petra Lind-Berg', phone: '+46 8 765 43 21', ...data },
});
export const contactEmailAdded = (email: string, contactId = 'petra'): D.ContactEmailAdded => ({
  type: 'ContactEmailAdded',
  data: { contactId, email },
});
export const contactEmailRemoved = (email: string, contactId = 'petra'): D.ContactEmailRemoved => ({
  type: 'ContactEmailRemoved',
  data: { contactId, email },
});
export const contactCompanyChanged = (companyId: string | null, previousCompanyId: string | null, contactId = 'petra'): D.ContactCompanyChanged => ({
  type: 'ContactCompanyChanged',
  data: { contactId, companyId, previousCompanyId },
});

export const companyCreated = (data: Partial<D.CompanyCreated['data']> = {}): D.CompanyCreated => ({
  type: 'CompanyCreated',
  data: { companyId: 'acme', name: 'Acme Printing AB', domain: 'acme.test', ...data },
});
export const companyUpdated = (data: Partial<D.CompanyUpdated['data']> = {}): D.CompanyUpdated => ({
  type: 'CompanyUpdated',
  data: { companyId: 'acme', name: 'Acme Print & Copy AB', domain: 'acmeprint.test', ...data },
});

import type { Catalog } from '../catalog/catalog';
import { conflict, invalid } from '../shared/errors';
import type { ReceiveEmail } from './request.commands';
import { newRequest } from './request.decide-create';
import { mayAutoReply, type AutoReplyDraft } from './request.email';
import type { RequestEvent } from './request.events';
import { defaultStatusId, normaliseAddresses, MAX_TITLE_LENGTH } from './request.rules';
import type { ExistingRequest, MessageState, RequestState } from './request.state';

/**
 * The mail channel (requests-domain §4). An inbound mail becomes exactly one decision: a new request
 * with the mail as its first message, or the mail as a new message on the request it threads to.
 */

/** Where a threaded mail goes: onto the request, or into a new request that follows it up (§3, "Create new request on customer reply"). */
export type EmailDestination = 'this-request' | 'follow-up-request';

/**
 * Decided before the command is built, because a follow-up is a new stream: a contact's mail to a
 * closed request whose status says so, or to a deleted request, opens a new request.
 */
export const emailDestination = (state: ExistingRequest, catalog: Catalog, role: 'contact' | 'external'): EmailDestination => {
  if (state.baseStatus === 'deleted') return 'follow-up-request';
  if (role === 'contact' && state.baseStatus === 'closed' && catalog.statuses[state.statusId]?.newRequestOnReply) return 'follow-up-request';
  return 'this-request';
};

/** Subjects can be anything; a title has rules. An empty or whitespace subject gets a readable stand-in. */
export const titleFromSubject = (subject: string): string => {
  const flat = subject.replace(/\s+/g, ' ').trim();
  if (flat.length === 0) return '(no subject)';
  return flat.length <= MAX_TITLE_LENGTH ? flat : `${flat.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…`;
};

export const decideReceiveEmail = (command: ReceiveEmail, state: RequestState, catalog: Catalog): RequestEvent[] => {
  const { data, metadata } = command;
  const body = data.body.trim().length > 0 ? data.body.trim() : '(no text)';
  const received: RequestEvent = {
    type: 'EmailReceived',
    data: {
      requestId: data.requestId,
      messageId: data.messageId,
      body,
      role: data.role,
      // Mail from someone who is not a contact (an expert, a mailer daemon) is for the agents only.
      accessLevel: data.role === 'contact' ? 'external' : 'internal',
      contactId: data.contactId,
      followUpOf: data.followUpOf ?? null,
      email: data.email,
      at: metadata.now,
    },
  };

  if (state.kind === 'none') {
    if (data.number === undefined) throw invalid('number-required', 'A request created from a mail needs its number');
    const created = newRequest(
      {
        requestId: data.requestId,
        number: data.number,
        title: titleFromSubject(data.title ?? data.email.subject),
        contactIds: data.contactId ? [data.contactId] : [],
        ...(data.categoryId ? { categoryId: data.categoryId } : {}),
        ...(data.priorityId ? { priorityId: data.priorityId } : {}),
      },
      catalog,
      metadata,
      'email',
      null,
      { allowNoContact: true },
    );
    return [created, received, ...autoReply(data.autoReply, data, data.requestId, metadata.now)];
  }

  if (emailDestination(state, catalog, data.role) === 'follow-up-request') {
    throw conflict('email-opens-new-request', `Request #${state.number} takes no more mail in its status; a follow-up request opens instead`);
  }
  // The same mail twice (two aliases, a re-delivery) is one message.
  if (state.messages.some((m) => m.messageId === data.messageId || isSameMail(m, data.email.mailboxId, data.email.messageIdHeader))) return [];

  const events: RequestEvent[] = [received];
  const human = data.email.classification === 'normal' || data.email.classification === 'list';
  if (data.role === 'contact' && human && (state.baseStatus === 'closed' || state.baseStatus === 'postponed')) {
    events.push({ type: 'RequestReopened', data: { requestId: state.id, statusId: defaultStatusId(catalog, 'open'), previousStatusId: state.statusId } });
  }
  events.push(...autoReply(data.autoReply, data, state.id, metadata.now));
  return events;
};

const isSameMail = (m: MessageState, mailboxId: string, messageIdHeader: string): boolean =>
  m.email?.direction === 'inbound' && m.email.mailboxId === mailboxId && m.email.messageIdHeader === messageIdHeader;

const autoReply = (draft: AutoReplyDraft | null | undefined, data: ReceiveEmail['data'], requestId: string, now: string): RequestEvent[] => {
  if (!draft || data.role !== 'contact' || !mayAutoReply(data.email.classification)) return [];
  const to = normaliseAddresses(draft.to);
  if (to.length === 0) return [];
  return [
    {
      type: 'AutoReplyQueued',
      data: { requestId, messageId: draft.messageId, kind: draft.kind, to, subject: draft.subject, body: draft.body, inReplyToMessageId: data.messageId, at: now },
    },
  ];
};

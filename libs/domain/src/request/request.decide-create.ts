import type { Catalog } from '../catalog/catalog';
import { assertNever, invalid } from '../shared/errors';
import type { Channel, CommandMetadata } from '../shared/message';
import type { CreateRequest, CreateSplitRequest } from './request.commands';
import type { AccessLevel, RequestCreated, RequestEvent, RequestRef } from './request.events';
import {
  categoryIdOf,
  checkOwner,
  deadlineFor,
  normaliseAddresses,
  normaliseTags,
  normaliseTitle,
  priorityOf,
  requireBody,
  requireContacts,
  requireFutureTime,
  requireRecipient,
  requireSelectable,
  statusOf,
  defaultStatusId,
} from './request.rules';

/** C1: a request and its first message, as one decision. */
export const decideCreate = (command: CreateRequest, catalog: Catalog): RequestEvent[] => {
  const { data, metadata } = command;
  const created = newRequest(data, catalog, metadata, data.channel, null);
  return [created, firstMessage(command, created.data.contactIds[0] ?? null)];
};

/** C15, on the new request: it starts with the messages the original gave up. */
export const decideCreateSplit = (command: CreateSplitRequest, catalog: Catalog): RequestEvent[] => {
  const { data, metadata } = command;
  if (!data.messages || data.messages.length === 0) {
    throw invalid('split-needs-messages', 'A request split off another needs at least one message');
  }
  const created = newRequest(data, catalog, metadata, metadata.channel, data.from);
  return [
    created,
    {
      type: 'MessagesMovedIn',
      data: {
        requestId: data.requestId,
        from: data.from,
        messages: data.messages.map((m) => (m.originRequestId === null ? { ...m, originRequestId: data.from.requestId } : m)),
      },
    },
  ];
};

interface NewRequestInput {
  readonly requestId: string;
  readonly number: number;
  readonly title: string;
  readonly contactIds: string[];
  readonly categoryId?: string;
  readonly priorityId?: string;
  readonly ownerId?: string | null;
  readonly statusId?: string;
  readonly postponedUntil?: string;
  readonly tags?: string[];
  readonly accessLevel?: AccessLevel;
}

/** Shared with the mail channel, whose requests may have no contact (an unknown sender, contact creation off). */
export const newRequest = (
  input: NewRequestInput,
  catalog: Catalog,
  metadata: CommandMetadata,
  channel: Channel,
  splitFrom: RequestRef | null,
  { allowNoContact = false }: { allowNoContact?: boolean } = {},
): RequestCreated => {
  const title = normaliseTitle(input.title);
  const contactIds = allowNoContact && input.contactIds.length === 0 ? [] : requireContacts(input.contactIds);
  const categoryId = categoryIdOf(catalog, input.categoryId);
  const priority = priorityOf(catalog, input.priorityId);
  const ownerId = checkOwner(catalog, input.ownerId);
  const status = requireSelectable(statusOf(catalog, input.statusId ?? defaultStatusId(catalog, 'open')), ['open', 'closed', 'postponed']);
  let postponedUntil: string | null = null;
  if (status.base === 'postponed') {
    postponedUntil = requireFutureTime(input.postponedUntil, metadata.now);
  } else if (input.postponedUntil !== undefined && input.postponedUntil !== null) {
    throw invalid('postpone-until-unexpected', `Status "${status.name}" is not a postponed status, so it takes no postpone time`);
  }
  const tags = normaliseTags(input.tags);
  return {
    type: 'RequestCreated',
    data: {
      requestId: input.requestId,
      number: input.number,
      title,
      contactIds,
      categoryId,
      priorityId: priority.id,
      ownerId,
      statusId: status.id,
      baseStatus: status.base,
      postponedUntil,
      tags,
      accessLevel: input.accessLevel ?? 'external',
      channel,
      createdAt: metadata.now,
      createdBy: metadata.actor.id,
      deadline: deadlineFor(metadata.now, priority),
      splitFrom,
    },
  };
};

/**
 * The first message: the contact's enquiry as taken down (the default), a message sent to the To/Cc/Bcc
 * addresses (the default when there is a To), or an internal note.
 */
const firstMessage = ({ data, metadata }: CreateRequest, mainContactId: string | null): RequestEvent => {
  const message = data.message ?? ({} as Partial<CreateRequest['data']['message']>);
  const body = requireBody(message.body);
  const to = normaliseAddresses(message.to);
  const cc = normaliseAddresses(message.cc);
  const bcc = normaliseAddresses(message.bcc);
  const kind = message.kind ?? (to.length > 0 ? 'outbound' : 'customer');
  const { actor, now } = metadata;
  switch (kind) {
    case 'outbound':
      requireRecipient(to);
      return {
        type: 'ReplyAdded',
        data: {
          requestId: data.requestId,
          messageId: message.messageId as string,
          body,
          accessLevel: message.accessLevel ?? 'external',
          to,
          cc,
          bcc,
          authorId: actor.id,
          at: now,
        },
      };
    case 'customer':
      requireNoRecipients(to, cc, bcc, 'the enquiry of a contact is not sent');
      return {
        type: 'CustomerMessageAdded',
        data: {
          requestId: data.requestId,
          messageId: message.messageId as string,
          body,
          accessLevel: message.accessLevel ?? 'external',
          channel: data.channel,
          contactId: mainContactId,
          // Imported by the platform: nobody typed it in.
          recordedBy: actor.role === 'system' ? null : actor.id,
          at: now,
        },
      };
    case 'note':
      requireNoRecipients(to, cc, bcc, 'an internal note is not sent');
      return {
        type: 'InternalNoteAdded',
        data: { requestId: data.requestId, messageId: message.messageId as string, body, authorId: actor.id, at: now },
      };
    default:
      return assertNever(kind);
  }
};

/** Recipients on a message that is never sent would be silently dropped; say so instead. */
const requireNoRecipients = (to: string[], cc: string[], bcc: string[], why: string): void => {
  if (to.length + cc.length + bcc.length > 0) throw invalid('recipients-not-allowed', `No recipients here: ${why}`);
};

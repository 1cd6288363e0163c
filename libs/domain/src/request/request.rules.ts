import type { BaseStatus, Catalog, PriorityDefinition, StatusDefinition } from '../catalog/catalog';
import { forbidden, invalid, notFound } from '../shared/errors';
import { isEmailAddress, normalizeEmail } from '../shared/email';
import type { Actor } from '../shared/message';
import type { AttachmentRef } from './request.email';
import type { MessageSnapshot } from './request.events';
import type { ExistingRequest, MessageState } from './request.state';

/**
 * The small rules several request commands share: text, tags, addresses, times, and what the catalog
 * says about statuses, categories, priorities and agents. Internal to the request decider.
 */

export const MAX_TITLE_LENGTH = 200;
export const MAX_TAG_LENGTH = 50;

// ---- actors -------------------------------------------------------------------------------------

/** Auditors and reporters only read (ARCHITECTURE §9). */
export const requireWriter = (actor: Actor): void => {
  if (actor.role === 'admin' || actor.role === 'agent' || actor.role === 'system') return;
  throw forbidden('read-only-role', `The ${actor.role} role may only read`);
};

export const requireAdmin = (actor: Actor): void => {
  if (actor.role !== 'admin') throw forbidden('admin-only', 'Only an administrator may do this');
};

/** Admins may change any message; everybody else only what they wrote (customer messages have no author). */
export const requireMessageAuthor = (actor: Actor, message: MessageState): void => {
  if (actor.role === 'admin') return;
  if (message.authorId !== null && message.authorId === actor.id) return;
  throw forbidden(
    'not-message-author',
    message.authorId === null
      ? 'Only an administrator may change a message that came from a contact'
      : 'Only an administrator or the author may change this message',
  );
};

// ---- text ---------------------------------------------------------------------------------------

export const normaliseTitle = (raw: string | undefined): string => {
  const title = (raw ?? '').trim();
  if (title.length === 0) throw invalid('title-required', 'A request needs a title');
  if (title.length > MAX_TITLE_LENGTH) {
    throw invalid('title-too-long', `A title has at most ${MAX_TITLE_LENGTH} characters (got ${title.length})`);
  }
  return title;
};

export const requireBody = (raw: string | undefined): string => {
  const body = (raw ?? '').trim();
  if (body.length === 0) throw invalid('message-body-required', 'A message needs some text');
  return body;
};

/** Tags are compared trimmed and in lower case, so "VIP" and " vip" are one tag. */
export const normaliseTag = (raw: string): string => {
  const tag = (raw ?? '').trim().toLowerCase();
  if (tag.length === 0) throw invalid('invalid-tag', 'A tag cannot be empty');
  if (tag.length > MAX_TAG_LENGTH) throw invalid('invalid-tag', `A tag has at most ${MAX_TAG_LENGTH} characters`);
  return tag;
};

/** Normalised, first occurrence kept. */
export const normaliseTags = (raw: readonly string[] | undefined): string[] => unique((raw ?? []).map(normaliseTag));

// ---- addresses ----------------------------------------------------------------------------------

/** Trimmed and lower-cased (shared/email.ts), so the mail channel and contact matching agree. */
export const normaliseAddresses = (raw: readonly string[] | undefined): string[] =>
  (raw ?? []).map((entry) => {
    const address = normalizeEmail(typeof entry === 'string' ? entry : '');
    if (!isEmailAddress(address)) throw invalid('invalid-address', `"${entry}" is not an email address`);
    return address;
  });

export const MAX_ATTACHMENTS = 20;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Files sent with a message: blob references the caller checked are stored; each needs a name and a type. */
export const normaliseAttachments = (raw: readonly AttachmentRef[] | undefined): AttachmentRef[] => {
  const attachments = raw ?? [];
  if (attachments.length > MAX_ATTACHMENTS) throw invalid('too-many-attachments', `A message has at most ${MAX_ATTACHMENTS} attachments`);
  return attachments.map((a) => {
    const filename = (a.filename ?? '').trim();
    if (!SHA256_HEX.test(a.blob ?? '')) throw invalid('invalid-attachment', `"${a.blob}" is not an attachment reference (the sha256 of an upload)`);
    if (filename.length === 0 || filename.length > 255) throw invalid('invalid-attachment', 'An attachment needs a file name of 1 to 255 characters');
    if (!/^[\w.+-]+\/[\w.+-]+$/.test(a.contentType ?? '')) throw invalid('invalid-attachment', `"${a.contentType}" is not a content type`);
    if (!Number.isSafeInteger(a.size) || a.size < 0) throw invalid('invalid-attachment', 'An attachment size is a whole number of bytes');
    return { blob: a.blob, filename, contentType: a.contentType.toLowerCase(), size: a.size, contentId: null, inline: false };
  });
};

export const requireRecipient = (to: readonly string[]): void => {
  if (to.length === 0) throw invalid('recipient-required', 'A message that is sent needs at least one To address');
};

// ---- time ---------------------------------------------------------------------------------------

/**
 * Times travel as ISO-8601 strings; comparing them as strings breaks on offsets and precision, so they
 * are compared as instants. Parsing a given string is not reading the clock.
 */
const instant = (time: string): number => Date.parse(time);

export const isAfter = (a: string, b: string): boolean => instant(a) > instant(b);

export const addMinutes = (time: string, minutes: number): string => new Date(instant(time) + minutes * 60_000).toISOString();

/** A postpone time: a valid instant after `now`, stored in canonical ISO form. */
export const requireFutureTime = (until: string | undefined, now: string): string => {
  if (until === undefined || until === null || until === '') {
    throw invalid('postpone-until-required', 'A postponed status needs the time at which the request becomes active again');
  }
  if (Number.isNaN(instant(until))) throw invalid('invalid-time', `"${until}" is not a time`);
  if (!isAfter(until, now)) throw invalid('postpone-in-past', 'A request can only be postponed to a time after now');
  return new Date(instant(until)).toISOString();
};

/** The deadline is the creation time plus the priority's allowance (requests-domain §1.6). */
export const deadlineFor = (createdAt: string, priority: PriorityDefinition): string | null =>
  priority.deadlineMinutes === null ? null : addMinutes(createdAt, priority.deadlineMinutes);

// ---- catalog ------------------------------------------------------------------------------------

export const statusOf = (catalog: Catalog, statusId: string): StatusDefinition => {
  const status = catalog.statuses[statusId];
  if (!status) throw invalid('unknown-status', `There is no status "${statusId}"`);
  return status;
};

/** A status of the given base, by id or the catalog's default for that base. */
export const statusWithBase = (
  catalog: Catalog,
  statusId: string | undefined,
  base: BaseStatus,
  code: string,
): StatusDefinition => {
  const status = statusOf(catalog, statusId ?? defaultStatusId(catalog, base));
  if (status.base !== base) throw invalid(code, `Status "${status.name}" is not a ${base} status`);
  return status;
};

export const defaultStatusId = (catalog: Catalog, base: BaseStatus): string => {
  const id = catalog.defaultStatusIds[base];
  if (id === undefined || !catalog.statuses[id]) {
    throw invalid('unknown-status', `The configuration has no default ${base} status`);
  }
  return id;
};

/**
 * A status remembered from before (a delete, a merge), or the default open status when the
 * configuration no longer has it (or it no longer is a status people can pick).
 */
export const rememberedStatus = (catalog: Catalog, statusId: string | null): StatusDefinition => {
  const status = statusId === null ? undefined : catalog.statuses[statusId];
  if (status && isSelectable(status.base)) return status;
  return statusOf(catalog, defaultStatusId(catalog, 'open'));
};

export const isSelectable = (base: BaseStatus): boolean => base === 'open' || base === 'closed' || base === 'postponed';

export const requireSelectable = (status: StatusDefinition, allowed: readonly BaseStatus[]): StatusDefinition => {
  if (!allowed.includes(status.base)) {
    throw invalid('status-not-selectable', `Status "${status.name}" (${status.base}) cannot be chosen here`);
  }
  return status;
};

export const categoryIdOf = (catalog: Catalog, categoryId: string | undefined): string => {
  const id = categoryId ?? catalog.defaultCategoryId;
  if (id === null || !catalog.categories[id]) {
    throw invalid('unknown-category', id === null ? 'No category given and none is the default' : `There is no category "${id}"`);
  }
  return id;
};

export const priorityOf = (catalog: Catalog, priorityId: string | undefined): PriorityDefinition => {
  const id = priorityId ?? catalog.defaultPriorityId;
  const priority = id === null ? undefined : catalog.priorities[id];
  if (!priority) {
    throw invalid('unknown-priority', id === null ? 'No priority given and none is the default' : `There is no priority "${id}"`);
  }
  return priority;
};

/** An owner is an active admin or agent; null means unassigned. */
export const checkOwner = (catalog: Catalog, ownerId: string | null | undefined): string | null => {
  if (ownerId === undefined || ownerId === null) return null;
  const agent = catalog.agents[ownerId];
  if (!agent) throw invalid('unknown-agent', `There is no user "${ownerId}"`);
  if (!agent.active) throw invalid('agent-inactive', `${agent.name} is not active`);
  if (agent.role !== 'admin' && agent.role !== 'agent') {
    throw invalid('agent-cannot-own', `${agent.name} is ${agent.role === 'auditor' ? 'an' : 'a'} ${agent.role} and cannot own requests`);
  }
  return agent.id;
};

// ---- messages and contacts ----------------------------------------------------------------------

export const messageOf = (state: ExistingRequest, messageId: string): MessageState => {
  const message = state.messages.find((m) => m.messageId === messageId);
  if (!message) throw notFound('message-not-found', `Request #${state.number} has no message "${messageId}"`);
  return message;
};

/** The chosen messages, each once, in the request's order; an unknown id is a mistake in the command. */
export const chosenMessages = (state: ExistingRequest, messageIds: readonly string[]): MessageSnapshot[] => {
  const known = new Set(state.messages.map((m) => m.messageId));
  const unknown = messageIds.find((id) => !known.has(id));
  if (unknown !== undefined) throw invalid('unknown-message', `Request #${state.number} has no message "${unknown}"`);
  const chosen = new Set(messageIds);
  return state.messages.filter((m) => chosen.has(m.messageId));
};

export const latestBody = (message: MessageState): string => message.versions[message.versions.length - 1]?.body ?? '';

export const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

export const sameList = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === b.length && a.every((item, index) => item === b[index]);

export const requireContacts = (contactIds: readonly string[] | undefined): string[] => {
  const ids = [...(contactIds ?? [])];
  if (ids.length === 0) throw invalid('contact-required', 'A request needs at least one contact');
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined) throw invalid('duplicate-contact', `Contact "${duplicate}" is listed twice`);
  return ids;
};

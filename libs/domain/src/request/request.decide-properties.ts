import type { Catalog } from '../catalog/catalog';
import { invalid, notFound } from '../shared/errors';
import type {
  AddContact,
  AddTag,
  ChangeAccessLevel,
  ChangeCategory,
  ChangePriority,
  RemoveContact,
  RemoveTag,
  ReorderContacts,
  RetitleRequest,
  UpdateRequest,
} from './request.commands';
import type { AccessLevel, RequestEvent } from './request.events';
import { evolveRequest } from './request.evolve';
import { decideStatus } from './request.decide-lifecycle';
import type { ExistingRequest } from './request.state';
import {
  categoryIdOf,
  deadlineFor,
  normaliseTag,
  normaliseTags,
  normaliseTitle,
  priorityOf,
  sameList,
} from './request.rules';

/**
 * C7. Set-like changes: asking for what is already there decides nothing (no event, no error), so a
 * client may resend the whole form.
 */

export const retitle = (state: ExistingRequest, rawTitle: string): RequestEvent[] => {
  const title = normaliseTitle(rawTitle);
  return title === state.title ? [] : [{ type: 'RequestRetitled', data: { requestId: state.id, title, previousTitle: state.title } }];
};

export const changeCategory = (state: ExistingRequest, catalog: Catalog, rawCategoryId: string): RequestEvent[] => {
  const categoryId = categoryIdOf(catalog, rawCategoryId ?? '');
  return categoryId === state.categoryId
    ? []
    : [{ type: 'RequestCategoryChanged', data: { requestId: state.id, categoryId, previousCategoryId: state.categoryId } }];
};

/** The deadline follows the priority, counted from the creation of the request (not from now). */
export const changePriority = (state: ExistingRequest, catalog: Catalog, rawPriorityId: string): RequestEvent[] => {
  const priority = priorityOf(catalog, rawPriorityId ?? '');
  if (priority.id === state.priorityId) return [];
  return [
    {
      type: 'RequestPriorityChanged',
      data: {
        requestId: state.id,
        priorityId: priority.id,
        previousPriorityId: state.priorityId,
        deadline: deadlineFor(state.createdAt, priority),
      },
    },
  ];
};

export const changeAccessLevel = (state: ExistingRequest, accessLevel: AccessLevel): RequestEvent[] =>
  accessLevel === state.accessLevel ? [] : [{ type: 'RequestAccessLevelChanged', data: { requestId: state.id, accessLevel } }];

/** The complete new set: dropped tags first (in the request's order), then new ones (in the given order). */
export const replaceTags = (state: ExistingRequest, rawTags: readonly string[]): RequestEvent[] => {
  const tags = normaliseTags(rawTags);
  return [
    ...state.tags.filter((tag) => !tags.includes(tag)).map((tag): RequestEvent => ({ type: 'TagRemoved', data: { requestId: state.id, tag } })),
    ...tags.filter((tag) => !state.tags.includes(tag)).map((tag): RequestEvent => ({ type: 'TagAdded', data: { requestId: state.id, tag } })),
  ];
};

export const decideRetitle = ({ data }: RetitleRequest, state: ExistingRequest): RequestEvent[] => retitle(state, data.title);
export const decideChangeCategory = ({ data }: ChangeCategory, state: ExistingRequest, catalog: Catalog): RequestEvent[] =>
  changeCategory(state, catalog, data.categoryId);
export const decideChangePriority = ({ data }: ChangePriority, state: ExistingRequest, catalog: Catalog): RequestEvent[] =>
  changePriority(state, catalog, data.priorityId);
export const decideChangeAccessLevel = ({ data }: ChangeAccessLevel, state: ExistingRequest): RequestEvent[] =>
  changeAccessLevel(state, data.accessLevel);

export const decideAddTag = ({ data }: AddTag, state: ExistingRequest): RequestEvent[] => {
  const tag = normaliseTag(data.tag);
  return state.tags.includes(tag) ? [] : [{ type: 'TagAdded', data: { requestId: state.id, tag } }];
};

export const decideRemoveTag = ({ data }: RemoveTag, state: ExistingRequest): RequestEvent[] => {
  const tag = normaliseTag(data.tag);
  return state.tags.includes(tag) ? [{ type: 'TagRemoved', data: { requestId: state.id, tag } }] : [];
};

/**
 * PATCH: title, category, priority, access level, tags, then status, each decided on the state the
 * previous parts left, all or nothing (one violation and no event is kept).
 */
export const decideUpdate = ({ data, metadata }: UpdateRequest, state: ExistingRequest, catalog: Catalog): RequestEvent[] => {
  const parts: Array<(s: ExistingRequest) => RequestEvent[]> = [];
  if (data.title !== undefined) parts.push((s) => retitle(s, data.title as string));
  if (data.categoryId !== undefined) parts.push((s) => changeCategory(s, catalog, data.categoryId as string));
  if (data.priorityId !== undefined) parts.push((s) => changePriority(s, catalog, data.priorityId as string));
  if (data.accessLevel !== undefined) parts.push((s) => changeAccessLevel(s, data.accessLevel as AccessLevel));
  if (data.tags !== undefined) parts.push((s) => replaceTags(s, data.tags as string[]));
  if (data.statusId !== undefined) {
    parts.push((s) => decideStatus(s, catalog, data.statusId as string, data.postponedUntil, metadata.now));
  } else if (data.postponedUntil !== undefined) {
    // A new time alone moves the postponement of a postponed request; anything else has no use for it.
    parts.push((s) => {
      if (s.baseStatus !== 'postponed') {
        throw invalid('postpone-until-unexpected', `Request #${s.number} is not postponed; give a postponed status with the time`);
      }
      return decideStatus(s, catalog, s.statusId, data.postponedUntil, metadata.now);
    });
  }
  const events: RequestEvent[] = [];
  let current = state;
  for (const part of parts) {
    const decided = part(current);
    events.push(...decided);
    current = decided.reduce<ExistingRequest>((s, e) => evolveRequest(s, e) as ExistingRequest, current);
  }
  return events;
};

// ---- contacts -----------------------------------------------------------------------------------

/** The first contact is the main contact; position default is the end, clamped to the list. */
export const decideAddContact = ({ data }: AddContact, state: ExistingRequest): RequestEvent[] => {
  if (state.contactIds.includes(data.contactId)) return [];
  const length = state.contactIds.length;
  const wanted = data.position === undefined || Number.isNaN(data.position) ? length : Math.trunc(data.position);
  const position = Math.min(Math.max(wanted, 0), length);
  return [{ type: 'ContactAdded', data: { requestId: state.id, contactId: data.contactId, position } }];
};

export const decideRemoveContact = ({ data }: RemoveContact, state: ExistingRequest): RequestEvent[] => {
  if (!state.contactIds.includes(data.contactId)) {
    throw notFound('contact-not-on-request', `Contact "${data.contactId}" is not on request #${state.number}`);
  }
  if (state.contactIds.length === 1) {
    throw invalid('request-needs-a-contact', `Contact "${data.contactId}" is the only contact of request #${state.number}`);
  }
  return [{ type: 'ContactRemoved', data: { requestId: state.id, contactId: data.contactId } }];
};

export const decideReorderContacts = ({ data }: ReorderContacts, state: ExistingRequest): RequestEvent[] => {
  const wanted = [...(data.contactIds ?? [])];
  const isPermutation =
    wanted.length === state.contactIds.length &&
    new Set(wanted).size === wanted.length &&
    wanted.every((id) => state.contactIds.includes(id));
  if (!isPermutation) {
    throw invalid('contacts-mismatch', `The new order must list exactly the contacts of request #${state.number}, each once`);
  }
  return sameList(wanted, state.contactIds) ? [] : [{ type: 'ContactsReordered', data: { requestId: state.id, contactIds: wanted } }];
};

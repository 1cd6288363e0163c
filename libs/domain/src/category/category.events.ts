import type { Event } from '../shared/message';

/** All categories live in one stream, `config-categories`: the tree is decided as a whole. */
export type CategoryDefined = Event<
  'CategoryDefined',
  { categoryId: string; name: string; parentId: string | null; restricted: boolean; memberIds: string[] }
>;
/** Carries the full new values. */
export type CategoryUpdated = Event<
  'CategoryUpdated',
  { categoryId: string; name: string; parentId: string | null; restricted: boolean; memberIds: string[] }
>;
/** The category a request gets when nothing else names one. */
export type DefaultCategoryChosen = Event<'DefaultCategoryChosen', { categoryId: string }>;

export type CategoryEvent = CategoryDefined | CategoryUpdated | DefaultCategoryChosen;
export type CategoryEventType = CategoryEvent['type'];

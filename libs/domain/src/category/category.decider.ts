import type { CategoryDefinition } from '../catalog/catalog';
import { requireAdmin, requireName, sameName } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { assertNever, conflict, invalid, notFound } from '../shared/errors';
import type { CategoryCommand } from './category.commands';
import type { CategoryEvent } from './category.events';
import { evolveCategoryState, initialCategoryState, type CategoryState } from './category.state';

/** The category a fresh system starts with. */
export const CATEGORY_SEED = { categoryId: 'general', name: 'General' } as const;

const existing = (state: CategoryState, categoryId: string): CategoryDefinition => {
  const category = state.categories[categoryId];
  if (!category) throw notFound('unknown-category', `There is no category ${categoryId}`);
  return category;
};

/** A parent the command refers to: the command is wrong (422), not the addressed resource missing (404). */
const requireParent = (state: CategoryState, parentId: string | null): void => {
  if (parentId !== null && !state.categories[parentId]) {
    throw invalid('unknown-category', `There is no category ${parentId} to be the parent`);
  }
};

/** Moving a category under itself or one of its descendants would cut that branch off the tree. */
const requireNoCycle = (state: CategoryState, categoryId: string, parentId: string | null): void => {
  const seen = new Set<string>();
  for (let at = parentId; at !== null && !seen.has(at); at = state.categories[at]?.parentId ?? null) {
    if (at === categoryId) throw invalid('category-cycle', 'A category cannot be placed under itself or its own subcategory');
    seen.add(at);
  }
};

/** Siblings share a parent; the same name may appear in different branches ("Billing" under two departments). */
const requireFreeName = (state: CategoryState, name: string, parentId: string | null, exceptId?: string): void => {
  const taken = Object.values(state.categories).some(
    (c) => c.id !== exceptId && c.parentId === parentId && sameName(c.name, name),
  );
  if (taken) throw conflict('category-name-taken', `A category named "${name}" already exists here`);
};

/** Duplicates dropped, first occurrence kept. */
const dedupe = (ids: readonly string[]): string[] => [...new Set(ids)];

/** Who can be a member: the agents the caller knows of (from the catalog). Without it, members are not checked. */
export interface CategoryContext {
  readonly agentIds: ReadonlySet<string>;
}

const requireKnownMembers = (memberIds: readonly string[], context: CategoryContext | undefined): string[] => {
  const unknown = context ? memberIds.filter((id) => !context.agentIds.has(id)) : [];
  if (unknown.length > 0) throw invalid('unknown-agent', `No agent ${unknown.join(', ')}: category members must be agents`);
  return dedupe(memberIds);
};

const sameMembers = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((id) => b.includes(id));

const decide = (command: CategoryCommand, state: CategoryState, context?: CategoryContext): readonly CategoryEvent[] => {
  switch (command.type) {
    case 'DefineCategory': {
      requireAdmin(command.metadata);
      const { categoryId } = command.data;
      if (state.categories[categoryId]) throw conflict('category-exists', `Category ${categoryId} already exists`);
      const name = requireName(command.data.name, 'category');
      const parentId = command.data.parentId ?? null;
      requireNoCycle(state, categoryId, parentId);
      requireParent(state, parentId);
      requireFreeName(state, name, parentId);
      const defined: CategoryEvent = {
        type: 'CategoryDefined',
        data: {
          categoryId,
          name,
          parentId,
          restricted: command.data.restricted ?? false,
          memberIds: requireKnownMembers(command.data.memberIds ?? [], context),
        },
      };
      // Requests always need a category, so the first one becomes the default.
      return state.defaultCategoryId === null ? [defined, { type: 'DefaultCategoryChosen', data: { categoryId } }] : [defined];
    }
    case 'UpdateCategory': {
      requireAdmin(command.metadata);
      const current = existing(state, command.data.categoryId);
      const name = command.data.name === undefined ? current.name : requireName(command.data.name, 'category');
      const parentId = command.data.parentId === undefined ? current.parentId : command.data.parentId;
      if (parentId !== current.parentId) {
        requireNoCycle(state, current.id, parentId);
        requireParent(state, parentId);
      }
      if (name !== current.name || parentId !== current.parentId) requireFreeName(state, name, parentId, current.id);
      const restricted = command.data.restricted ?? current.restricted;
      const asked = command.data.memberIds === undefined ? current.memberIds : requireKnownMembers(command.data.memberIds, context);
      // Membership is a set: the same members in another order is no change.
      const memberIds = sameMembers(asked, current.memberIds) ? [...current.memberIds] : [...asked];
      const unchanged =
        name === current.name &&
        parentId === current.parentId &&
        restricted === current.restricted &&
        sameMembers(memberIds, current.memberIds);
      if (unchanged) return [];
      return [{ type: 'CategoryUpdated', data: { categoryId: current.id, name, parentId, restricted, memberIds } }];
    }
    case 'ChooseDefaultCategory': {
      requireAdmin(command.metadata);
      const category = existing(state, command.data.categoryId);
      if (state.defaultCategoryId === category.id) return [];
      return [{ type: 'DefaultCategoryChosen', data: { categoryId: category.id } }];
    }
    case 'SeedCategories': {
      requireAdmin(command.metadata, { allowSystem: true });
      if (Object.keys(state.categories).length > 0) return [];
      const { categoryId, name } = CATEGORY_SEED;
      return [
        { type: 'CategoryDefined', data: { categoryId, name, parentId: null, restricted: false, memberIds: [] } },
        { type: 'DefaultCategoryChosen', data: { categoryId } },
      ];
    }
    default:
      return assertNever(command);
  }
};

/** Stream `config-categories`: the category tree, its members and the default category. */
export const categoryDecider: Decider<CategoryCommand, CategoryEvent, CategoryState, CategoryContext | undefined> = {
  initialState: initialCategoryState,
  decide,
  evolve: evolveCategoryState,
};

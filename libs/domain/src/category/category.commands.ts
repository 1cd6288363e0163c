import type { Command } from '../shared/message';

export type DefineCategory = Command<
  'DefineCategory',
  {
    categoryId: string;
    name: string;
    /** Omitted or null: a top-level category. */
    parentId?: string | null;
    /** "Only members have access". Default false. */
    restricted?: boolean;
    /** Agent ids; duplicates are dropped. Default none. */
    memberIds?: string[];
  }
>;
/** Omitted fields keep their value; `parentId: null` moves the category to the top level. */
export type UpdateCategory = Command<
  'UpdateCategory',
  { categoryId: string; name?: string; parentId?: string | null; restricted?: boolean; memberIds?: string[] }
>;
export type ChooseDefaultCategory = Command<'ChooseDefaultCategory', { categoryId: string }>;
/** Installs the standard category on a fresh system; does nothing once any category exists. */
export type SeedCategories = Command<'SeedCategories', Record<string, never>>;

export type CategoryCommand = DefineCategory | UpdateCategory | ChooseDefaultCategory | SeedCategories;

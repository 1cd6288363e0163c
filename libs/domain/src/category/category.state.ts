import type { CategoryDefinition } from '../catalog/catalog';
import { assertNever } from '../shared/errors';
import type { CategoryEvent } from './category.events';

export interface CategoryState {
  readonly categories: Readonly<Record<string, CategoryDefinition>>;
  readonly defaultCategoryId: string | null;
}

export const initialCategoryState = (): CategoryState => ({ categories: {}, defaultCategoryId: null });

export const evolveCategoryState = (state: CategoryState, event: CategoryEvent): CategoryState => {
  switch (event.type) {
    case 'CategoryDefined':
    case 'CategoryUpdated': {
      const { categoryId, name, parentId, restricted, memberIds } = event.data;
      return {
        ...state,
        categories: { ...state.categories, [categoryId]: { id: categoryId, name, parentId, restricted, memberIds: [...memberIds] } },
      };
    }
    case 'DefaultCategoryChosen':
      return { ...state, defaultCategoryId: event.data.categoryId };
    default:
      return assertNever(event);
  }
};

import { Injectable } from '@nestjs/common';
import type { Actor, Catalog } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';

/**
 * "Only members have access": an agent sees the requests of unrestricted categories and of the
 * restricted ones they are a member of. Admins, auditors and reporters see every category.
 */
@Injectable()
export class CategoryAccess {
  constructor(private readonly catalog: CatalogService) {}

  /** The categories the actor may see, or undefined when they may see them all. */
  async visibleTo(actor: Actor): Promise<string[] | undefined> {
    if (actor.role !== 'agent') return undefined;
    return visibleCategories(await this.catalog.current(), actor.id);
  }

  async canSee(actor: Actor, categoryId: string): Promise<boolean> {
    const visible = await this.visibleTo(actor);
    return visible === undefined || visible.includes(categoryId);
  }
}

export const visibleCategories = (catalog: Catalog, agentId: string): string[] | undefined => {
  const categories = Object.values(catalog.categories);
  if (categories.every((c) => !c.restricted)) return undefined;
  return categories.filter((c) => !c.restricted || c.memberIds.includes(agentId)).map((c) => c.id);
};

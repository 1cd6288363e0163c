import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/domain';
import { CategoryAccess } from './category-access';
import { LISTED, publicView, type FlaggedDocument } from './read-model.types';
import { ReadModels } from './read-models';

export class FlaggedMessagesQuery {
  constructor(
    readonly actor: Actor,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

/** Requests with flagged messages, most recently flagged first, each with its flagged messages. */
@QueryHandler(FlaggedMessagesQuery)
export class FlaggedMessagesHandler implements IQueryHandler<FlaggedMessagesQuery, object> {
  constructor(
    private readonly models: ReadModels,
    private readonly access: CategoryAccess,
  ) {}

  async execute({ actor, limit, cursor }: FlaggedMessagesQuery) {
    const visible = await this.access.visibleTo(actor);
    // Deleted and merged requests are listed nowhere, flagged or not.
    const filter = { lastFlaggedAt: { gt: '' }, baseStatus: { in: LISTED }, ...(visible ? { categoryId: { in: visible } } : {}) };
    const collection = await this.models.collection('flagged-messages');
    const [page, count] = await Promise.all([
      this.models.documents.find<FlaggedDocument>(collection, { filter, sort: [{ field: 'lastFlaggedAt', direction: 'desc' }], limit, cursor }),
      this.models.documents.count(collection, filter),
    ]);
    return { items: page.items.map(publicView), count, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }
}

import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/domain';
import type { Filter } from '@helpdesk/read-store';
import { CategoryAccess } from './category-access';
import { countDeadlinePassed } from './deadline-passed';
import { ReadModels } from './read-models';

export interface Dashboard {
  readonly tiles: {
    readonly myOpen: number;
    readonly deadlinePassed: number;
    readonly unassigned: number;
    /** Open or postponed: not resolved yet. */
    readonly unresolved: number;
  };
  readonly openPerAgent: Record<string, number>;
  readonly openPerStatus: Record<string, number>;
}

export class DashboardQuery {
  constructor(
    readonly actor: Actor,
    readonly now: Date,
  ) {}
}

/** The big-number tiles and the open-request breakdowns, counted on the indexes of request-summaries. */
@QueryHandler(DashboardQuery)
export class DashboardHandler implements IQueryHandler<DashboardQuery, Dashboard> {
  constructor(
    private readonly models: ReadModels,
    private readonly access: CategoryAccess,
  ) {}

  async execute({ actor, now }: DashboardQuery): Promise<Dashboard> {
    const collection = await this.models.collection('request-summaries');
    const visible = await this.access.visibleTo(actor);
    const scoped = (filter: Record<string, Filter[string]>): Filter => (visible ? { ...filter, categoryId: { in: visible } } : filter);
    const documents = this.models.documents;
    const [myOpen, deadlinePassed, unassigned, unresolved, openPerAgent, openPerStatus] = await Promise.all([
      documents.count(collection, scoped({ ownerId: actor.id, baseStatus: 'open' })),
      countDeadlinePassed(documents, collection, now, visible ? { categoryId: { in: visible } } : {}),
      documents.count(collection, scoped({ ownerId: null, baseStatus: 'open' })),
      documents.count(collection, scoped({ baseStatus: { in: ['open', 'postponed'] } })),
      documents.countBy(collection, 'ownerId', scoped({ baseStatus: 'open' })),
      documents.countBy(collection, 'statusId', scoped({ baseStatus: 'open' })),
    ]);
    return { tiles: { myOpen, deadlinePassed, unassigned, unresolved }, openPerAgent, openPerStatus };
  }
}

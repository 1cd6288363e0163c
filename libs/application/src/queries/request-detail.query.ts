import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/domain';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { toProjectedEvent } from '@helpdesk/read-store';
import { InvalidQuery, ResourceNotFound } from '../errors';
import { Streams } from '../support/streams';
import { CategoryAccess } from './category-access';
import { publicView, type RequestDetails } from './read-model.types';
import { ReadModels } from './read-models';

/** A point in a request's history: a stream revision, or an instant. */
export type AsOf = { readonly revision: number } | { readonly time: Date };

export const parseAsOf = (value: string | undefined): AsOf | undefined => {
  if (value === undefined || value === '') return undefined;
  if (/^\d{1,9}$/.test(value)) return { revision: Number(value) };
  const date = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]|$)/.exec(value);
  const time = new Date(value);
  // Date rolls 2026-02-30 over to March 2nd; a time that names a day that does not exist is refused.
  const sameDay = date && !Number.isNaN(time.getTime()) && new Date(Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!)).toISOString().startsWith(`${date[1]}-${date[2]}-${date[3]}`);
  if (!sameDay) throw new InvalidQuery('asOf must be a stream revision (e.g. 3) or an ISO 8601 time (e.g. 2026-11-27T10:00:00Z)');
  return { time };
};

export class GetRequestQuery {
  constructor(
    readonly actor: Actor,
    readonly requestId: string,
    readonly asOf?: AsOf,
  ) {}
}

/**
 * The request view: the request-details read model; or, with `asOf`, the request exactly as it was
 * at that revision or instant — folded from its own events by the same projection function, so the
 * past and the present are rendered alike.
 */
@QueryHandler(GetRequestQuery)
export class GetRequestHandler implements IQueryHandler<GetRequestQuery, object> {
  constructor(
    private readonly models: ReadModels,
    private readonly access: CategoryAccess,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  async execute({ actor, requestId, asOf }: GetRequestQuery): Promise<object> {
    // Who may see a request is decided by where it is now, also for its past: a request moved into a
    // restricted category must not show its content to non-members through `asOf`.
    const current = await this.current(requestId);
    if (!current || !(await this.access.canSee(actor, current.categoryId))) throw new ResourceNotFound(`No request ${requestId}`);
    if (!asOf) return publicView(current);
    const past = await this.asOf(requestId, asOf);
    if (!past) throw new ResourceNotFound(`Request ${requestId} did not exist yet at ${'revision' in asOf ? `revision ${asOf.revision}` : asOf.time.toISOString()}`);
    return publicView(past);
  }

  private async current(requestId: string): Promise<RequestDetails | undefined> {
    return this.models.documents.get<RequestDetails>(await this.models.collection('request-details'), requestId);
  }

  private async asOf(requestId: string, asOf: AsOf): Promise<RequestDetails | undefined> {
    const projection = this.models.projection('request-details');
    const handled = new Set(projection.handles);
    let document: object | null = null;
    for (const event of await this.events.readStream(Streams.request(requestId))) {
      if ('revision' in asOf ? Number(event.revision) > asOf.revision : Date.parse(String(event.metadata['occurredAt'] ?? event.recordedAt)) > asOf.time.getTime()) break;
      if (handled.has(event.type)) document = projection.evolve(document, toProjectedEvent(event));
    }
    return (document ?? undefined) as RequestDetails | undefined;
  }
}

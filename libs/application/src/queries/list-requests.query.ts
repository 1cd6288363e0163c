import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor, BaseStatus } from '@helpdesk/domain';
import type { Filter, SortKey } from '@helpdesk/read-store';
import { InvalidQuery } from '../errors';
import { CategoryAccess } from './category-access';
import { countDeadlinePassed, isDeadlinePassedFilter } from './deadline-passed';
import { LISTED, publicView, type ContactDocument, type FavouritesDocument, type RequestSummary } from './read-model.types';
import { ReadModels } from './read-models';

export const REQUEST_VIEWS = ['all', 'mine', 'unassigned', 'deadline-passed', 'favourites', 'last'] as const;
export type RequestView = (typeof REQUEST_VIEWS)[number];

export interface RequestListParams {
  readonly view?: RequestView;
  readonly statusId?: string;
  readonly baseStatus?: BaseStatus;
  /** An agent id, `me`, or `none` (unassigned). */
  readonly ownerId?: string;
  readonly categoryId?: string;
  readonly tag?: string;
  readonly contactId?: string;
  readonly companyId?: string;
  /** Contact history: closed requests only when asked for. */
  readonly includeClosed?: boolean;
  readonly cursor?: string;
  readonly limit: number;
  readonly now: Date;
}

export interface RequestList {
  readonly items: Omit<RequestSummary, '_position'>[];
  /** How many requests the list has in all (across pages). */
  readonly count: number;
  readonly nextCursor?: string;
}

export class ListRequestsQuery {
  constructor(
    readonly actor: Actor,
    readonly params: RequestListParams,
  ) {}
}

/**
 * The product's request lists ("predefined searches"): own open, unassigned queue (next deadline
 * first), deadline passed, favourites, last requests, and any mix of status / category / tag / owner
 * / contact / company. Each with its count, keyset-paginated, restricted to the categories the actor
 * may see, and served by an index of the request-summaries read model.
 */
@QueryHandler(ListRequestsQuery)
export class ListRequestsHandler implements IQueryHandler<ListRequestsQuery, RequestList> {
  constructor(
    private readonly models: ReadModels,
    private readonly access: CategoryAccess,
  ) {}

  async execute({ actor, params }: ListRequestsQuery): Promise<RequestList> {
    const view = params.view ?? 'all';
    if (view === 'favourites') return this.favourites(actor, params);

    const filter: Record<string, Filter[string]> = {};
    let sort: SortKey[] = [{ field: 'updatedAt', direction: 'desc' }];
    switch (view) {
      case 'mine':
        Object.assign(filter, { ownerId: actor.id, baseStatus: 'open' });
        break;
      case 'unassigned':
        Object.assign(filter, { ownerId: null, baseStatus: 'open' });
        sort = [{ field: 'queueDeadline', direction: 'asc' }];
        break;
      case 'deadline-passed':
        Object.assign(filter, { baseStatus: 'open', deadline: { lt: params.now.toISOString() } });
        sort = [{ field: 'deadline', direction: 'asc' }];
        break;
      case 'last':
        sort = [{ field: 'createdAt', direction: 'desc' }];
        break;
      case 'all':
        break;
    }
    if (params.statusId) filter['statusId'] = params.statusId;
    if (params.baseStatus) filter['baseStatus'] = params.baseStatus;
    if (params.ownerId) filter['ownerId'] = params.ownerId === 'none' ? null : params.ownerId === 'me' ? actor.id : params.ownerId;
    if (params.categoryId) filter['categoryId'] = params.categoryId;
    if (params.tag) filter['tags'] = params.tag.trim().toLowerCase();
    if (params.contactId) filter['contactIds'] = params.contactId;
    if (params.companyId) {
      const contacts = await this.contactsOf(params.companyId);
      if (contacts.length === 0) return { items: [], count: 0 };
      filter['contactIds'] = { in: contacts };
    }
    if (filter['baseStatus'] === undefined) {
      filter['baseStatus'] = { in: params.contactId || params.companyId ? (params.includeClosed ? LISTED : ['open', 'postponed']) : LISTED };
    }
    if (view === 'all' && !hasIndexedFilter(filter)) sort = [{ field: 'createdAt', direction: 'desc' }];

    const visible = await this.access.visibleTo(actor);
    if (visible) {
      if (params.categoryId && !visible.includes(params.categoryId)) return { items: [], count: 0 };
      if (!params.categoryId) filter['categoryId'] = { in: visible };
    }

    const collection = await this.models.collection('request-summaries');
    const documents = this.models.documents;
    const counted =
      view === 'deadline-passed' && isDeadlinePassedFilter(filter)
        ? countDeadlinePassed(documents, collection, params.now, filter['categoryId'] === undefined ? {} : { categoryId: filter['categoryId'] })
        : documents.count(collection, filter);
    const [page, count] = await Promise.all([documents.find<RequestSummary>(collection, { filter, sort, limit: params.limit, cursor: params.cursor }), counted]);
    return { items: page.items.map(publicView), count, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  }

  /** Favourites are an ordered list of ids; the cursor is an offset into it. */
  private async favourites(actor: Actor, params: RequestListParams): Promise<RequestList> {
    const favourites = await this.models.documents.get<FavouritesDocument>(await this.models.collection('agent-favourites'), actor.id);
    const visible = await this.access.visibleTo(actor);
    const summaries = await this.models.documents.getMany<RequestSummary>(await this.models.collection('request-summaries'), [...(favourites?.requestIds ?? [])].reverse());
    // Merged requests "are no longer available in favourites"; deleted ones are not listed either.
    const listed = summaries.filter((s) => matches(s, actor, params, visible));
    const offset = params.cursor ? decodeOffset(params.cursor) : 0;
    const items = listed.slice(offset, offset + params.limit).map(publicView);
    const next = offset + params.limit;
    return { items, count: listed.length, ...(next < listed.length ? { nextCursor: encodeOffset(next) } : {}) };
  }

  private async contactsOf(companyId: string): Promise<string[]> {
    const collection = await this.models.collection('contacts');
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.models.documents.find<ContactDocument>(collection, { filter: { companyId }, sort: [{ field: 'name', direction: 'asc' }], limit: 1000, cursor });
      ids.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    return ids;
  }
}

/** The list filters, applied to favourites in memory (they are one agent's short list). */
const matches = (s: RequestSummary, actor: Actor, params: RequestListParams, visible: string[] | undefined): boolean =>
  (params.baseStatus ? s.baseStatus === params.baseStatus : LISTED.includes(s.baseStatus)) &&
  (!visible || visible.includes(s.categoryId)) &&
  (!params.statusId || s.statusId === params.statusId) &&
  (!params.categoryId || s.categoryId === params.categoryId) &&
  (!params.tag || s.tags.includes(params.tag.trim().toLowerCase())) &&
  (!params.contactId || s.contactIds.includes(params.contactId)) &&
  (!params.ownerId || s.ownerId === (params.ownerId === 'none' ? null : params.ownerId === 'me' ? actor.id : params.ownerId));

const hasIndexedFilter = (filter: Record<string, unknown>) =>
  ['ownerId', 'statusId', 'categoryId', 'tags', 'contactIds'].some((field) => filter[field] !== undefined);

const encodeOffset = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
const decodeOffset = (cursor: string): number => {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidQuery('The cursor is not valid for this list');
  return Number(match[1]);
};

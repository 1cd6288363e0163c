import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { Actor } from '@helpdesk/domain';
import { CategoryAccess } from './category-access';
import { LISTED, publicView, type ContactDocument, type RequestSummary } from './read-model.types';
import { ReadModels } from './read-models';

export interface SearchResult {
  readonly items: { readonly request: Omit<RequestSummary, '_position'>; readonly score: number; readonly snippet: string; readonly matchedContact?: string }[];
  readonly contacts: { readonly contact: Omit<ContactDocument, never>; readonly snippet: string }[];
  readonly nextCursor?: string;
}

export class SearchQuery {
  constructor(
    readonly actor: Actor,
    readonly text: string,
    readonly limit: number,
    readonly cursor?: string,
  ) {}
}

/**
 * Full-text search over titles, message bodies and tags (the request-search model), and over contact
 * names and addresses (the contacts model): a matching contact brings its recent requests in. Ranked,
 * with snippets, restricted to the categories the actor may see.
 */
@QueryHandler(SearchQuery)
export class SearchHandler implements IQueryHandler<SearchQuery, SearchResult> {
  constructor(
    private readonly models: ReadModels,
    private readonly access: CategoryAccess,
  ) {}

  async execute({ actor, text: raw, limit, cursor }: SearchQuery): Promise<SearchResult> {
    // Control characters (NUL, …) are not searchable text; some engines choke on them.
    const text = raw.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
    if (text === '') return { items: [], contacts: [] };
    const visible = await this.access.visibleTo(actor);
    const filter = { baseStatus: { in: LISTED }, ...(visible ? { categoryId: { in: visible } } : {}) };
    const documents = this.models.documents;
    const hits = await documents.search<{ id: string }>(await this.models.collection('request-search'), text, { filter, limit, cursor });
    const summaries = await documents.getMany<RequestSummary>(await this.models.collection('request-summaries'), hits.items.map((h) => h.document.id));
    const byId = new Map(summaries.map((s) => [s.id, s]));
    const items: SearchResult['items'][number][] = hits.items.flatMap((hit) => {
      const request = byId.get(hit.document.id);
      return request ? [{ request: publicView(request), score: hit.score, snippet: hit.snippet }] : [];
    });

    // Contacts only on the first page: they are few, and their requests are one click (or query) away.
    const contacts: SearchResult['contacts'][number][] = [];
    if (!cursor) {
      const contactHits = await documents.search<ContactDocument>(await this.models.collection('contacts'), text, { limit: 5 });
      const seen = new Set(items.map((i) => i.request.id));
      for (const hit of contactHits.items) {
        contacts.push({ contact: publicView(hit.document as ContactDocument & { _position?: number }), snippet: hit.snippet });
        const recent = await documents.find<RequestSummary>(await this.models.collection('request-summaries'), {
          filter: { contactIds: hit.document.id, ...filter },
          sort: [{ field: 'updatedAt', direction: 'desc' }],
          limit: 5,
        });
        for (const request of recent.items) {
          if (seen.has(request.id)) continue;
          seen.add(request.id);
          items.push({ request: publicView(request), score: hit.score, snippet: hit.snippet, matchedContact: hit.document.id });
        }
      }
    }
    return { items, contacts, ...(hits.nextCursor ? { nextCursor: hits.nextCursor } : {}) };
  }
}

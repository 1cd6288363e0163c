import { Controller, Get, Header, Param, Query, StreamableFile, UseInterceptors } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import type { Actor } from '@helpdesk/domain';
import {
  DashboardQuery,
  FlaggedMessagesQuery,
  GetRequestQuery,
  ListRequestsQuery,
  RequestFileQuery,
  RequestHistoryQuery,
  RequestLocator,
  SearchQuery,
  parseAsOf,
  type HistoryEntry,
  type RequestFile,
} from '@helpdesk/application';
import { Roles } from '../auth/roles.decorator';
import { CurrentActor } from '../context/command-context.decorator';
import { contentDisposition } from '../support/content-disposition';
import { MinPositionInterceptor } from './min-position.interceptor';
import { ContactRequestsDto, HistoryDto, ListRequestsDto, PageDto, RequestDetailDto, SearchDto } from './read.dto';
import { ndjson } from './ndjson';

const READERS = ['admin', 'agent', 'auditor', 'reporter'] as const;
/** Pictures a browser may show in place (an inline image in a mail); every other file is a download of opaque bytes. */
const SHOWN_IN_PLACE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
const DEFAULT_LIMIT = 50;

/** The agent UI's reads: lists with counts, the request view, history, dashboard, flags, search. */
@ApiTags('reads')
@ApiBearerAuth()
@UseInterceptors(MinPositionInterceptor)
@Controller()
export class RequestQueriesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly locator: RequestLocator,
  ) {}

  @Get('requests')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Request lists: view=mine|unassigned|deadline-passed|favourites|last|all, filters, count, keyset cursor' })
  list(@CurrentActor() actor: Actor, @Query() query: ListRequestsDto) {
    return this.queries.execute(
      new ListRequestsQuery(actor, {
        view: query.view,
        statusId: query.status,
        baseStatus: query.baseStatus,
        ownerId: query.owner,
        categoryId: query.category,
        tag: query.tag,
        contactId: query.contact,
        companyId: query.company,
        cursor: query.cursor,
        limit: query.limit ?? DEFAULT_LIMIT,
        now: new Date(),
      }),
    );
  }

  @Get('requests/:ref')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A request with its messages (every version), contacts, links; ?asOf= shows it as it was' })
  async get(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Query() query: RequestDetailDto) {
    const asOf = parseAsOf(query.asOf);
    return this.queries.execute(new GetRequestQuery(actor, await this.locator.locate(ref, { followMerges: !asOf }), asOf));
  }

  @Get('requests/:ref/history')
  @Roles('admin', 'agent', 'auditor')
  @ApiOperation({ summary: 'Every event of the request: type, data, actor, channel, time, revision (?format=ndjson to export)' })
  async history(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Query() query: HistoryDto) {
    const id = await this.locator.locate(ref, { followMerges: false });
    await this.queries.execute(new GetRequestQuery(actor, id)); // category access, 404 when hidden
    const entries: HistoryEntry[] = await this.queries.execute(new RequestHistoryQuery(id));
    if (query.format === 'ndjson') return ndjson(Readable.from(entries), `request-${id}-history.ndjson`);
    return entries;
  }

  @Get('requests/:ref/files/:blob')
  @Roles('admin', 'agent', 'auditor')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  @ApiOperation({ summary: "A file on the request's messages (an attachment, an inline image, a mail as received) by its sha256" })
  async file(@CurrentActor() actor: Actor, @Param('ref') ref: string, @Param('blob') blob: string) {
    const id = await this.locator.locate(ref, { followMerges: true });
    const { file, bytes }: { file: RequestFile; bytes: Buffer } = await this.queries.execute(new RequestFileQuery(actor, id, blob));
    const shown = SHOWN_IN_PLACE.has(file.contentType);
    return new StreamableFile(bytes, {
      type: shown ? file.contentType : 'application/octet-stream',
      disposition: contentDisposition(shown ? 'inline' : 'attachment', file.filename),
      length: bytes.length,
    });
  }

  @Get('dashboard')
  @Roles(...READERS)
  dashboard(@CurrentActor() actor: Actor) {
    return this.queries.execute(new DashboardQuery(actor, new Date()));
  }

  @Get('me/favourites')
  @Roles('admin', 'agent')
  favourites(@CurrentActor() actor: Actor, @Query() query: PageDto) {
    return this.queries.execute(new ListRequestsQuery(actor, { view: 'favourites', cursor: query.cursor, limit: query.limit ?? DEFAULT_LIMIT, now: new Date() }));
  }

  @Get('flagged-messages')
  @Roles(...READERS)
  flagged(@CurrentActor() actor: Actor, @Query() query: PageDto) {
    return this.queries.execute(new FlaggedMessagesQuery(actor, query.limit ?? DEFAULT_LIMIT, query.cursor));
  }

  @Get('contacts/:id/requests')
  @Roles(...READERS)
  @ApiOperation({ summary: "A contact's requests (closed ones with includeClosed=true)" })
  contactRequests(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: ContactRequestsDto) {
    return this.queries.execute(
      new ListRequestsQuery(actor, { contactId: id, includeClosed: query.includeClosed, cursor: query.cursor, limit: query.limit ?? DEFAULT_LIMIT, now: new Date() }),
    );
  }

  @Get('companies/:id/requests')
  @Roles(...READERS)
  @ApiOperation({ summary: "A company's requests, through its contacts" })
  companyRequests(@CurrentActor() actor: Actor, @Param('id') id: string, @Query() query: ContactRequestsDto) {
    return this.queries.execute(
      new ListRequestsQuery(actor, { companyId: id, includeClosed: query.includeClosed, cursor: query.cursor, limit: query.limit ?? DEFAULT_LIMIT, now: new Date() }),
    );
  }

  @Get('search')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Full-text search over titles, messages, tags, contact names and addresses; ranked, with snippets' })
  search(@CurrentActor() actor: Actor, @Query() query: SearchDto) {
    return this.queries.execute(new SearchQuery(actor, query.q, query.limit ?? 20, query.cursor));
  }
}


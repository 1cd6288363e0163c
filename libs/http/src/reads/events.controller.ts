import { Controller, Get, Inject, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { eventFeed } from '@helpdesk/application';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { Roles } from '../auth/roles.decorator';
import { MinPositionInterceptor } from './min-position.interceptor';
import { ndjson } from './ndjson';
import { EventsDto } from './read.dto';

/** The global event feed for auditors and reporting tools, as NDJSON, resumable by position. */
@ApiTags('audit')
@ApiBearerAuth()
@UseInterceptors(MinPositionInterceptor)
@Controller('events')
export class EventsController {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  @Get()
  @Roles('admin', 'auditor', 'reporter')
  @ApiOperation({ summary: 'Events after a position (exclusive), in order, as NDJSON; resume with the last position you got' })
  feed(@Query() query: EventsDto) {
    return ndjson(eventFeed(this.events, query.after === undefined ? undefined : BigInt(query.after), query.limit ?? 1000));
  }

  @Get('export')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'The whole history, every event, as one NDJSON download' })
  export() {
    return ndjson(eventFeed(this.events, undefined, undefined), 'helpdesk-events.ndjson');
  }
}

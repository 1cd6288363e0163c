import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { Public } from '../auth/roles.decorator';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Liveness and readiness in one: the event store answers. Reveals nothing but a position. */
  @Get()
  @Public()
  async health() {
    const head = await this.store.headPosition();
    return { status: 'ok', eventStore: { headPosition: head === undefined ? null : Number(head) } };
  }
}

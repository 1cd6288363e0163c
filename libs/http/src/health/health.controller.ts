import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PROJECTION_PROGRESS, type ProjectionProgress } from '@helpdesk/application';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { Public } from '../auth/roles.decorator';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTION_PROGRESS) private readonly projections: ProjectionProgress,
  ) {}

  /**
   * Liveness and readiness in one: the event store answers. Reveals nothing but positions: the log's
   * head, and how far the read models have got (`behind`: events not yet in them), for monitoring the
   * projector's lag.
   */
  @Get()
  @Public()
  async health() {
    const [head, reached] = await Promise.all([this.store.headPosition(), this.projections.current()]);
    return {
      status: 'ok',
      eventStore: { headPosition: head === undefined ? null : Number(head) },
      readModels: { position: reached === undefined ? null : Number(reached), behind: head === undefined ? 0 : Math.max(Number(head - (reached ?? 0n)), 0) },
    };
  }
}

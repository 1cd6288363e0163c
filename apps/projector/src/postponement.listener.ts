import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { PostponementScheduler, POSTPONEMENT_EVENT_TYPES } from '@helpdesk/application';
import type { RecordedEvent } from '@helpdesk/event-store';

/** Postponements, delivered by the event-store transport, for the scheduler that reopens requests when due. */
@Controller()
export class PostponementListener {
  constructor(private readonly scheduler: PostponementScheduler) {}

  @EventPattern([...POSTPONEMENT_EVENT_TYPES])
  track(@Payload() event: RecordedEvent): Promise<void> {
    return this.scheduler.track(event);
  }
}

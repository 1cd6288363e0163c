import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { OUTBOX_EVENT_TYPES, OutboxReactor } from '@helpdesk/application';
import type { RecordedEvent } from '@helpdesk/event-store';

/** What is to be sent, and what became of each send, delivered by the event-store transport. */
@Controller()
export class OutboxListener {
  constructor(private readonly outbox: OutboxReactor) {}

  @EventPattern([...OUTBOX_EVENT_TYPES])
  receive(@Payload() event: RecordedEvent): void {
    this.outbox.receive(event);
  }
}

import { BaseRpcContext } from '@nestjs/microservices';
import type { RecordedEvent } from '@helpdesk/event-store';

/** What an @EventPattern handler gets besides the event: the event again, as stored (@Ctx()). */
export class EventStoreContext extends BaseRpcContext<[RecordedEvent]> {
  getEvent(): RecordedEvent {
    return this.args[0];
  }
}

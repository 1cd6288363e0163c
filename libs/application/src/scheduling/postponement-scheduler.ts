import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RuleViolation, SYSTEM_ACTOR } from '@helpdesk/domain';
import { EVENT_STORE, type EventStore, type Subscription } from '@helpdesk/event-store';
import { DecideOnRequest } from '../requests/decide-request.handler';
import { Clock } from '../support/clock';
import { newId } from '../support/ids';

/**
 * "On this date and time, the request is set back to Open." Follows the log for postponements and,
 * when one is due, sends ActivateRequest as the system. The decider ignores activations that are no
 * longer due (reopened, re-postponed, closed meanwhile), so this needs no bookkeeping beyond "when".
 */
@Injectable()
export class PostponementScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('PostponementScheduler');
  private readonly due = new Map<string, number>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandBus,
    private readonly clock: Clock,
  ) {}

  start(intervalMs = 1000): void {
    if (this.subscription) return;
    const subscription = this.store.subscribe({ filter: { eventTypes: ['RequestCreated', 'RequestPostponed'] } });
    this.subscription = subscription;
    this.running = (async () => {
      for await (const event of subscription) {
        const until = event.type === 'RequestPostponed' ? event.data.until : event.data.postponedUntil;
        if (typeof until === 'string') this.due.set(event.data.requestId, Date.parse(until));
      }
    })().catch((error) => this.logger.error(`Postponement feed stopped: ${String(error)}`));
    this.timer = setInterval(() => void this.activateDue(), intervalMs);
    this.timer.unref();
  }

  /** Sends ActivateRequest for every postponement whose time has come. Public so a test can drive it. */
  async activateDue(): Promise<number> {
    const now = this.clock.now();
    let activated = 0;
    for (const [requestId, at] of this.due) {
      if (at > now.getTime()) continue;
      this.due.delete(requestId);
      try {
        await this.commands.execute(
          new DecideOnRequest(requestId, { type: 'ActivateRequest', data: {} }, { actor: SYSTEM_ACTOR, channel: 'system', correlationId: newId(), now }),
        );
        activated++;
      } catch (error) {
        // Deleted or merged meanwhile: nothing to activate. Anything else is worth a look.
        if (!(error instanceof RuleViolation)) this.logger.warn(`Could not activate request ${requestId}: ${String(error)}`);
      }
    }
    return activated;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.close();
    await this.running;
  }
}

import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { requestDecider, RuleViolation, SYSTEM_ACTOR } from '@helpdesk/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent, type Subscription } from '@helpdesk/event-store';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { DecideOnRequest } from '../requests/decide-request.handler';
import { Clock } from '../support/clock';
import { newId } from '../support/ids';
import { Streams } from '../support/streams';

/** The events that say when a request is due (for a transport that feeds the scheduler). */
export const POSTPONEMENT_EVENT_TYPES: readonly string[] = ['RequestCreated', 'RequestPostponed', 'RequestRestored', 'RequestMergeUndone'];

/** Reasons an activation cannot happen now but may later (the request comes back by restore or unmerge). */
const PARKING_RULES = new Set(['request-deleted', 'request-merged']);

/**
 * "On this date and time, the request is set back to Open." Follows the log for postponements and,
 * when one is due, sends ActivateRequest as the system. The decider ignores activations that are no
 * longer due (reopened, re-postponed, closed meanwhile). A request deleted or merged while postponed
 * is parked, and comes back when a restore or an unmerge returns it to a postponed status.
 */
@Injectable()
export class PostponementScheduler implements OnApplicationShutdown {
  private readonly logger = new Logger('PostponementScheduler');
  private readonly due = new Map<string, number>();
  private readonly parked = new Set<string>();
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly commands: CommandBus,
    private readonly loader: StreamLoader,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts activating. With `follow` (the embedded server) it follows the log itself; without it (the
   * projector app) a transport delivers the events to `track`.
   */
  start(intervalMs = 1000, { follow = true }: { follow?: boolean } = {}): void {
    if (this.subscription || this.timer) return;
    this.timer = setInterval(() => void this.activateDue(), intervalMs);
    this.timer.unref();
    if (!follow) return;
    const subscription = this.store.subscribe({ filter: { eventTypes: POSTPONEMENT_EVENT_TYPES } });
    this.subscription = subscription;
    this.running = (async () => {
      for await (const event of subscription) await this.track(event);
    })().catch((error) => this.logger.error(`Postponement feed stopped: ${String(error)}`));
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
        if (error instanceof RuleViolation && PARKING_RULES.has(error.code)) {
          this.parked.add(requestId);
        } else {
          // Not the request's fault (storage, conflicts): try again on the next tick.
          this.due.set(requestId, at);
          this.logger.warn(`Could not activate request ${requestId}: ${String(error)}`);
        }
      }
    }
    return activated;
  }

  /** One event of the log: a postponement (or a request coming back into one) to schedule. */
  async track(event: RecordedEvent): Promise<void> {
    const requestId: string = event.data.requestId;
    if (event.type === 'RequestPostponed') return this.schedule(requestId, event.data.until);
    if (event.type === 'RequestCreated') return this.schedule(requestId, event.data.postponedUntil);
    // Restored or unmerged: back in a postponed status, it is due when it was due before it left.
    if (event.data.baseStatus !== 'postponed') return;
    this.parked.delete(requestId);
    const { state } = await this.loader.load(Streams.request(requestId), requestDecider);
    if (state.kind === 'existing') this.schedule(requestId, state.postponedUntil);
  }

  private schedule(requestId: string, until: string | null | undefined): void {
    if (typeof until === 'string') this.due.set(requestId, Date.parse(until));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.subscription?.close();
    await this.running;
  }
}

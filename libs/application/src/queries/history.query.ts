import { Inject } from '@nestjs/common';
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@helpdesk/event-store';
import { Streams } from '../support/streams';

/** One entry of an audit trail: what happened, to what, by whom, through which channel, when. */
export interface HistoryEntry {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly actorId: string | null;
  readonly actorRole: string | null;
  readonly channel: string | null;
  readonly occurredAt: string | null;
  readonly recordedAt: string;
  readonly correlationId: string | null;
  readonly eventId: string;
}

export const toHistoryEntry = (event: RecordedEvent): HistoryEntry => ({
  position: Number(event.position),
  streamId: event.streamId,
  revision: Number(event.revision),
  type: event.type,
  data: event.data,
  actorId: (event.metadata['actorId'] as string | undefined) ?? null,
  actorRole: (event.metadata['actorRole'] as string | undefined) ?? null,
  channel: (event.metadata['channel'] as string | undefined) ?? null,
  occurredAt: (event.metadata['occurredAt'] as string | undefined) ?? null,
  recordedAt: event.recordedAt,
  correlationId: (event.metadata['correlationId'] as string | undefined) ?? null,
  eventId: event.id,
});

export class RequestHistoryQuery {
  constructor(readonly requestId: string) {}
}

/**
 * Every event of the request, read straight from the log: the audit trail is the event store itself.
 * The request's own stream, plus its delivery stream (what the mail channel did with its outgoing
 * messages: sent, failed, suppressed), in log order.
 */
@QueryHandler(RequestHistoryQuery)
export class RequestHistoryHandler implements IQueryHandler<RequestHistoryQuery, HistoryEntry[]> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async execute({ requestId }: RequestHistoryQuery): Promise<HistoryEntry[]> {
    const [own, delivery] = await Promise.all([this.events.readStream(Streams.request(requestId)), this.events.readStream(Streams.delivery(requestId))]);
    return [...own, ...delivery].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0)).map(toHistoryEntry);
  }
}

/**
 * The global feed, for auditors and reporting tools: events after a position, in order, resumable.
 * A generator so that an export of everything streams page by page instead of loading the log.
 */
export async function* eventFeed(events: EventStore, after: bigint | undefined, limit: number | undefined): AsyncGenerator<HistoryEntry> {
  let position = after;
  let remaining = limit ?? Number.POSITIVE_INFINITY;
  while (remaining > 0) {
    const asked = Math.min(1000, remaining);
    const page = await events.readAll({ fromPosition: position, maxCount: asked });
    for (const event of page) yield toHistoryEntry(event);
    if (page.length < asked) return;
    remaining -= page.length;
    position = page[page.length - 1]!.position;
  }
}

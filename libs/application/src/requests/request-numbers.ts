import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { nameBasedId } from '../support/ids';
import { Streams } from '../support/streams';

/**
 * Human request numbers (#1, #2, ...). A number is reserved by appending to one sequence stream
 * without a revision check: the store serialises the appends, and event n (0-based) is number n + 1.
 * The event id is derived from the request id, so reserving again for the same request (a retry)
 * returns the same number. A request whose creation then fails leaves a gap, never a duplicate.
 */
@Injectable()
export class RequestNumbers {
  private readonly known = new Map<number, string>();
  private readonly knownLimit = 100_000;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async reserve(requestId: string): Promise<number> {
    const result = await this.store.append(
      Streams.requestNumbers,
      [{ id: nameBasedId(`request-number|${requestId}`), type: 'RequestNumberReserved', data: { requestId } }],
      'any',
    );
    const number = Number(result.nextExpectedRevision) + 1;
    this.cache(number, requestId);
    return number;
  }

  /** The id the number was reserved for, or undefined. Numbers never change owner, so they are cached. */
  async resolve(number: number): Promise<string | undefined> {
    if (!Number.isSafeInteger(number) || number < 1) return undefined;
    const known = this.known.get(number);
    if (known) return known;
    const [event] = await this.store.readStream(Streams.requestNumbers, { fromRevision: BigInt(number - 1), maxCount: 1 });
    if (!event || event.revision !== BigInt(number - 1)) return undefined;
    const requestId = (event.data as { requestId: string }).requestId;
    this.cache(number, requestId);
    return requestId;
  }

  private cache(number: number, requestId: string) {
    if (this.known.size >= this.knownLimit) this.known.clear();
    this.known.set(number, requestId);
  }
}

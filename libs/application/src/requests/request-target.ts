import { requestDecider, type RequestState } from '@helpdesk/domain';
import type { StreamTarget } from '../event-sourcing/command-runner';
import { Streams } from '../support/streams';

export const requestTarget = (requestId: string): StreamTarget<RequestState> => ({
  streamId: Streams.request(requestId),
  decider: requestDecider,
});

/** What a command route answers: `{ id, number?, revision, position }`. */
export interface CommandResponse {
  readonly id: string;
  readonly number?: number;
  readonly revision: number | null;
  readonly position: number | null;
}

export const toResponse = (
  id: string,
  outcome: { revision: bigint | undefined; position: bigint | undefined },
  number?: number,
): CommandResponse => ({
  id,
  ...(number !== undefined ? { number } : {}),
  revision: outcome.revision === undefined ? null : Number(outcome.revision),
  position: outcome.position === undefined ? null : Number(outcome.position),
});

export const numberOf = (state: RequestState): number | undefined => (state.kind === 'existing' ? state.number : undefined);

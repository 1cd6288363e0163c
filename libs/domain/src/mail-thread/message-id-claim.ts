import { requireWriter } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { assertNever, invalid } from '../shared/errors';
import type { Command, Event } from '../shared/message';

/**
 * One stream per normalised Message-ID (`messageid-<sha256 of it>`, named by the application), like the
 * contact address claims: appended atomically with the command a mail produced, it is what makes
 * import idempotent (the same mail twice, or through two aliases, is one request) and what threads
 * a reply to the request of ANY Message-ID we stored, inbound or outbound.
 *
 * Claims are per mailbox: the same mail delivered to two mailboxes is two messages (each mailbox's
 * team sees it), and a lookup prefers the claim of the mailbox asking.
 */
export interface MessageIdClaim {
  /** Null for mail we sent. */
  readonly mailboxId: string | null;
  readonly direction: 'inbound' | 'outbound';
  /** Null when the mail was imported into no request (ignored). */
  readonly requestId: string | null;
  readonly messageId: string | null;
}

export type ClaimMessageId = Command<'ClaimMessageId', { key: string } & MessageIdClaim>;
export type MessageIdClaimed = Event<'MessageIdClaimed', { key: string } & MessageIdClaim>;

export interface MessageIdClaimState {
  readonly claims: readonly MessageIdClaim[];
}

export const initialMessageIdClaimState = (): MessageIdClaimState => ({ claims: [] });

const sameOwner = (a: MessageIdClaim, b: MessageIdClaim): boolean => a.direction === b.direction && a.mailboxId === b.mailboxId;

export const evolveMessageIdClaim = (state: MessageIdClaimState, event: MessageIdClaimed): MessageIdClaimState => {
  switch (event.type) {
    case 'MessageIdClaimed': {
      const { key: _key, ...claim } = event.data;
      return state.claims.some((c) => sameOwner(c, claim)) ? state : { claims: [...state.claims, claim] };
    }
    default:
      return assertNever(event.type);
  }
};

/** The claim this mailbox (or, for our own mail, the outbox) already holds: the mail was seen. */
export const claimOf = (state: MessageIdClaimState, mailboxId: string | null, direction: 'inbound' | 'outbound'): MessageIdClaim | undefined =>
  state.claims.find((c) => sameOwner(c, { mailboxId, direction, requestId: null, messageId: null }));

/** The request a reference to this Message-ID threads to: this mailbox's own claim first, then ours (outbound), then any. */
export const threadedRequestOf = (state: MessageIdClaimState, mailboxId: string | null): MessageIdClaim | undefined => {
  const withRequest = state.claims.filter((c) => c.requestId !== null);
  return (
    withRequest.find((c) => c.direction === 'inbound' && c.mailboxId === mailboxId) ??
    withRequest.find((c) => c.direction === 'outbound') ??
    withRequest[0]
  );
};

const decide = (command: ClaimMessageId, state: MessageIdClaimState): MessageIdClaimed[] => {
  requireWriter(command.metadata);
  switch (command.type) {
    case 'ClaimMessageId': {
      const { key, ...claim } = command.data;
      if (key.trim().length === 0) throw invalid('message-id-required', 'A Message-ID claim needs its key');
      if (state.claims.some((c) => sameOwner(c, claim))) return [];
      return [{ type: 'MessageIdClaimed', data: { key, ...claim } }];
    }
    default:
      return assertNever(command.type);
  }
};

export const messageIdClaimDecider: Decider<ClaimMessageId, MessageIdClaimed, MessageIdClaimState> = {
  initialState: initialMessageIdClaimState,
  decide,
  evolve: evolveMessageIdClaim,
};

import { requireAdmin, requireEmailAddress } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { normalizeEmail } from '../shared/email';
import { assertNever, conflict } from '../shared/errors';
import type { Command, Event } from '../shared/message';

/** Sent with a mailbox's creation or update, one per address it has (main and aliases). */
export type ClaimMailboxAddress = Command<'ClaimMailboxAddress', { address: string; mailboxId: string }>;
/** Sent when a mailbox gives an address up (a changed address, a dropped alias, the mailbox removed). */
export type ReleaseMailboxAddress = Command<'ReleaseMailboxAddress', { address: string; mailboxId: string }>;
export type MailboxAddressCommand = ClaimMailboxAddress | ReleaseMailboxAddress;

/**
 * One stream per normalised address (`mailboxaddress-<sha256 of it>`, named by the application): the
 * reservation that routes an address to one mailbox only. Appended atomically with the mailbox's event,
 * so two mailboxes configured at the same moment cannot both take it.
 */
export type MailboxAddressClaimed = Event<'MailboxAddressClaimed', { address: string; mailboxId: string }>;
export type MailboxAddressReleased = Event<'MailboxAddressReleased', { address: string; mailboxId: string }>;
export type MailboxAddressEvent = MailboxAddressClaimed | MailboxAddressReleased;

export interface MailboxAddressState {
  /** The mailbox the address belongs to, or null while it is free. */
  readonly holderId: string | null;
}

export const evolveMailboxAddress = (state: MailboxAddressState, event: MailboxAddressEvent): MailboxAddressState => {
  switch (event.type) {
    case 'MailboxAddressClaimed':
      return { holderId: event.data.mailboxId };
    case 'MailboxAddressReleased':
      return state.holderId === event.data.mailboxId ? { holderId: null } : state;
    default:
      return assertNever(event);
  }
};

const decide = (command: MailboxAddressCommand, state: MailboxAddressState): readonly MailboxAddressEvent[] => {
  requireAdmin(command.metadata);
  const { mailboxId } = command.data;
  switch (command.type) {
    case 'ClaimMailboxAddress': {
      const address = requireEmailAddress(command.data.address);
      if (state.holderId === mailboxId) return [];
      if (state.holderId !== null) throw conflict('mailbox-address-in-use', `${address} already belongs to another mailbox`);
      return [{ type: 'MailboxAddressClaimed', data: { address, mailboxId } }];
    }
    case 'ReleaseMailboxAddress':
      // A mailbox configured before addresses were reserved holds its own without a claim.
      if (state.holderId !== mailboxId) return [];
      return [{ type: 'MailboxAddressReleased', data: { address: normalizeEmail(command.data.address), mailboxId } }];
    default:
      return assertNever(command);
  }
};

/** Stream `mailboxaddress-<sha256(normalised address)>`: which mailbox an address belongs to. */
export const mailboxAddressDecider: Decider<MailboxAddressCommand, MailboxAddressEvent, MailboxAddressState> = {
  initialState: () => ({ holderId: null }),
  decide,
  evolve: evolveMailboxAddress,
};

import { requireEmailAddress, requireWriter } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { normalizeEmail } from '../shared/email';
import { assertNever, conflict } from '../shared/errors';
import type { ContactEmailCommand } from './contact-email.commands';
import type { ContactEmailEvent } from './contact-email.events';

export interface ContactEmailState {
  /** The contact the address belongs to, or null while it is free. */
  readonly holderId: string | null;
}

export const initialContactEmailState = (): ContactEmailState => ({ holderId: null });

export const evolveContactEmailState = (state: ContactEmailState, event: ContactEmailEvent): ContactEmailState => {
  switch (event.type) {
    case 'ContactEmailClaimed':
      return { holderId: event.data.contactId };
    case 'ContactEmailReleased':
      return state.holderId === event.data.contactId ? { holderId: null } : state;
    default:
      return assertNever(event);
  }
};

const decide = (command: ContactEmailCommand, state: ContactEmailState): readonly ContactEmailEvent[] => {
  requireWriter(command.metadata);
  switch (command.type) {
    case 'ClaimContactEmail': {
      const email = requireEmailAddress(command.data.email);
      const { contactId } = command.data;
      if (state.holderId === contactId) return [];
      if (state.holderId !== null) throw conflict('email-in-use', `${email} is already the address of another contact`);
      return [{ type: 'ContactEmailClaimed', data: { email, contactId } }];
    }
    case 'ReleaseContactEmail': {
      const email = normalizeEmail(command.data.email);
      const { contactId } = command.data;
      if (state.holderId !== contactId) throw conflict('email-not-held', `${email} is not held by contact ${contactId}`);
      return [{ type: 'ContactEmailReleased', data: { email, contactId } }];
    }
    default:
      return assertNever(command);
  }
};

/** Stream `contactemail-<sha256(normalizeEmail(address))>`: who holds an address. */
export const contactEmailDecider: Decider<ContactEmailCommand, ContactEmailEvent, ContactEmailState> = {
  initialState: initialContactEmailState,
  decide,
  evolve: evolveContactEmailState,
};

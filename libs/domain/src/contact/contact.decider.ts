import { requireEmailAddress, requireName, requireWriter } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { normalizeEmail } from '../shared/email';
import { assertNever, conflict, notFound } from '../shared/errors';
import type { ContactCommand } from './contact.commands';
import type { ContactEvent } from './contact.events';
import { evolveContactState, initialContactState, type ContactState, type ExistingContact } from './contact.state';

const existing = (state: ContactState): ExistingContact => {
  if (state.kind === 'none') throw notFound('unknown-contact', 'There is no such contact');
  return state;
};

/** A blank phone is no phone. */
const phoneOf = (raw: string | null | undefined): string | null => {
  const phone = typeof raw === 'string' ? raw.trim() : '';
  return phone.length > 0 ? phone : null;
};

const decide = (command: ContactCommand, state: ContactState): readonly ContactEvent[] => {
  requireWriter(command.metadata);
  switch (command.type) {
    case 'CreateContact': {
      const { contactId } = command.data;
      if (state.kind === 'existing') throw conflict('contact-exists', `Contact ${contactId} already exists`);
      const name = requireName(command.data.name, 'contact');
      const emails = [...new Set((command.data.emails ?? []).map(requireEmailAddress))];
      const phone = phoneOf(command.data.phone);
      const companyId = command.data.companyId ?? null;
      return [{ type: 'ContactCreated', data: { contactId, name, emails, phone, companyId } }];
    }
    case 'UpdateContact': {
      const contact = existing(state);
      const name = command.data.name === undefined ? contact.name : requireName(command.data.name, 'contact');
      const phone = command.data.phone === undefined ? contact.phone : phoneOf(command.data.phone);
      if (name === contact.name && phone === contact.phone) return [];
      return [{ type: 'ContactUpdated', data: { contactId: contact.id, name, phone } }];
    }
    case 'AddContactEmail': {
      const contact = existing(state);
      const email = requireEmailAddress(command.data.email);
      if (contact.emails.includes(email)) return [];
      return [{ type: 'ContactEmailAdded', data: { contactId: contact.id, email } }];
    }
    case 'RemoveContactEmail': {
      const contact = existing(state);
      const email = normalizeEmail(command.data.email);
      if (!contact.emails.includes(email)) {
        throw notFound('email-not-on-contact', `${email} is not an address of ${contact.name}`);
      }
      return [{ type: 'ContactEmailRemoved', data: { contactId: contact.id, email } }];
    }
    case 'SetContactCompany': {
      const contact = existing(state);
      const companyId = command.data.companyId;
      if (companyId === contact.companyId) return [];
      return [{ type: 'ContactCompanyChanged', data: { contactId: contact.id, companyId, previousCompanyId: contact.companyId } }];
    }
    default:
      return assertNever(command);
  }
};

/** Stream `contact-<contactId>`: a person requests come from, their addresses, phone and company. */
export const contactDecider: Decider<ContactCommand, ContactEvent, ContactState> = {
  initialState: initialContactState,
  decide,
  evolve: evolveContactState,
};

import { assertNever } from '../shared/errors';
import type { ContactEvent } from './contact.events';

export interface ExistingContact {
  readonly kind: 'existing';
  readonly id: string;
  readonly name: string;
  /** Normalised, in the order they were added. */
  readonly emails: readonly string[];
  readonly phone: string | null;
  readonly companyId: string | null;
}

export type ContactState = { readonly kind: 'none' } | ExistingContact;

export const initialContactState = (): ContactState => ({ kind: 'none' });

export const evolveContactState = (state: ContactState, event: ContactEvent): ContactState => {
  if (event.type === 'ContactCreated') {
    const { contactId, name, emails, phone, companyId } = event.data;
    return { kind: 'existing', id: contactId, name, emails: [...emails], phone, companyId };
  }
  if (state.kind === 'none') return state;
  switch (event.type) {
    case 'ContactUpdated':
      return { ...state, name: event.data.name, phone: event.data.phone };
    case 'ContactEmailAdded':
      return state.emails.includes(event.data.email) ? state : { ...state, emails: [...state.emails, event.data.email] };
    case 'ContactEmailRemoved':
      return { ...state, emails: state.emails.filter((email) => email !== event.data.email) };
    case 'ContactCompanyChanged':
      return { ...state, companyId: event.data.companyId };
    default:
      return assertNever(event);
  }
};

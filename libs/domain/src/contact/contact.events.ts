import type { Event } from '../shared/message';

/** One stream per contact, `contact-<contactId>`. Addresses are stored normalised (trimmed, lower case). */
export type ContactCreated = Event<
  'ContactCreated',
  { contactId: string; name: string; emails: string[]; phone: string | null; companyId: string | null }
>;
/** Carries the full new values of the fields UpdateContact can change. */
export type ContactUpdated = Event<'ContactUpdated', { contactId: string; name: string; phone: string | null }>;
export type ContactEmailAdded = Event<'ContactEmailAdded', { contactId: string; email: string }>;
export type ContactEmailRemoved = Event<'ContactEmailRemoved', { contactId: string; email: string }>;
/** A contact belongs to at most one company; the previous one is kept so company views can drop the contact. */
export type ContactCompanyChanged = Event<
  'ContactCompanyChanged',
  { contactId: string; companyId: string | null; previousCompanyId: string | null }
>;

export type ContactEvent = ContactCreated | ContactUpdated | ContactEmailAdded | ContactEmailRemoved | ContactCompanyChanged;
export type ContactEventType = ContactEvent['type'];

import { normalizeEmail, type ContactEvent } from '@helpdesk/domain';
import { projection, type Projected, type ProjectedEvent } from './projection';
import { occurredAt, stringField } from './support/event-facts';

/** One document per contact (id = contactId), for lookups by address, company views and contact search. */
export interface ContactDocument extends Projected {
  readonly id: string;
  readonly name: string;
  /** Normalised (trimmed, lower case), in the order they were added. */
  readonly emails: readonly string[];
  readonly phone: string | null;
  readonly companyId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const contacts = projection<ContactDocument>({
  name: 'contacts',
  version: 1,
  handles: ['ContactCreated', 'ContactUpdated', 'ContactEmailAdded', 'ContactEmailRemoved', 'ContactCompanyChanged'] satisfies ContactEvent['type'][],
  id: (e) => stringField(e, 'contactId'),
  evolve: (doc, e) => {
    const event = asContactEvent(e);
    const at = occurredAt(e);
    const _position = e.position;
    if (event.type === 'ContactCreated') {
      const { contactId, name, emails, phone, companyId } = event.data;
      return { id: contactId, name, emails: unique(emails.map(normalizeEmail)), phone, companyId, createdAt: at, updatedAt: at, _position };
    }
    // Nothing to change before the contact exists.
    if (doc === null) return null;
    // The document's addresses are normalised already: only the event's one is.
    switch (event.type) {
      case 'ContactUpdated':
        return { ...doc, name: event.data.name, phone: event.data.phone, updatedAt: at, _position };
      case 'ContactEmailAdded': {
        const added = normalizeEmail(event.data.email);
        return { ...doc, emails: doc.emails.includes(added) ? doc.emails : [...doc.emails, added], updatedAt: at, _position };
      }
      case 'ContactEmailRemoved': {
        const gone = normalizeEmail(event.data.email);
        return { ...doc, emails: doc.emails.includes(gone) ? doc.emails.filter((email) => email !== gone) : doc.emails, updatedAt: at, _position };
      }
      case 'ContactCompanyChanged':
        return { ...doc, companyId: event.data.companyId, updatedAt: at, _position };
      default:
        return doc;
    }
  },
  indexes: [
    // Multikey: the contact an address belongs to (inbound mail linking).
    { name: 'by_email', fields: ['emails'] },
    // A company's contacts, by name.
    { name: 'by_company_name', fields: ['companyId', 'name'] },
    { name: 'by_name', fields: ['name'] },
  ],
  text: { fields: ['name', 'emails'] },
});

const asContactEvent = (e: ProjectedEvent): ContactEvent => ({ type: e.type, data: e.data }) as ContactEvent;

const unique = (values: readonly string[]): string[] => [...new Set(values)];

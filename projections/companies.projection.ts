import type { CompanyEvent } from '@helpdesk/domain';
import { projection, type Projected } from './projection';
import { occurredAt, stringField } from './support/event-facts';

/** One document per company (id = companyId). Its contacts are found through contacts' companyId index. */
export interface CompanyDocument extends Projected {
  readonly id: string;
  readonly name: string;
  readonly domain: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const companies = projection<CompanyDocument>({
  name: 'companies',
  version: 1,
  handles: ['CompanyCreated', 'CompanyUpdated'] satisfies CompanyEvent['type'][],
  id: (e) => stringField(e, 'companyId'),
  evolve: (doc, e) => {
    const event = ({ type: e.type, data: e.data }) as CompanyEvent;
    const at = occurredAt(e);
    switch (event.type) {
      case 'CompanyCreated':
        return { id: event.data.companyId, name: event.data.name, domain: event.data.domain, createdAt: at, updatedAt: at, _position: e.position };
      case 'CompanyUpdated':
        // Nothing to change before the company exists.
        return doc === null ? null : { ...doc, name: event.data.name, domain: event.data.domain, updatedAt: at, _position: e.position };
      default:
        return doc;
    }
  },
  indexes: [
    { name: 'by_name', fields: ['name'] },
    { name: 'by_domain', fields: ['domain'] },
  ],
  text: { fields: ['name', 'domain'] },
});

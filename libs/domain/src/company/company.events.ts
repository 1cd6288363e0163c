import type { Event } from '../shared/message';

/** One stream per company, `company-<companyId>`. Contacts point at their company, not the other way round. */
export type CompanyCreated = Event<'CompanyCreated', { companyId: string; name: string; domain: string | null }>;
/** Carries the full new values. */
export type CompanyUpdated = Event<'CompanyUpdated', { companyId: string; name: string; domain: string | null }>;

export type CompanyEvent = CompanyCreated | CompanyUpdated;
export type CompanyEventType = CompanyEvent['type'];

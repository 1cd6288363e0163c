import type { Command } from '../shared/message';

/** `domain`: the company's mail domain (e.g. `acme.example`), stored lower case; omitted or blank: none. */
export type CreateCompany = Command<'CreateCompany', { companyId: string; name: string; domain?: string | null }>;
/** Omitted fields keep their value; `domain: null` (or blank) removes it. */
export type UpdateCompany = Command<'UpdateCompany', { name?: string; domain?: string | null }>;

export type CompanyCommand = CreateCompany | UpdateCompany;

import { requireName, requireWriter } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { assertNever, conflict, invalid, notFound } from '../shared/errors';
import type { CompanyCommand } from './company.commands';
import type { CompanyEvent } from './company.events';

export interface ExistingCompany {
  readonly kind: 'existing';
  readonly id: string;
  readonly name: string;
  readonly domain: string | null;
}

export type CompanyState = { readonly kind: 'none' } | ExistingCompany;

export const initialCompanyState = (): CompanyState => ({ kind: 'none' });

export const evolveCompanyState = (state: CompanyState, event: CompanyEvent): CompanyState => {
  switch (event.type) {
    case 'CompanyCreated':
    case 'CompanyUpdated':
      return { kind: 'existing', id: event.data.companyId, name: event.data.name, domain: event.data.domain };
    default:
      return assertNever(event);
  }
};

const existing = (state: CompanyState): ExistingCompany => {
  if (state.kind === 'none') throw notFound('unknown-company', 'There is no such company');
  return state;
};

/** Dotted labels of letters, digits and hyphens, as in the domain part of an address; a leading "@" is forgiven. */
const DOMAIN = /^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

const domainOf = (raw: string | null | undefined): string | null => {
  const domain = (typeof raw === 'string' ? raw : '').trim().toLowerCase().replace(/^@/, '');
  if (domain.length === 0) return null;
  if (domain.length > 253 || !DOMAIN.test(domain)) throw invalid('invalid-domain', `"${String(raw)}" is not a domain name`);
  return domain;
};

const decide = (command: CompanyCommand, state: CompanyState): readonly CompanyEvent[] => {
  requireWriter(command.metadata);
  switch (command.type) {
    case 'CreateCompany': {
      const { companyId } = command.data;
      if (state.kind === 'existing') throw conflict('company-exists', `Company ${companyId} already exists`);
      const name = requireName(command.data.name, 'company');
      const domain = domainOf(command.data.domain);
      return [{ type: 'CompanyCreated', data: { companyId, name, domain } }];
    }
    case 'UpdateCompany': {
      const company = existing(state);
      const name = command.data.name === undefined ? company.name : requireName(command.data.name, 'company');
      const domain = command.data.domain === undefined ? company.domain : domainOf(command.data.domain);
      if (name === company.name && domain === company.domain) return [];
      return [{ type: 'CompanyUpdated', data: { companyId: company.id, name, domain } }];
    }
    default:
      return assertNever(command);
  }
};

/** Stream `company-<companyId>`: an organisation contacts belong to. */
export const companyDecider: Decider<CompanyCommand, CompanyEvent, CompanyState> = {
  initialState: initialCompanyState,
  decide,
  evolve: evolveCompanyState,
};

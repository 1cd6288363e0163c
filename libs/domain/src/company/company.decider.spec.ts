import type { Actor } from '../shared/message';
import { ada, audrey, bob, rex } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import type { CreateCompany, UpdateCompany } from './company.commands';
import { companyDecider } from './company.decider';
import type { CompanyCreated, CompanyUpdated } from './company.events';

const { given } = DeciderSpecification.for(companyDecider);
const { command } = commandsFrom(bob);

// commands
const create = (data: Partial<CreateCompany['data']> = {}, actor?: Actor) =>
  command<CreateCompany>('CreateCompany', { companyId: 'acme', name: 'Acme Ltd', domain: 'acme.example', ...data }, actor);
const update = (data: UpdateCompany['data'], actor?: Actor) => command<UpdateCompany>('UpdateCompany', data, actor);

// events
const created = (name = 'Acme Ltd', domain: string | null = 'acme.example'): CompanyCreated => ({
  type: 'CompanyCreated',
  data: { companyId: 'acme', name, domain },
});
const updated = (name: string, domain: string | null): CompanyUpdated => ({ type: 'CompanyUpdated', data: { companyId: 'acme', name, domain } });

const acme = created();

describe('company decider', () => {
  describe('CreateCompany', () => {
    it('creates a company', () => given().when(create()).then([acme]));

    it('creates a company without a domain', () => given().when(create({ domain: undefined })).then([created('Acme Ltd', null)]));

    it('normalises name and domain', () => given().when(create({ name: ' Acme Ltd ', domain: ' @ACME.example ' })).then([acme]));

    it('lets an admin create a company', () => given().when(create({}, ada)).then([acme]));

    it('refuses an auditor', () => given().when(create({}, audrey)).thenThrows('read-only-role'));

    it('refuses a reporter', () => given().when(create({}, rex)).thenThrows('read-only-role'));

    it('refuses a company that exists', () => given(acme).when(create()).thenThrows('company-exists'));

    it('refuses an empty name', () => given().when(create({ name: '' })).thenThrows('name-required'));

    it('refuses a domain that is not one', () => given().when(create({ domain: 'acme' })).thenThrows('invalid-domain'));
  });

  describe('UpdateCompany', () => {
    it('renames, with the full new values', () => given(acme).when(update({ name: 'Acme Group' })).then([updated('Acme Group', 'acme.example')]));

    it('changes the domain', () => given(acme).when(update({ domain: 'acme-group.example' })).then([updated('Acme Ltd', 'acme-group.example')]));

    it('removes the domain', () => given(acme).when(update({ domain: null })).then([updated('Acme Ltd', null)]));

    it('does nothing when nothing changes', () => given(acme).when(update({ name: 'Acme Ltd', domain: 'ACME.example' })).thenNothingHappens());

    it('refuses a read-only role', () => given(acme).when(update({ name: 'X' }, audrey)).thenThrows('read-only-role'));

    it('refuses a missing company', () => given().when(update({ name: 'X' })).thenThrows('unknown-company'));

    it('refuses an empty name', () => given(acme).when(update({ name: '  ' })).thenThrows('name-required'));

    it('refuses a domain that is not one', () => given(acme).when(update({ domain: 'acme..example' })).thenThrows('invalid-domain'));
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(companyDecider, [
      ['read-only-role', 'forbidden', [], create({}, rex)],
      ['company-exists', 'conflict', [acme], create()],
      ['unknown-company', 'not-found', [], update({ name: 'X' })],
      ['name-required', 'invalid', [], create({ name: '' })],
      ['invalid-domain', 'invalid', [], create({ domain: 'no spaces.example' })],
    ]));
});

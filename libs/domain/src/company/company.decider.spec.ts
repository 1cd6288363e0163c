import type { Actor, CommandMetadata } from '../shared/message';
import { fold } from '../shared/decider';
import { RuleViolation, type RuleKind } from '../shared/errors';
import { DeciderSpecification } from '../testing/specification';
import type { CompanyCommand, CreateCompany, UpdateCompany } from './company.commands';
import { companyDecider } from './company.decider';
import type { CompanyCreated, CompanyEvent, CompanyUpdated } from './company.events';

const { given } = DeciderSpecification.for(companyDecider);

const ada: Actor = { id: 'ada', role: 'admin' };
const bob: Actor = { id: 'bob', role: 'agent' };
const audrey: Actor = { id: 'audrey', role: 'auditor' };
const rex: Actor = { id: 'rex', role: 'reporter' };
const meta = (actor: Actor = bob): CommandMetadata => ({
  now: '2026-03-01T09:00:00.000Z',
  actor,
  channel: 'api',
  correlationId: 'corr-1',
});

// commands
const create = (data: Partial<CreateCompany['data']> = {}, actor?: Actor): CreateCompany => ({
  type: 'CreateCompany',
  data: { companyId: 'acme', name: 'Acme Ltd', domain: 'acme.example', ...data },
  metadata: meta(actor),
});
const update = (data: UpdateCompany['data'], actor?: Actor): UpdateCompany => ({ type: 'UpdateCompany', data, metadata: meta(actor) });

// events
const created = (name = 'Acme Ltd', domain: string | null = 'acme.example'): CompanyCreated => ({
  type: 'CompanyCreated',
  data: { companyId: 'acme', name, domain },
});
const updated = (name: string, domain: string | null): CompanyUpdated => ({ type: 'CompanyUpdated', data: { companyId: 'acme', name, domain } });

const acme = created();

const kindOf = (history: CompanyEvent[], command: CompanyCommand): RuleKind | undefined => {
  try {
    companyDecider.decide(command, fold(companyDecider, history));
  } catch (error) {
    if (error instanceof RuleViolation) return error.kind;
  }
  return undefined;
};

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

  describe('how each rule is reported', () => {
    it.each<[string, RuleKind, CompanyEvent[], CompanyCommand]>([
      ['read-only-role', 'forbidden', [], create({}, rex)],
      ['company-exists', 'conflict', [acme], create()],
      ['unknown-company', 'not-found', [], update({ name: 'X' })],
      ['name-required', 'invalid', [], create({ name: '' })],
      ['invalid-domain', 'invalid', [], create({ domain: 'no spaces.example' })],
    ])('%s is %s', (_code, kind, history, command) => expect(kindOf(history, command)).toBe(kind));
  });
});

import type { Actor, CommandMetadata } from '../shared/message';
import { SYSTEM_ACTOR } from '../shared/message';
import { fold } from '../shared/decider';
import { RuleViolation, type RuleKind } from '../shared/errors';
import { DeciderSpecification } from '../testing/specification';
import type { ContactCommand, CreateContact, UpdateContact } from './contact.commands';
import { contactDecider } from './contact.decider';
import type { ContactCreated, ContactEvent, ContactUpdated } from './contact.events';

const { given } = DeciderSpecification.for(contactDecider);

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
const create = (data: Partial<CreateContact['data']> = {}, actor?: Actor): CreateContact => ({
  type: 'CreateContact',
  data: { contactId: 'carla', name: 'Carla Customer', emails: ['carla@example.com'], ...data },
  metadata: meta(actor),
});
const update = (data: UpdateContact['data'], actor?: Actor): UpdateContact => ({ type: 'UpdateContact', data, metadata: meta(actor) });
const addEmail = (email: string, actor?: Actor): ContactCommand => ({ type: 'AddContactEmail', data: { email }, metadata: meta(actor) });
const removeEmail = (email: string, actor?: Actor): ContactCommand => ({
  type: 'RemoveContactEmail',
  data: { email },
  metadata: meta(actor),
});
const setCompany = (companyId: string | null, actor?: Actor): ContactCommand => ({
  type: 'SetContactCompany',
  data: { companyId },
  metadata: meta(actor),
});

// events
const created = (fields: Partial<ContactCreated['data']> = {}): ContactCreated => ({
  type: 'ContactCreated',
  data: { contactId: 'carla', name: 'Carla Customer', emails: ['carla@example.com'], phone: null, companyId: null, ...fields },
});
const updated = (name: string, phone: string | null): ContactUpdated => ({ type: 'ContactUpdated', data: { contactId: 'carla', name, phone } });
const emailAdded = (email: string): ContactEvent => ({ type: 'ContactEmailAdded', data: { contactId: 'carla', email } });
const emailRemoved = (email: string): ContactEvent => ({ type: 'ContactEmailRemoved', data: { contactId: 'carla', email } });
const companyChanged = (companyId: string | null, previousCompanyId: string | null): ContactEvent => ({
  type: 'ContactCompanyChanged',
  data: { contactId: 'carla', companyId, previousCompanyId },
});

// histories
const carla = created();
const carlaAtAcme = created({ companyId: 'acme', phone: '+46 8 123 456' });

const kindOf = (history: ContactEvent[], command: ContactCommand): RuleKind | undefined => {
  try {
    contactDecider.decide(command, fold(contactDecider, history));
  } catch (error) {
    if (error instanceof RuleViolation) return error.kind;
  }
  return undefined;
};

describe('contact decider', () => {
  describe('CreateContact', () => {
    it('creates a contact', () => given().when(create()).then([carla]));

    it('creates a contact with phone and company', () =>
      given().when(create({ phone: ' +46 8 123 456 ', companyId: 'acme' })).then([carlaAtAcme]));

    it('normalises the addresses and drops duplicates', () =>
      given()
        .when(create({ emails: [' Carla@Example.com', 'carla@example.COM', 'c.c@home.example'] }))
        .then([created({ emails: ['carla@example.com', 'c.c@home.example'] })]));

    it('creates a contact without any address (a phone enquiry)', () =>
      given().when(create({ emails: [], phone: '0701' })).then([created({ emails: [], phone: '0701' })]));

    it('lets an admin create a contact', () => given().when(create({}, ada)).then([carla]));

    it('lets the system create a contact (mail import)', () => given().when(create({}, SYSTEM_ACTOR)).then([carla]));

    it('refuses an auditor', () => given().when(create({}, audrey)).thenThrows('read-only-role'));

    it('refuses a reporter', () => given().when(create({}, rex)).thenThrows('read-only-role'));

    it('refuses a contact that exists', () => given(carla).when(create()).thenThrows('contact-exists'));

    it('refuses an empty name', () => given().when(create({ name: '  ' })).thenThrows('name-required'));

    it('refuses an invalid address', () =>
      given().when(create({ emails: ['carla@example.com', 'not-an-address'] })).thenThrows('invalid-email'));
  });

  describe('UpdateContact', () => {
    it('renames, with the full new values', () => given(carlaAtAcme).when(update({ name: 'Carla C.' })).then([updated('Carla C.', '+46 8 123 456')]));

    it('sets a phone number', () => given(carla).when(update({ phone: '0701 234' })).then([updated('Carla Customer', '0701 234')]));

    it('removes the phone number', () => given(carlaAtAcme).when(update({ phone: null })).then([updated('Carla Customer', null)]));

    it('treats a blank phone number as none', () => given(carlaAtAcme).when(update({ phone: '  ' })).then([updated('Carla Customer', null)]));

    it('does nothing when nothing changes', () =>
      given(carlaAtAcme).when(update({ name: ' Carla Customer ', phone: '+46 8 123 456' })).thenNothingHappens());

    it('refuses a read-only role', () => given(carla).when(update({ name: 'X' }, rex)).thenThrows('read-only-role'));

    it('refuses a missing contact', () => given().when(update({ name: 'X' })).thenThrows('unknown-contact'));

    it('refuses an empty name', () => given(carla).when(update({ name: '' })).thenThrows('name-required'));
  });

  describe('AddContactEmail', () => {
    it('adds an address, normalised', () => given(carla).when(addEmail(' Carla@Work.Example ')).then([emailAdded('carla@work.example')]));

    it('does nothing when the contact has the address already', () =>
      given(carla).when(addEmail('CARLA@example.com')).thenNothingHappens());

    it('refuses an invalid address', () => given(carla).when(addEmail('carla@')).thenThrows('invalid-email'));

    it('refuses a read-only role', () => given(carla).when(addEmail('c@x.example', audrey)).thenThrows('read-only-role'));

    it('refuses a missing contact', () => given().when(addEmail('c@x.example')).thenThrows('unknown-contact'));
  });

  describe('RemoveContactEmail', () => {
    it('removes an address, however it is written', () =>
      given(carla).when(removeEmail('Carla@Example.com ')).then([emailRemoved('carla@example.com')]));

    it('refuses an address the contact does not have', () =>
      given(carla, emailAdded('carla@work.example'), emailRemoved('carla@work.example'))
        .when(removeEmail('carla@work.example'))
        .thenThrows('email-not-on-contact'));

    it('refuses a read-only role', () => given(carla).when(removeEmail('carla@example.com', rex)).thenThrows('read-only-role'));

    it('refuses a missing contact', () => given().when(removeEmail('carla@example.com')).thenThrows('unknown-contact'));
  });

  describe('SetContactCompany', () => {
    it('links the contact to a company', () => given(carla).when(setCompany('acme')).then([companyChanged('acme', null)]));

    it('moves the contact to another company, naming the previous one', () =>
      given(carlaAtAcme).when(setCompany('globex')).then([companyChanged('globex', 'acme')]));

    it('unlinks the contact from its company', () => given(carlaAtAcme).when(setCompany(null)).then([companyChanged(null, 'acme')]));

    it('does nothing when the company is the same', () => given(carlaAtAcme).when(setCompany('acme')).thenNothingHappens());

    it('refuses a read-only role', () => given(carla).when(setCompany('acme', audrey)).thenThrows('read-only-role'));

    it('refuses a missing contact', () => given().when(setCompany('acme')).thenThrows('unknown-contact'));
  });

  describe('how each rule is reported', () => {
    it.each<[string, RuleKind, ContactEvent[], ContactCommand]>([
      ['read-only-role', 'forbidden', [], create({}, audrey)],
      ['contact-exists', 'conflict', [carla], create()],
      ['unknown-contact', 'not-found', [], update({ name: 'X' })],
      ['name-required', 'invalid', [], create({ name: '' })],
      ['invalid-email', 'invalid', [carla], addEmail('nope')],
      ['email-not-on-contact', 'not-found', [carla], removeEmail('other@example.com')],
    ])('%s is %s', (_code, kind, history, command) => expect(kindOf(history, command)).toBe(kind));
  });
});

import { SYSTEM_ACTOR, type Actor } from '../shared/message';
import { ada, audrey, bob, rex } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import type { AddContactEmail, CreateContact, RemoveContactEmail, SetContactCompany, UpdateContact } from './contact.commands';
import { contactDecider } from './contact.decider';
import type { ContactCreated, ContactEvent, ContactUpdated } from './contact.events';

const { given } = DeciderSpecification.for(contactDecider);
const { command } = commandsFrom(bob);

// commands
const create = (data: Partial<CreateContact['data']> = {}, actor?: Actor) =>
  command<CreateContact>('CreateContact', { contactId: 'carla', name: 'Carla Customer', emails: ['carla@example.com'], ...data }, actor);
const update = (data: UpdateContact['data'], actor?: Actor) => command<UpdateContact>('UpdateContact', data, actor);
const addEmail = (email: string, actor?: Actor) => command<AddContactEmail>('AddContactEmail', { email }, actor);
const removeEmail = (email: string, actor?: Actor) => command<RemoveContactEmail>('RemoveContactEmail', { email }, actor);
const setCompany = (companyId: string | null, actor?: Actor) => command<SetContactCompany>('SetContactCompany', { companyId }, actor);

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

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(contactDecider, [
      ['read-only-role', 'forbidden', [], create({}, audrey)],
      ['contact-exists', 'conflict', [carla], create()],
      ['unknown-contact', 'not-found', [], update({ name: 'X' })],
      ['name-required', 'invalid', [], create({ name: '' })],
      ['invalid-email', 'invalid', [carla], addEmail('nope')],
      ['email-not-on-contact', 'not-found', [carla], removeEmail('other@example.com')],
    ]));
});

import { SYSTEM_ACTOR, type Actor } from '../shared/message';
import { bob, rex } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs, violationOf } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import type { ClaimContactEmail, ReleaseContactEmail } from './contact-email.commands';
import { contactEmailDecider } from './contact-email.decider';
import type { ContactEmailEvent } from './contact-email.events';

const { given } = DeciderSpecification.for(contactEmailDecider);
const { command } = commandsFrom(bob);

const ADDRESS = 'carla@example.com';

// commands
const claim = (contactId: string, email = ADDRESS, actor?: Actor) => command<ClaimContactEmail>('ClaimContactEmail', { email, contactId }, actor);
const release = (contactId: string, email = ADDRESS, actor?: Actor) =>
  command<ReleaseContactEmail>('ReleaseContactEmail', { email, contactId }, actor);

// events
const claimed = (contactId: string): ContactEmailEvent => ({ type: 'ContactEmailClaimed', data: { email: ADDRESS, contactId } });
const released = (contactId: string): ContactEmailEvent => ({ type: 'ContactEmailReleased', data: { email: ADDRESS, contactId } });

describe('contact email reservation decider', () => {
  describe('ClaimContactEmail', () => {
    it('claims a free address for a contact', () => given().when(claim('carla')).then([claimed('carla')]));

    it('records the address normalised', () => given().when(claim('carla', '  Carla@EXAMPLE.com ')).then([claimed('carla')]));

    it('claims an address another contact released', () =>
      given(claimed('carl'), released('carl')).when(claim('carla')).then([claimed('carla')]));

    it('lets the system claim (mail import)', () => given().when(claim('carla', ADDRESS, SYSTEM_ACTOR)).then([claimed('carla')]));

    it('does nothing when the contact holds the address already', () => given(claimed('carla')).when(claim('carla')).thenNothingHappens());

    it('refuses an address another contact holds', () => given(claimed('carl')).when(claim('carla')).thenThrows('email-in-use'));

    it('names the address in the message', () =>
      expect(violationOf(contactEmailDecider, [claimed('carl')], claim('carla', 'CARLA@example.com'))?.message).toContain(ADDRESS));

    it('refuses an invalid address', () => given().when(claim('carla', 'carla')).thenThrows('invalid-email'));

    it('refuses a read-only role', () => given().when(claim('carla', ADDRESS, rex)).thenThrows('read-only-role'));
  });

  describe('ReleaseContactEmail', () => {
    it('releases an address its holder gives up', () => given(claimed('carla')).when(release('carla')).then([released('carla')]));

    it('refuses a contact that does not hold the address', () =>
      given(claimed('carl')).when(release('carla')).thenThrows('email-not-held'));

    it('refuses a free address', () => given().when(release('carla')).thenThrows('email-not-held'));

    it('refuses an address already released', () =>
      given(claimed('carla'), released('carla')).when(release('carla')).thenThrows('email-not-held'));

    it('refuses a read-only role', () => given(claimed('carla')).when(release('carla', ADDRESS, rex)).thenThrows('read-only-role'));
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(contactEmailDecider, [
      ['email-in-use', 'conflict', [claimed('carl')], claim('carla')],
      ['email-not-held', 'conflict', [], release('carla')],
      ['invalid-email', 'invalid', [], claim('carla', 'x')],
      ['read-only-role', 'forbidden', [], claim('carla', ADDRESS, rex)],
    ]));
});

import type { Actor, CommandMetadata } from '../shared/message';
import { SYSTEM_ACTOR } from '../shared/message';
import { fold } from '../shared/decider';
import { RuleViolation, type RuleKind } from '../shared/errors';
import { DeciderSpecification } from '../testing/specification';
import type { ContactEmailCommand } from './contact-email.commands';
import { contactEmailDecider } from './contact-email.decider';
import type { ContactEmailEvent } from './contact-email.events';

const { given } = DeciderSpecification.for(contactEmailDecider);

const bob: Actor = { id: 'bob', role: 'agent' };
const rex: Actor = { id: 'rex', role: 'reporter' };
const meta = (actor: Actor = bob): CommandMetadata => ({
  now: '2026-03-01T09:00:00.000Z',
  actor,
  channel: 'api',
  correlationId: 'corr-1',
});

const ADDRESS = 'carla@example.com';

// commands
const claim = (contactId: string, email = ADDRESS, actor?: Actor): ContactEmailCommand => ({
  type: 'ClaimContactEmail',
  data: { email, contactId },
  metadata: meta(actor),
});
const release = (contactId: string, email = ADDRESS, actor?: Actor): ContactEmailCommand => ({
  type: 'ReleaseContactEmail',
  data: { email, contactId },
  metadata: meta(actor),
});

// events
const claimed = (contactId: string): ContactEmailEvent => ({ type: 'ContactEmailClaimed', data: { email: ADDRESS, contactId } });
const released = (contactId: string): ContactEmailEvent => ({ type: 'ContactEmailReleased', data: { email: ADDRESS, contactId } });

const violationOf = (history: ContactEmailEvent[], command: ContactEmailCommand): RuleViolation | undefined => {
  try {
    contactEmailDecider.decide(command, fold(contactEmailDecider, history));
  } catch (error) {
    if (error instanceof RuleViolation) return error;
  }
  return undefined;
};

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
      expect(violationOf([claimed('carl')], claim('carla', 'CARLA@example.com'))?.message).toContain(ADDRESS));

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

  describe('how each rule is reported', () => {
    it.each<[string, RuleKind, ContactEmailEvent[], ContactEmailCommand]>([
      ['email-in-use', 'conflict', [claimed('carl')], claim('carla')],
      ['email-not-held', 'conflict', [], release('carla')],
      ['invalid-email', 'invalid', [], claim('carla', 'x')],
      ['read-only-role', 'forbidden', [], claim('carla', ADDRESS, rex)],
    ])('%s is %s', (_code, kind, history, command) => expect(violationOf(history, command)?.kind).toBe(kind));
  });
});

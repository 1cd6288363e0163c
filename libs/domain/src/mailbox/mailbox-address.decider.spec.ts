import type { Actor } from '../shared/message';
import { ada, bob, rex } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs, violationOf } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import { mailboxAddressDecider, type ClaimMailboxAddress, type MailboxAddressEvent, type ReleaseMailboxAddress } from './mailbox-address.decider';

const { given } = DeciderSpecification.for(mailboxAddressDecider);
const { command } = commandsFrom(ada);

const ADDRESS = 'support@helpdesk.example';

// commands
const claim = (mailboxId: string, address = ADDRESS, actor?: Actor) => command<ClaimMailboxAddress>('ClaimMailboxAddress', { address, mailboxId }, actor);
const release = (mailboxId: string, address = ADDRESS, actor?: Actor) => command<ReleaseMailboxAddress>('ReleaseMailboxAddress', { address, mailboxId }, actor);

// events
const claimed = (mailboxId: string): MailboxAddressEvent => ({ type: 'MailboxAddressClaimed', data: { address: ADDRESS, mailboxId } });
const released = (mailboxId: string): MailboxAddressEvent => ({ type: 'MailboxAddressReleased', data: { address: ADDRESS, mailboxId } });

describe('mailbox address reservation decider', () => {
  describe('ClaimMailboxAddress', () => {
    it('claims a free address for a mailbox', () => given().when(claim('support')).then([claimed('support')]));

    it('records the address normalised', () => given().when(claim('support', '  Support@HELPDESK.example ')).then([claimed('support')]));

    it('claims an address another mailbox gave up', () => given(claimed('old'), released('old')).when(claim('support')).then([claimed('support')]));

    it('does nothing when the mailbox holds the address already', () => given(claimed('support')).when(claim('support')).thenNothingHappens());

    it('refuses an address another mailbox holds', () => given(claimed('sales')).when(claim('support')).thenThrows('mailbox-address-in-use'));

    it('names the address in the message', () =>
      expect(violationOf(mailboxAddressDecider, [claimed('sales')], claim('support', 'SUPPORT@helpdesk.example'))?.message).toContain(ADDRESS));

    it('refuses what is not an address', () => given().when(claim('support', 'support')).thenThrows('invalid-email'));

    it('is for admins only', () => {
      given().when(claim('support', ADDRESS, bob)).thenThrows('admin-only');
      given().when(claim('support', ADDRESS, rex)).thenThrows('admin-only');
    });
  });

  describe('ReleaseMailboxAddress', () => {
    it('releases an address its mailbox gives up', () => given(claimed('support')).when(release('support')).then([released('support')]));

    // Mailboxes configured before addresses were reserved hold theirs without a claim: giving one up is no error.
    it('does nothing for an address the mailbox does not hold', () => given().when(release('support')).thenNothingHappens());

    it('never releases another mailbox\'s address', () => given(claimed('sales')).when(release('support')).thenNothingHappens());
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs(mailboxAddressDecider, [
      ['mailbox-address-in-use', 'conflict', [claimed('sales')], claim('support')],
      ['invalid-email', 'invalid', [], claim('support', 'x')],
      ['admin-only', 'forbidden', [], claim('support', ADDRESS, bob)],
    ]));
});

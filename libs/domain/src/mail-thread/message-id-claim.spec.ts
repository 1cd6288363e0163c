import { rex } from '../testing/actors';
import { DeciderSpecification } from '../testing/specification';
import { SYSTEM_ACTOR, type Actor } from '../shared/message';
import { NOW } from '../testing/metadata';
import { claimOf, messageIdClaimDecider, threadedRequestOf, type ClaimMessageId, type MessageIdClaim, type MessageIdClaimed } from './message-id-claim';
import { fold } from '../shared/decider';

const { given } = DeciderSpecification.for(messageIdClaimDecider);
const KEY = 'caf1234@mail.customer.example';

const inbound = (mailboxId: string, requestId: string | null = 'req-1'): MessageIdClaim => ({ mailboxId, direction: 'inbound', requestId, messageId: requestId ? 'msg-1' : null });
const outbound: MessageIdClaim = { mailboxId: null, direction: 'outbound', requestId: 'req-2', messageId: 'msg-9' };
const claim = (c: MessageIdClaim, actor: Actor = SYSTEM_ACTOR): ClaimMessageId => ({
  type: 'ClaimMessageId',
  data: { key: KEY, ...c },
  metadata: { now: NOW, actor, channel: 'email', correlationId: 'c' },
});
const claimed = (c: MessageIdClaim): MessageIdClaimed => ({ type: 'MessageIdClaimed', data: { key: KEY, ...c } });

describe('Message-ID claims', () => {
  it('claims a Message-ID seen for the first time', () => given().when(claim(inbound('support'))).then([claimed(inbound('support'))]));

  it('takes the same mail in the same mailbox once', () => given(claimed(inbound('support'))).when(claim(inbound('support', 'req-7'))).thenNothingHappens());

  it('lets another mailbox claim the same mail', () => given(claimed(inbound('support'))).when(claim(inbound('sales', 'req-3'))).then([claimed(inbound('sales', 'req-3'))]));

  it('records a mail that went to no request', () => given().when(claim(inbound('support', null))).then([claimed(inbound('support', null))]));

  it('refuses a read-only role', () => given().when(claim(inbound('support'), rex)).thenThrows('read-only-role'));

  it('finds the claim a mailbox holds', () => {
    const state = fold(messageIdClaimDecider, [claimed(inbound('support')), claimed(outbound)]);
    expect(claimOf(state, 'support', 'inbound')).toEqual(inbound('support'));
    expect(claimOf(state, 'sales', 'inbound')).toBeUndefined();
    expect(claimOf(state, null, 'outbound')).toEqual(outbound);
  });

  it('threads to the asking mailbox\'s request first, then to ours, then to any', () => {
    const both = fold(messageIdClaimDecider, [claimed(inbound('sales', 'req-3')), claimed(outbound), claimed(inbound('support'))]);
    expect(threadedRequestOf(both, 'support')?.requestId).toBe('req-1');
    expect(threadedRequestOf(both, 'other')?.requestId).toBe('req-2');
    const ignoredOnly = fold(messageIdClaimDecider, [claimed(inbound('support', null))]);
    expect(threadedRequestOf(ignoredOnly, 'support')).toBeUndefined();
  });
});

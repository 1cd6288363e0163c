import { ada, bob } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { DeciderSpecification } from '../testing/specification';
import type { Actor } from '../shared/message';
import { signatureDecider, type EmailSignatureSet, type SetEmailSignature } from './signature';

const { given } = DeciderSpecification.for(signatureDecider);
const { command } = commandsFrom(bob);
const set = (text: string, actor?: Actor) => command<SetEmailSignature>('SetEmailSignature', { agentId: 'bob', text }, actor);
const signatureSet = (text: string): EmailSignatureSet => ({ type: 'EmailSignatureSet', data: { agentId: 'bob', text } });

describe('email signature', () => {
  it('sets the agent\'s signature, without trailing blanks', () => given().when(set('Bob\nSupport team\n\n')).then([signatureSet('Bob\nSupport team')]));
  it('does nothing when it is the same', () => given(signatureSet('Bob')).when(set('Bob')).thenNothingHappens());
  it('clears it', () => given(signatureSet('Bob')).when(set('')).then([signatureSet('')]));
  it('is personal: not even an admin sets someone else\'s', () => given().when(set('Bob', ada)).thenThrows('not-own-signature'));
  it('has a length limit', () => given().when(set('x'.repeat(2001))).thenThrows('signature-too-long'));
});

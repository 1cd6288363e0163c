import { requireWriter } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { assertNever, forbidden, invalid } from '../shared/errors';
import type { Command, Event } from '../shared/message';

/**
 * Stream `signature-<agentId>`: the email signature the outbox appends to an agent's replies and
 * forwards. Personal: "personal signatures cannot be overridden by admins" (requests-domain §1.13),
 * so only the agent sets theirs.
 */
export type SetEmailSignature = Command<'SetEmailSignature', { agentId: string; text: string }>;
export type EmailSignatureSet = Event<'EmailSignatureSet', { agentId: string; text: string }>;

export interface SignatureState {
  readonly text: string;
}

export const MAX_SIGNATURE_LENGTH = 2000;

const decide = (command: SetEmailSignature, state: SignatureState): EmailSignatureSet[] => {
  requireWriter(command.metadata);
  switch (command.type) {
    case 'SetEmailSignature': {
      const { agentId } = command.data;
      if (command.metadata.actor.id !== agentId) throw forbidden('not-own-signature', 'Only its owner sets a signature');
      const text = (typeof command.data.text === 'string' ? command.data.text : '').replace(/\s+$/g, '');
      if (text.length > MAX_SIGNATURE_LENGTH) throw invalid('signature-too-long', `A signature has at most ${MAX_SIGNATURE_LENGTH} characters`);
      return text === state.text ? [] : [{ type: 'EmailSignatureSet', data: { agentId, text } }];
    }
    default:
      return assertNever(command.type);
  }
};

export const signatureDecider: Decider<SetEmailSignature, EmailSignatureSet, SignatureState> = {
  initialState: () => ({ text: '' }),
  decide,
  evolve: (_state, event) => ({ text: event.data.text }),
};

import type { Decider } from '../shared/decider';
import { assertNever, invalid } from '../shared/errors';
import type { Command } from '../shared/message';
import type { OutboundEmailFacts } from './request.email';
import type { EmailSendFailed, EmailSent, EmailSuppressed } from './request.events';
import { messageOf, normaliseAddresses } from './request.rules';
import type { ExistingRequest } from './request.state';

/**
 * What became of a request's outbound mail, in a stream of its own: `delivery-<requestId>`.
 *
 * Not on the request stream, although the events are request events (the request read models fold them
 * into the request view): the outbox records them on its own, moments after an agent's command, and on
 * the request stream each would move the revision an agent's next If-Match names — every reply or
 * forward would make the agent's following command fail with 412. A delivery is no change to the request.
 */
export type RecordEmailSent = Command<'RecordEmailSent', { messageId: string; attempt: number; messageIdHeader: string; recipients: string[] }>;
export type RecordEmailSendFailed = Command<
  'RecordEmailSendFailed',
  { messageId: string; attempt: number; error: string; permanent: boolean; nextAttemptAt: string | null }
>;
export type SuppressEmail = Command<'SuppressEmail', { messageId: string; reason: string }>;
export type DeliveryCommand = RecordEmailSent | RecordEmailSendFailed | SuppressEmail;
export type DeliveryEvent = EmailSent | EmailSendFailed | EmailSuppressed;

export interface DeliveryState {
  readonly messages: Readonly<Record<string, Pick<OutboundEmailFacts, 'status' | 'attempts' | 'messageIdHeader'>>>;
}

export const initialDeliveryState = (): DeliveryState => ({ messages: {} });

export const evolveDelivery = (state: DeliveryState, event: DeliveryEvent): DeliveryState => {
  const { messageId } = event.data;
  const before = state.messages[messageId] ?? { status: 'failed' as const, attempts: 0, messageIdHeader: null };
  switch (event.type) {
    case 'EmailSent':
      return { messages: { ...state.messages, [messageId]: { status: 'sent', attempts: event.data.attempt, messageIdHeader: event.data.messageIdHeader } } };
    case 'EmailSendFailed':
      return { messages: { ...state.messages, [messageId]: { ...before, status: before.status === 'sent' ? 'sent' : 'failed', attempts: Math.max(before.attempts, event.data.attempt) } } };
    case 'EmailSuppressed':
      return { messages: { ...state.messages, [messageId]: { ...before, status: before.status === 'sent' ? 'sent' : 'suppressed' } } };
    default:
      return assertNever(event);
  }
};

/** Only what the mail channel sends has a delivery; the request (the context) says which messages those are. */
const outboundMessage = (request: ExistingRequest, messageId: string) => {
  const message = messageOf(request, messageId);
  if (message.kind !== 'reply' && message.kind !== 'forward' && message.kind !== 'automatic') {
    throw invalid('message-not-sent-by-mail', `Message "${messageId}" is not one the mail channel sends`);
  }
  return message;
};

const decide = (command: DeliveryCommand, state: DeliveryState, request: ExistingRequest): DeliveryEvent[] => {
  const { data, metadata } = command;
  outboundMessage(request, data.messageId);
  const known = state.messages[data.messageId];
  // Recording the same delivery twice (a redelivered outbox step) changes nothing.
  if (known?.status === 'sent') return [];
  switch (command.type) {
    case 'RecordEmailSent':
      return [
        {
          type: 'EmailSent',
          data: {
            requestId: request.id,
            messageId: command.data.messageId,
            attempt: command.data.attempt,
            messageIdHeader: command.data.messageIdHeader,
            recipients: normaliseAddresses(command.data.recipients),
            at: metadata.now,
          },
        },
      ];
    case 'RecordEmailSendFailed':
      if (known && known.status === 'failed' && known.attempts >= command.data.attempt) return [];
      return [
        {
          type: 'EmailSendFailed',
          data: {
            requestId: request.id,
            messageId: command.data.messageId,
            attempt: command.data.attempt,
            // Errors come from remote servers; keep them readable, and short.
            error: command.data.error.slice(0, 500),
            permanent: command.data.permanent,
            nextAttemptAt: command.data.nextAttemptAt,
            at: metadata.now,
          },
        },
      ];
    case 'SuppressEmail':
      if (known?.status === 'suppressed') return [];
      return [{ type: 'EmailSuppressed', data: { requestId: request.id, messageId: command.data.messageId, reason: command.data.reason, at: metadata.now } }];
    default:
      return assertNever(command);
  }
};

/** Stream `delivery-<requestId>`; decided with the request's state as context. */
export const deliveryDecider: Decider<DeliveryCommand, DeliveryEvent, DeliveryState, ExistingRequest> = {
  initialState: initialDeliveryState,
  decide,
  evolve: evolveDelivery,
};

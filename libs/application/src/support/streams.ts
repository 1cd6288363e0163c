import { sha256Hex } from './ids';

/**
 * Stream names. The part before the first '-' is the stream's category (EventStoreDB's `$ce-`
 * convention), which filtered subscriptions use, so names of special streams avoid a '-' that
 * would put them in another stream's category.
 */
export const Streams = {
  request: (id: string) => `request-${id}`,
  agent: (id: string) => `agent-${id}`,
  contact: (id: string) => `contact-${id}`,
  company: (id: string) => `company-${id}`,
  /** One stream per normalised address: appending the claim there is what keeps addresses unique. */
  contactEmail: (normalizedEmail: string) => `contactemail-${sha256Hex(normalizedEmail)}`,
  statuses: 'config-statuses',
  categories: 'config-categories',
  priorities: 'config-priorities',
  /** Where an Idempotency-Key is recorded: one stream per actor and key. */
  idempotency: (actorId: string, key: string) => `idempotency-${sha256Hex(`${actorId}\n${key}`)}`,
  mailbox: (id: string) => `mailbox-${id}`,
  /** One per normalised address a mailbox receives at: the claim that routes it to one mailbox only. */
  mailboxAddress: (normalised: string) => `mailboxaddress-${sha256Hex(normalised)}`,
  /** One per normalised Message-ID: the claims that make import idempotent and thread replies. */
  messageId: (normalised: string) => `messageid-${sha256Hex(normalised)}`,
  signature: (agentId: string) => `signature-${agentId}`,
  /** What became of a request's outbound mail (EmailSent / EmailSendFailed / EmailSuppressed). */
  delivery: (requestId: string) => `delivery-${requestId}`,
  /** Event n (0-based) reserves request number n + 1. */
  requestNumbers: 'sequence-requestnumbers',
} as const;

export const idFromStream = (streamId: string): string => streamId.slice(streamId.indexOf('-') + 1);

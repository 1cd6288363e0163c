/**
 * Builders for the mail channel's request specs: Jane writes to support@ about the printer; the
 * mail is imported by the platform. Override only what a spec is about.
 */
import type * as C from './request.commands';
import type * as D from './request.delivery';
import type { AutoReplyDraft, InboundEmailFacts } from './request.email';
import type * as E from './request.events';
import { minutesAfter, NOW, REQUEST, system, type Who } from './request.fixtures';

export const MAILBOX = 'mbx-support';
export const JANE = 'jane@customer.example';
export const EXPERT = 'support@supplier.example';
export const MAIL_SUBJECT = 'Printer on fire';
export const MAIL_TEXT = 'Hello, my printer is on fire. Can you help?';

export const inbound = (fields: Partial<InboundEmailFacts> = {}): InboundEmailFacts => ({
  direction: 'inbound',
  mailboxId: MAILBOX,
  messageIdHeader: 'CAF1234@mail.customer.example',
  inReplyTo: null,
  references: [],
  subject: MAIL_SUBJECT,
  from: JANE,
  fromName: 'Jane Doe',
  to: ['support@helpdesk.test'],
  cc: [],
  html: null,
  attachments: [],
  rawBlob: 'a'.repeat(64),
  classification: 'normal',
  bounce: null,
  ...fields,
});

export const ack = (fields: Partial<AutoReplyDraft> = {}): AutoReplyDraft => ({
  messageId: 'msg-ack',
  kind: 'acknowledgement',
  to: [JANE],
  subject: `[#${REQUEST.number}] ${MAIL_SUBJECT}`,
  body: `We have your request #${REQUEST.number}.`,
  ...fields,
});

type ReceiveInput = Partial<C.ReceiveEmail['data']> & Who;

/** The platform imports a mail; by default Jane's first mail, which opens request #1042. */
export const receive = ({ actor = system, at = NOW, ...data }: ReceiveInput = {}): C.ReceiveEmail => ({
  type: 'ReceiveEmail',
  data: {
    requestId: REQUEST.requestId,
    messageId: 'msg-1',
    body: MAIL_TEXT,
    role: 'contact',
    contactId: 'contact-1',
    email: inbound(),
    number: REQUEST.number,
    ...data,
  },
  metadata: { now: at, actor, channel: 'email', correlationId: 'correlation-1' },
});

/** A later mail on the request (no number or defaults: it threads). */
export const receiveReply = (data: ReceiveInput = {}): C.ReceiveEmail => {
  const command = receive({ messageId: 'msg-3', email: inbound({ messageIdHeader: 'CAF5678@mail.customer.example', subject: `Re: ${MAIL_SUBJECT}` }), ...data });
  const { number: _number, ...rest } = command.data;
  return { ...command, data: data.number === undefined ? rest : command.data } as C.ReceiveEmail;
};

export const emailReceived = (data: Partial<E.EmailReceived['data']> = {}): E.EmailReceived => ({
  type: 'EmailReceived',
  data: {
    requestId: REQUEST.requestId,
    messageId: 'msg-1',
    body: MAIL_TEXT,
    role: 'contact',
    accessLevel: 'external',
    contactId: 'contact-1',
    followUpOf: null,
    email: inbound(),
    at: NOW,
    ...data,
  },
});

export const autoReplyQueued = (data: Partial<E.AutoReplyQueued['data']> = {}): E.AutoReplyQueued => ({
  type: 'AutoReplyQueued',
  data: { requestId: REQUEST.requestId, inReplyToMessageId: 'msg-1', at: NOW, ...ack(), to: [JANE], ...data },
});

const deliveryCommand = <T extends D.DeliveryCommand>(type: T['type'], data: T['data'], at = NOW): T =>
  ({ type, data, metadata: { now: at, actor: system, channel: 'system', correlationId: 'correlation-1' } }) as T;

export const recordSent = (data: Partial<D.RecordEmailSent['data']> = {}, at = NOW): D.RecordEmailSent =>
  deliveryCommand<D.RecordEmailSent>('RecordEmailSent', { messageId: 'msg-2', attempt: 1, messageIdHeader: 'helpdesk.req-1.msg-2@helpdesk.test', recipients: [JANE], ...data }, at);

export const recordFailed = (data: Partial<D.RecordEmailSendFailed['data']> = {}, at = NOW): D.RecordEmailSendFailed =>
  deliveryCommand<D.RecordEmailSendFailed>(
    'RecordEmailSendFailed',
    { messageId: 'msg-2', attempt: 1, error: '451 4.3.0 try again later', permanent: false, nextAttemptAt: minutesAfter(NOW, 1), ...data },
    at,
  );

export const suppress = (data: Partial<D.SuppressEmail['data']> = {}): D.SuppressEmail =>
  deliveryCommand<D.SuppressEmail>('SuppressEmail', { messageId: 'msg-ack', reason: 'auto-reply limit for jane@customer.example', ...data });

export const emailSent = (data: Partial<E.EmailSent['data']> = {}): E.EmailSent => ({
  type: 'EmailSent',
  data: { requestId: REQUEST.requestId, messageId: 'msg-2', attempt: 1, messageIdHeader: 'helpdesk.req-1.msg-2@helpdesk.test', recipients: [JANE], at: NOW, ...data },
});

export const emailSendFailed = (data: Partial<E.EmailSendFailed['data']> = {}): E.EmailSendFailed => ({
  type: 'EmailSendFailed',
  data: {
    requestId: REQUEST.requestId,
    messageId: 'msg-2',
    attempt: 1,
    error: '451 4.3.0 try again later',
    permanent: false,
    nextAttemptAt: minutesAfter(NOW, 1),
    at: NOW,
    ...data,
  },
});

export const emailSuppressed = (data: Partial<E.EmailSuppressed['data']> = {}): E.EmailSuppressed => ({
  type: 'EmailSuppressed',
  data: { requestId: REQUEST.requestId, messageId: 'msg-ack', reason: 'auto-reply limit for jane@customer.example', at: NOW, ...data },
});

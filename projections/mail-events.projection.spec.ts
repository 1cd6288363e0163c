import type * as D from '@helpdesk/domain';
import { flaggedMessages } from './flagged-messages.projection';
import { requestDetails } from './request-details.projection';
import { requestSearch } from './request-search.projection';
import { requestSummaries } from './request-summaries.projection';
import { at, closed, created, flagged, log, REQ, replied, T, type Step } from './testing/events';
import { projectOne } from './testing/project';

/** The mail channel's request events, as each request read model sees them. */

const INBOUND: D.InboundEmailFacts = {
  direction: 'inbound',
  mailboxId: 'mbx-support',
  messageIdHeader: 'cafe1@mail.acme.test',
  inReplyTo: null,
  references: [],
  subject: 'Printer jams',
  from: 'petra@acme.test',
  fromName: 'Petra',
  to: ['support@helpdesk.test'],
  cc: ['olle@acme.test'],
  html: '<p>The printer <b>jams</b>.</p>',
  attachments: [{ blob: 'b'.repeat(64), filename: 'jam.jpg', contentType: 'image/jpeg', size: 2048, contentId: null, inline: false }],
  rawBlob: 'a'.repeat(64),
  classification: 'normal',
  bounce: null,
};

const emailReceived = (data: Partial<D.EmailReceived['data']> = {}): D.EmailReceived => ({
  type: 'EmailReceived',
  data: {
    requestId: REQ.requestId,
    messageId: 'm-1',
    body: 'The printer jams.',
    role: 'contact',
    accessLevel: 'external',
    contactId: 'petra',
    followUpOf: null,
    email: INBOUND,
    at: T(0),
    ...data,
  },
});

const ack: D.AutoReplyQueued = {
  type: 'AutoReplyQueued',
  data: { requestId: REQ.requestId, messageId: 'm-ack', kind: 'acknowledgement', to: ['petra@acme.test'], subject: '[#1042] Printer jams', body: 'We have your request #1042.', inReplyToMessageId: 'm-1', at: T(0) },
};

const sent = (messageId: string, minute: number): D.EmailSent => ({
  type: 'EmailSent',
  data: { requestId: REQ.requestId, messageId, attempt: 1, messageIdHeader: `helpdesk.req-1.${messageId}.r@helpdesk.test`, recipients: ['petra@acme.test'], at: T(minute) },
});

/** Petra mails in at T0 and is acknowledged; Bob answers at T30; the expert's answer comes at T40. */
const mailedIn: readonly Step[] = [
  at(0, created({ channel: 'email', createdBy: 'system', title: 'Printer jams' }), 'system'),
  at(0, emailReceived(), 'system'),
  at(0, ack, 'system'),
  at(1, sent('m-ack', 1), 'system'),
  at(30, replied()),
  at(31, sent('m-2', 31), 'system'),
  at(40, emailReceived({ messageId: 'm-5', role: 'external', accessLevel: 'internal', contactId: 'expert', body: 'Use the LX-400 fuser.', email: { ...INBOUND, from: 'parts@supplier.test', html: null, attachments: [] }, at: T(40) }), 'system'),
];

describe('mail events in the request read models', () => {
  it('request-details shows the mail, its sanitised HTML and attachments, and the deliveries', () => {
    const details = projectOne(requestDetails, log(mailedIn), REQ.requestId);
    expect(details.messages.map((m) => [m.messageId, m.kind, m.accessLevel])).toEqual([
      ['m-1', 'customer', 'external'],
      ['m-ack', 'automatic', 'external'],
      ['m-2', 'reply', 'external'],
      ['m-5', 'external', 'internal'],
    ]);
    expect(details.messages[0]!.email).toEqual(INBOUND);
    expect(details.messages[1]!.email).toMatchObject({ direction: 'outbound', status: 'sent', messageIdHeader: 'helpdesk.req-1.m-ack.r@helpdesk.test' });
    expect(details.messages[2]!.email).toMatchObject({ status: 'sent', sentAt: T(31) });
    expect(details).toMatchObject({ channel: 'email', messageCount: 4, lastMessageAt: T(40), updatedAt: T(40) });
  });

  it('request-summaries counts the mails as messages, deliveries not', () =>
    expect(projectOne(requestSummaries, log(mailedIn), REQ.requestId)).toMatchObject({ messageCount: 4, lastMessageAt: T(40), updatedAt: T(40) }));

  it('request-search finds the text of every mail', () =>
    expect(projectOne(requestSearch, log(mailedIn), REQ.requestId).bodies).toEqual([
      'The printer jams.',
      'We have your request #1042.',
      'Hi Petra, we are sending a technician this afternoon.',
      'Use the LX-400 fuser.',
    ]));

  it('flagged-messages can flag a mail', () => {
    const document = projectOne(flaggedMessages, log([...mailedIn, at(50, flagged({ messageId: 'm-5' }), 'bob')]), REQ.requestId);
    expect(document.flagged).toEqual([{ messageId: 'm-5', excerpt: 'Use the LX-400 fuser.', kind: 'external', flaggedAt: T(50), flaggedBy: 'bob' }]);
  });

  it('a mail that reopens a closed request counts as a change', () => {
    const summary = projectOne(
      requestSummaries,
      log([...mailedIn, at(60, closed()), at(90, emailReceived({ messageId: 'm-7', email: { ...INBOUND, messageIdHeader: 'cafe2@mail.acme.test' }, at: T(90) }), 'system'), at(90, { type: 'RequestReopened', data: { requestId: REQ.requestId, statusId: 'new', previousStatusId: 'closed' } }, 'system')]),
      REQ.requestId,
    );
    expect(summary).toMatchObject({ baseStatus: 'open', closedAt: null, messageCount: 5, lastMessageAt: T(90) });
  });
});

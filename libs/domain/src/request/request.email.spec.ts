import { emailDestination, titleFromSubject } from './request.decide-email';
import {
  ack,
  autoReplyQueued,
  EXPERT,
  emailReceived,
  emailSendFailed,
  emailSent,
  emailSuppressed,
  inbound,
  JANE,
  MAIL_SUBJECT,
  MAILBOX,
  receive,
  receiveReply,
  recordFailed,
  recordSent,
  suppress,
} from './request.email.fixtures';
import {
  catalogWith,
  closed,
  created,
  deleted,
  given,
  merged,
  NOW,
  OTHER,
  postponed,
  replied,
  reopened,
  REQUEST,
  stateAfter,
  testCatalog,
} from './request.fixtures';
import type { ExistingRequest } from './request.state';
import { DeciderSpecification } from '../testing/specification';
import { requestDecider } from './request.decider';
import { deliveryDecider, type DeliveryEvent } from './request.delivery';

/** Jane's mail opened #1042. */
const mailedIn = () => [created({ channel: 'email', createdBy: 'system', title: MAIL_SUBJECT }), emailReceived()];
/** Alice replied (msg-2). */
const answered = () => [...mailedIn(), replied()];

const followUpCatalog = catalogWith({
  statuses: { ...testCatalog.statuses, closed: { ...testCatalog.statuses['closed']!, newRequestOnReply: true } },
});

describe('ReceiveEmail', () => {
  describe('on a mail that threads nowhere', () => {
    it('opens a request from the mail, with the mail as its first message', () =>
      given().when(receive()).then(mailedIn()));

    it('files it under the mailbox defaults', () =>
      given()
        .when(receive({ categoryId: 'invoicing', priorityId: 'urgent' }))
        .then([created({ channel: 'email', createdBy: 'system', title: MAIL_SUBJECT, categoryId: 'invoicing', priorityId: 'urgent', deadline: '2026-03-02T10:00:00.000Z' }), emailReceived()]));

    it('opens it without a contact when the sender is unknown and contacts are not created', () =>
      given()
        .when(receive({ contactId: null }))
        .then([created({ channel: 'email', createdBy: 'system', title: MAIL_SUBJECT, contactIds: [] }), emailReceived({ contactId: null })]));

    it('calls a mail without a subject "(no subject)"', () =>
      given()
        .when(receive({ email: inbound({ subject: '  ' }) }))
        .thenEvents((events) => expect(events[0]!.data).toMatchObject({ title: '(no subject)' })));

    it('acknowledges it when the mailbox says so', () =>
      given().when(receive({ autoReply: ack() })).then([...mailedIn(), autoReplyQueued()]));

    it.each(['auto-reply', 'bounce', 'list'] as const)('never answers %s mail automatically', (classification) =>
      given()
        .when(receive({ autoReply: ack(), email: inbound({ classification }) }))
        .then([created({ channel: 'email', createdBy: 'system', title: MAIL_SUBJECT }), emailReceived({ email: inbound({ classification }) })]));

    it('needs the number the caller reserved', () => given().when(receive({ number: undefined })).thenThrows('number-required'));

    it('refuses an unknown default category', () => given().when(receive({ categoryId: 'nope' })).thenThrows('unknown-category'));
  });

  describe('on the request it threads to', () => {
    const reply = emailReceived({ messageId: 'msg-3', email: inbound({ messageIdHeader: 'CAF5678@mail.customer.example', subject: `Re: ${MAIL_SUBJECT}` }) });

    it('adds the mail as the contact\'s message', () => given(answered()).when(receiveReply()).then([reply]));

    it('reopens a closed request', () =>
      given(answered(), closed()).when(receiveReply()).then([reply, reopened({ previousStatusId: 'closed' })]));

    it('reopens a postponed request', () =>
      given(answered(), postponed()).when(receiveReply()).then([reply, reopened({ previousStatusId: 'postponed' })]));

    it('leaves a closed request closed for an auto-reply', () => {
      const email = inbound({ messageIdHeader: 'ooo@mail.customer.example', classification: 'auto-reply' });
      return given(answered(), closed()).when(receiveReply({ email })).then([emailReceived({ messageId: 'msg-3', email })]);
    });

    it('keeps the answer of an external party internal and the status as it is', () => {
      const email = inbound({ messageIdHeader: 'x1@supplier.example', from: EXPERT });
      return given(answered(), closed())
        .when(receiveReply({ role: 'external', contactId: 'contact-9', email }))
        .then([emailReceived({ messageId: 'msg-3', role: 'external', accessLevel: 'internal', contactId: 'contact-9', email })]);
    });

    it('takes the same mail once, however often it comes', () =>
      given(answered(), reply).when(receiveReply({ messageId: 'msg-4' })).thenNothingHappens());

    it('takes the same Message-ID again when another mailbox received it', () => {
      const email = inbound({ messageIdHeader: 'CAF5678@mail.customer.example', mailboxId: 'mbx-sales' });
      return given(answered(), reply).when(receiveReply({ messageId: 'msg-4', email })).then([emailReceived({ messageId: 'msg-4', email })]);
    });

    it('answers a follow-up automatically only when asked, and never to the expert', () => {
      given(answered()).when(receiveReply({ autoReply: ack({ kind: 'auto-reply' }) })).then([reply, autoReplyQueued({ kind: 'auto-reply', inReplyToMessageId: 'msg-3' })]);
      given(answered())
        .when(receiveReply({ role: 'external', autoReply: ack({ to: [EXPERT] }) }))
        .thenEvents((events) => expect(events.map((e) => e.type)).toEqual(['EmailReceived']));
    });

    it('refuses a request whose status opens a follow-up request instead', () =>
      DeciderSpecification.for(requestDecider, followUpCatalog).given(answered(), closed()).when(receiveReply()).thenThrows('email-opens-new-request'));

    it('refuses a merged request (the mail goes to the target)', () =>
      given(answered(), merged()).when(receiveReply()).thenThrows('request-merged'));

    it('marks our message bounced when a bounce names it', () => {
      const bounce = emailReceived({
        messageId: 'msg-3',
        role: 'external',
        accessLevel: 'internal',
        contactId: null,
        email: inbound({ from: 'mailer-daemon@mx.customer.example', classification: 'bounce', bounce: { messageId: 'msg-2', recipients: [JANE], status: '5.1.1', permanent: true } }),
      });
      const state = stateAfter(answered(), emailSent(), bounce) as ExistingRequest;
      expect(state.messages.find((m) => m.messageId === 'msg-2')!.email).toMatchObject({ status: 'bounced', lastError: `Bounced (5.1.1): ${JANE}` });
      expect(state.messages.find((m) => m.messageId === 'msg-3')).toMatchObject({ kind: 'external', accessLevel: 'internal' });
    });
  });

  describe('where a mail goes', () => {
    const stateOf = (...events: Parameters<typeof stateAfter>) => stateAfter(...events) as ExistingRequest;

    it('goes onto an open request', () => expect(emailDestination(stateOf(answered()), testCatalog, 'contact')).toBe('this-request'));

    it('goes onto a closed request, which reopens', () => expect(emailDestination(stateOf(answered(), closed()), testCatalog, 'contact')).toBe('this-request'));

    it('opens a follow-up when the closed status says so', () =>
      expect(emailDestination(stateOf(answered(), closed()), followUpCatalog, 'contact')).toBe('follow-up-request'));

    it('keeps an expert\'s answer on the closed request all the same', () =>
      expect(emailDestination(stateOf(answered(), closed()), followUpCatalog, 'external')).toBe('this-request'));

    it('opens a follow-up for a deleted request', () => expect(emailDestination(stateOf(answered(), deleted()), testCatalog, 'contact')).toBe('follow-up-request'));
  });

  it('turns a subject into a title', () => {
    expect(titleFromSubject('  Re:  printer \n on fire ')).toBe('Re: printer on fire');
    expect(titleFromSubject('x'.repeat(300))).toHaveLength(200);
  });
});

describe('delivery of outbound mail (stream delivery-<requestId>, the request as context)', () => {
  const request = (...events: Parameters<typeof stateAfter>) => stateAfter(...events) as ExistingRequest;
  const delivery = DeciderSpecification.for(deliveryDecider);
  const onAnswered = (...history: DeliveryEvent[]) => delivery.given(history).withContext(request(answered()));

  it('records the sending of a reply', () => onAnswered().when(recordSent()).then([emailSent()]));

  it('records it once', () => onAnswered(emailSent()).when(recordSent({ attempt: 2 })).thenNothingHappens());

  it('records a failed attempt with the next one', () => onAnswered().when(recordFailed()).then([emailSendFailed()]));

  it('records a later attempt that failed too', () => onAnswered(emailSendFailed()).when(recordFailed({ attempt: 2 })).then([emailSendFailed({ attempt: 2 })]));

  it('does not record the same failed attempt twice', () => onAnswered(emailSendFailed()).when(recordFailed()).thenNothingHappens());

  it('records the sending after failures', () => onAnswered(emailSendFailed()).when(recordSent({ attempt: 2 })).then([emailSent({ attempt: 2 })]));

  it('ignores a failure reported after the sending', () => onAnswered(emailSent()).when(recordFailed({ attempt: 2 })).thenNothingHappens());

  it('records what happened to mail of a request deleted since', () =>
    delivery.given().withContext(request(answered(), deleted())).when(recordSent()).then([emailSent()]));

  it('suppresses an automatic reply', () =>
    delivery.given().withContext(request(mailedIn(), autoReplyQueued())).when(suppress()).then([emailSuppressed()]));

  it('refuses a message that is not sent by mail', () => onAnswered().when(recordSent({ messageId: 'msg-1' })).thenThrows('message-not-sent-by-mail'));

  it('refuses a message the request does not have', () => onAnswered().when(recordSent({ messageId: 'msg-9' })).thenThrows('message-not-found'));

  it('shows in the request view: the read models fold the delivery into the message', () => {
    const state = stateAfter(answered(), emailSendFailed(), emailSent({ attempt: 2 })) as ExistingRequest;
    expect(state.messages.find((m) => m.messageId === 'msg-2')!.email).toEqual({
      direction: 'outbound',
      status: 'sent',
      messageIdHeader: 'helpdesk.req-1.msg-2@helpdesk.test',
      attempts: 2,
      lastError: null,
      nextAttemptAt: null,
      sentAt: NOW,
    });
  });
});

describe('an imported mail as a message', () => {
  it('is the contact\'s, external, from the mail channel, with its mail facts', () => {
    const state = stateAfter(mailedIn()) as ExistingRequest;
    expect(state.messages).toEqual([
      {
        messageId: 'msg-1',
        kind: 'customer',
        versions: [{ version: 1, body: 'Hello, my printer is on fire. Can you help?', at: NOW, by: null }],
        accessLevel: 'external',
        flagged: false,
        authorId: null,
        contactId: 'contact-1',
        channel: 'email',
        createdAt: NOW,
        to: ['support@helpdesk.test'],
        cc: [],
        bcc: [],
        originRequestId: null,
        email: inbound(),
      },
    ]);
    expect(state).toMatchObject({ channel: 'email', number: REQUEST.number });
  });

  it('goes along with a split, mail facts and all', () =>
    given(mailedIn(), replied())
      .when({ type: 'SplitRequest', data: { newRequest: OTHER, messageIds: ['msg-1'] }, metadata: { now: NOW, actor: { id: 'alice', role: 'agent' }, channel: 'api', correlationId: 'c' } })
      .thenEvents((events) => expect((events[0]!.data as { messages: { email?: unknown }[] }).messages[0]!.email).toEqual(inbound())));

  it('names its mailbox', () => expect((stateAfter(mailedIn()) as ExistingRequest).messages[0]!.email).toMatchObject({ mailboxId: MAILBOX }));
});

import { eventTypes, expectStatus, requestState, requestStream, waitFor } from '../support/e2e-harness';
import { bracket, EXPERT, JANE, registerAgent, SUPPORT, useMailWorld } from './support/mail-world';

/**
 * The email-in scenario of the product (requests-domain: "a contact emails in"), against a real Dovecot
 * (IMAP, LMTP) and a real Postfix (SMTP): Jane writes to support@ and is acknowledged; the request waits
 * unassigned; Alice accepts it, forwards it to an external expert whose answer threads back as an internal
 * message, replies to Jane (the reply lands in Jane's mailbox on Dovecot with the threading headers), Jane
 * answers onto the same request, and Alice closes it. The proof is in the mailboxes and the event stream.
 */
describe('email-in scenario (Dovecot IMAP + Postfix SMTP)', () => {
  const world = useMailWorld();
  let alice: Awaited<ReturnType<typeof registerAgent>>;

  beforeAll(async () => {
    alice = await registerAgent(world, 'Alice');
    expectStatus(await alice.client.put('/api/mail/signature', { text: 'Alice Anders\nCustomer Service, Helpdesk Ltd.' }), 200);
  });

  it('runs from Jane\'s first mail to the closed request, threading every reply', async () => {
    // 1. Jane writes to support@, with the invoice attached.
    const janesId = await world.send({
      from: `Jane Doe <${JANE}>`,
      to: SUPPORT,
      cc: 'boss@customer.example',
      subject: 'Invoice 1042 shows the wrong total',
      text: 'Hello, invoice 1042 totals 1,240 EUR but the order was 1,024 EUR. The invoice is attached.',
      attachments: [{ filename: 'invoice-1042.pdf', content: Buffer.from('%PDF-1.4 fake invoice'), contentType: 'application/pdf' }],
    });

    // 2. The poller imports it: one request, unassigned, from the mail channel.
    const [receipt] = await world.waitForReceipts(1, 'Jane\'s mail imported');
    expect(receipt).toMatchObject({ status: 'created', requestNumber: 1, messageId: janesId, from: JANE });
    const requestId: string = receipt.requestId;
    const unassigned = await waitFor(async () => {
      const list = await alice.client.get('/api/requests?view=unassigned');
      return list.body.items?.find((r: any) => r.id === requestId);
    }, 10_000, 'the request in the unassigned queue');
    expect(unassigned).toMatchObject({ number: 1, title: 'Invoice 1042 shows the wrong total', ownerId: null, baseStatus: 'open' });

    // 3. Jane gets the acknowledgement, automatic and threaded to her mail.
    const [ack] = await world.waitForInbox('jane', 1, 'the acknowledgement');
    expect(ack!.mail.subject).toBe('Re: Invoice 1042 shows the wrong total [#1]');
    expect(ack!.mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack!.mail.inReplyTo).toBe(bracket(janesId));
    expect(ack!.mail.from?.value[0]?.address).toBe(SUPPORT);

    // 4. Alice accepts it.
    expectStatus(await alice.client.post(`/api/requests/${requestId}/accept`, {}), 200);

    // 5. She forwards it to an external expert; the customer's attachment goes along.
    expectStatus(await alice.client.post(`/api/requests/${requestId}/forwards`, { to: [EXPERT], note: 'Can you check the VAT on this invoice?' }), 200);
    const [forward] = await world.waitForInbox('expert', 1, 'the forward');
    expect(forward!.mail.subject).toBe('Fwd: Invoice 1042 shows the wrong total [#1]');
    expect(forward!.mail.text).toContain('Can you check the VAT on this invoice?');
    expect(forward!.mail.text).toContain('invoice 1042 totals 1,240 EUR');
    expect(forward!.mail.text).toContain('Alice Anders');
    expect(forward!.mail.attachments.map((a) => a.filename)).toEqual(['invoice-1042.pdf']);
    const forwardId = forward!.mail.messageId!;
    expect(forwardId).toMatch(new RegExp(`^<helpdesk\\.${requestId}\\.`));

    // 6. The expert answers (a plain reply: In-Reply-To the forward); it threads back, internal.
    await world.send({
      from: `The Expert <${EXPERT}>`,
      to: SUPPORT,
      subject: `Re: ${forward!.mail.subject}`,
      text: 'The VAT line uses 24% instead of 20%. Total should be 1,024 EUR.',
      inReplyTo: forwardId,
      references: [forwardId],
    });
    await world.waitForReceipts(2, 'the expert\'s answer imported');
    const afterExpert = await requestState(world.store, requestId);
    const expertMessage = afterExpert.messages[afterExpert.messages.length - 1]!;
    expect(expertMessage).toMatchObject({ kind: 'external', accessLevel: 'internal', channel: 'email' });
    expect(expertMessage.versions[0]!.body).toContain('24% instead of 20%');

    // 7. Alice replies to Jane; the reply lands in Jane's mailbox, threaded, signed, from support@.
    expectStatus(await alice.client.post(`/api/requests/${requestId}/replies`, { body: 'Dear Jane, you are right: the total is 1,024 EUR. A corrected invoice follows.' }), 200);
    const janesMail = await world.waitForInbox('jane', 2, 'Alice\'s reply');
    const reply = janesMail[1]!.mail;
    expect(reply.subject).toBe('Re: Invoice 1042 shows the wrong total [#1]');
    expect(reply.inReplyTo).toBe(bracket(janesId));
    expect(reply.references).toEqual(expect.arrayContaining([bracket(janesId), ack!.mail.messageId]));
    expect(reply.messageId).toMatch(new RegExp(`^<helpdesk\\.${requestId}\\.[0-9a-f-]{36}@helpdesk\\.test>$`));
    expect(reply.headers.get('auto-submitted')).toBeUndefined();
    expect(reply.from?.text).toBe('"Alice (Support)" <support@helpdesk.test>');
    expect(reply.text).toContain('the total is 1,024 EUR');
    expect(reply.text).toContain('-- \nAlice Anders');
    // The expert's answer is internal: Jane never got it (only the acknowledgement and the reply).
    expect(janesMail).toHaveLength(2);

    // 8. Jane answers Alice's reply: it threads onto the same request, as her message.
    await world.send({
      from: `Jane Doe <${JANE}>`,
      to: SUPPORT,
      subject: reply.subject,
      text: 'Thank you, that was quick!',
      inReplyTo: reply.messageId,
      references: [...(reply.references as string[]), reply.messageId!],
    });
    const receipts = await world.waitForReceipts(3, 'Jane\'s answer imported');
    expect(receipts.map((r) => [r.status, r.requestNumber])).toEqual([
      ['created', 1],
      ['appended', 1],
      ['appended', 1],
    ]);
    expect(receipts[2].reasonCode).toBe('threaded-by-our-message-id');

    // 9. Alice closes it.
    expectStatus(await alice.client.post(`/api/requests/${requestId}/close`, {}), 200);

    // The history says exactly what happened, in order.
    const types = await eventTypes(world.store, requestStream(requestId));
    expect(types).toEqual(['RequestCreated', 'EmailReceived', 'AutoReplyQueued', 'RequestAccepted', 'RequestForwarded', 'EmailReceived', 'ReplyAdded', 'EmailReceived', 'RequestClosed']);
    // What became of the three outbound mails is in the request's delivery stream (not moving its revision).
    expect(await eventTypes(world.store, `delivery-${requestId}`)).toEqual(['EmailSent', 'EmailSent', 'EmailSent']);
    const detail = await waitFor(async () => {
      const view = await alice.client.get(`/api/requests/${requestId}`);
      return view.body.messages?.filter((m: any) => m.email?.status === 'sent').length === 3 ? view.body : undefined;
    }, 10_000, 'the request view to show the three deliveries');
    expect(detail.messages.map((m: any) => m.email?.status ?? null)).toEqual([null, 'sent', 'sent', null, 'sent', null]);
    const final = await requestState(world.store, requestId);
    expect(final).toMatchObject({ baseStatus: 'closed', ownerId: alice.id, channel: 'email' });
    const first = final.messages[0]!;
    expect(first.email).toMatchObject({ direction: 'inbound', from: JANE, cc: ['boss@customer.example'], mailboxId: world.mailboxId });
    expect(first.email?.direction === 'inbound' && first.email.attachments.map((a) => a.filename)).toEqual(['invoice-1042.pdf']);
    expect(final.messages.map((m) => [m.kind, m.accessLevel])).toEqual([
      ['customer', 'external'],
      ['automatic', 'external'],
      ['forward', 'internal'],
      ['external', 'internal'],
      ['reply', 'external'],
      ['customer', 'external'],
    ]);
    // Nothing failed or went to the dead letters, and the outbox sent all three.
    expect((await world.admin.get('/api/mail/dead-letters')).body.total).toBe(0);
    const outbox = (await world.admin.get('/api/mail/outbox')).body.items;
    expect(outbox.map((i: any) => [i.kind, i.status, i.attempts])).toEqual([
      ['acknowledgement', 'sent', 1],
      ['forward', 'sent', 1],
      ['reply', 'sent', 1],
    ]);
    // Jane became a contact, and the request view serves the attachment by its hash.
    const contact = await alice.client.get(`/api/contacts?email=${JANE}`);
    expect(contact.body).toMatchObject({ name: 'Jane Doe', emails: [JANE] });
    expect(final.contactIds).toEqual([contact.body.id]);
    const attachment = first.email?.direction === 'inbound' ? first.email.attachments[0]! : undefined;
    const download = await alice.client.get(`/api/requests/${requestId}/files/${attachment!.blob}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="invoice-1042.pdf"');
    // The mail as it arrived is there too, for whoever may read the request; the raw blob route is not for agents.
    const raw = first.email?.direction === 'inbound' ? first.email.rawBlob : '';
    const received = await alice.client.get(`/api/requests/${requestId}/files/${raw}`);
    expect(received.status).toBe(200);
    expect(received.headers.get('content-disposition')).toBe(`attachment; filename="message-${first.messageId}.eml"`);
    expect(String(received.body)).toContain('Subject:');
    expect((await alice.client.get(`/api/mail/blobs/${attachment!.blob}`)).status).toBe(403);
    expect((await world.admin.get(`/api/mail/blobs/${attachment!.blob}?filename=${attachment!.filename}`)).status).toBe(200);
  }, 120_000);
});

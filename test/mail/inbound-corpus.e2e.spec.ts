import { corpusMail } from '../../libs/mail/src/testing/corpus';
import { expectStatus, requestState, waitFor } from '../support/e2e-harness';
import { bracket, JANE, registerAgent, SUPPORT, useMailWorld } from './support/mail-world';

const raw = (text: string) => Buffer.from(text.replace(/\r?\n/g, '\r\n'));

/**
 * The corpus of awkward real-world mail, through the real import: appended byte for byte to the support
 * mailbox on Dovecot (IMAP APPEND) and read by the server's poller, or posted to POST /api/mail/inbound.
 */
describe('inbound corpus (Dovecot IMAP)', () => {
  const world = useMailWorld({ env: { MAIL_MAX_ATTACHMENT_BYTES: String(10 * 1024 * 1024) } });
  let alice: Awaited<ReturnType<typeof registerAgent>>;
  let requestId: string;
  let janesId: string;
  let ackId: string;
  let replyId: string;
  let processed = 0;

  const byMessageId = async (messageId: string) => (await world.receipts()).find((r) => r.messageId === messageId);
  const appendAndWait = async (...mails: Buffer[]) => {
    for (const mail of mails) await world.append('support', mail);
    processed += mails.length;
    return world.waitForReceipts(processed, `${mails.length} appended mail(s) imported`);
  };
  const outboxKinds = async () => (await world.admin.get('/api/mail/outbox?limit=500')).body.items.map((i: { kind: string }) => i.kind);

  beforeAll(async () => {
    alice = await registerAgent(world, 'Alice');
    janesId = 'first-1042@customer.example';
    await appendAndWait(raw(`From: Jane Doe <${JANE}>\nTo: ${SUPPORT}\nSubject: Invoice 1042 shows the wrong total\nMessage-ID: <${janesId}>\nDate: ${new Date().toUTCString()}\n\nThe total is wrong.\n`));
    requestId = (await byMessageId(janesId)).requestId;
    expectStatus(await alice.client.post(`/api/requests/${requestId}/replies`, { body: 'We are on it.' }), 200);
    const sent = await waitFor(async () => {
      const items: { kind: string; status: string; messageIdHeader: string }[] = (await world.admin.get('/api/mail/outbox')).body.items;
      return items.filter((i) => i.status === 'sent').length === 2 ? items : undefined;
    }, 20_000, 'the acknowledgement and the reply sent');
    ackId = sent.find((i) => i.kind === 'acknowledgement')!.messageIdHeader;
    replyId = sent.find((i) => i.kind === 'reply')!.messageIdHeader;
  }, 60_000);

  it('threads replies from Outlook, Gmail and Apple Mail by our Message-ID, by a stored one and by References', async () => {
    await appendAndWait(
      corpusMail('outlook-reply', { IN_REPLY_TO: bracket(replyId), N: 1 }),
      corpusMail('gmail-reply', { IN_REPLY_TO: bracket(janesId), REFERENCES: bracket(janesId), N: 1 }),
      corpusMail('apple-mail-inline-image', { IN_REPLY_TO: '<lost@customer.example>', REFERENCES: `${bracket(janesId)} <lost@customer.example>` }),
    );
    expect((await byMessageId('am0pr07mb4163c1a2b3c4d5e6f7a8b9c0d1e2f3a4@am0pr07mb4163.eurprd07.prod.outlook.com'))).toMatchObject({ status: 'appended', requestId, reasonCode: 'threaded-by-our-message-id' });
    expect(await byMessageId('cakx5xqh2vq+7c9f0=w7u3h2mbqs8zp0rt4yy1nk6de2af9gh3q@mail.gmail.com')).toMatchObject({ status: 'appended', requestId, reasonCode: 'threaded-by-message-id' });
    expect(await byMessageId('5e1f2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7@customer.example')).toMatchObject({ status: 'appended', requestId, reasonCode: 'threaded-by-message-id' });
    const request = await requestState(world.store, requestId);
    const apple = request.messages.find((m) => m.email?.direction === 'inbound' && m.email.messageIdHeader.startsWith('5e1f2a3b'))!;
    expect(apple.email).toMatchObject({ attachments: [expect.objectContaining({ filename: 'screenshot.png', inline: true, contentId: 'screenshot-0001@customer.example' })] });
    expect(request.messages.find((m) => m.email?.direction === 'inbound' && m.email.messageIdHeader.startsWith('cakx5'))!.versions[0]!.body).toContain('Grüße from München');
  });

  it('threads a reply without In-Reply-To by its subject tag, but only from a participant', async () => {
    const fromJane = corpusMail('outlook-reply-no-in-reply-to', { N: 1 });
    const fromStranger = Buffer.from(fromJane.toString('latin1').replace('From: Jane Doe <jane@customer.example>', 'From: Mallory <mallory@attacker.example>').replace('<000001d9a1b2', '<000002d9a1b2'), 'latin1');
    await appendAndWait(fromJane, fromStranger);
    expect(await byMessageId('000001d9a1b2$c3d4e5f0$a1b2c3d4$@customer.example')).toMatchObject({ status: 'appended', requestId, reasonCode: 'threaded-by-subject-tag' });
    const stranger = await byMessageId('000002d9a1b2$c3d4e5f0$a1b2c3d4$@customer.example');
    expect(stranger.status).toBe('created');
    expect(stranger.requestId).not.toBe(requestId);
  });

  it('threads a bounce of our reply as an internal message and marks the reply bounced', async () => {
    await appendAndWait(corpusMail('dsn-bounce', { IN_REPLY_TO: bracket(replyId), N: 1 }));
    expect(await byMessageId('20260302140000.5a1b2c3d4e@mx.customer.example')).toMatchObject({ status: 'appended', requestId, reasonCode: 'threaded-by-bounce' });
    const request = await requestState(world.store, requestId);
    const reply = request.messages.find((m) => m.kind === 'reply')!;
    expect(reply.email).toMatchObject({ direction: 'outbound', status: 'bounced', lastError: 'Bounced (5.1.1): nobody@customer.example' });
    expect(request.messages[request.messages.length - 1]).toMatchObject({ kind: 'external', accessLevel: 'internal', contactId: null });
  });

  it('records an auto-reply to our acknowledgement without answering it, and ignores one to nothing of ours', async () => {
    const before = (await outboxKinds()).length;
    await appendAndWait(corpusMail('vacation-auto-reply', { IN_REPLY_TO: bracket(ackId), N: 1 }), corpusMail('exchange-automatic-reply', { IN_REPLY_TO: '<nothing-of-ours@x.example>' }));
    expect(await byMessageId('vacation-1a2b3c@customer.example')).toMatchObject({ status: 'appended', requestId });
    expect(await byMessageId('9f8e7d6c5b4a@exch01.contoso.example')).toMatchObject({ status: 'ignored', reasonCode: 'unmatched-auto-reply' });
    const request = await requestState(world.store, requestId);
    expect(request.messages[request.messages.length - 1]!.email).toMatchObject({ classification: 'auto-reply' });
    expect((await outboxKinds()).length).toBe(before);
  });

  it('imports list mail without acknowledging it', async () => {
    await appendAndWait(corpusMail('list-mail'));
    const receipt = await byMessageId('newsletter-2026-03@vendor.example');
    expect(receipt.status).toBe('created');
    const request = await requestState(world.store, receipt.requestId);
    expect(request.messages.map((m) => m.kind)).toEqual(['customer']);
    expect(request.messages[0]!.email).toMatchObject({ classification: 'list' });
  });

  it('decodes ISO-2022-JP and windows-1252, declared or not', async () => {
    await appendAndWait(corpusMail('iso-2022-jp'), corpusMail('iso-2022-jp-undeclared'), corpusMail('windows-1252'), corpusMail('windows-1252-undeclared'));
    const titleAndText = async (messageId: string) => {
      const request = await requestState(world.store, (await byMessageId(messageId)).requestId);
      return [request.title, request.messages[0]!.versions[0]!.body];
    };
    expect(await titleAndText('jp-declared-001@customer.example')).toEqual(['請求書について', 'お世話になっております。請求書の金額が違います。①②㈱髙﨑 様']);
    expect(await titleAndText('jp-undeclared-002@customer.example')).toEqual(['見積もりの件', '見積もりをお願いします。']);
    expect(await titleAndText('cp1252-declared@customer.example')).toEqual(['Facture à corriger – urgent', 'Le montant est de 1\u00a0240 € au lieu de 1\u00a0024 €. Merci d’avance – François']);
    expect(await titleAndText('cp1252-undeclared@customer.example')).toEqual(['Reçu – déjà payé', 'Café crème € 5, “quoted” text.']);
    const hanako = await alice.client.get('/api/contacts?email=hanako@customer.example');
    expect(hanako.body.name).toBe('山田 花子');
  });

  it('imports broken MIME and a forwarded chain with their attachments', async () => {
    await appendAndWait(corpusMail('broken-mime'), corpusMail('forwarded-chain'));
    const broken = await requestState(world.store, (await byMessageId('broken-mime-1@customer.example')).requestId);
    expect(broken.messages[0]!.versions[0]!.body).toContain('The attachment should be a log file.');
    expect(broken.messages[0]!.email).toMatchObject({ attachments: [expect.objectContaining({ filename: 'server.log' })] });
    const forwarded = await requestState(world.store, (await byMessageId('fwd-7781-abc@customer.example')).requestId);
    expect(forwarded.messages[0]!.email).toMatchObject({ attachments: [expect.objectContaining({ filename: 'Delivery note 7781.eml', contentType: 'message/rfc822' })] });
  });

  it('serves HTML with scripts only sanitised, through every read API', async () => {
    await appendAndWait(corpusMail('html-with-scripts'));
    const receipt = await byMessageId('xss-1@attacker.example');
    const detail = await waitFor(async () => {
      const response = await alice.client.get(`/api/requests/${receipt.requestId}`);
      return response.status === 200 ? response.body : undefined;
    }, 10_000, 'the request view');
    const html: string = detail.messages[0].email.html;
    for (const bad of ['<script', 'onload', 'onerror', 'javascript:', '<iframe', '<form', '<style', 'attacker.example', '<svg']) expect(html).not.toContain(bad);
    expect(html).toContain('<b>4711</b>');
    expect(JSON.stringify(detail)).not.toContain('<script');
  });

  it('takes mail without a Message-ID once, however often it arrives', async () => {
    const mail = corpusMail('no-message-id');
    const again = Buffer.concat([Buffer.from('Received: from relay2.customer.example by mx.helpdesk.test; Mon, 2 Mar 2026 03:00:09 +0100\r\nDelivered-To: help@helpdesk.test\r\n'), mail]);
    const receipts = await appendAndWait(mail, again);
    const mine = receipts.slice(-2);
    expect(mine.map((r) => r.status)).toEqual(['created', 'duplicate']);
    expect(mine[1].requestId).toBe(mine[0].requestId);
  });

  it('dead-letters a huge attachment with a clear reason, and imports it after the limit is raised', async () => {
    const pdf = Buffer.alloc(12 * 1024 * 1024, 0x25).toString('base64').replace(/.{76}/g, '$&\r\n');
    const huge = raw(`From: Jane Doe <${JANE}>\nTo: ${SUPPORT}\nSubject: The full scan\nMessage-ID: <huge-scan-1@customer.example>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nThe scan is attached.\n--b\nContent-Type: application/pdf; name=scan.pdf\nContent-Disposition: attachment; filename=scan.pdf\nContent-Transfer-Encoding: base64\n\n${pdf}\n--b--\n`);
    await appendAndWait(huge);
    const dead = (await world.admin.get('/api/mail/dead-letters')).body;
    expect(dead.items).toEqual([
      expect.objectContaining({ status: 'dead', reasonCode: 'attachment-too-large', reason: 'The attachment "scan.pdf" is 12.0 MB; the limit is 10.0 MB (MAIL_MAX_ATTACHMENT_BYTES)', from: JANE, subject: 'The full scan' }),
    ]);
    // The fix: a higher limit. Then the retry imports it, with nothing lost meanwhile.
    await world.restart({ MAIL_MAX_ATTACHMENT_BYTES: String(20 * 1024 * 1024) });
    const retried = await world.admin.post(`/api/mail/dead-letters/${dead.items[0].id}/retry`, {});
    expectStatus(retried, 200);
    expect(retried.body).toMatchObject({ status: 'created', reasonCode: null });
    const request = await requestState(world.store, retried.body.requestId);
    expect(request.messages[0]!.email).toMatchObject({ attachments: [expect.objectContaining({ filename: 'scan.pdf', size: 12 * 1024 * 1024 })] });
    expect((await world.admin.get('/api/mail/dead-letters')).body.total).toBe(0);
  }, 60_000);

  it('takes raw mail through POST /api/mail/inbound, and dead-letters mail for no mailbox until there is one', async () => {
    const toSupport = raw(`From: ${JANE}\nTo: ${SUPPORT}\nSubject: Through the pipe\nMessage-ID: <pipe-1@customer.example>\n\nHello through the MTA pipe.\n`);
    const piped = await world.admin.request('POST', '/api/mail/inbound', { raw: toSupport.toString('latin1'), headers: { 'content-type': 'message/rfc822' } });
    expectStatus(piped, 200);
    expect(piped.body).toMatchObject({ status: 'created', number: expect.any(Number) });
    const again = await world.admin.request('POST', '/api/mail/inbound', { raw: toSupport.toString('latin1'), headers: { 'content-type': 'message/rfc822' } });
    expect(again.body).toMatchObject({ status: 'duplicate', requestId: piped.body.requestId });

    const toSales = raw(`From: ${JANE}\nTo: sales@helpdesk.test\nSubject: A quote please\nMessage-ID: <pipe-2@customer.example>\n\nHow much for 10?\n`);
    const homeless = await world.admin.request('POST', '/api/mail/inbound', { raw: toSales.toString('latin1'), headers: { 'content-type': 'message/rfc822' } });
    expect(homeless.body).toMatchObject({ status: 'dead', reasonCode: 'no-mailbox' });
    expectStatus(await world.admin.post('/api/mail/mailboxes', { name: 'Sales', address: 'sales@helpdesk.test' }), 201);
    const retried = await world.admin.post(`/api/mail/dead-letters/${homeless.body.receiptId}/retry`, {});
    expect(retried.body).toMatchObject({ status: 'created' });

    const agentTries = await world.admin.as(alice.token).request('POST', '/api/mail/inbound', { raw: toSales.toString('latin1'), headers: { 'content-type': 'message/rfc822' } });
    expect(agentTries.status).toBe(403);
    const empty = await world.admin.request('POST', '/api/mail/inbound', { raw: '', headers: { 'content-type': 'message/rfc822' } });
    expect(empty.status).toBe(400);
  });
});

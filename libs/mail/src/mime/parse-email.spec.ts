import { corpusMail } from '../testing/corpus';
import { classify } from '../classify/classify';
import { parseEmail, UnprocessableMail } from './parse-email';
import { repairCharsets } from './charset-repair';

const LIMITS = { maxMessageBytes: 25 * 1024 * 1024, maxAttachmentBytes: 10 * 1024 * 1024 };
const OURS = '<helpdesk.0199a1b2-0000-7000-8000-000000000001.0199a1b2-0000-7000-8000-000000000002@helpdesk.test>';
const context = { ownAddresses: new Set(['support@helpdesk.test']), loopToken: 'instance-1' };

describe('parsing the corpus of real-world mail', () => {
  it('reads an Outlook reply: threading headers, both parts, the address normalised', async () => {
    const mail = await parseEmail(corpusMail('outlook-reply', { IN_REPLY_TO: OURS, N: 7 }), LIMITS);
    expect(mail).toMatchObject({
      messageId: 'am0pr07mb4163c1a2b3c4d5e6f7a8b9c0d1e2f3a4@am0pr07mb4163.eurprd07.prod.outlook.com',
      inReplyTo: OURS.slice(1, -1),
      references: [OURS.slice(1, -1)],
      subject: 'RE: Invoice 1042 shows the wrong total [#7]',
      from: { address: 'jane@customer.example', name: 'Doe, Jane' },
    });
    expect(mail.text).toContain('can you also send it as PDF?');
    expect(mail.html).toContain('<p>Thanks, the corrected invoice arrived.');
    expect(classify(mail, context)).toBe('normal');
  });

  it('decodes a Gmail reply in UTF-8 quoted-printable', async () => {
    const mail = await parseEmail(corpusMail('gmail-reply', { IN_REPLY_TO: OURS }), LIMITS);
    expect(mail.text).toContain('Grüße from München');
    expect(mail.inReplyTo).toBe(OURS.slice(1, -1));
  });

  it('keeps Apple Mail\'s inline image as an inline attachment with its Content-ID', async () => {
    const mail = await parseEmail(corpusMail('apple-mail-inline-image'), LIMITS);
    expect(mail.attachments).toEqual([
      expect.objectContaining({ filename: 'screenshot.png', contentType: 'image/png', contentId: 'screenshot-0001@customer.example', inline: true }),
    ]);
    expect(mail.html).toContain('src="cid:screenshot-0001@customer.example"');
  });

  it('keeps a forwarded message as an .eml attachment', async () => {
    const mail = await parseEmail(corpusMail('forwarded-chain'), LIMITS);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['Delivery note 7781.eml', 'message/rfc822']]);
    expect(mail.text).toContain('Two items are missing');
  });

  it('reads a DSN: recipients, status and the Message-ID of the returned mail', async () => {
    const mail = await parseEmail(corpusMail('dsn-bounce', { IN_REPLY_TO: OURS }), LIMITS);
    expect(mail.deliveryReport).toEqual({ recipients: ['nobody@customer.example'], status: '5.1.1', action: 'failed', originalMessageId: OURS.slice(1, -1) });
    expect(classify(mail, context)).toBe('bounce');
  });

  it.each([
    ['vacation-auto-reply', 'auto-reply'],
    ['exchange-automatic-reply', 'auto-reply'],
    ['list-mail', 'list'],
    ['gmail-reply', 'normal'],
    ['forwarded-chain', 'normal'],
  ] as const)('classifies %s as %s', async (name, expected) => expect(classify(await parseEmail(corpusMail(name), LIMITS), context)).toBe(expected));

  it('decodes declared ISO-2022-JP, including the CP50220 characters', async () => {
    const mail = await parseEmail(corpusMail('iso-2022-jp'), LIMITS);
    expect(mail.subject).toBe('請求書について');
    expect(mail.from).toEqual({ address: 'hanako@customer.example', name: '山田 花子' });
    expect(mail.text).toBe('お世話になっております。請求書の金額が違います。①②㈱髙﨑 様');
  });

  it('decodes undeclared ISO-2022-JP in the subject and the body', async () => {
    const mail = await parseEmail(corpusMail('iso-2022-jp-undeclared'), LIMITS);
    expect(mail.subject).toBe('見積もりの件');
    expect(mail.text).toBe('見積もりをお願いします。');
  });

  it('decodes declared windows-1252 (euro sign, curly quotes, dashes)', async () => {
    const mail = await parseEmail(corpusMail('windows-1252'), LIMITS);
    expect(mail.subject).toBe('Facture à corriger – urgent');
    expect(mail.from?.name).toBe('François Müller');
    expect(mail.text).toBe('Le montant est de 1\u00a0240 € au lieu de 1\u00a0024 €. Merci d’avance – François');
  });

  it('decodes undeclared 8-bit text as windows-1252', async () => {
    const mail = await parseEmail(corpusMail('windows-1252-undeclared'), LIMITS);
    expect(mail.subject).toBe('Reçu – déjà payé');
    expect(mail.text).toBe('Café crème € 5, “quoted” text.');
  });

  it('imports broken MIME as far as it goes', async () => {
    const mail = await parseEmail(corpusMail('broken-mime'), LIMITS);
    expect(mail.text).toContain('The attachment should be a log file.');
    expect(mail.attachments.map((a) => a.filename)).toEqual(['server.log']);
  });

  it('sanitises HTML: no scripts, handlers, frames, forms, styles, javascript: links or remote images', async () => {
    const mail = await parseEmail(corpusMail('html-with-scripts'), LIMITS);
    const html = mail.html!;
    for (const bad of ['<script', 'onload', 'onerror', 'javascript:', '<iframe', '<form', '<input', '<style', 'attacker.example', 'position:fixed', '<svg']) expect(html).not.toContain(bad);
    expect(html).toContain('<a href="https://example.com/help" rel="noopener noreferrer nofollow" target="_blank">here</a>');
    expect(html).toContain('<b>4711</b>');
  });

  it('keys mail without a Message-ID by its content, not by its transport headers', async () => {
    const raw = corpusMail('no-message-id');
    const first = await parseEmail(raw, LIMITS);
    const second = await parseEmail(Buffer.concat([Buffer.from('Received: from relay2.example by mx.example; Mon, 2 Mar 2026 03:00:05 +0100\r\nDelivered-To: help@helpdesk.test\r\n'), raw]), LIMITS);
    expect(first.hadMessageId).toBe(false);
    expect(first.messageId).toMatch(/^content\.[0-9a-f]{64}@helpdesk\.invalid$/);
    expect(second.messageId).toBe(first.messageId);
    expect((await parseEmail(Buffer.from(raw.toString('latin1').replace('code 2', 'code 3'), 'latin1'), LIMITS)).messageId).not.toBe(first.messageId);
  });

  it('refuses an attachment over the limit, saying which and by how much', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = Buffer.from(`From: a@customer.example\r\nTo: support@helpdesk.test\r\nSubject: scan\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee scan\r\n--b\r\nContent-Type: application/pdf; name=scan.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--b--\r\n`);
    const error = await parseEmail(raw, { maxMessageBytes: 25 * 1024 * 1024, maxAttachmentBytes: 1024 * 1024 }).catch((e) => e);
    expect(error).toBeInstanceOf(UnprocessableMail);
    expect(error).toMatchObject({ code: 'attachment-too-large', message: 'The attachment "scan.pdf" is 2.0 MB; the limit is 1.0 MB (MAIL_MAX_ATTACHMENT_BYTES)' });
  });

  it('refuses a message over the limit before parsing it', async () => {
    await expect(parseEmail(Buffer.alloc(2048, 65), { maxMessageBytes: 1024, maxAttachmentBytes: 1024 })).rejects.toMatchObject({ code: 'message-too-large' });
  });
});

describe('classification', () => {
  const mail = async (headers: string, from = 'jane@customer.example', subject = 'Hello') =>
    parseEmail(Buffer.from(`From: ${from}\r\nTo: support@helpdesk.test\r\nSubject: ${subject}\r\nMessage-ID: <x1@customer.example>\r\n${headers}\r\nhello\r\n`), LIMITS);

  it('recognises our own mail by address, by loop header and by our Message-ID', async () => {
    expect(classify(await mail('', 'support@helpdesk.test'), context)).toBe('own');
    expect(classify(await mail('X-Helpdesk-Loop: instance-1\r\n'), context)).toBe('own');
    const ours = await parseEmail(Buffer.from(`From: x@customer.example\r\nMessage-ID: ${OURS}\r\n\r\nhi\r\n`), LIMITS);
    expect(classify(ours, context)).toBe('own');
  });

  it.each([
    ['Auto-Submitted: auto-generated\r\n', 'auto-reply'],
    ['Auto-Submitted: no\r\n', 'normal'],
    ['X-Autoreply: yes\r\n', 'auto-reply'],
    ['Precedence: auto_reply\r\n', 'auto-reply'],
    ['X-Failed-Recipients: a@b.example\r\n', 'bounce'],
    ['Precedence: bulk\r\n', 'list'],
    ['List-Unsubscribe: <mailto:u@x.example>\r\n', 'list'],
  ])('reads %j as %s', async (headers, expected) => expect(classify(await mail(headers), context)).toBe(expected));

  it('takes a mailer daemon\'s failure notice for a bounce even without a DSN', async () =>
    expect(classify(await mail('Return-Path: <>\r\n', 'mailer-daemon@mx.example', 'Mail delivery failed: returning message to sender'), context)).toBe('bounce'));
});

describe('charset repair', () => {
  it('leaves mail that declares its charsets byte for byte as it was', () => {
    const raw = corpusMail('gmail-reply');
    expect(repairCharsets(raw).equals(raw)).toBe(true);
  });

  it('declares the charset of an undeclared part', () => {
    expect(repairCharsets(corpusMail('windows-1252-undeclared')).toString('latin1')).toContain('Content-Type: text/plain; charset=windows-1252');
  });
});

import nodemailer from 'nodemailer';
import { waitFor } from '../support/e2e-harness';
import { imapClient, JANE, SUPPORT, useMailWorld, type MailWorld } from './support/mail-world';

type Manners = 'rude-threaded' | 'rude-unthreaded' | 'polite';

/**
 * An auto-responder on the other side (Jane's mailbox on Dovecot) that answers every mail it gets,
 * through Postfix back to support@. The rude ones send no Auto-Submitted header; the worst one also drops
 * the threading headers and the subject tag, so each answer opens a new request.
 */
const startResponder = (world: MailWorld, manners: Manners) => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: world.postfix.smtpPort, secure: false, ignoreTLS: true });
  const seen = new Set<number>();
  let answers = 0;
  let stopped = false;
  const loop = (async () => {
    const client = imapClient(world.dovecot, 'jane');
    await client.connect();
    try {
      while (!stopped) {
        const box = await client.mailboxOpen('INBOX');
        if (box.exists > 0) {
          for await (const message of client.fetch('1:*', { uid: true, envelope: true })) {
            if (seen.has(message.uid)) continue;
            seen.add(message.uid);
            const subject = message.envelope?.subject ?? '';
            answers++;
            await transport.sendMail({
              from: `Jane Doe <${JANE}>`,
              to: SUPPORT,
              subject: manners === 'rude-unthreaded' ? `I am away (${answers})` : `Re: ${subject}`,
              text: 'I am away and will answer when I am back.',
              ...(manners === 'rude-unthreaded' ? {} : { inReplyTo: message.envelope?.messageId }),
              ...(manners === 'polite' ? { headers: { 'Auto-Submitted': 'auto-replied' } } : {}),
            });
          }
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    } finally {
      await client.logout();
      transport.close();
    }
  })();
  return {
    answers: () => answers,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
};

/**
 * Waits until the exchange has started (at least `minReceipts` mails imported) and then nothing has moved
 * for `quietMs`; fails after `timeoutMs`: a loop never goes quiet.
 */
const untilQuiet = async (world: MailWorld, minReceipts: number, quietMs: number, timeoutMs: number) => {
  let last = -1;
  let since = Date.now();
  return waitFor(async () => {
    const receipts = (await world.receipts()).filter((r) => r.status !== 'received').length;
    if (receipts < minReceipts) return undefined;
    const outbox = (await world.admin.get('/api/mail/outbox?limit=500')).body.items.length;
    const now = receipts * 10_000 + outbox;
    if (now !== last) {
      last = now;
      since = Date.now();
      return undefined;
    }
    return Date.now() - since >= quietMs ? true : undefined;
  }, timeoutMs, 'the exchange to go quiet (it did not: a mail loop)');
};

describe.each<[Manners, { onFollowUps: boolean }]>([
  ['rude-threaded', { onFollowUps: true }],
  ['rude-unthreaded', { onFollowUps: false }],
  ['polite', { onFollowUps: true }],
])('mail loop with an auto-responder that is %s', (manners, { onFollowUps }) => {
  // The worst settings for us: every mail answered automatically, a limit of 3 per address per hour.
  const world = useMailWorld({ env: { MAIL_AUTO_REPLY_LIMIT: '3', MAIL_AUTO_REPLY_WINDOW_MINUTES: '60' }, mailbox: { autoReply: { enabled: true, onFollowUps } } });

  it('ends after a bounded number of messages', async () => {
    const responder = startResponder(world, manners);
    try {
      await world.send({ from: `Jane Doe <${JANE}>`, to: SUPPORT, subject: 'My printer jams', text: 'Please help.' });
      // Jane's mail and at least one answer of her responder, then quiet.
      await untilQuiet(world, 2, 4000, 60_000);
    } finally {
      await responder.stop();
    }
    const outbox: { automatic: boolean; status: string; lastError: string | null }[] = (await world.admin.get('/api/mail/outbox?limit=500')).body.items;
    const sent = outbox.filter((i) => i.automatic && i.status === 'sent');
    const suppressed = outbox.filter((i) => i.automatic && i.status === 'suppressed');
    const receipts = await world.receipts();
    if (manners === 'polite') {
      // It marks its answers automatic: we answer nothing of them.
      expect(sent).toHaveLength(1);
      expect(suppressed).toHaveLength(0);
      expect(receipts).toHaveLength(2);
    } else {
      // Rude: our limit of 3 automatic mails to Jane ends it; the 4th is suppressed, visibly.
      expect(sent).toHaveLength(3);
      expect(suppressed).toHaveLength(1);
      expect(suppressed[0].lastError).toContain('Auto-reply limit: 3 automatic mails to jane@customer.example');
      expect(receipts).toHaveLength(4);
    }
    expect(responder.answers()).toBe(sent.length);
    // Every mail of Jane's was imported (nothing lost), into 1 request when threaded, 4 when not.
    const requests = new Set(receipts.map((r) => r.requestId));
    expect(requests.size).toBe(manners === 'rude-unthreaded' ? 4 : 1);
  }, 90_000);
});

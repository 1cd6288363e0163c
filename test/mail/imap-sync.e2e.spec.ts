import { waitFor } from '../support/e2e-harness';
import { imapClient, imapError, SUPPORT, useMailWorld } from './support/mail-world';

const mail = (n: number, options: { messageId?: string; deliveredTo?: string } = {}) =>
  Buffer.from(
    [
      ...(options.deliveredTo ? [`Delivered-To: ${options.deliveredTo}`] : []),
      `From: Customer ${n} <customer${n}@customer.example>`,
      `To: ${SUPPORT}`,
      `Subject: Question number ${n}`,
      `Message-ID: <${options.messageId ?? `question-${n}@customer.example`}>`,
      `Date: ${new Date().toUTCString()}`,
      '',
      `This is question ${n}.`,
      '',
    ].join('\r\n'),
  );

/**
 * The IMAP poller's promise: by UIDVALIDITY + UID, a restart (clean or a crash) neither skips nor repeats
 * a message; a UIDVALIDITY change reads the folder again without importing anything twice; the same mail
 * twice (two aliases, two deliveries) is one request.
 */
describe('IMAP import: nothing skipped, nothing repeated (Dovecot)', () => {
  const world = useMailWorld({ folder: 'Support', mailbox: { autoReply: { enabled: false } } });
  const distinctRequests = (receipts: any[]) => new Set(receipts.filter((r) => r.requestId).map((r) => r.requestId)).size;
  const processedCount = async () => (await world.receipts()).filter((r) => r.status !== 'received').length;
  let appended = 0;

  const append = async (...raws: Buffer[]) => {
    for (const raw of raws) await world.append('support', raw, 'Support');
    appended += raws.length;
  };

  it('imports each message once, and the same mail through two aliases once', async () => {
    const batch = Array.from({ length: 19 }, (_, i) => mail(i + 1, { deliveredTo: SUPPORT }));
    // Question 1 again, delivered a second time to an alias of the mailbox.
    await append(...batch, mail(1, { deliveredTo: 'help@helpdesk.test' }));
    const receipts = await world.waitForReceipts(20, 'the first 20 mails');
    expect(receipts.filter((r) => r.status === 'created')).toHaveLength(19);
    expect(receipts.filter((r) => r.status === 'duplicate')).toEqual([expect.objectContaining({ messageId: 'question-1@customer.example', requestId: receipts[0].requestId })]);
    expect(receipts.map((r) => r.uid)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('picks up mail that arrived while it was stopped, and nothing twice', async () => {
    await world.restart();
    // The server is up again; stop it once more and let mail arrive meanwhile.
    await world.server.stop();
    await append(...Array.from({ length: 10 }, (_, i) => mail(100 + i)));
    await world.restart();
    const receipts = await world.waitForReceipts(30, 'the 10 mails that came while it was stopped');
    await new Promise((r) => setTimeout(r, 2500)); // a few more polls: nothing new may appear
    const again = await world.receipts();
    expect(again).toHaveLength(30);
    expect(new Set(again.map((r) => r.uid)).size).toBe(30);
    expect(distinctRequests(receipts)).toBe(29);
  }, 60_000);

  it('loses nothing when the server is killed in the middle of an import', async () => {
    await append(...Array.from({ length: 150 }, (_, i) => mail(200 + i)));
    await waitFor(async () => ((await processedCount()) > 35 ? true : undefined), 20_000, 'the import under way');
    await world.restart({}, { crash: true });
    const receipts = await world.waitForReceipts(appended, 'every mail after the crash');
    expect(receipts).toHaveLength(appended);
    expect(new Set(receipts.map((r) => r.uid)).size).toBe(appended);
    expect(receipts.filter((r) => r.status === 'created')).toHaveLength(appended - 1);
    // One request per distinct mail: a receipt re-imported after the crash found its claim.
    expect(distinctRequests(receipts)).toBe(appended - 1);
  }, 90_000);

  it('reads the folder again after a UIDVALIDITY change, importing only what is new', async () => {
    const before = await world.receipts();
    const oldValidity = before[0].uidValidity;
    const sources: Buffer[] = [];
    const client = imapClient(world.dovecot, 'support');
    await client.connect();
    try {
      await client.mailboxOpen('Support');
      for await (const message of client.fetch('1:*', { source: true })) sources.push(message.source!);
      await client.mailboxClose();
      // Deleting and re-creating the folder gives it a new UIDVALIDITY; its mail comes back under new UIDs.
      // The server's own session may hold the folder for a moment (a FETCH): try again shortly then.
      for (let attempt = 1; ; attempt++) {
        try {
          if ((await client.list()).some((box) => box.path === 'Support')) await client.mailboxDelete('Support');
          await client.mailboxCreate('Support');
          break;
        } catch (error) {
          if (attempt >= 5) throw imapError(error, 'Re-creating the folder');
          await new Promise((r) => setTimeout(r, 300));
        }
      }
    } finally {
      await client.logout();
    }
    expect(sources).toHaveLength(appended);
    const restored = appended;
    appended = 0;
    await append(...sources, mail(900), mail(901));
    const receipts = await world.waitForReceipts(before.length + restored + 2, 'the folder read again', 60_000);
    const fresh = receipts.slice(before.length);
    expect(new Set(fresh.map((r) => r.uidValidity))).toEqual(new Set([expect.not.stringMatching(`^${oldValidity}$`)]));
    expect(fresh.filter((r) => r.status === 'duplicate')).toHaveLength(restored);
    expect(fresh.filter((r) => r.status === 'created').map((r) => r.messageId).sort()).toEqual(['question-900@customer.example', 'question-901@customer.example']);
    const status = await world.admin.get(`/api/mail/mailboxes/${world.mailboxId}/status`);
    expect(status.body).toMatchObject({ connected: true, uidValidity: fresh[0].uidValidity, lastUid: restored + 2, lastError: null });
  }, 90_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createContact, createRequest, eventTypes, events, expectProblem, expectStatus, openEventStore, requestStream, waitFor } from '../support/e2e-harness';
import { httpClient } from '../support/http-client';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import type { SqliteEventStore } from '@helpdesk/event-store';

/** The outbox against a real SMTP server (the smtp-server package) that refuses on demand. */
describe('outbox: retries with backoff, failures stay visible', () => {
  let sink: SmtpSink;
  let server: ServerProcess;
  let store: SqliteEventStore;
  const admin = () => httpClient(server.url, server.adminToken);

  beforeAll(async () => {
    sink = await startSmtpSink();
    server = await startServerProcess({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_TLS: 'none', MAIL_SEND_BACKOFF_SECONDS: '1', MAIL_SEND_MAX_ATTEMPTS: '4', MAIL_MAX_ATTACHMENT_BYTES: '65536' } });
    store = openEventStore(server.dataDir);
    expectStatus(await admin().post('/api/mail/mailboxes', { name: 'Support', address: 'support@helpdesk.test' }), 201);
  });
  afterAll(async () => {
    await store?.close();
    await server?.stop();
    await sink?.stop();
  });

  it('retries a refused send with backoff, under the same Message-ID, and records every attempt', async () => {
    const contact = await createContact(admin(), { name: 'Carla', emails: ['carla@customer.example'] });
    const request = await createRequest(admin(), store, { contactIds: [contact], channel: 'phone' });
    sink.failNext(2);
    expectStatus(await admin().post(`/api/requests/${request.id}/replies`, { body: 'Your new password is on its way.' }), 200);
    await waitFor(async () => (sink.received.length === 1 ? true : undefined), 20_000, 'the third attempt to get through');
    // Deliveries are recorded in the request's delivery stream; the request's revision does not move.
    const delivery = await events(store, `delivery-${request.id}`);
    expect(await eventTypes(store, requestStream(request.id))).toEqual(['RequestCreated', 'CustomerMessageAdded', 'ReplyAdded']);
    expect(delivery.map((e) => [e.type, e.data.attempt])).toEqual([
      ['EmailSendFailed', 1],
      ['EmailSendFailed', 2],
      ['EmailSent', 3],
    ]);
    expect(delivery[0]!.data).toMatchObject({ permanent: false, error: expect.stringContaining('Try again later'), nextAttemptAt: expect.any(String) });
    // Backoff doubles (MAIL_SEND_BACKOFF_SECONDS=1): the next attempt was planned 1 s, then 2 s after a failure.
    const planned = delivery.slice(0, 2).map((e) => Date.parse(e.data.nextAttemptAt) - Date.parse(e.data.at));
    expect(planned).toEqual([1000, 2000]);
    expect(Date.parse(delivery[2]!.data.at)).toBeGreaterThanOrEqual(Date.parse(delivery[1]!.data.nextAttemptAt));
    expect(new Set(sink.attempts)).toEqual(new Set([`<${delivery[2]!.data.messageIdHeader}>`]));
    const outbox = (await admin().get('/api/mail/outbox')).body.items;
    expect(outbox).toEqual([expect.objectContaining({ kind: 'reply', status: 'sent', attempts: 3, lastError: null, recipients: ['carla@customer.example'] })]);
  }, 60_000);

  it('gives up on a permanent refusal, keeps it visible, and sends it when asked to retry after a fix', async () => {
    const contact = await createContact(admin(), { name: 'Nobody', emails: ['nobody@customer.example'] });
    const request = await createRequest(admin(), store, { contactIds: [contact], channel: 'phone' });
    sink.rejectRecipient('nobody@customer.example');
    expectStatus(await admin().post(`/api/requests/${request.id}/replies`, { body: 'Hello?' }), 200);
    const failed = await waitFor(async () => {
      const items = (await admin().get('/api/mail/outbox?status=failed')).body.items;
      return items.length === 1 ? items[0] : undefined;
    }, 20_000, 'the send to fail');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null, lastError: expect.stringMatching(/refused|550/) });
    expect(await eventTypes(store, `delivery-${request.id}`)).toEqual(['EmailSendFailed']);
    expect((await events(store, `delivery-${request.id}`))[0]!.data).toMatchObject({ permanent: true, nextAttemptAt: null });

    sink.rejectRecipient(null);
    const retried = await admin().post(`/api/mail/outbox/${failed.messageId}/retry`, {});
    expectStatus(retried, 200);
    await waitFor(async () => ((await admin().get('/api/mail/outbox?status=sent')).body.items.length === 2 ? true : undefined), 20_000, 'the retried send');
    expect(await eventTypes(store, `delivery-${request.id}`)).toEqual(['EmailSendFailed', 'EmailSent']);
  }, 60_000);

  it('sends the files an agent uploaded with the reply, byte for byte; unknown and oversized uploads are refused', async () => {
    const upload = (bytes: Buffer, query: string) =>
      fetch(`${server.url}/api/mail/attachments?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/octet-stream' },
        body: bytes,
      });
    // Every byte value, so a text conversion anywhere on the way would show.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256))]);
    const uploaded = await upload(pdf, 'filename=invoice-1042.pdf&contentType=application/pdf');
    expect(uploaded.status).toBe(201);
    const ref = (await uploaded.json()) as { blob: string; filename: string; contentType: string; size: number };
    expect(ref).toEqual({ blob: createHash('sha256').update(pdf).digest('hex'), filename: 'invoice-1042.pdf', contentType: 'application/pdf', size: pdf.length });

    const contact = await createContact(admin(), { name: 'Fay', emails: ['fay@customer.example'] });
    const request = await createRequest(admin(), store, { contactIds: [contact], channel: 'phone' });
    const before = sink.received.length;
    const replied = await admin().post(`/api/requests/${request.id}/replies`, {
      body: 'The corrected invoice is attached.',
      attachments: [{ blob: ref.blob, filename: ref.filename, contentType: ref.contentType }],
    });
    expectStatus(replied, 200);
    const mail = await waitFor(async () => sink.received.slice(before).find((m) => m.to && JSON.stringify(m.to).includes('fay@customer.example')), 20_000, 'the reply');
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['invoice-1042.pdf', 'application/pdf']]);
    expect(Buffer.compare(mail.attachments[0]!.content, pdf)).toBe(0);
    expect(mail.text).toContain('The corrected invoice is attached.');

    // The event and the request view name the file (its size measured from the upload, not taken from the caller).
    const added = (await events(store, requestStream(request.id))).find((e) => e.type === 'ReplyAdded')!;
    expect(added.data.attachments).toEqual([{ blob: ref.blob, filename: 'invoice-1042.pdf', contentType: 'application/pdf', size: pdf.length, contentId: null, inline: false }]);
    const view = await admin().get(`/api/requests/${request.id}`, { 'x-min-position': String(replied.body.position) });
    expectStatus(view, 200);
    expect(view.body.messages.find((m: { kind: string }) => m.kind === 'reply').attachments).toEqual([expect.objectContaining({ blob: ref.blob, filename: 'invoice-1042.pdf' })]);

    // The file is read back through its request, byte for byte; through a request that does not carry it, it is not there.
    const asAdmin = { headers: { authorization: `Bearer ${server.adminToken}` } };
    const file = await fetch(`${server.url}/api/requests/${request.id}/files/${ref.blob}`, asAdmin);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="invoice-1042.pdf"');
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.compare(Buffer.from(await file.arrayBuffer()), pdf)).toBe(0);
    const other = await createRequest(admin(), store, { contactIds: [contact], channel: 'phone' });
    expect((await fetch(`${server.url}/api/requests/${other.id}/files/${ref.blob}`, asAdmin)).status).toBe(404);
    expect((await fetch(`${server.url}/api/requests/${request.id}/files/${'c'.repeat(64)}`, asAdmin)).status).toBe(404);

    // Forwarding the request takes the reply's file along.
    const sentSoFar = sink.received.length;
    expectStatus(await admin().post(`/api/requests/${request.id}/forwards`, { to: ['expert@supplier.example'], note: 'Can you check this invoice?' }), 200);
    const forwardedMail = await waitFor(async () => sink.received.slice(sentSoFar).find((m) => JSON.stringify(m.to).includes('expert@supplier.example')), 20_000, 'the forward');
    expect(forwardedMail.attachments.map((a) => a.filename)).toEqual(['invoice-1042.pdf']);
    expect(Buffer.compare(forwardedMail.attachments[0]!.content, pdf)).toBe(0);

    // A file that was never uploaded, a reference that is not one, a file over MAIL_MAX_ATTACHMENT_BYTES: nothing is written.
    const unknown = await admin().post(`/api/requests/${request.id}/replies`, { body: 'x', attachments: [{ blob: 'b'.repeat(64), filename: 'a.txt', contentType: 'text/plain' }] });
    expect(expectProblem(unknown, 422, 'unknown-attachment').detail).toContain('upload it first');
    expectProblem(await admin().post(`/api/requests/${request.id}/replies`, { body: 'x', attachments: [{ blob: '../../etc/passwd', filename: 'a', contentType: 'text/plain' }] }), 400);
    const tooBig = await upload(Buffer.alloc(65537, 1), 'filename=big.bin&contentType=application/octet-stream');
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { detail: string }).detail).toContain('at most 65536 bytes');
    expect(await eventTypes(store, requestStream(request.id))).toEqual(['RequestCreated', 'CustomerMessageAdded', 'ReplyAdded', 'RequestForwarded']);
  }, 60_000);

  it('writes .eml files to DATA_DIR/outbox when no SMTP server is configured (the embedded default)', async () => {
    const embedded = await startServerProcess();
    try {
      const client = httpClient(embedded.url, embedded.adminToken);
      const embeddedStore = openEventStore(embedded.dataDir);
      const contact = await createContact(client, { name: 'Dora', emails: ['dora@customer.example'] });
      const request = await createRequest(client, embeddedStore, { contactIds: [contact], channel: 'phone' });
      expectStatus(await client.post(`/api/requests/${request.id}/replies`, { body: 'Written to a file.' }), 200);
      const files = await waitFor(async () => {
        try {
          const found = readdirSync(join(embedded.dataDir, 'outbox')).filter((f) => f.endsWith('.eml'));
          return found.length === 1 ? found : undefined;
        } catch {
          return undefined;
        }
      }, 10_000, 'the .eml file');
      const eml = readFileSync(join(embedded.dataDir, 'outbox', files[0]!), 'utf8');
      expect(eml).toContain('To: dora@customer.example');
      expect(eml).toMatch(new RegExp(`^Subject: Re: .+ \\[#${request.number}\\]`, 'm'));
      expect(eml).toMatch(/Message-ID:\s*<helpdesk\./);
      await waitFor(async () => ((await eventTypes(embeddedStore, `delivery-${request.id}`)).includes('EmailSent') ? true : undefined), 10_000, 'EmailSent');
      await embeddedStore.close();
    } finally {
      await embedded.stop();
    }
  }, 60_000);
});

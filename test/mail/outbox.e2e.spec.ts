import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContact, createRequest, eventTypes, events, expectStatus, openEventStore, requestStream, waitFor } from '../support/e2e-harness';
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
    server = await startServerProcess({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_TLS: 'none', MAIL_SEND_BACKOFF_SECONDS: '1', MAIL_SEND_MAX_ATTEMPTS: '4' } });
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

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Streams } from '@helpdesk/application';
import { events, expectFieldError, expectProblem, expectStatus, registerUser, useE2e } from '../support/e2e-harness';

const PASSWORD = 'Imap-P4ssw0rd-that-must-never-leak';

/** Mailboxes through the API: configuration as events, passwords only in the secret store. */
describe('mailboxes', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');

  const imap = { host: 'imap.helpdesk.test', port: 993, tls: 'implicit', user: 'support', password: PASSWORD };

  it('keeps the password out of every answer, event, log and plain file', async () => {
    const created = await e2e.admin.post('/api/mail/mailboxes', { name: 'Support', address: 'Support@Helpdesk.test', aliases: ['help@helpdesk.test'], imap, categoryId: 'general', autoReply: { enabled: true, body: 'Thanks! Your request is #{{number}}.' } });
    expectStatus(created, 201);
    const shown = await e2e.admin.get(`/api/mail/mailboxes/${created.body.id}`);
    expectStatus(shown, 200);
    expect(shown.body).toMatchObject({
      name: 'Support',
      address: 'support@helpdesk.test',
      aliases: ['help@helpdesk.test'],
      imap: { host: 'imap.helpdesk.test', port: 993, tls: 'implicit', user: 'support', folder: 'INBOX', passwordSet: true, secretRef: expect.stringMatching(/^secret:/) },
      autoReply: { enabled: true, body: 'Thanks! Your request is #{{number}}.', onFollowUps: false },
      createContacts: true,
      pollIntervalSeconds: 60,
    });
    // Agents see the mailboxes (their From addresses), never more.
    expect((await agent.client.get('/api/mail/mailboxes')).body).toEqual([shown.body]);
    // A change of the password replaces the secret; leaving it out keeps it.
    expectStatus(await e2e.admin.patch(`/api/mail/mailboxes/${created.body.id}`, { imap: { ...imap, password: `${PASSWORD}-2` } }), 200);
    expectStatus(await e2e.admin.patch(`/api/mail/mailboxes/${created.body.id}`, { imap: { ...imap, password: undefined, folder: 'Support' } }), 200);
    const after = (await e2e.admin.get(`/api/mail/mailboxes/${created.body.id}`)).body;
    expect(after.imap).toMatchObject({ folder: 'Support', passwordSet: true });
    expect(after.imap.secretRef).not.toBe(shown.body.imap.secretRef);

    const everything = JSON.stringify((await e2e.store.readAll({ maxCount: 100_000 })).map((e) => [e.streamId, e.type, e.data, e.metadata]));
    expect(everything).not.toContain(PASSWORD);
    expect(everything).toContain(after.imap.secretRef);
    expect(e2e.server.output()).not.toContain(PASSWORD);
    for (const file of readdirSync(e2e.server.dataDir)) {
      const path = join(e2e.server.dataDir, file);
      if (statSync(path).isFile()) expect(readFileSync(path).includes(PASSWORD)).toBe(false);
    }
    expect(statSync(join(e2e.server.dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses what is not a mailbox', async () => {
    expectFieldError(await e2e.admin.post('/api/mail/mailboxes', { name: 'X', address: 'not-an-address' }), 'address');
    expectFieldError(await e2e.admin.post('/api/mail/mailboxes', { name: 'X', address: 'x@helpdesk.test', imap: { ...imap, port: 0 } }), 'imap.port');
    expectFieldError(await e2e.admin.post('/api/mail/mailboxes', { name: 'X', address: 'x@helpdesk.test', imap: { ...imap, password: undefined, secretRef: 'the-password-itself' } }), 'imap.secretRef');
    expectProblem(await e2e.admin.post('/api/mail/mailboxes', { name: 'X', address: 'x@helpdesk.test', categoryId: 'nope' }), 422, 'unknown-category');
    expectProblem(await e2e.admin.post('/api/mail/mailboxes', { name: 'X', address: 'x@helpdesk.test', imap: { ...imap, password: undefined } }), 422, 'secret-not-a-reference');
    expectProblem(await e2e.admin.post('/api/mail/mailboxes', { name: 'Help', address: 'help@helpdesk.test' }), 409, 'mailbox-address-in-use');
    expectProblem(await agent.client.post('/api/mail/mailboxes', { name: 'Mine', address: 'mine@helpdesk.test' }), 403);
    expectProblem(await e2e.admin.get('/api/mail/mailboxes/nope'), 404);
  });

  it('gives an address to one mailbox only, claimed in the log; moved or removed, the mailbox gives it up', async () => {
    // Requests in parallel, though this server may well take them one after the other: the race itself is
    // staged in the next test, with a claim the directory does not know yet.
    const attempts = await Promise.all(Array.from({ length: 6 }, (_, i) => e2e.admin.post('/api/mail/mailboxes', { name: `Race ${i}`, address: 'race@helpdesk.test' })));
    const won = attempts.filter((r) => r.status === 201);
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((r) => r.status !== 201)) expectProblem(lost, 409, 'mailbox-address-in-use');
    const winner = won[0]!.body.id as string;
    // An alias is an address like any other.
    expectProblem(await e2e.admin.post('/api/mail/mailboxes', { name: 'Alias', address: 'other@helpdesk.test', aliases: ['RACE@helpdesk.test'] }), 409, 'mailbox-address-in-use');
    // Moved to another address, the mailbox gives the old one up; removed, it gives up all of its own.
    expectStatus(await e2e.admin.patch(`/api/mail/mailboxes/${winner}`, { address: 'race-2@helpdesk.test', aliases: ['race-3@helpdesk.test'] }), 200);
    const next = await e2e.admin.post('/api/mail/mailboxes', { name: 'Next', address: 'race@helpdesk.test' });
    expectStatus(next, 201);
    expectProblem(await e2e.admin.post('/api/mail/mailboxes', { name: 'Late', address: 'race-3@helpdesk.test' }), 409, 'mailbox-address-in-use');
    expectStatus(await e2e.admin.delete(`/api/mail/mailboxes/${winner}`), 200);
    expectStatus(await e2e.admin.post('/api/mail/mailboxes', { name: 'Later', address: 'race-3@helpdesk.test', aliases: ['race-2@helpdesk.test'] }), 201);
    expect((await events(e2e.store, Streams.mailboxAddress('race@helpdesk.test'))).map((e) => [e.type, e.data.mailboxId])).toEqual([
      ['MailboxAddressClaimed', winner],
      ['MailboxAddressReleased', winner],
      ['MailboxAddressClaimed', next.body.id],
    ]);
  });

  it('lets the address claim decide where the directory does not know yet (another API replica configuring a mailbox at the same moment)', async () => {
    // What a replica's append that this server has not folded into its directory looks like in the log: only the claim.
    await e2e.store.append(Streams.mailboxAddress('contested@helpdesk.test'), [{ id: randomUUID(), type: 'MailboxAddressClaimed', data: { address: 'contested@helpdesk.test', mailboxId: 'on-another-replica' } }], 'no_stream');
    const refused = expectProblem(await e2e.admin.post('/api/mail/mailboxes', { name: 'Contested', address: 'Contested@helpdesk.test' }), 409, 'mailbox-address-in-use');
    expect(refused.detail).toBe('contested@helpdesk.test already belongs to another mailbox');
    // Nothing of the refused command was written.
    expect((await e2e.admin.get('/api/mail/mailboxes')).body.map((m: { address: string }) => m.address)).not.toContain('contested@helpdesk.test');
  });

  it('takes an environment variable as the password\'s place', async () => {
    const created = await e2e.admin.post('/api/mail/mailboxes', { name: 'Env', address: 'env@helpdesk.test', imap: { ...imap, password: undefined, secretRef: 'env:ENV_MAILBOX_PASSWORD' } });
    expectStatus(created, 201);
    expect((await e2e.admin.get(`/api/mail/mailboxes/${created.body.id}`)).body.imap).toMatchObject({ secretRef: 'env:ENV_MAILBOX_PASSWORD', passwordSet: true });
    expectStatus(await e2e.admin.delete(`/api/mail/mailboxes/${created.body.id}`), 200);
    expectProblem(await e2e.admin.get(`/api/mail/mailboxes/${created.body.id}`), 404);
  });

  const inbound = (raw: string) => e2e.admin.request('POST', '/api/mail/inbound', { raw: raw.replace(/\n/g, '\r\n'), headers: { 'content-type': 'message/rfc822' } });

  it('links no contact to mail from an unknown sender when the mailbox creates none (GDPR)', async () => {
    const created = await e2e.admin.post('/api/mail/mailboxes', { name: 'Private', address: 'private@helpdesk.test', createContacts: false });
    expectStatus(created, 201);
    const imported = await inbound('From: Stranger <stranger@unknown.example>\nTo: private@helpdesk.test\nSubject: Delete my data\nMessage-ID: <gdpr-1@unknown.example>\n\nPlease delete everything you have about me.\n');
    expect(imported.body).toMatchObject({ status: 'created' });
    const request = await e2e.admin.get(`/api/requests/${imported.body.requestId}?minPosition=${imported.body.position}`);
    expect(request.body).toMatchObject({ contactIds: [], channel: 'email', messages: [expect.objectContaining({ contactId: null, email: expect.objectContaining({ from: 'stranger@unknown.example' }) })] });
    expectProblem(await e2e.admin.get('/api/contacts?email=stranger@unknown.example'), 404);
  });

  it('opens a follow-up request for a reply to a request closed with a status that says so', async () => {
    const status = await e2e.admin.post('/api/statuses', { name: 'Closed for good', base: 'closed', newRequestOnReply: true });
    expectStatus(status, 201);
    const first = await inbound('From: Olle <olle@customer.example>\nTo: support@helpdesk.test\nSubject: Broken chair\nMessage-ID: <chair-1@customer.example>\n\nThe chair broke.\n');
    expect(first.body).toMatchObject({ status: 'created' });
    expectStatus(await e2e.admin.post(`/api/requests/${first.body.requestId}/close`, { statusId: status.body.id }), 200);
    const reply = await inbound('From: Olle <olle@customer.example>\nTo: support@helpdesk.test\nSubject: Re: Broken chair\nMessage-ID: <chair-2@customer.example>\nIn-Reply-To: <chair-1@customer.example>\n\nThe new one broke too.\n');
    expect(reply.body).toMatchObject({ status: 'created', reasonCode: 'follow-up' });
    expect(reply.body.requestId).not.toBe(first.body.requestId);
    const followUp = await e2e.admin.get(`/api/requests/${reply.body.requestId}?minPosition=${reply.body.position}`);
    expect(followUp.body.title).toBe('Re: Broken chair');
    const [event] = (await e2e.store.readStream(`request-${reply.body.requestId}`)).filter((e) => e.type === 'EmailReceived');
    expect(event!.data.followUpOf).toEqual({ requestId: first.body.requestId, number: first.body.number });
    // A reply to a request closed the ordinary way reopens it instead.
    const other = await inbound('From: Olle <olle@customer.example>\nTo: support@helpdesk.test\nSubject: Wobbly table\nMessage-ID: <table-1@customer.example>\n\nThe table wobbles.\n');
    expectStatus(await e2e.admin.post(`/api/requests/${other.body.requestId}/close`, {}), 200);
    const again = await inbound('From: Olle <olle@customer.example>\nTo: support@helpdesk.test\nSubject: Re: Wobbly table\nMessage-ID: <table-2@customer.example>\nIn-Reply-To: <table-1@customer.example>\n\nStill wobbles.\n');
    expect(again.body).toMatchObject({ status: 'appended', requestId: other.body.requestId });
    expect((await e2e.store.readStream(`request-${other.body.requestId}`)).map((e) => e.type).slice(-2)).toEqual(['EmailReceived', 'RequestReopened']);
  });

  it('keeps each agent\'s signature to themselves', async () => {
    const other = await registerUser(e2e, 'agent');
    expectStatus(await agent.client.put('/api/mail/signature', { text: 'Agent A\nSupport' }), 200);
    expect((await agent.client.get('/api/mail/signature')).body).toEqual({ agentId: agent.id, text: 'Agent A\nSupport' });
    expect((await other.client.get('/api/mail/signature')).body).toEqual({ agentId: other.id, text: '' });
  });
});

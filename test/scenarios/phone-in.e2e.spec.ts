import { createContact, events, registerUser, requestStream, useE2e } from '../support/e2e-harness';

/**
 * The phone-in scenario of the product, over HTTP against the real server: an agent registers a
 * request from a call, asks a colleague with an internal note, and the colleague replies to the
 * contact and closes it. The proof is the event stream.
 */
describe('phone-in scenario', () => {
  const e2e = useE2e();

  it('runs from the call to the closed request, and the stream tells exactly what happened', async () => {
    const alice = await registerUser(e2e, 'agent', 'Alice');
    const bob = await registerUser(e2e, 'agent', 'Bob');
    const customer = await createContact(alice.client, { name: 'Carla Customer', emails: ['carla@customer.example'] });

    // 1. Alice takes the call and registers the request, owning it herself.
    const created = await alice.client.post('/api/requests', {
      title: 'Invoice 1042 shows the wrong total',
      contactIds: [customer],
      channel: 'phone',
      ownerId: alice.id,
      tags: ['Billing'],
      message: { body: 'Carla called: invoice 1042 totals 1,240 EUR but the order was 1,024 EUR.' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), number: 1, revision: 1, position: expect.any(Number) });
    const requestId: string = created.body.id;

    // 2. She asks Bob, who handles billing, with an internal note.
    const transferred = await alice.client.post(`/api/requests/${created.body.number}/transfer`, {
      ownerId: bob.id,
      note: 'Bob, can you check the VAT line on 1042? Looks like a transposition.',
    });
    expect(transferred.status).toBe(200);
    expect(transferred.headers.get('etag')).toBe('"3"');

    // 3. Bob replies to the contact (To defaults to the main contact) and closes the request.
    const replied = await bob.client.post(`/api/requests/${requestId}/replies`, {
      body: 'Dear Carla, you are right: the total should be 1,024 EUR. A corrected invoice is on its way.',
    });
    expect(replied.status).toBe(200);
    const closed = await bob.client.post(`/api/requests/${requestId}/close`, {}, { 'if-match': replied.headers.get('etag')! });
    expect(closed.status).toBe(200);
    expect(closed.body.revision).toBe(5);

    const recorded = await events(e2e.store, requestStream(requestId));
    expect(recorded.map((e) => e.type)).toEqual([
      'RequestCreated',
      'CustomerMessageAdded',
      'RequestTransferred',
      'InternalNoteAdded',
      'ReplyAdded',
      'RequestClosed',
    ]);
    expect(recorded.map((e) => Number(e.revision))).toEqual([0, 1, 2, 3, 4, 5]);
    const [createdEvent, message, transfer, note, reply, close] = recorded;

    expect(createdEvent!.data).toMatchObject({
      requestId,
      number: 1,
      contactIds: [customer],
      channel: 'phone',
      ownerId: alice.id,
      createdBy: alice.id,
      statusId: 'new',
      baseStatus: 'open',
      tags: ['billing'],
      splitFrom: null,
    });
    expect(message!.data).toMatchObject({ contactId: customer, recordedBy: alice.id, channel: 'phone', accessLevel: 'external' });
    expect(transfer!.data).toMatchObject({ previousOwnerId: alice.id, ownerId: bob.id, noteMessageId: note!.data.messageId });
    expect(note!.data).toMatchObject({ authorId: alice.id, body: expect.stringContaining('VAT line') });
    expect(reply!.data).toMatchObject({ authorId: bob.id, to: ['carla@customer.example'], cc: [], bcc: [], accessLevel: 'external' });
    expect(close!.data).toMatchObject({ statusId: 'closed', previousStatusId: 'new' });

    // Who did what is the authenticated user, recorded on every event.
    expect(recorded.map((e) => e.metadata['actorId'])).toEqual([alice.id, alice.id, alice.id, alice.id, bob.id, bob.id]);
    expect(recorded.every((e) => typeof e.metadata['occurredAt'] === 'string' && typeof e.metadata['correlationId'] === 'string')).toBe(true);
    // Both events of one command share its correlation id.
    expect(createdEvent!.metadata['correlationId']).toBe(message!.metadata['correlationId']);
    expect(transfer!.metadata['correlationId']).toBe(note!.metadata['correlationId']);
  });
});

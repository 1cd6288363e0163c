import { createContact, createRequest, events, requestStream, useE2e } from '../support/e2e-harness';
import type { HttpClient } from '../support/http-client';

/** Conflicting commands in parallel over HTTP: exactly one wins, the stream stays intact. */
describe('concurrent commands on one request', () => {
  const e2e = useE2e();
  const alice = e2e.user('agent', 'Alice');
  const bob = e2e.user('agent', 'Bob');
  let contactId: string;

  beforeAll(async () => {
    contactId = await createContact(e2e.admin, { name: 'Dana', emails: ['dana@customer.example'] });
  });

  const newRequest = (client: HttpClient = e2e.admin) =>
    createRequest(client, e2e.store, { title: 'Cannot log in', contactIds: [contactId], message: { body: 'Locked out.' } });
  const stream = (requestId: string) => events(e2e.store, requestStream(requestId));

  it('two agents accepting the same unassigned request: one owns it, the other is told it is taken', async () => {
    for (let round = 0; round < 5; round++) {
      const request = await newRequest();
      const [a, b] = await Promise.all([alice.client.post(`/api/requests/${request.id}/accept`), bob.client.post(`/api/requests/${request.id}/accept`)]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const loser = a.status === 409 ? a : b;
      expect(loser.body.code).toBe('request-owned-by-another');
      const events = await stream(request.id);
      const accepted = events.filter((e) => e.type === 'RequestAccepted');
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.data.ownerId).toBe(a.status === 200 ? alice.id : bob.id);
      expect(events.map((e) => Number(e.revision))).toEqual(events.map((_, i) => i));
    }
  });

  it('two changes made from the same revision (If-Match): one 2xx, one 412, nothing half-written', async () => {
    const request = await newRequest();
    const etag = `"${request.revision}"`;
    const [a, b] = await Promise.all([
      alice.client.patch(`/api/requests/${request.id}`, { priorityId: 'high' }, { 'if-match': etag }),
      bob.client.patch(`/api/requests/${request.id}`, { priorityId: 'low', title: 'Locked out of the portal' }, { 'if-match': etag }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    expect((a.status === 412 ? a : b).body.code).toBe('revision-mismatch');
    const events = await stream(request.id);
    expect(events).toHaveLength(3);
    expect(events.filter((e) => e.type === 'RequestPriorityChanged')).toHaveLength(1);
    // The loser's title change must not have slipped in on its own.
    expect(events.some((e) => e.type === 'RequestRetitled')).toBe(a.status === 412);
  });

  it('many notes at once without If-Match: each is retried until it lands, none lost, revisions dense', async () => {
    const request = await newRequest();
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) => (i % 2 ? alice : bob).client.post(`/api/requests/${request.number}/notes`, { body: `note ${i}` })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(new Set(results.map((r) => r.body.revision)).size).toBe(25);
    const events = await stream(request.id);
    expect(events.filter((e) => e.type === 'InternalNoteAdded').map((e) => e.data.body).sort()).toEqual(
      Array.from({ length: 25 }, (_, i) => `note ${i}`).sort(),
    );
    expect(events.map((e) => Number(e.revision))).toEqual(events.map((_, i) => i));
  });

  it('concurrent creates get distinct, gap-free numbers', async () => {
    const before = await newRequest();
    const created = await Promise.all(Array.from({ length: 30 }, () => newRequest(alice.client)));
    const numbers = created.map((c) => c.number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 30 }, (_, i) => before.number + 1 + i));
  });
});

describe('Idempotency-Key', () => {
  const e2e = useE2e();
  let contactId: string;

  beforeAll(async () => {
    contactId = await createContact(e2e.admin, { name: 'Eve', emails: ['eve@customer.example'] });
  });

  const count = async (requestId: string) => (await events(e2e.store, requestStream(requestId))).length;

  it('a retried create returns the first answer and creates nothing twice', async () => {
    const body = { title: 'Refund', contactIds: [contactId], message: { body: 'Please refund order 77.' } };
    const first = await e2e.admin.post('/api/requests', body, { 'idempotency-key': 'create-refund-77' });
    const retry = await e2e.admin.post('/api/requests', body, { 'idempotency-key': 'create-refund-77' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await count(first.body.id)).toBe(2);
    const next = await e2e.admin.post('/api/requests', body);
    expect(next.body.number).toBe(first.body.number + 1);
  });

  it('duplicates sent at the same moment still produce the events once', async () => {
    const created = await e2e.admin.post('/api/requests', { title: 'Dup', contactIds: [contactId], message: { body: 'x' } });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => e2e.admin.post(`/api/requests/${created.body.id}/notes`, { body: 'only once' }, { 'idempotency-key': 'note-once' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(await count(created.body.id)).toBe(3);
  });

  it('a retried state change answers as the first time instead of "already closed"', async () => {
    const created = await e2e.admin.post('/api/requests', { title: 'Close me', contactIds: [contactId], message: { body: 'x' } });
    const first = await e2e.admin.post(`/api/requests/${created.body.id}/close`, {}, { 'idempotency-key': 'close-1' });
    const retry = await e2e.admin.post(`/api/requests/${created.body.id}/close`, {}, { 'idempotency-key': 'close-1' });
    const plain = await e2e.admin.post(`/api/requests/${created.body.id}/close`, {});
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(plain.status).toBe(409);
  });

  it('the same key with a different request is refused with 422', async () => {
    const created = await e2e.admin.post('/api/requests', { title: 'Reuse', contactIds: [contactId], message: { body: 'x' } });
    const first = await e2e.admin.post(`/api/requests/${created.body.id}/notes`, { body: 'one' }, { 'idempotency-key': 'reused' });
    const other = await e2e.admin.post(`/api/requests/${created.body.id}/notes`, { body: 'two' }, { 'idempotency-key': 'reused' });
    expect(first.status).toBe(200);
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency-key-reused');
    expect(await count(created.body.id)).toBe(3);
  });
});

import { randomBytes } from 'node:crypto';
import {
  createContact,
  createRequest,
  expectCommand,
  expectFieldError,
  expectProblem,
  expectStatus,
  useE2e,
} from '../support/e2e-harness';
import { atLeast, headOf, readPosition } from '../support/read-side';

/**
 * Read-your-writes: a command answers with the position of its events; a read naming it
 * (X-Min-Position, or ?minPosition=) sees the change, or says it cannot yet (503) after a bounded wait.
 */
describe('read-your-writes over HTTP (X-Min-Position, ?minPosition=)', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');

  it('30 create-then-read pairs: every read that names its command position sees that write, in the detail and in the list', async () => {
    const contactId = await createContact(agent.client);
    for (let i = 0; i < 30; i++) {
      const title = `Read your write ${i}`;
      const created = await agent.client.post('/api/requests', { title, contactIds: [contactId], message: { body: `body ${i}` } });
      const { id, position } = expectCommand(created, { status: 201 });

      const byHeader = i % 2 === 0;
      const detail = byHeader
        ? await agent.client.get(`/api/requests/${id}`, { 'x-min-position': String(position) })
        : await agent.client.get(atLeast(`/api/requests/${id}`, position));
      expectStatus(detail, 200);
      expect([i, detail.body.title, detail.body.messageCount]).toEqual([i, title, 1]);
      expect(readPosition(detail)).toBeGreaterThanOrEqual(position);

      const list = await agent.client.get(atLeast(`/api/requests?contact=${contactId}&limit=200`, position));
      expectStatus(list, 200);
      expect([i, list.body.count, list.body.items[0].id]).toEqual([i, i + 1, id]);
      expect(readPosition(list)).toBeGreaterThanOrEqual(position);
    }
  });

  it('30 note-then-read pairs: the detail and the search each see the note at once', async () => {
    const request = await createRequest(agent.client, e2e.store);
    for (let i = 0; i < 30; i++) {
      const word = `rw${randomBytes(5).toString('hex')}`;
      const { position } = expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: `note ${word}` }));
      const header = { 'x-min-position': String(position) };
      const detail = await agent.client.get(`/api/requests/${request.id}`, header);
      expectStatus(detail, 200);
      expect([i, detail.body.messageCount]).toEqual([i, i + 2]);
      const search = await agent.client.get(`/api/search?q=${word}`, header);
      expectStatus(search, 200);
      expect([i, search.body.items.map((hit: { request: { id: string } }) => hit.request.id)]).toEqual([i, [request.id]]);
      expect(readPosition(search)).toBeGreaterThanOrEqual(position);
    }
  });

  it('a read waiting for a position not written yet answers once a command writes it', async () => {
    const request = await createRequest(agent.client, e2e.store);
    const next = (await headOf(e2e.store)) + 1;
    const waiting = agent.client.get(`/api/requests/${request.id}`, { 'x-min-position': String(next) });
    const { position } = expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'the awaited note' }));
    expect(position).toBeGreaterThanOrEqual(next);
    const answer = await waiting;
    expectStatus(answer, 200);
    expect(readPosition(answer)).toBeGreaterThanOrEqual(next);
    expect(answer.body.messages.map((m: { versions: { body: string }[] }) => m.versions[0]!.body)).toContain('the awaited note');
  });

  it('a position the log has not reached: 503 read-model-behind with Retry-After, after waiting about 2 s', async () => {
    const unreachable = (await headOf(e2e.store)) + 1_000_000;
    for (const send of [
      () => agent.client.get('/api/requests', { 'x-min-position': String(unreachable) }),
      () => agent.client.get(atLeast('/api/dashboard', unreachable)),
    ]) {
      const started = Date.now();
      const response = await send();
      const waited = Date.now() - started;
      expectProblem(response, 503, 'read-model-behind');
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.body.detail).toContain(String(unreachable));
      // It did wait (bounded at 2 s by the server), it did not refuse at once.
      expect(waited).toBeGreaterThanOrEqual(1500);
    }
  });

  it('a position already reached (or 0) answers at once, with X-Read-Position', async () => {
    const head = await headOf(e2e.store);
    for (const value of ['0', '1', String(head)]) {
      const response = await agent.client.get('/api/dashboard', { 'x-min-position': value });
      expectStatus(response, 200);
      expect(readPosition(response)).toBeGreaterThanOrEqual(Number(value));
    }
  });

  it('every read route says how far the read models were (X-Read-Position), without being asked', async () => {
    const request = await createRequest(agent.client, e2e.store);
    const contact = request.contactId;
    const head = await headOf(e2e.store);
    for (const path of [
      '/api/requests',
      `/api/requests/${request.id}`,
      `/api/requests/${request.id}/history`,
      '/api/dashboard',
      '/api/me/favourites',
      '/api/flagged-messages',
      `/api/contacts/${contact}/requests`,
      '/api/search?q=invoice',
    ]) {
      const response = await agent.client.get(path);
      expectStatus(response, 200);
      const reached = readPosition(response);
      expect([path, typeof reached]).toEqual([path, 'number']);
      expect(reached).toBeLessThanOrEqual(head);
    }
    const events = await e2e.admin.get('/api/events?limit=1');
    expect(readPosition(events)).toBeGreaterThan(0);
  });

  it.each(['abc', '-1', '1.5', '1e3', '0x10', '12345678901234567890'])('a malformed position (%j) is 400, by header and by query', async (value) => {
    const request = await createRequest(agent.client, e2e.store);
    for (const path of ['/api/requests', `/api/requests/${request.id}`, `/api/requests/${request.id}/history`, '/api/dashboard', '/api/search?q=x', '/api/flagged-messages', '/api/me/favourites']) {
      expectFieldError(await agent.client.get(path, { 'x-min-position': value }), 'X-Min-Position');
      expectFieldError(await agent.client.get(atLeast(path, encodeURIComponent(value))), 'X-Min-Position');
    }
    expectFieldError(await e2e.admin.get('/api/events', { 'x-min-position': value }), 'X-Min-Position');
  });
});

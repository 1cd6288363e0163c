import {
  agentStream,
  createRequest,
  events,
  eventsAfter,
  expectCommand,
  expectFieldError,
  expectProblem,
  expectStatus,
  registerUser,
  requestStream,
  revisionOf,
  unique,
  uniqueEmail,
  useE2e,
} from '../support/e2e-harness';

/** Users, their tokens, and who may do what. */
describe('agents and authentication over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const auditor = e2e.user('auditor');
  const reporter = e2e.user('reporter');

  describe('/api/agents', () => {
    it('register, read back (list and by id), update', async () => {
      const name = unique('Alice');
      const email = uniqueEmail('alice');
      const registered = await e2e.admin.post('/api/agents', { name, email: email.toUpperCase(), role: 'agent' });
      const answer = expectCommand(registered, { status: 201, revision: 0 });
      const [event] = await events(e2e.store, agentStream(answer.id));
      expect(event).toEqual(expect.objectContaining({ type: 'AgentRegistered', data: { agentId: answer.id, name, email, role: 'agent' } }));
      expect(event!.metadata['actorId']).toBe(e2e.adminId);

      for (const client of [e2e.admin, agent.client, auditor.client, reporter.client]) {
        const one = await client.get(`/api/agents/${answer.id}`);
        expectStatus(one, 200);
        expect(one.body).toEqual({ id: answer.id, name, email, role: 'agent', active: true });
      }
      const list = await agent.client.get('/api/agents');
      expectStatus(list, 200);
      expect(list.body).toEqual(expect.arrayContaining([{ id: answer.id, name, email, role: 'agent', active: true }]));
      expect(list.body.map((a: { id: string }) => a.id)).toEqual(expect.arrayContaining([e2e.adminId, agent.id, auditor.id, reporter.id]));

      expectCommand(await e2e.admin.patch(`/api/agents/${answer.id}`, { name: 'Alice B.', role: 'auditor' }), { id: answer.id, revision: 1 });
      expect((await e2e.admin.get(`/api/agents/${answer.id}`)).body).toEqual({ id: answer.id, name: 'Alice B.', email, role: 'auditor', active: true });
      // The same values again change nothing.
      expectCommand(await e2e.admin.patch(`/api/agents/${answer.id}`, { name: 'Alice B.' }), { id: answer.id, revision: 1 });
    });

    it('refuses bad input (400), unknown agents (404), and an admin demoting or deactivating themself (422)', async () => {
      expectFieldError(await e2e.admin.post('/api/agents', { name: 'X', email: 'not-an-email', role: 'agent' }), 'email');
      expectFieldError(await e2e.admin.post('/api/agents', { name: 'X', email: uniqueEmail(), role: 'system' }), 'role');
      expectFieldError(await e2e.admin.post('/api/agents', { name: 'X', email: uniqueEmail(), role: 'agent', active: false }), 'active');
      expectProblem(await e2e.admin.get('/api/agents/no-such-agent'), 404, 'not-found');
      expectProblem(await e2e.admin.patch('/api/agents/no-such-agent', { name: 'X' }), 404, 'unknown-agent');
      expectProblem(await e2e.admin.post('/api/agents/no-such-agent/deactivate'), 404, 'unknown-agent');
      expectProblem(await e2e.admin.post('/api/agents/no-such-agent/reactivate'), 404, 'unknown-agent');
      expectProblem(await e2e.admin.post('/api/agents/no-such-agent/tokens', {}), 404, 'unknown-agent');

      const before = await revisionOf(e2e.store, agentStream(e2e.adminId));
      expectProblem(await e2e.admin.patch(`/api/agents/${e2e.adminId}`, { role: 'agent' }), 422, 'cannot-lock-out-self');
      expectProblem(await e2e.admin.post(`/api/agents/${e2e.adminId}/deactivate`), 422, 'cannot-lock-out-self');
      expect(await revisionOf(e2e.store, agentStream(e2e.adminId))).toBe(before);
      expect((await e2e.admin.get('/api/me')).body.role).toBe('admin');
    });

    it('only admins manage agents (403 for agent, auditor, reporter)', async () => {
      for (const user of [agent, auditor, reporter]) {
        expectProblem(await user.client.post('/api/agents', { name: 'Mallory', email: uniqueEmail(), role: 'admin' }), 403, 'forbidden');
        expectProblem(await user.client.patch(`/api/agents/${user.id}`, { role: 'admin' }), 403, 'forbidden');
        expectProblem(await user.client.post(`/api/agents/${agent.id}/deactivate`), 403, 'forbidden');
        expectProblem(await user.client.post(`/api/agents/${agent.id}/reactivate`), 403, 'forbidden');
        expectProblem(await user.client.post(`/api/agents/${user.id}/tokens`, {}), 403, 'forbidden');
      }
      expect((await e2e.admin.get(`/api/agents/${agent.id}`)).body).toEqual(expect.objectContaining({ role: 'agent', active: true }));
    });
  });

  describe('tokens', () => {
    it('issue: the token is shown once, only its hash is stored, and it authenticates as the agent', async () => {
      const user = await registerUser(e2e, 'agent');
      const issued = await e2e.admin.post(`/api/agents/${user.id}/tokens`, { label: 'laptop' });
      const answer = expectCommand(issued, { status: 201, id: user.id });
      expect(issued.body.token).toMatch(/^hd_[A-Za-z0-9_-]{43}$/);
      expect(typeof issued.body.tokenId).toBe('string');
      const [event] = await eventsAfter(e2e.store, agentStream(user.id), answer.revision - 1);
      expect(event!.type).toBe('AgentTokenIssued');
      expect(event!.data).toEqual(expect.objectContaining({ agentId: user.id, tokenId: issued.body.tokenId, label: 'laptop' }));
      const stored = (await events(e2e.store, agentStream(user.id))).map((e) => JSON.stringify({ data: e.data, metadata: e.metadata }));
      for (const text of stored) expect(text).not.toContain(issued.body.token);

      const me = await e2e.anonymous.as(issued.body.token).get('/api/me');
      expectStatus(me, 200);
      expect(me.body).toEqual({ id: user.id, role: 'agent', name: expect.any(String), email: expect.any(String) });
    });

    it('revoke: the token stops working at once (401); an agent may revoke their own token, not a colleague\'s (403)', async () => {
      const user = await registerUser(e2e, 'agent');
      const second = await e2e.admin.post(`/api/agents/${user.id}/tokens`, { label: 'phone' });
      expectStatus(second, 201);

      expectProblem(await agent.client.delete(`/api/agents/${user.id}/tokens/${user.tokenId}`), 403, 'own-tokens-only');
      expectStatus(await user.client.get('/api/me'), 200);

      expectCommand(await user.client.delete(`/api/agents/${user.id}/tokens/${user.tokenId}`), { id: user.id });
      expectProblem(await user.client.get('/api/me'), 401, 'unauthenticated');
      expectStatus(await e2e.anonymous.as(second.body.token).get('/api/me'), 200);

      expectCommand(await e2e.admin.delete(`/api/agents/${user.id}/tokens/${second.body.tokenId}`), { id: user.id });
      expectProblem(await e2e.anonymous.as(second.body.token).get('/api/me'), 401, 'unauthenticated');
      expectProblem(await e2e.admin.delete(`/api/agents/${user.id}/tokens/${second.body.tokenId}`), 404, 'unknown-token');
      const revoked = (await events(e2e.store, agentStream(user.id))).filter((e) => e.type === 'AgentTokenRevoked');
      expect(revoked.map((e) => [e.data.tokenId, e.metadata['actorId']])).toEqual([
        [user.tokenId, user.id],
        [second.body.tokenId, e2e.adminId],
      ]);
    });

    it('a retried token issue (same Idempotency-Key) answers the first token id and issues no second token', async () => {
      const user = await registerUser(e2e, 'agent');
      const key = unique('token');
      const first = await e2e.admin.post(`/api/agents/${user.id}/tokens`, { label: 'ci' }, { 'idempotency-key': key });
      const answer = expectCommand(first, { status: 201, id: user.id });
      const again = await e2e.admin.post(`/api/agents/${user.id}/tokens`, { label: 'ci' }, { 'idempotency-key': key });
      expectCommand(again, { status: 201, id: user.id, revision: answer.revision });
      // The secret is shown once only; the id must still name the token that was issued, so it can be revoked.
      expect(again.body.token).toBeNull();
      const issued = (await events(e2e.store, agentStream(user.id))).filter((e) => e.type === 'AgentTokenIssued');
      expect(issued.map((e) => e.data.tokenId)).toEqual([user.tokenId, first.body.tokenId]);
      expect(again.body.tokenId).toBe(first.body.tokenId);
    });

    it('a changed role applies to the next call of the same token', async () => {
      const user = await registerUser(e2e, 'agent');
      const request = await createRequest(user.client, e2e.store);
      expectCommand(await e2e.admin.patch(`/api/agents/${user.id}`, { role: 'reporter' }), { id: user.id });
      expectProblem(await user.client.post(`/api/requests/${request.id}/notes`, { body: 'still an agent?' }), 403, 'forbidden');
      expect((await user.client.get('/api/me')).body.role).toBe('reporter');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });

    it('auditors and reporters may revoke their own tokens', async () => {
      const reader = await registerUser(e2e, 'reporter');
      expectCommand(await reader.client.delete(`/api/agents/${reader.id}/tokens/${reader.tokenId}`), { id: reader.id });
      expectProblem(await reader.client.get('/api/me'), 401, 'unauthenticated');
    });

    it('deactivate: the agent\'s tokens stop working (401) and no new one is issued (409); reactivate: they work again', async () => {
      const user = await registerUser(e2e, 'agent');
      expectCommand(await e2e.admin.post(`/api/agents/${user.id}/deactivate`), { id: user.id, revision: 2 });
      expect((await e2e.admin.get(`/api/agents/${user.id}`)).body.active).toBe(false);
      expectProblem(await user.client.get('/api/me'), 401, 'unauthenticated');
      expectProblem(await user.client.post('/api/requests', { title: 'x', contactIds: ['y'], message: { body: 'z' } }), 401, 'unauthenticated');
      expectProblem(await e2e.admin.post(`/api/agents/${user.id}/tokens`, {}), 409, 'agent-inactive');
      expectCommand(await e2e.admin.post(`/api/agents/${user.id}/deactivate`), { id: user.id, revision: 2 });

      expectCommand(await e2e.admin.post(`/api/agents/${user.id}/reactivate`), { id: user.id, revision: 3 });
      expectStatus(await user.client.get('/api/me'), 200);
      expect((await eventsAfter(e2e.store, agentStream(user.id), 1)).map((e) => e.type)).toEqual(['AgentDeactivated', 'AgentReactivated']);
    });

    it('a deactivated agent cannot own requests (422)', async () => {
      const user = await registerUser(e2e, 'agent');
      expectCommand(await e2e.admin.post(`/api/agents/${user.id}/deactivate`), { id: user.id });
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/assign`, { ownerId: user.id }), 422, 'agent-inactive');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/assign`, { ownerId: auditor.id }), 422, 'agent-cannot-own');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });

  describe('authentication (401)', () => {
    it('refuses a missing, malformed, unknown token on every kind of route', async () => {
      const routes: Array<[string, string]> = [
        ['GET', '/api/me'],
        ['GET', '/api/agents'],
        ['GET', '/api/statuses'],
        ['POST', '/api/requests'],
        ['POST', '/api/contacts'],
      ];
      for (const [method, path] of routes) {
        const body = method === 'GET' ? undefined : {};
        expectProblem(await e2e.anonymous.request(method, path, { body }), 401, 'unauthenticated');
        expectProblem(await e2e.anonymous.request(method, path, { body, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), 401, 'unauthenticated');
        expectProblem(await e2e.anonymous.request(method, path, { body, headers: { authorization: 'Bearer' } }), 401, 'unauthenticated');
        expectProblem(await e2e.anonymous.as('hd_unknown-token').request(method, path, { body }), 401, 'unauthenticated');
        expectProblem(await e2e.anonymous.as(`${e2e.server.adminToken}x`).request(method, path, { body }), 401, 'unauthenticated');
      }
    });

    it('lets everyone read /health and the API documentation without a token', async () => {
      const health = await e2e.anonymous.get('/health');
      expectStatus(health, 200);
      expect(health.body.status).toBe('ok');
      expect(Number.isInteger(health.body.eventStore.headPosition)).toBe(true);
      expect(health.body.eventStore.headPosition).toBe(Number(await e2e.store.headPosition()));
      // How far the read models have got: once a read has waited for the head, health says they are there.
      const head = Number(await e2e.store.headPosition());
      expectStatus(await e2e.admin.get('/api/dashboard', { 'x-min-position': String(head) }), 200);
      const after = (await e2e.anonymous.get('/health')).body;
      expect(after.readModels.position).toBeGreaterThanOrEqual(head);
      expect(after.readModels.behind).toBe(after.eventStore.headPosition - after.readModels.position);
      expect(after.readModels.behind).toBeGreaterThanOrEqual(0);
      expectStatus(await e2e.anonymous.get('/api/docs'), 200);
      expectStatus(await e2e.anonymous.get('/api/docs/openapi.json'), 200);
    });
  });

  describe('operations', () => {
    it('/api/docs/openapi.json lists every route', async () => {
      const response = await e2e.anonymous.get('/api/docs/openapi.json');
      expectStatus(response, 200);
      const listed = Object.entries(response.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      );
      const expected = [
        'GET /health',
        'POST /api/requests',
        ...['accept', 'assign', 'transfer', 'notes', 'replies', 'forwards', 'split', 'merge', 'unmerge', 'close', 'reopen', 'postpone', 'restore', 'contacts', 'tags'].map(
          (action) => `POST /api/requests/{ref}/${action}`,
        ),
        'DELETE /api/requests/{ref}',
        'PATCH /api/requests/{ref}',
        'PATCH /api/requests/{ref}/messages/{messageId}',
        'POST /api/requests/{ref}/messages/{messageId}/versions',
        'PUT /api/requests/{ref}/contacts',
        'DELETE /api/requests/{ref}/contacts/{contactId}',
        'DELETE /api/requests/{ref}/tags/{tag}',
        'GET /api/me',
        'PUT /api/me/favourites/{ref}',
        'DELETE /api/me/favourites/{ref}',
        'GET /api/agents',
        'POST /api/agents',
        'GET /api/agents/{id}',
        'PATCH /api/agents/{id}',
        'POST /api/agents/{id}/deactivate',
        'POST /api/agents/{id}/reactivate',
        'POST /api/agents/{id}/tokens',
        'DELETE /api/agents/{id}/tokens/{tokenId}',
        ...['statuses', 'categories', 'priorities'].flatMap((what) => [
          `GET /api/${what}`,
          `POST /api/${what}`,
          `PATCH /api/${what}/{id}`,
          `POST /api/${what}/{id}/default`,
        ]),
        'POST /api/statuses/{id}/accept',
        'POST /api/contacts',
        'GET /api/contacts',
        'GET /api/contacts/{id}',
        'PATCH /api/contacts/{id}',
        'POST /api/contacts/{id}/emails',
        'DELETE /api/contacts/{id}/emails/{email}',
        'POST /api/companies',
        'GET /api/companies/{id}',
        'PATCH /api/companies/{id}',
        // The read side.
        'GET /api/requests',
        'GET /api/requests/{ref}',
        'GET /api/requests/{ref}/history',
        'GET /api/requests/{ref}/files/{blob}',
        'GET /api/dashboard',
        'GET /api/me/favourites',
        'GET /api/flagged-messages',
        'GET /api/contacts/{id}/requests',
        'GET /api/companies/{id}/requests',
        'GET /api/search',
        'GET /api/events',
        'GET /api/events/export',
        // The mail channel.
        'GET /api/mail/mailboxes',
        'POST /api/mail/mailboxes',
        'GET /api/mail/mailboxes/{id}',
        'PATCH /api/mail/mailboxes/{id}',
        'DELETE /api/mail/mailboxes/{id}',
        'GET /api/mail/mailboxes/{id}/status',
        'POST /api/mail/inbound',
        'GET /api/mail/received',
        'GET /api/mail/dead-letters',
        'GET /api/mail/dead-letters/{id}',
        'POST /api/mail/dead-letters/{id}/retry',
        'GET /api/mail/outbox',
        'POST /api/mail/outbox/{messageId}/retry',
        'GET /api/mail/signature',
        'PUT /api/mail/signature',
        'GET /api/mail/blobs/{hash}',
        'POST /api/mail/attachments',
      ];
      expect([...listed].sort()).toEqual([...expected].sort());
      expect(response.body.components.securitySchemes).toEqual(expect.objectContaining({ bearer: expect.objectContaining({ scheme: 'bearer' }) }));
      const docs = await e2e.anonymous.get('/api/docs');
      expectStatus(docs, 200);
      expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
      expect(String(docs.body)).toContain('swagger');
    });
  });

  describe('roles (403)', () => {
    it('auditors and reporters cannot run commands', async () => {
      const request = await createRequest(agent.client, e2e.store);
      for (const reader of [auditor, reporter]) {
        expectProblem(await reader.client.post('/api/requests', { title: 'x', contactIds: [request.contactId], message: { body: 'y' } }), 403, 'forbidden');
        expectProblem(await reader.client.post(`/api/requests/${request.id}/notes`, { body: 'y' }), 403, 'forbidden');
        expectProblem(await reader.client.post(`/api/requests/${request.id}/close`, {}), 403, 'forbidden');
        expectProblem(await reader.client.patch(`/api/requests/${request.id}`, { title: 'y' }), 403, 'forbidden');
        expectProblem(await reader.client.put(`/api/me/favourites/${request.id}`), 403, 'forbidden');
        expectProblem(await reader.client.post('/api/contacts', { name: 'x' }), 403, 'forbidden');
        expectProblem(await reader.client.post('/api/companies', { name: 'x' }), 403, 'forbidden');
        const upload = await reader.client.request('POST', '/api/mail/attachments?filename=a.txt&contentType=text/plain', { raw: 'file', headers: { 'content-type': 'application/octet-stream' } });
        expectProblem(upload, 403, 'forbidden');
      }
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });

    it('reporters do not read contacts or companies; auditors do', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await reporter.client.get(`/api/contacts/${request.contactId}`), 403, 'forbidden');
      expectStatus(await auditor.client.get(`/api/contacts/${request.contactId}`), 200);
    });

    it('/api/me answers who the token belongs to, for every role', async () => {
      for (const user of [agent, auditor, reporter]) {
        const me = await user.client.get('/api/me');
        expectStatus(me, 200);
        expect(me.body.id).toBe(user.id);
      }
      expect((await auditor.client.get('/api/me')).body.role).toBe('auditor');
      expect((await e2e.admin.get('/api/me')).body).toEqual({ id: e2e.adminId, role: 'admin', name: 'Administrator', email: 'admin@localhost.localdomain' });
    });
  });
});

import {
  agentStream,
  createRequest,
  eventsAfter,
  expectCommand,
  expectProblem,
  registerUser,
  revisionOf,
  useE2e,
} from '../support/e2e-harness';

/** Favourites live in the acting agent's own stream; the request is addressed by id or number. */
describe('/api/me and favourites over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent', 'Fay Vourite');
  const colleague = e2e.user('agent');

  it('GET /api/me answers the authenticated agent', async () => {
    const me = await agent.client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: agent.id, role: 'agent', name: 'Fay Vourite', email: expect.stringMatching(/@example\.com$/) });
  });

  it('PUT adds the request to my favourites (by id, number or #number), once; DELETE removes it', async () => {
    const request = await createRequest(agent.client, e2e.store);
    const start = await revisionOf(e2e.store, agentStream(agent.id));

    expectCommand(await agent.client.put(`/api/me/favourites/${request.id}`), { id: request.id, revision: start + 1 });
    // Again, by number and by #number: already a favourite, nothing new is written.
    expectCommand(await agent.client.put(`/api/me/favourites/${request.number}`), { id: request.id, revision: start + 1 });
    expectCommand(await agent.client.put(`/api/me/favourites/%23${request.number}`), { id: request.id, revision: start + 1 });

    expectCommand(await agent.client.delete(`/api/me/favourites/${request.number}`), { id: request.id, revision: start + 2 });
    expectCommand(await agent.client.delete(`/api/me/favourites/${request.id}`), { id: request.id, revision: start + 2 });

    const recorded = await eventsAfter(e2e.store, agentStream(agent.id), start);
    expect(recorded.map((e) => [e.type, e.data.agentId, e.data.requestId, e.metadata['actorId']])).toEqual([
      ['FavouriteAdded', agent.id, request.id, agent.id],
      ['FavouriteRemoved', agent.id, request.id, agent.id],
    ]);
  });

  it('favourites are per agent: a colleague\'s list is untouched', async () => {
    const request = await createRequest(agent.client, e2e.store);
    const colleagueBefore = await revisionOf(e2e.store, agentStream(colleague.id));
    expectCommand(await agent.client.put(`/api/me/favourites/${request.id}`), { id: request.id });
    expectCommand(await colleague.client.delete(`/api/me/favourites/${request.id}`), { id: request.id, revision: colleagueBefore });
    expect(await revisionOf(e2e.store, agentStream(colleague.id))).toBe(colleagueBefore);
  });

  it('the bootstrap admin has favourites too', async () => {
    const request = await createRequest(agent.client, e2e.store);
    const start = await revisionOf(e2e.store, agentStream(e2e.adminId));
    expectCommand(await e2e.admin.put(`/api/me/favourites/${request.number}`), { id: request.id, revision: start + 1 });
    const [added] = await eventsAfter(e2e.store, agentStream(e2e.adminId), start);
    expect(added!.data).toEqual({ agentId: e2e.adminId, requestId: request.id });
  });

  it('unknown requests are 404, auditors and reporters 403, and nothing is written', async () => {
    const auditor = await registerUser(e2e, 'auditor');
    const reporter = await registerUser(e2e, 'reporter');
    const request = await createRequest(agent.client, e2e.store);
    const start = await revisionOf(e2e.store, agentStream(agent.id));
    expectProblem(await agent.client.put('/api/me/favourites/999999'), 404, 'not-found');
    expectProblem(await agent.client.put('/api/me/favourites/4c7b3a59-9b1e-4f7e-8d2c-1a2b3c4d5e6f'), 404, 'not-found');
    expectProblem(await agent.client.delete('/api/me/favourites/not-a-request'), 404, 'not-found');
    expect(await revisionOf(e2e.store, agentStream(agent.id))).toBe(start);
    for (const reader of [auditor, reporter]) {
      expectProblem(await reader.client.put(`/api/me/favourites/${request.id}`), 403, 'forbidden');
      expectProblem(await reader.client.delete(`/api/me/favourites/${request.id}`), 403, 'forbidden');
      expect(await revisionOf(e2e.store, agentStream(reader.id))).toBe(1);
    }
  });

  it('a merged request\'s number leads to the target; its id stays a favourite of its own', async () => {
    const target = await createRequest(agent.client, e2e.store);
    const source = await createRequest(agent.client, e2e.store);
    expectCommand(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [source.id] }), { id: target.id });
    const start = await revisionOf(e2e.store, agentStream(agent.id));
    expectCommand(await agent.client.put(`/api/me/favourites/${source.number}`), { id: target.id, revision: start + 1 });
    expectCommand(await agent.client.put(`/api/me/favourites/${source.id}`), { id: source.id, revision: start + 2 });
    const recorded = await eventsAfter(e2e.store, agentStream(agent.id), start);
    expect(recorded.map((e) => e.data.requestId)).toEqual([target.id, source.id]);
  });
});

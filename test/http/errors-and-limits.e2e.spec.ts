import {
  createContact,
  createRequest,
  events,
  eventsAfter,
  expectCommand,
  expectFieldError,
  expectProblem,
  registerUser,
  requestState,
  requestStream,
  revisionOf,
  unique,
  uniqueEmail,
  useE2e,
} from '../support/e2e-harness';

/**
 * Every error class the API answers, as problem+json, and the promise behind each: a refused command
 * writes nothing (the stream revision, and here even the global head position, stay where they were).
 */
describe('errors and limits over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const colleague = e2e.user('agent');

  const head = async () => Number(await e2e.store.headPosition());

  describe('400: bad input names the field and the reason', () => {
    it('refuses unknown body fields, among them an actor chosen by the caller', async () => {
      const contactId = await createContact(agent.client);
      const before = await head();
      const base = { title: 'x', contactIds: [contactId], message: { body: 'y' } };
      expectFieldError(await agent.client.post('/api/requests', { ...base, actorId: colleague.id }), 'actorId');
      expectFieldError(await agent.client.post('/api/requests', { ...base, metadata: { actor: { id: colleague.id, role: 'admin' } } }), 'metadata');
      expectFieldError(await agent.client.post('/api/requests', { ...base, message: { body: 'y', authorId: colleague.id } }), 'message.authorId');
      expect(await head()).toBe(before);
    });

    it('names missing and mistyped fields, nested ones with their path', async () => {
      const contactId = await createContact(agent.client);
      const before = await head();
      expectFieldError(await agent.client.post('/api/requests', { contactIds: [contactId], message: { body: 'y' } }), 'title');
      expectFieldError(await agent.client.post('/api/requests', { title: 'x', contactIds: [], message: { body: 'y' } }), 'contactIds');
      expectFieldError(await agent.client.post('/api/requests', { title: 'x', contactIds: [contactId] }), 'message');
      expectFieldError(await agent.client.post('/api/requests', { title: 'x', contactIds: [contactId], message: {} }), 'message.body');
      expectFieldError(await agent.client.post('/api/requests', { title: 'x', contactIds: [contactId], message: { body: 'y', cc: ['nope'] } }), 'message.cc');
      expectFieldError(await agent.client.post('/api/requests', { title: 42, contactIds: [contactId], message: { body: 'y' } }), 'title');
      expectFieldError(await agent.client.post('/api/requests', { title: 'x', contactIds: [contactId], channel: 'fax', message: { body: 'y' } }), 'channel');
      const request = await createRequest(agent.client, e2e.store);
      const afterCreate = await head();
      expectFieldError(await agent.client.post(`/api/requests/${request.id}/postpone`, { until: 'tomorrow' }), 'until');
      expectFieldError(await agent.client.post(`/api/requests/${request.id}/assign`, {}), 'ownerId');
      expectFieldError(await agent.client.post(`/api/requests/${request.id}/transfer`, { ownerId: colleague.id }), 'note');
      expectFieldError(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'x'.repeat(100_001) }), 'body');
      expect(await head()).toBe(afterCreate);
      expect(afterCreate).toBeGreaterThan(before);
    });

    it('refuses a malformed If-Match, Idempotency-Key or X-Channel header', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const path = `/api/requests/${request.id}/notes`;
      for (const ifMatch of ['"abc"', 'revision 1', '"-1"', '"1", "2"']) {
        expectFieldError(await agent.client.post(path, { body: 'x' }, { 'if-match': ifMatch }), 'If-Match');
      }
      for (const key of ['has space', 'k'.repeat(256)]) {
        expectFieldError(await agent.client.post(path, { body: 'x' }, { 'idempotency-key': key }), 'Idempotency-Key');
      }
      expectFieldError(await agent.client.post(path, { body: 'x' }, { 'x-channel': 'pigeon' }), 'X-Channel');
      expectFieldError(await agent.client.post(path, { body: 'x' }, { 'x-channel': 'system' }), 'X-Channel');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });

    it('answers a malformed JSON body with a problem (400, malformed-body)', async () => {
      const before = await head();
      const response = await agent.client.request('POST', '/api/contacts', { raw: '{"name": "Ann"', headers: { 'content-type': 'application/json' } });
      expectProblem(response, 400, 'malformed-body');
      expect(await head()).toBe(before);
    });

    it('answers an unsupported content type with a problem (415, unsupported-media-type)', async () => {
      const response = await agent.client.request('POST', '/api/contacts', { raw: '<contact name="Ann"/>', headers: { 'content-type': 'application/xml' } });
      expectProblem(response, 415, 'unsupported-media-type');
    });
  });

  describe('401, 403, 404', () => {
    it('401 without a token, with an unknown or revoked one, and for a deactivated agent', async () => {
      expectProblem(await e2e.anonymous.post('/api/contacts', { name: 'x' }), 401, 'unauthenticated');
      expectProblem(await e2e.anonymous.as('nope').post('/api/contacts', { name: 'x' }), 401, 'unauthenticated');
      const revoked = await registerUser(e2e, 'agent');
      expectCommand(await e2e.admin.delete(`/api/agents/${revoked.id}/tokens/${revoked.tokenId}`), { id: revoked.id });
      expectProblem(await revoked.client.post('/api/contacts', { name: 'x' }), 401, 'unauthenticated');
      const deactivated = await registerUser(e2e, 'agent');
      expectCommand(await e2e.admin.post(`/api/agents/${deactivated.id}/deactivate`), { id: deactivated.id });
      expectProblem(await deactivated.client.post('/api/contacts', { name: 'x' }), 401, 'unauthenticated');
    });

    it('403 for read-only roles and for admin-only routes', async () => {
      const auditor = await registerUser(e2e, 'auditor');
      const reporter = await registerUser(e2e, 'reporter');
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await auditor.client.post(`/api/requests/${request.id}/accept`), 403, 'forbidden');
      expectProblem(await reporter.client.post(`/api/requests/${request.id}/tags`, { tag: 'x' }), 403, 'forbidden');
      expectProblem(await agent.client.delete(`/api/requests/${request.id}`), 403, 'forbidden');
      expectProblem(await agent.client.post('/api/agents', { name: 'x', email: 'x@example.com', role: 'agent' }), 403, 'forbidden');
      expectProblem(await agent.client.post('/api/statuses', { name: 'x', base: 'open' }), 403, 'forbidden');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });

    it('404 for unknown routes and resources', async () => {
      expectProblem(await agent.client.get('/api/no-such-route'), 404, 'not-found');
      expectProblem(await agent.client.post('/api/requests/999999/close', {}), 404, 'not-found');
      expectProblem(await agent.client.get('/api/contacts/no-such-contact'), 404, 'not-found');
      expectProblem(await agent.client.get('/api/companies/no-such-company'), 404, 'not-found');
      expectProblem(await agent.client.get('/api/agents/no-such-agent'), 404, 'not-found');
      expectProblem(await e2e.admin.patch('/api/statuses/no-such-status', { name: 'x' }), 404, 'unknown-status');
    });
  });

  describe('409: the request is in the wrong state', () => {
    it('close a closed request, accept one a colleague owns, transfer a closed one', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await colleague.client.post(`/api/requests/${request.id}/accept`), { revision: 2 });
      expectProblem(await agent.client.post(`/api/requests/${request.id}/accept`), 409, 'request-owned-by-another');
      expectCommand(await colleague.client.post(`/api/requests/${request.id}/close`, {}), { revision: 3 });
      expectProblem(await colleague.client.post(`/api/requests/${request.id}/close`, {}), 409, 'request-already-closed');
      expectProblem(await colleague.client.post(`/api/requests/${request.id}/transfer`, { ownerId: agent.id, note: 'yours' }), 409, 'request-closed');
      expectProblem(await colleague.client.post(`/api/requests/${request.id}/accept`), 409, 'request-closed');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(3);
    });

    it('of many agents accepting the same request at once, exactly one owns it; the others get 409', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const agents = [agent, colleague, ...(await Promise.all([1, 2, 3, 4].map(() => registerUser(e2e, 'agent'))))];
      const answers = await Promise.all(agents.map((a) => a.client.post(`/api/requests/${request.id}/accept`)));
      const winners = answers.filter((a) => a.status === 200);
      expect(winners).toHaveLength(1);
      for (const loser of answers.filter((a) => a.status !== 200)) expectProblem(loser, 409, 'request-owned-by-another');
      const accepted = (await events(e2e.store, requestStream(request.id))).filter((e) => e.type === 'RequestAccepted');
      expect(accepted).toHaveLength(1);
      expect(accepted[0]!.data.ownerId).toBe(agents[answers.indexOf(winners[0]!)]!.id);
    });
  });

  describe('412: If-Match', () => {
    it('runs the command when the revision matches (quoted, weak or bare) and refuses a stale one, writing nothing', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const path = `/api/requests/${request.id}/notes`;
      const first = expectCommand(await agent.client.post(path, { body: 'one' }, { 'if-match': `"${request.revision}"` }), { revision: 2 });
      expectCommand(await agent.client.post(path, { body: 'two' }, { 'if-match': `W/"${first.revision}"` }), { revision: 3 });
      expectCommand(await agent.client.post(path, { body: 'three' }, { 'if-match': '3' }), { revision: 4 });
      expectCommand(await agent.client.post(path, { body: 'four' }, { 'if-match': '*' }), { revision: 5 });

      const stale = await agent.client.post(path, { body: 'stale' }, { 'if-match': '"3"' });
      expectProblem(stale, 412, 'revision-mismatch');
      expect(stale.body.detail).toContain('5');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/close`, {}, { 'if-match': '"99"' }), 412, 'revision-mismatch');
      expectProblem(await agent.client.patch(`/api/requests/${request.id}`, { title: 'stale' }, { 'if-match': '"1"' }), 412, 'revision-mismatch');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(5);
    });

    it('of two writers holding the same ETag, one wins and the other gets 412', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const headers = { 'if-match': `"${request.revision}"` };
      const answers = await Promise.all([
        agent.client.post(`/api/requests/${request.id}/notes`, { body: 'mine' }, headers),
        colleague.client.post(`/api/requests/${request.id}/notes`, { body: 'theirs' }, headers),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
      expectProblem(answers.find((a) => a.status === 412)!, 412, 'revision-mismatch');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(2);
    });

    it('applies to other streams too (contacts)', async () => {
      const id = await createContact(agent.client);
      expectProblem(await agent.client.patch(`/api/contacts/${id}`, { name: 'x' }, { 'if-match': '"5"' }), 412, 'revision-mismatch');
      expectCommand(await agent.client.patch(`/api/contacts/${id}`, { name: 'x' }, { 'if-match': '"0"' }), { id, revision: 1 });
    });
  });

  describe('413: body size', () => {
    it('refuses a body over 1 MiB before anything runs', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const before = await head();
      const response = await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'x'.repeat(1024 * 1024 + 1) });
      expectProblem(response, 413, 'payload-too-large');
      expect(await head()).toBe(before);
    });
  });

  describe('422: the command breaks a rule or names what does not exist', () => {
    it('unknown status, category, priority, agent or contact in a body; nothing written, no number spent', async () => {
      const contactId = await createContact(agent.client);
      const request = await createRequest(agent.client, e2e.store, { contactIds: [contactId] });
      const before = await head();
      const create = (extra: Record<string, unknown>) =>
        agent.client.post('/api/requests', { title: 'x', contactIds: [contactId], message: { body: 'y' }, ...extra });
      expectProblem(await create({ statusId: 'no-such-status' }), 422, 'unknown-status');
      expectProblem(await create({ categoryId: 'no-such-category' }), 422, 'unknown-category');
      expectProblem(await create({ priorityId: 'no-such-priority' }), 422, 'unknown-priority');
      expectProblem(await create({ ownerId: 'no-such-agent' }), 422, 'unknown-agent');
      expectProblem(await create({ contactIds: [contactId, 'no-such-contact'] }), 422, 'unknown-contact');
      expectProblem(await create({ statusId: 'deleted' }), 422, 'status-not-selectable');
      expectProblem(await create({ statusId: 'postponed' }), 422, 'postpone-until-required');
      expectProblem(await create({ contactIds: [contactId, contactId] }), 422, 'duplicate-contact');
      expectProblem(await create({ title: '   ' }), 422, 'title-required');
      expectProblem(await create({ message: { body: 'y', kind: 'note', to: ['a@example.com'] } }), 422, 'recipients-not-allowed');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/close`, { statusId: 'no-such-status' }), 422, 'unknown-status');
      expectProblem(await agent.client.patch(`/api/requests/${request.id}`, { categoryId: 'no-such-category' }), 422, 'unknown-category');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/assign`, { ownerId: 'no-such-agent' }), 422, 'unknown-agent');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/transfer`, { ownerId: 'no-such-agent', note: 'x' }), 422, 'unknown-agent');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/contacts`, { contactId: 'no-such-contact' }), 422, 'unknown-contact');
      expectProblem(await agent.client.patch(`/api/requests/${request.id}`, { postponedUntil: '2099-01-01T00:00:00Z' }), 422, 'postpone-until-unexpected');
      expect(await head()).toBe(before);
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });

    it('transfer without a note, to the current owner, or to nobody; split with no messages; merge into itself', async () => {
      const request = await createRequest(agent.client, e2e.store, { ownerId: agent.id });
      const before = await head();
      const transfer = (body: Record<string, unknown>) => agent.client.post(`/api/requests/${request.id}/transfer`, body);
      expectProblem(await transfer({ ownerId: colleague.id, note: '   ' }), 422, 'transfer-note-required');
      expectProblem(await transfer({ ownerId: agent.id, note: 'to myself' }), 422, 'transfer-to-current-owner');
      expectProblem(await transfer({ ownerId: null, note: 'to nobody' }), 422, 'transfer-needs-owner-or-category');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/split`, { messageIds: [], title: 'x' }), 422, 'split-needs-messages');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/merge`, { sourceIds: [request.id] }), 422, 'merge-into-self');
      expect(await head()).toBe(before);
    });

    it('a category naming an unknown member is refused (422)', async () => {
      const before = await revisionOf(e2e.store, 'config-categories');
      expectProblem(await e2e.admin.post('/api/categories', { name: unique('Restricted'), restricted: true, memberIds: ['no-such-agent'] }), 422, 'unknown-agent');
      expect(await revisionOf(e2e.store, 'config-categories')).toBe(before);
    });
  });

  describe('Idempotency-Key', () => {
    it('a retried create gives the first answer and writes nothing twice', async () => {
      const contactId = await createContact(agent.client);
      const key = unique('create');
      const body = { title: 'Once only', contactIds: [contactId], message: { body: 'hello' } };
      const first = expectCommand(await agent.client.post('/api/requests', body, { 'idempotency-key': key }), { status: 201, revision: 1 });
      const before = await head();
      const again = await agent.client.post('/api/requests', body, { 'idempotency-key': key });
      expectCommand(again, { status: 201, id: first.id, number: first.number, revision: 1 });
      expect(again.body.position).toBe(first.position);
      expect(await head()).toBe(before);
      const recorded = await events(e2e.store, requestStream(first.id));
      expect(recorded).toHaveLength(2);
      expect(recorded[0]!.metadata['idempotencyKey']).toBe(key);
    });

    it('the same key with a different body is refused (422) and writes nothing', async () => {
      const contactId = await createContact(agent.client);
      const key = unique('reuse');
      expectCommand(await agent.client.post('/api/requests', { title: 'First', contactIds: [contactId], message: { body: 'a' } }, { 'idempotency-key': key }), {
        status: 201,
      });
      const before = await head();
      expectProblem(
        await agent.client.post('/api/requests', { title: 'Second', contactIds: [contactId], message: { body: 'b' } }, { 'idempotency-key': key }),
        422,
        'idempotency-key-reused',
      );
      const request = await createRequest(agent.client, e2e.store);
      const closeKey = unique('close');
      expectCommand(await agent.client.post(`/api/requests/${request.id}/close`, {}, { 'idempotency-key': closeKey }), { revision: 2 });
      expectCommand(await agent.client.post(`/api/requests/${request.id}/reopen`, {}), { revision: 3 });
      // A retry still gets the first answer, even though the request moved on.
      expectCommand(await agent.client.post(`/api/requests/${request.id}/close`, {}, { 'idempotency-key': closeKey }), { revision: 2 });
      expectProblem(await agent.client.post(`/api/requests/${request.id}/close`, { statusId: 'closed' }, { 'idempotency-key': closeKey }), 422, 'idempotency-key-reused');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(3);
      expect(await head()).toBeGreaterThan(before);
    });

    it('the same key on another resource is refused (422): a key never produces events twice', async () => {
      const one = await createRequest(agent.client, e2e.store);
      const two = await createRequest(agent.client, e2e.store);
      const key = unique('one-resource');
      expectCommand(await agent.client.post(`/api/requests/${one.id}/tags`, { tag: 'x' }, { 'idempotency-key': key }), { revision: 2 });
      expectProblem(await agent.client.post(`/api/requests/${two.id}/tags`, { tag: 'x' }, { 'idempotency-key': key }), 422, 'idempotency-key-reused');
      expect(await revisionOf(e2e.store, requestStream(two.id))).toBe(1);
    });

    it('a key reused for another contact leaves the address reservation consistent (never half-written)', async () => {
      const x = await createContact(agent.client, { emails: [] });
      const y = await createContact(agent.client, { emails: [] });
      const email = uniqueEmail('shared');
      const key = unique('email-key');
      expectCommand(await agent.client.post(`/api/contacts/${x}/emails`, { email }, { 'idempotency-key': key }), { status: 201, id: x });
      expectCommand(await agent.client.delete(`/api/contacts/${x}/emails/${encodeURIComponent(email)}`), { id: x });

      // Refusing the reused key (422) or adding the address properly are both fine; adding it without the reservation is not.
      const reused = await agent.client.post(`/api/contacts/${y}/emails`, { email }, { 'idempotency-key': key });
      if (reused.status !== 201) expectProblem(reused, 422, 'idempotency-key-reused');
      const yHasIt = ((await agent.client.get(`/api/contacts/${y}`)).body.emails as string[]).includes(email);
      const lookup = await agent.client.get(`/api/contacts?email=${encodeURIComponent(email)}`);
      expect(lookup.status === 200 ? lookup.body.id : null).toBe(yHasIt ? y : null);
      const z = await createContact(agent.client, { emails: [] });
      const third = await agent.client.post(`/api/contacts/${z}/emails`, { email });
      expect(third.status).toBe(yHasIt ? 409 : 201);
    });

    it('a key reused for a merge into another target leaves both requests consistent (never half-written)', async () => {
      const target = await createRequest(agent.client, e2e.store);
      const source = await createRequest(agent.client, e2e.store);
      const otherTarget = await createRequest(agent.client, e2e.store);
      const key = unique('merge-key');
      expectCommand(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [source.id] }, { 'idempotency-key': key }), { id: target.id });
      expectCommand(await agent.client.post(`/api/requests/${target.id}/unmerge`, { sourceId: source.id }), { id: target.id });

      const reused = await agent.client.post(`/api/requests/${otherTarget.id}/merge`, { sourceIds: [source.id] }, { 'idempotency-key': key });
      if (reused.status !== 200) expectProblem(reused, 422, 'idempotency-key-reused');
      const sourceState = await requestState(e2e.store, source.id);
      const targetState = await requestState(e2e.store, otherTarget.id);
      const joined = targetState.mergedSources.some((s) => s.requestId === source.id);
      expect(sourceState.mergedInto?.requestId ?? null).toBe(joined ? otherTarget.id : null);
      expect(targetState.messages.some((m) => m.messageId === source.messageId)).toBe(joined);
    });

    it('keys are per user, and a refused command does not use its key up', async () => {
      const contactId = await createContact(agent.client);
      const key = unique('shared');
      const body = { title: 'Same key, two agents', contactIds: [contactId], message: { body: 'x' } };
      const mine = expectCommand(await agent.client.post('/api/requests', body, { 'idempotency-key': key }), { status: 201 });
      const theirs = expectCommand(await colleague.client.post('/api/requests', body, { 'idempotency-key': key }), { status: 201 });
      expect(theirs.id).not.toBe(mine.id);

      const request = await createRequest(agent.client, e2e.store);
      const retryKey = unique('retry');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/close`, { statusId: 'waiting' }, { 'idempotency-key': retryKey }), 422, 'status-not-closed');
      // Nothing was written under the key, so the corrected command (a different body) runs.
      expectCommand(await agent.client.post(`/api/requests/${request.id}/close`, {}, { 'idempotency-key': retryKey }), { revision: 2 });
    });

    it('a retried split creates one new request', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'to split off' }), { revision: 2 });
      const noteId = (await eventsAfter(e2e.store, requestStream(request.id), 1))[0]!.data.messageId;
      const key = unique('split');
      const body = { messageIds: [noteId], title: 'Split once' };
      const first = await agent.client.post(`/api/requests/${request.id}/split`, body, { 'idempotency-key': key });
      expectCommand(first, { revision: 3 });
      const again = await agent.client.post(`/api/requests/${request.id}/split`, body, { 'idempotency-key': key });
      expectCommand(again, { revision: 3 });
      expect(again.body.created).toEqual(first.body.created);
      expect((await events(e2e.store, requestStream(request.id))).filter((e) => e.type === 'RequestSplit')).toHaveLength(1);
      expect(await revisionOf(e2e.store, requestStream(first.body.created.id))).toBe(1);
    });
  });
});

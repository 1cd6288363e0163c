import {
  createContact,
  createRequest,
  events,
  eventsAfter,
  expectCommand,
  expectProblem,
  expectStatus,
  inSeconds,
  requestState,
  requestStream,
  revisionOf,
  unique,
  uniqueEmail,
  useE2e,
  waitFor,
} from '../support/e2e-harness';

/** Every request command route against the real server: its answer, its ETag, and what it recorded. */
describe('requests: commands over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const colleague = e2e.user('agent');

  describe('POST /api/requests', () => {
    it('creates the request and its first message, numbered, as the authenticated user', async () => {
      const contactId = await createContact(agent.client);
      const response = await agent.client.post(
        '/api/requests',
        {
          title: '  Invoice 1042 shows the wrong total ',
          contactIds: [contactId],
          priorityId: 'high',
          tags: ['VIP', 'billing'],
          channel: 'phone',
          message: { body: 'The customer called: the total is wrong.' },
        },
        { 'x-correlation-id': 'corr-create-1' },
      );
      const answer = expectCommand(response, { status: 201, revision: 1 });
      expect(Number.isInteger(answer.number)).toBe(true);
      expect(answer.number).toBeGreaterThan(0);

      const recorded = await events(e2e.store, requestStream(answer.id));
      expect(recorded.map((e) => e.type)).toEqual(['RequestCreated', 'CustomerMessageAdded']);
      expect(Number(recorded[1]!.position)).toBe(answer.position);
      expect(recorded[0]!.data).toEqual(
        expect.objectContaining({
          requestId: answer.id,
          number: answer.number,
          title: 'Invoice 1042 shows the wrong total',
          contactIds: [contactId],
          categoryId: 'general',
          priorityId: 'high',
          ownerId: null,
          statusId: 'new',
          baseStatus: 'open',
          tags: ['vip', 'billing'],
          channel: 'phone',
          createdBy: agent.id,
          splitFrom: null,
        }),
      );
      expect(recorded[1]!.data).toEqual(
        expect.objectContaining({ body: 'The customer called: the total is wrong.', contactId, recordedBy: agent.id, channel: 'phone' }),
      );
      for (const event of recorded) {
        expect(event.metadata).toEqual(
          expect.objectContaining({ actorId: agent.id, actorRole: 'agent', channel: 'api', correlationId: 'corr-create-1', schemaVersion: 1 }),
        );
      }
    });

    it('records the channel header and the first message as outbound when it has a To', async () => {
      const contactId = await createContact(agent.client);
      const to = uniqueEmail('to');
      const response = await agent.client.post(
        '/api/requests',
        { title: 'We write first', contactIds: [contactId], ownerId: colleague.id, message: { body: 'Dear customer', to: [to.toUpperCase()] } },
        { 'x-channel': 'web' },
      );
      const answer = expectCommand(response, { status: 201, revision: 1 });
      const recorded = await events(e2e.store, requestStream(answer.id));
      expect(recorded.map((e) => e.type)).toEqual(['RequestCreated', 'ReplyAdded']);
      expect(recorded[0]!.data.ownerId).toBe(colleague.id);
      expect(recorded[1]!.data).toEqual(expect.objectContaining({ to: [to], authorId: agent.id }));
      expect(recorded[0]!.metadata['channel']).toBe('web');
    });

    it('numbers requests one after the other, never twice the same, even when created at once', async () => {
      const first = await createRequest(agent.client, e2e.store);
      const second = await createRequest(agent.client, e2e.store);
      expect(second.number).toBe(first.number + 1);
      const contactId = await createContact(agent.client);
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? agent : colleague).client.post('/api/requests', { title: `Burst ${i}`, contactIds: [contactId], message: { body: 'x' } }),
        ),
      );
      for (const answer of answers) expectCommand(answer, { status: 201, revision: 1 });
      const numbers = answers.map((a) => a.body.number as number).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(12);
      expect(numbers[0]).toBeGreaterThan(second.number);
      for (const answer of answers) expect((await requestState(e2e.store, answer.body.id)).number).toBe(answer.body.number);
    });
  });

  describe('addressing a request', () => {
    it('by id, by number and by "#number" (%23), and 404 for what does not exist', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const byNumber = await agent.client.post(`/api/requests/${request.number}/tags`, { tag: 'one' });
      expectCommand(byNumber, { id: request.id, number: request.number, revision: 2 });
      const byHash = await agent.client.post(`/api/requests/%23${request.number}/tags`, { tag: 'two' });
      expectCommand(byHash, { id: request.id, number: request.number, revision: 3 });
      const byUpperCaseId = await agent.client.post(`/api/requests/${request.id.toUpperCase()}/tags`, { tag: 'three' });
      expectCommand(byUpperCaseId, { id: request.id, revision: 4 });
      expect((await requestState(e2e.store, request.id)).tags).toEqual(['one', 'two', 'three']);

      expectProblem(await agent.client.post('/api/requests/999999/tags', { tag: 'x' }), 404, 'not-found');
      expectProblem(await agent.client.post('/api/requests/%23999999/tags', { tag: 'x' }), 404, 'not-found');
      expectProblem(await agent.client.post('/api/requests/0/tags', { tag: 'x' }), 404, 'not-found');
      expectProblem(await agent.client.post('/api/requests/2b0c0c39-5d1e-4d55-9f64-3f3c2f8a0e11/tags', { tag: 'x' }), 404, 'not-found');
      expectProblem(await agent.client.post('/api/requests/not-a-request/tags', { tag: 'x' }), 404, 'not-found');
    });
  });

  describe('ownership', () => {
    it('accept: the agent owns it and it gets the accept status', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const response = await agent.client.post(`/api/requests/${request.id}/accept`);
      expectCommand(response, { id: request.id, number: request.number, revision: 2 });
      const [accepted] = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(accepted).toEqual(
        expect.objectContaining({
          type: 'RequestAccepted',
          data: expect.objectContaining({ ownerId: agent.id, previousOwnerId: null, statusId: 'in-progress', baseStatus: 'open' }),
        }),
      );
      expect(accepted!.metadata['actorId']).toBe(agent.id);
    });

    it('accept: refused (409) when a colleague owns it, and nothing is written', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await colleague.client.post(`/api/requests/${request.id}/accept`), { revision: 2 });
      expectProblem(await agent.client.post(`/api/requests/${request.id}/accept`), 409, 'request-owned-by-another');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(2);
      expect((await requestState(e2e.store, request.id)).ownerId).toBe(colleague.id);
    });

    it('assign to a colleague, then back to the queue (null)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/assign`, { ownerId: colleague.id }), { revision: 2 });
      expect((await requestState(e2e.store, request.id)).ownerId).toBe(colleague.id);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/assign`, { ownerId: null }), { revision: 3 });
      const recorded = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(recorded.map((e) => [e.type, e.data.ownerId, e.data.previousOwnerId])).toEqual([
        ['RequestAssigned', colleague.id, null],
        ['RequestAssigned', null, colleague.id],
      ]);
    });

    it('assign to an unknown agent is refused (422) and writes nothing', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/assign`, { ownerId: 'nobody' }), 422, 'unknown-agent');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });

    it('transfer to a colleague with a note, and to the queue of another category', async () => {
      const category = await e2e.admin.post('/api/categories', { name: unique('Second line') });
      expectStatus(category, 201);
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/transfer`, { ownerId: colleague.id, note: 'Can you take this?' }), {
        revision: 3,
      });
      const [transferred, note] = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(transferred!.type).toBe('RequestTransferred');
      expect(transferred!.data).toEqual(expect.objectContaining({ ownerId: colleague.id, previousOwnerId: null, categoryId: 'general' }));
      expect(note!.type).toBe('InternalNoteAdded');
      expect(note!.data).toEqual(expect.objectContaining({ messageId: transferred!.data.noteMessageId, body: 'Can you take this?', authorId: agent.id }));

      expectCommand(
        await colleague.client.post(`/api/requests/${request.number}/transfer`, { ownerId: null, categoryId: category.body.id, note: 'Second line, please' }),
        { revision: 5 },
      );
      const state = await requestState(e2e.store, request.id);
      expect(state.ownerId).toBeNull();
      expect(state.categoryId).toBe(category.body.id);
      expect(state.messages.map((m) => m.kind)).toEqual(['customer', 'note', 'note']);
    });
  });

  describe('lifecycle', () => {
    it('close, then reopen, with chosen and default statuses', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/close`, {}), { id: request.id, revision: 2 });
      expect((await requestState(e2e.store, request.id)).statusId).toBe('closed');
      expectCommand(await agent.client.post(`/api/requests/${request.id}/reopen`, { statusId: 'waiting' }), { revision: 3 });
      const recorded = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(recorded.map((e) => [e.type, e.data.statusId, e.data.previousStatusId])).toEqual([
        ['RequestClosed', 'closed', 'new'],
        ['RequestReopened', 'waiting', 'closed'],
      ]);
    });

    it('refuses to close a closed request (409) and to reopen an open one (409)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/reopen`, {}), 409, 'request-not-closed');
      expectCommand(await agent.client.post(`/api/requests/${request.id}/close`, {}), { revision: 2 });
      expectProblem(await agent.client.post(`/api/requests/${request.id}/close`, {}), 409, 'request-already-closed');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(2);
    });

    it('refuses a status of the wrong base or an unknown status (422)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/close`, { statusId: 'waiting' }), 422, 'status-not-closed');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/close`, { statusId: 'no-such-status' }), 422, 'unknown-status');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });

    it('postpone: records the time; a time in the past is refused (422)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const until = '2099-01-01T09:00:00.000Z';
      expectCommand(await agent.client.post(`/api/requests/${request.id}/postpone`, { until }), { revision: 2 });
      const state = await requestState(e2e.store, request.id);
      expect([state.statusId, state.baseStatus, state.postponedUntil]).toEqual(['postponed', 'postponed', until]);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/postpone`, { until: '2001-01-01T00:00:00Z' }), 422, 'postpone-in-past');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(2);
    });

    it('a postponed request becomes open again when it is due (the system activates it)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const until = inSeconds(2);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/postpone`, { until }), { revision: 2 });
      // Created postponed: the same promise.
      const createdPostponed = await createRequest(agent.client, e2e.store, { statusId: 'postponed', postponedUntil: until });

      const activated = await waitFor(
        async () => (await eventsAfter(e2e.store, requestStream(request.id), 2)).find((e) => e.type === 'RequestActivated'),
        8000,
        'RequestActivated',
      );
      expect(activated.data).toEqual(expect.objectContaining({ statusId: 'new', previousStatusId: 'postponed' }));
      expect(activated.metadata).toEqual(expect.objectContaining({ actorId: 'system', actorRole: 'system', channel: 'system' }));
      expect(Date.parse(activated.metadata['occurredAt'] as string)).toBeGreaterThanOrEqual(Date.parse(until));
      const state = await requestState(e2e.store, request.id);
      expect([state.baseStatus, state.postponedUntil]).toEqual(['open', null]);

      const alsoActivated = await waitFor(
        async () => (await eventsAfter(e2e.store, requestStream(createdPostponed.id), 1)).find((e) => e.type === 'RequestActivated'),
        3000,
        'RequestActivated of the request created postponed',
      );
      expect(alsoActivated.data.previousStatusId).toBe('postponed');
    });

    it('a postponed request deleted before it was due and restored after is activated too', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const until = inSeconds(1);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/postpone`, { until }), { revision: 2 });
      expectCommand(await e2e.admin.delete(`/api/requests/${request.id}`), { revision: 3 });
      // Precondition, not an assertion: let the due time pass (and the scheduler's 1 s tick with it) while it is deleted.
      await waitFor(async () => (Date.now() > Date.parse(until) + 1500 ? true : undefined), 5000, 'the due time to pass');
      expectCommand(await e2e.admin.post(`/api/requests/${request.id}/restore`), { revision: 4 });
      expect((await requestState(e2e.store, request.id)).baseStatus).toBe('postponed');

      const activated = await waitFor(
        async () => (await eventsAfter(e2e.store, requestStream(request.id), 4)).find((e) => e.type === 'RequestActivated'),
        4000,
        'RequestActivated after the restore',
      );
      expect(activated.metadata['actorId']).toBe('system');
      expect((await requestState(e2e.store, request.id)).baseStatus).toBe('open');
    });

    it('DELETE (admin) soft-deletes; restore brings the earlier status back', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.patch(`/api/requests/${request.id}`, { statusId: 'waiting' }), { revision: 2 });

      expectCommand(await e2e.admin.delete(`/api/requests/${request.id}`), { id: request.id, revision: 3 });
      const [deleted] = await eventsAfter(e2e.store, requestStream(request.id), 2);
      expect(deleted).toEqual(expect.objectContaining({ type: 'RequestDeleted', data: expect.objectContaining({ statusId: 'deleted', previousStatusId: 'waiting' }) }));
      expect(deleted!.metadata['actorId']).toBe(e2e.adminId);

      expectProblem(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'hello?' }), 409, 'request-deleted');
      expectProblem(await e2e.admin.delete(`/api/requests/${request.id}`), 409, 'request-already-deleted');

      expectCommand(await e2e.admin.post(`/api/requests/${request.number}/restore`), { id: request.id, revision: 4 });
      const state = await requestState(e2e.store, request.id);
      expect([state.statusId, state.baseStatus]).toEqual(['waiting', 'open']);
      expectProblem(await e2e.admin.post(`/api/requests/${request.id}/restore`), 409, 'request-not-deleted');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(4);
    });

    it('an agent may neither DELETE nor restore a request (403)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.delete(`/api/requests/${request.id}`), 403, 'forbidden');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/restore`), 403, 'forbidden');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });

  describe('PATCH /api/requests/:ref', () => {
    it('changes title, priority, category, access level, tags and status atomically, in one revision', async () => {
      const category = await e2e.admin.post('/api/categories', { name: unique('Billing') });
      const request = await createRequest(agent.client, e2e.store, { tags: ['old', 'keep'] });
      const response = await agent.client.patch(`/api/requests/${request.id}`, {
        title: 'New title',
        priorityId: 'low',
        categoryId: category.body.id,
        accessLevel: 'internal',
        tags: ['keep', 'New'],
        statusId: 'closed',
      });
      const answer = expectCommand(response, { id: request.id, number: request.number });
      const recorded = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(recorded.map((e) => e.type)).toEqual([
        'RequestRetitled',
        'RequestCategoryChanged',
        'RequestPriorityChanged',
        'RequestAccessLevelChanged',
        'TagRemoved',
        'TagAdded',
        'RequestClosed',
      ]);
      expect(answer.revision).toBe(1 + recorded.length);
      // One command, one atomic append: every event shares the command's metadata.
      expect(new Set(recorded.map((e) => e.metadata['correlationId'])).size).toBe(1);
      const state = await requestState(e2e.store, request.id);
      expect(state).toEqual(
        expect.objectContaining({
          title: 'New title',
          priorityId: 'low',
          categoryId: category.body.id,
          accessLevel: 'internal',
          tags: ['keep', 'new'],
          statusId: 'closed',
        }),
      );
    });

    it('changes nothing when one part is refused (unknown category -> 422)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.patch(`/api/requests/${request.id}`, { title: 'Would change', categoryId: 'no-such-category' }), 422, 'unknown-category');
      expectProblem(await agent.client.patch(`/api/requests/${request.id}`, { title: 'Would change', priorityId: 'no-such-priority' }), 422, 'unknown-priority');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
      expect((await requestState(e2e.store, request.id)).title).not.toBe('Would change');
    });

    it('an empty PATCH is a 400', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.patch(`/api/requests/${request.id}`, {}), 400, 'empty-update');
    });

    it('asking for what already is writes nothing and answers the current revision', async () => {
      const request = await createRequest(agent.client, e2e.store, { priorityId: 'low' });
      expectCommand(await agent.client.patch(`/api/requests/${request.id}`, { priorityId: 'low' }), { revision: 1 });
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });

  describe('tags', () => {
    it('POST adds a tag (normalised), DELETE removes it, repeats change nothing', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/tags`, { tag: ' Urgent ' }), { revision: 2 });
      expectCommand(await agent.client.post(`/api/requests/${request.id}/tags`, { tag: 'urgent' }), { revision: 2 });
      expect((await requestState(e2e.store, request.id)).tags).toEqual(['urgent']);
      expectCommand(await agent.client.delete(`/api/requests/${request.id}/tags/URGENT`), { revision: 3 });
      expectCommand(await agent.client.delete(`/api/requests/${request.id}/tags/urgent`), { revision: 3 });
      const recorded = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(recorded.map((e) => [e.type, e.data.tag])).toEqual([
        ['TagAdded', 'urgent'],
        ['TagRemoved', 'urgent'],
      ]);
      expect((await requestState(e2e.store, request.id)).tags).toEqual([]);
    });
  });

  describe('contacts of a request', () => {
    it('add (at a position), reorder, remove', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const second = await createContact(agent.client);
      const third = await createContact(agent.client);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/contacts`, { contactId: second }), { id: request.id, revision: 2 });
      expectCommand(await agent.client.post(`/api/requests/${request.number}/contacts`, { contactId: third, position: 0 }), { revision: 3 });
      expect((await requestState(e2e.store, request.id)).contactIds).toEqual([third, request.contactId, second]);

      expectCommand(await agent.client.put(`/api/requests/${request.id}/contacts`, { contactIds: [request.contactId, second, third] }), { revision: 4 });
      expect((await requestState(e2e.store, request.id)).contactIds).toEqual([request.contactId, second, third]);

      expectCommand(await agent.client.delete(`/api/requests/${request.id}/contacts/${second}`), { revision: 5 });
      expect((await requestState(e2e.store, request.id)).contactIds).toEqual([request.contactId, third]);
      const recorded = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(recorded.map((e) => e.type)).toEqual(['ContactAdded', 'ContactAdded', 'ContactsReordered', 'ContactRemoved']);
    });

    it('refuses an unknown contact (422), a wrong reorder (422), removing the last (422) or an absent one (404)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const stranger = await createContact(agent.client);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/contacts`, { contactId: 'no-such-contact' }), 422, 'unknown-contact');
      expectProblem(await agent.client.put(`/api/requests/${request.id}/contacts`, { contactIds: [stranger] }), 422, 'contacts-mismatch');
      expectProblem(await agent.client.delete(`/api/requests/${request.id}/contacts/${request.contactId}`), 422, 'request-needs-a-contact');
      expectProblem(await agent.client.delete(`/api/requests/${request.id}/contacts/${stranger}`), 404, 'contact-not-on-request');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });
});

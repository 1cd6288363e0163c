import {
  createContact,
  createRequest,
  eventsAfter,
  expectCommand,
  expectFieldError,
  expectProblem,
  lastMessageId,
  requestState,
  requestStream,
  revisionOf,
  uniqueEmail,
  useE2e,
} from '../support/e2e-harness';

/** Notes, replies, forwards, message flags/access levels and message versions. */
describe('requests: messages over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const colleague = e2e.user('agent');

  describe('POST /api/requests/:ref/notes', () => {
    it('adds an internal note written by the authenticated agent', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'Called back, no answer.' }), {
        id: request.id,
        number: request.number,
        revision: 2,
      });
      const [note] = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(note!.type).toBe('InternalNoteAdded');
      expect(note!.data).toEqual(expect.objectContaining({ body: 'Called back, no answer.', authorId: agent.id }));
      expect(note!.metadata['actorId']).toBe(agent.id);
      const state = await requestState(e2e.store, request.id);
      expect(state.messages.map((m) => [m.kind, m.accessLevel])).toEqual([
        ['customer', 'external'],
        ['note', 'internal'],
      ]);
    });

    it('a note may be added to a closed request and does not reopen it', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/close`, {}), { revision: 2 });
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'For the record' }), { revision: 3 });
      expect((await requestState(e2e.store, request.id)).baseStatus).toBe('closed');
    });

    it('a blank note is refused (422) and a missing body is a 400 naming the field', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/notes`, { body: '   ' }), 422, 'message-body-required');
      expectFieldError(await agent.client.post(`/api/requests/${request.id}/notes`, {}), 'body');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });

  describe('POST /api/requests/:ref/replies', () => {
    it('goes to the main contact by default', async () => {
      const email = uniqueEmail('main');
      const contactId = await createContact(agent.client, { emails: [email, uniqueEmail('second')] });
      const request = await createRequest(agent.client, e2e.store, { contactIds: [contactId] });
      expectCommand(await agent.client.post(`/api/requests/${request.id}/replies`, { body: 'We corrected the invoice.' }), {
        id: request.id,
        revision: 2,
      });
      const [reply] = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(reply!.type).toBe('ReplyAdded');
      expect(reply!.data).toEqual(
        expect.objectContaining({ body: 'We corrected the invoice.', to: [email], cc: [], bcc: [], accessLevel: 'external', authorId: agent.id }),
      );
    });

    it('goes to the chosen recipients, and closes the request when asked', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const to = uniqueEmail('to');
      const cc = uniqueEmail('cc');
      expectCommand(
        await agent.client.post(`/api/requests/${request.number}/replies`, { body: 'Done.', to: [to], cc: [cc], closeAfterReply: true }),
        { id: request.id, revision: 3 },
      );
      const recorded = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(recorded.map((e) => e.type)).toEqual(['ReplyAdded', 'RequestClosed']);
      expect(recorded[0]!.data).toEqual(expect.objectContaining({ to: [to], cc: [cc] }));
      expect(recorded[1]!.data.statusId).toBe('closed');
    });

    it('needs a recipient (422) when the main contact has no address', async () => {
      const contactId = await createContact(agent.client, { emails: [] });
      const request = await createRequest(agent.client, e2e.store, { contactIds: [contactId] });
      expectProblem(await agent.client.post(`/api/requests/${request.id}/replies`, { body: 'Hello?' }), 422, 'recipient-required');
      expectFieldError(await agent.client.post(`/api/requests/${request.id}/replies`, { body: 'Hello?', to: ['not an address'] }), 'to');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });

  describe('POST /api/requests/:ref/forwards', () => {
    it('forwards every message by default, or the chosen ones, to external addresses', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'internal remark' }), { revision: 2 });
      const noteId = await lastMessageId(e2e.store, request.id, 'InternalNoteAdded');
      const supplier = uniqueEmail('supplier');

      expectCommand(await agent.client.post(`/api/requests/${request.id}/forwards`, { to: [supplier], note: 'Please check' }), { revision: 3 });
      expectCommand(await agent.client.post(`/api/requests/${request.id}/forwards`, { to: [supplier], messageIds: [request.messageId] }), {
        revision: 4,
      });
      const [all, chosen] = await eventsAfter(e2e.store, requestStream(request.id), 2);
      expect(all!.type).toBe('RequestForwarded');
      expect(all!.data).toEqual(expect.objectContaining({ to: [supplier], note: 'Please check', forwardedMessageIds: [request.messageId, noteId], authorId: agent.id }));
      expect(chosen!.data).toEqual(expect.objectContaining({ note: '', forwardedMessageIds: [request.messageId] }));
      const state = await requestState(e2e.store, request.id);
      expect(state.messages.filter((m) => m.kind === 'forward').map((m) => m.accessLevel)).toEqual(['internal', 'internal']);
    });

    it('needs a To (422) and known messages (422)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${request.id}/forwards`, { note: 'nobody to send to' }), 422, 'recipient-required');
      expectProblem(
        await agent.client.post(`/api/requests/${request.id}/forwards`, { to: [uniqueEmail()], messageIds: ['no-such-message'] }),
        422,
        'unknown-message',
      );
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });

  describe('PATCH /api/requests/:ref/messages/:messageId', () => {
    it('flags and changes the access level in one revision; unflags', async () => {
      const request = await createRequest(agent.client, e2e.store);
      // A contact's message: only an admin may change its access level.
      expectCommand(await e2e.admin.patch(`/api/requests/${request.id}/messages/${request.messageId}`, { accessLevel: 'internal', flagged: true }), {
        id: request.id,
        revision: 3,
      });
      const recorded = await eventsAfter(e2e.store, requestStream(request.id), 1);
      expect(recorded.map((e) => [e.type, e.data.messageId])).toEqual([
        ['MessageAccessLevelChanged', request.messageId],
        ['MessageFlagged', request.messageId],
      ]);
      expect(recorded[0]!.data.accessLevel).toBe('internal');
      let [message] = (await requestState(e2e.store, request.id)).messages;
      expect([message!.accessLevel, message!.flagged]).toEqual(['internal', true]);

      // Any agent may flag or unflag.
      expectCommand(await agent.client.patch(`/api/requests/${request.id}/messages/${request.messageId}`, { flagged: false }), { revision: 4 });
      [message] = (await requestState(e2e.store, request.id)).messages;
      expect(message!.flagged).toBe(false);
    });

    it('refuses an agent changing the access level of a contact message (403), an unknown message (404), an empty body (400)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.patch(`/api/requests/${request.id}/messages/${request.messageId}`, { accessLevel: 'internal' }), 403, 'not-message-author');
      expectProblem(await agent.client.patch(`/api/requests/${request.id}/messages/no-such-message`, { flagged: true }), 404, 'message-not-found');
      expectProblem(await agent.client.patch(`/api/requests/${request.id}/messages/${request.messageId}`, {}), 400, 'empty-update');
      expectFieldError(await agent.client.patch(`/api/requests/${request.id}/messages/${request.messageId}`, { accessLevel: 'secret' }), 'accessLevel');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(1);
    });
  });

  describe('POST /api/requests/:ref/messages/:messageId/versions', () => {
    it('keeps every version: MessageEdited 2 and 3, each with who edited it', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'first text' }), { revision: 2 });
      const noteId = await lastMessageId(e2e.store, request.id, 'InternalNoteAdded');

      expectCommand(await agent.client.post(`/api/requests/${request.id}/messages/${noteId}/versions`, { body: 'second text' }), { id: request.id, revision: 3 });
      expectCommand(await e2e.admin.post(`/api/requests/${request.number}/messages/${noteId}/versions`, { body: 'third text' }), { revision: 4 });
      // The same text again is no new version.
      expectCommand(await e2e.admin.post(`/api/requests/${request.id}/messages/${noteId}/versions`, { body: 'third text' }), { revision: 4 });

      const edits = await eventsAfter(e2e.store, requestStream(request.id), 2);
      expect(edits.map((e) => [e.type, e.data.messageId, e.data.version, e.data.body, e.data.editedBy])).toEqual([
        ['MessageEdited', noteId, 2, 'second text', agent.id],
        ['MessageEdited', noteId, 3, 'third text', e2e.adminId],
      ]);
      const note = (await requestState(e2e.store, request.id)).messages.find((m) => m.messageId === noteId)!;
      expect(note.versions.map((v) => [v.version, v.body, v.by])).toEqual([
        [1, 'first text', agent.id],
        [2, 'second text', agent.id],
        [3, 'third text', e2e.adminId],
      ]);
    });

    it('only the author or an admin may edit (403 for a colleague, 403 for an agent on a contact message)', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'mine' }), { revision: 2 });
      const noteId = await lastMessageId(e2e.store, request.id, 'InternalNoteAdded');
      expectProblem(await colleague.client.post(`/api/requests/${request.id}/messages/${noteId}/versions`, { body: 'not yours' }), 403, 'not-message-author');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/messages/${request.messageId}/versions`, { body: 'rewrite' }), 403, 'not-message-author');
      expectProblem(await agent.client.post(`/api/requests/${request.id}/messages/no-such-message/versions`, { body: 'x' }), 404, 'message-not-found');
      expect(await revisionOf(e2e.store, requestStream(request.id))).toBe(2);

      expectCommand(await e2e.admin.post(`/api/requests/${request.id}/messages/${request.messageId}/versions`, { body: 'typo fixed' }), { revision: 3 });
      const [edit] = await eventsAfter(e2e.store, requestStream(request.id), 2);
      expect(edit!.data).toEqual(expect.objectContaining({ messageId: request.messageId, version: 2, editedBy: e2e.adminId }));
    });
  });
});

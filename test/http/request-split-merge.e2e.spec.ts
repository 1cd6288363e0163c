import {
  createContact,
  createRequest,
  events,
  eventsAfter,
  expectCommand,
  expectFieldError,
  expectProblem,
  expectStatus,
  lastMessageId,
  requestState,
  requestStream,
  revisionOf,
  useE2e,
} from '../support/e2e-harness';

const NUMBERS = 'sequence-requestnumbers';

/** Split, merge and unmerge: two streams changed by one command, never half. */
describe('requests: split, merge, unmerge over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');

  describe('POST /api/requests/:ref/split', () => {
    it('moves the chosen messages to a new request; both link to each other', async () => {
      const original = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${original.id}/notes`, { body: 'a second problem' }), { revision: 2 });
      const noteId = await lastMessageId(e2e.store, original.id, 'InternalNoteAdded');
      expectCommand(await agent.client.post(`/api/requests/${original.id}/messages/${noteId}/versions`, { body: 'a second problem, edited' }), { revision: 3 });
      const before = await requestState(e2e.store, original.id);
      const movingBefore = before.messages.find((m) => m.messageId === noteId)!;

      const response = await agent.client.post(`/api/requests/${original.number}/split`, {
        messageIds: [noteId],
        title: 'The second problem',
        originalStatusId: 'waiting',
        priorityId: 'high',
      });
      const answer = expectCommand(response, { id: original.id, number: original.number, revision: 4 });
      const created = response.body.created;
      expect(typeof created.id).toBe('string');
      expect(created.id).not.toBe(original.id);
      expect(created.number).toBeGreaterThan(original.number);

      const [split] = await eventsAfter(e2e.store, requestStream(original.id), 3);
      expect(split!.type).toBe('RequestSplit');
      expect(split!.data).toEqual(
        expect.objectContaining({
          newRequest: { requestId: created.id, number: created.number },
          statusId: 'waiting',
          previousStatusId: 'new',
        }),
      );
      expect(split!.data.messages.map((m: { messageId: string }) => m.messageId)).toEqual([noteId]);

      const newStream = await events(e2e.store, requestStream(created.id));
      expect(newStream.map((e) => e.type)).toEqual(['RequestCreated', 'MessagesMovedIn']);
      expect(newStream[0]!.data).toEqual(
        expect.objectContaining({
          requestId: created.id,
          number: created.number,
          title: 'The second problem',
          contactIds: [original.contactId],
          priorityId: 'high',
          splitFrom: { requestId: original.id, number: original.number },
        }),
      );
      expect(newStream[1]!.data.from).toEqual({ requestId: original.id, number: original.number });
      // One atomic write: the same command metadata on both streams, the answer's position is the last of them.
      for (const event of [split!, ...newStream]) expect(event.metadata).toEqual(expect.objectContaining({ actorId: agent.id, correlationId: split!.metadata['correlationId'] }));
      expect(answer.position).toBe(Number(newStream[1]!.position));

      const originalAfter = await requestState(e2e.store, original.id);
      expect(originalAfter.messages.map((m) => m.messageId)).toEqual([original.messageId]);
      expect(originalAfter.splitInto).toEqual([{ requestId: created.id, number: created.number }]);
      expect(originalAfter.statusId).toBe('waiting');
      const createdState = await requestState(e2e.store, created.id);
      // Every version travels with the message.
      expect(createdState.messages).toEqual([{ ...movingBefore, originRequestId: original.id }]);
      expect(createdState.splitFrom).toEqual({ requestId: original.id, number: original.number });

      // The new request is addressable by its number.
      expectCommand(await agent.client.post(`/api/requests/${created.number}/notes`, { body: 'on the new one' }), { id: created.id, revision: 2 });
    });

    it('refuses a split without messages, of every message, of unknown messages or contacts (422), writing nothing and spending no number', async () => {
      const original = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${original.id}/notes`, { body: 'note' }), { revision: 2 });
      const noteId = await lastMessageId(e2e.store, original.id, 'InternalNoteAdded');
      const numbersBefore = await revisionOf(e2e.store, NUMBERS);
      const path = `/api/requests/${original.id}/split`;

      expectProblem(await agent.client.post(path, { messageIds: [], title: 'Nothing' }), 422, 'split-needs-messages');
      expectProblem(await agent.client.post(path, { messageIds: [original.messageId, noteId], title: 'Everything' }), 422, 'split-would-empty-request');
      expectProblem(await agent.client.post(path, { messageIds: ['no-such-message'], title: 'Unknown' }), 422, 'unknown-message');
      expectProblem(await agent.client.post(path, { messageIds: [noteId], title: 'Unknown contact', contactIds: ['no-such-contact'] }), 422, 'unknown-contact');
      expectProblem(await agent.client.post(path, { messageIds: [noteId], title: 'Bad status', originalStatusId: 'postponed' }), 422, 'status-not-selectable');
      expectProblem(await agent.client.post(path, { messageIds: [noteId], title: 'Unknown category', categoryId: 'no-such-category' }), 422, 'unknown-category');
      expectFieldError(await agent.client.post(path, { messageIds: [noteId] }), 'title');

      expect(await revisionOf(e2e.store, requestStream(original.id))).toBe(2);
      expect(await revisionOf(e2e.store, NUMBERS)).toBe(numbersBefore);
      const created = await e2e.store.readAll({ filter: { eventTypes: ['RequestCreated'] } });
      expect(created.filter((e) => e.data.splitFrom?.requestId === original.id)).toEqual([]);
    });
  });

  describe('POST /api/requests/:ref/merge and /unmerge', () => {
    it('merges a source into a target, its number then leads to the target, and unmerge restores both exactly', async () => {
      const target = await createRequest(agent.client, e2e.store);
      const extraContact = await createContact(agent.client);
      const source = await createRequest(agent.client, e2e.store, { contactIds: [extraContact] });
      // Give the source a history worth restoring: a status, a flagged and edited note, a second contact shared with the target.
      expectCommand(await agent.client.patch(`/api/requests/${source.id}`, { statusId: 'waiting' }), { revision: 2 });
      expectCommand(await agent.client.post(`/api/requests/${source.id}/notes`, { body: 'source note' }), { revision: 3 });
      const sourceNoteId = await lastMessageId(e2e.store, source.id, 'InternalNoteAdded');
      expectCommand(await agent.client.patch(`/api/requests/${source.id}/messages/${sourceNoteId}`, { flagged: true }), { revision: 4 });
      expectCommand(await agent.client.post(`/api/requests/${source.id}/contacts`, { contactId: target.contactId }), { revision: 5 });
      const sourceBefore = await requestState(e2e.store, source.id);
      const targetBefore = await requestState(e2e.store, target.id);

      const merged = await agent.client.post(`/api/requests/${target.number}/merge`, { sourceIds: [`#${source.number}`] });
      expectCommand(merged, { id: target.id, number: target.number, revision: 2 });
      const [mergedEvent] = await eventsAfter(e2e.store, requestStream(source.id), 5);
      expect(mergedEvent!.type).toBe('RequestMerged');
      expect(mergedEvent!.data).toEqual(
        expect.objectContaining({ target: { requestId: target.id, number: target.number }, statusId: 'merged', previousStatusId: 'waiting' }),
      );
      const [joined] = await eventsAfter(e2e.store, requestStream(target.id), 1);
      expect(joined!.type).toBe('MergedRequestJoined');
      expect(joined!.data).toEqual(expect.objectContaining({ source: { requestId: source.id, number: source.number }, addedContactIds: [extraContact] }));

      const targetMerged = await requestState(e2e.store, target.id);
      expect(targetMerged.messages.map((m) => m.messageId)).toEqual([target.messageId, source.messageId, sourceNoteId]);
      expect(targetMerged.contactIds).toEqual([target.contactId, extraContact]);
      expect((await requestState(e2e.store, source.id)).baseStatus).toBe('merged');

      // The merged request's number resolves to its target; its id addresses the merged request itself.
      expectCommand(await agent.client.post(`/api/requests/${source.number}/tags`, { tag: 'via-number' }), { id: target.id, number: target.number, revision: 3 });
      expectCommand(await agent.client.put(`/api/me/favourites/%23${source.number}`), { id: target.id });
      expectProblem(await agent.client.post(`/api/requests/${source.id}/notes`, { body: 'lost?' }), 409, 'request-merged');
      expectProblem(await e2e.admin.delete(`/api/requests/${source.number}`), 409, 'request-merged');
      expect(await revisionOf(e2e.store, requestStream(source.id))).toBe(6);

      const unmerged = await agent.client.post(`/api/requests/${target.id}/unmerge`, { sourceId: String(source.number) });
      expectCommand(unmerged, { id: target.id, number: target.number, revision: 4 });
      const [unmergedEvent] = await eventsAfter(e2e.store, requestStream(target.id), 3);
      expect(unmergedEvent!.type).toBe('RequestUnmerged');
      expect(unmergedEvent!.data.removedContactIds).toEqual([extraContact]);
      const [undone] = await eventsAfter(e2e.store, requestStream(source.id), 6);
      expect(undone!.type).toBe('RequestMergeUndone');
      expect(undone!.data).toEqual(expect.objectContaining({ statusId: 'waiting', previousStatusId: 'merged' }));

      const sourceAfter = await requestState(e2e.store, source.id);
      expect(sourceAfter.statusId).toBe(sourceBefore.statusId);
      expect(sourceAfter.baseStatus).toBe(sourceBefore.baseStatus);
      expect(sourceAfter.messages).toEqual(sourceBefore.messages);
      expect(sourceAfter.contactIds).toEqual(sourceBefore.contactIds);
      expect(sourceAfter.mergedInto).toBeNull();
      const targetAfter = await requestState(e2e.store, target.id);
      expect(targetAfter.messages).toEqual(targetBefore.messages);
      expect(targetAfter.contactIds).toEqual(targetBefore.contactIds);
      expect(targetAfter.mergedSources).toEqual([]);

      // Its number is its own again.
      expectCommand(await agent.client.post(`/api/requests/${source.number}/tags`, { tag: 'home-again' }), { id: source.id, revision: 8 });
    });

    it('refuses merging a request into itself (422) and unknown sources (404)', async () => {
      const target = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [String(target.number)] }), 422, 'merge-into-self');
      expectProblem(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: ['999999'] }), 404, 'not-found');
      expectFieldError(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [] }), 'sourceIds');
      expect(await revisionOf(e2e.store, requestStream(target.id))).toBe(1);
    });

    it('refuses merging into a merged request and merging a merged one again (409), changing no stream', async () => {
      const a = await createRequest(agent.client, e2e.store);
      const b = await createRequest(agent.client, e2e.store);
      const c = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${b.id}/merge`, { sourceIds: [a.id] }), { id: b.id, revision: 2 });

      // A (merged into B) as the target, addressed by id.
      expectProblem(await agent.client.post(`/api/requests/${a.id}/merge`, { sourceIds: [c.id] }), 409, 'merge-target-merged');
      // A again as a source; then together with a good one (D), which must not be merged either.
      expectProblem(await agent.client.post(`/api/requests/${c.id}/merge`, { sourceIds: [a.id] }), 409, 'request-already-merged');
      const d = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${c.id}/merge`, { sourceIds: [d.id, a.id] }), 409, 'request-already-merged');

      expect(await revisionOf(e2e.store, requestStream(a.id))).toBe(2);
      expect(await revisionOf(e2e.store, requestStream(b.id))).toBe(2);
      expect(await revisionOf(e2e.store, requestStream(c.id))).toBe(1);
      expect(await revisionOf(e2e.store, requestStream(d.id))).toBe(1);
    });

    it('refuses to unmerge what was not merged (409), writing nothing', async () => {
      const target = await createRequest(agent.client, e2e.store);
      const other = await createRequest(agent.client, e2e.store);
      expectProblem(await agent.client.post(`/api/requests/${target.id}/unmerge`, { sourceId: other.id }), 409, 'request-not-merged');
      expectProblem(await agent.client.post(`/api/requests/${target.id}/unmerge`, { sourceId: 'no-such-request' }), 404, 'not-found');
      expectFieldError(await agent.client.post(`/api/requests/${target.id}/unmerge`, {}), 'sourceId');
      expect(await revisionOf(e2e.store, requestStream(target.id))).toBe(1);
      expect(await revisionOf(e2e.store, requestStream(other.id))).toBe(1);
    });

    it('merges several sources in one atomic command', async () => {
      const target = await createRequest(agent.client, e2e.store);
      const one = await createRequest(agent.client, e2e.store);
      const two = await createRequest(agent.client, e2e.store);
      const response = await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [one.id, `#${two.number}`] });
      expectStatus(response, 200);
      expectCommand(response, { id: target.id, revision: 3 });
      const joined = await eventsAfter(e2e.store, requestStream(target.id), 1);
      expect(joined.map((e) => [e.type, e.data.source.requestId])).toEqual([
        ['MergedRequestJoined', one.id],
        ['MergedRequestJoined', two.id],
      ]);
      for (const source of [one, two]) expect((await requestState(e2e.store, source.id)).mergedInto).toEqual({ requestId: target.id, number: target.number });
    });
  });
});

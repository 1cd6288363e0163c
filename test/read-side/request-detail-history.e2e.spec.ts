import {
  createContact,
  createRequest,
  events,
  expectCommand,
  expectProblem,
  expectStatus,
  lastMessageId,
  requestState,
  requestStream,
  unique,
  useE2e,
} from '../support/e2e-harness';
import type { HttpClient } from '../support/http-client';
import { getText, headOf, ndjsonLines, nextInstant } from '../support/read-side';

/** The request view, the request as it was (`asOf`), and its audit trail, over HTTP against the real server. */
describe('GET /api/requests/{ref}, ?asOf= and /history', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const auditor = e2e.user('auditor');
  const reporter = e2e.user('reporter');

  /** Reads at the head of the log (read-your-writes). */
  const get = async (client: HttpClient, path: string) => client.get(path, { 'x-min-position': String(await headOf(e2e.store)) });
  const detail = async (ref: string | number, client: HttpClient = agent.client) => {
    const response = await get(client, `/api/requests/${ref}`);
    expectStatus(response, 200);
    return response.body;
  };

  describe('the request view', () => {
    it('shows what the write side folds: every message with every version, contacts, tags, owner, status, priority, deadline, flags', async () => {
      const second = await createContact(agent.client);
      const request = await createRequest(agent.client, e2e.store, { priorityId: 'high', tags: ['Invoice'], ownerId: agent.id });
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'first draft' }));
      const noteId = await lastMessageId(e2e.store, request.id, 'InternalNoteAdded');
      expectCommand(await agent.client.post(`/api/requests/${request.id}/messages/${noteId}/versions`, { body: 'second draft' }));
      expectCommand(await e2e.admin.post(`/api/requests/${request.id}/messages/${noteId}/versions`, { body: 'final text' }));
      expectCommand(await agent.client.post(`/api/requests/${request.id}/contacts`, { contactId: second }));
      expectCommand(await agent.client.post(`/api/requests/${request.id}/tags`, { tag: 'Urgent' }));
      expectCommand(await agent.client.patch(`/api/requests/${request.id}/messages/${request.messageId}`, { flagged: true }));
      expectCommand(await agent.client.patch(`/api/requests/${request.id}`, { title: 'Renamed', statusId: 'waiting' }));

      const view = await detail(request.id);
      const { kind: _kind, messages, ...state } = await requestState(e2e.store, request.id);
      expect(view).toEqual(expect.objectContaining(state));
      expect(view).toEqual(
        expect.objectContaining({
          id: request.id,
          number: request.number,
          title: 'Renamed',
          contactIds: [request.contactId, second],
          tags: ['invoice', 'urgent'],
          ownerId: agent.id,
          statusId: 'waiting',
          baseStatus: 'open',
          priorityId: 'high',
          messageCount: 2,
          flaggedCount: 1,
          closedAt: null,
          createdBy: agent.id,
        }),
      );
      // The deadline follows the priority (high: 4 hours) from creation.
      expect(Date.parse(view.deadline) - Date.parse(view.createdAt)).toBe(4 * 60 * 60 * 1000);
      expect(view.messages).toHaveLength(2);
      messages.forEach((message, i) => {
        expect(view.messages[i]).toEqual(expect.objectContaining(message));
        expect(Object.keys(view.messages[i]).sort()).toEqual([...Object.keys(message), 'flaggedAt', 'flaggedBy'].sort());
      });
      const [enquiry, note] = view.messages;
      expect(enquiry).toEqual(expect.objectContaining({ messageId: request.messageId, kind: 'customer', flagged: true, flaggedBy: agent.id }));
      expect(view.lastFlaggedAt).toBe(enquiry.flaggedAt);
      expect(note).toEqual(expect.objectContaining({ messageId: noteId, kind: 'note', flagged: false, flaggedAt: null, flaggedBy: null }));
      expect(note.versions.map((v: { version: number; body: string; by: string }) => [v.version, v.body, v.by])).toEqual([
        [1, 'first draft', agent.id],
        [2, 'second draft', agent.id],
        [3, 'final text', e2e.adminId],
      ]);
      expect(Object.keys(view).filter((key) => key.startsWith('_'))).toEqual([]);
    });

    it('is found by id, number and #number; an unknown one is 404', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const byId = await detail(request.id);
      expect(await detail(request.number)).toEqual(byId);
      expect(await detail(`%23${request.number}`)).toEqual(byId);
      expect(await detail(request.id.toUpperCase())).toEqual(byId);
      expectProblem(await agent.client.get('/api/requests/999999'), 404, 'not-found');
      expectProblem(await agent.client.get('/api/requests/01a21abb-0000-7000-8000-000000000000'), 404, 'not-found');
      expectProblem(await agent.client.get('/api/requests/not-a-request'), 404, 'not-found');
    });

    it('links a split: the original lists the new request, the new one its origin and the message that moved', async () => {
      const original = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${original.id}/notes`, { body: 'a second problem' }));
      const noteId = await lastMessageId(e2e.store, original.id, 'InternalNoteAdded');
      const split = await agent.client.post(`/api/requests/${original.id}/split`, { messageIds: [noteId], title: 'The second problem' });
      expectCommand(split);
      const created = split.body.created as { id: string; number: number };

      const before = await detail(original.id);
      expect(before.splitInto).toEqual([{ requestId: created.id, number: created.number }]);
      expect(before.messages.map((m: { messageId: string }) => m.messageId)).toEqual([original.messageId]);
      expect(before.messageCount).toBe(1);

      const after = await detail(created.number);
      expect(after).toEqual(expect.objectContaining({ id: created.id, title: 'The second problem', splitFrom: { requestId: original.id, number: original.number }, messageCount: 1 }));
      expect(after.messages.map((m: { messageId: string; originRequestId: string }) => [m.messageId, m.originRequestId])).toEqual([[noteId, original.id]]);
    });

    it("a merged request's number shows its target; its id shows it merged; an unmerge undoes both", async () => {
      const target = await createRequest(agent.client, e2e.store);
      const source = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${source.id}/notes`, { body: 'on the source' }));
      expectCommand(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [String(source.number)] }));

      const viaNumber = await detail(source.number);
      expect(viaNumber.id).toBe(target.id);
      expect(viaNumber.messageCount).toBe(3);
      expect(viaNumber.mergedSources).toEqual([expect.objectContaining({ requestId: source.id, number: source.number })]);
      const merged = await detail(source.id);
      expect(merged).toEqual(expect.objectContaining({ id: source.id, baseStatus: 'merged', mergedInto: { requestId: target.id, number: target.number }, messageCount: 0 }));

      expectCommand(await agent.client.post(`/api/requests/${target.id}/unmerge`, { sourceId: source.id }));
      const back = await detail(source.number);
      expect(back).toEqual(expect.objectContaining({ id: source.id, baseStatus: 'open', mergedInto: null, messageCount: 2 }));
      expect((await detail(target.id)).messageCount).toBe(1);
    });
  });

  describe('?asOf=', () => {
    let request: { id: string; number: number; messageId: string };
    /** occurredAt of each revision, as the history says. */
    let times: string[];

    beforeAll(async () => {
      const created = await createRequest(agent.client, e2e.store, { title: 'Before the retitle', message: { body: 'original text' } });
      request = created;
      await nextInstant();
      expectCommand(await agent.client.patch(`/api/requests/${created.id}`, { title: 'After the retitle' }), { revision: 2 });
      await nextInstant();
      expectCommand(await e2e.admin.post(`/api/requests/${created.id}/messages/${created.messageId}/versions`, { body: 'edited text' }), { revision: 3 });
      await nextInstant();
      expectCommand(await agent.client.post(`/api/requests/${created.id}/close`, {}), { revision: 4 });
      times = (await events(e2e.store, requestStream(created.id))).map((e) => String(e.metadata['occurredAt']));
      expect(times).toHaveLength(5);
    });

    const asOf = async (value: string | number) => {
      const response = await agent.client.get(`/api/requests/${request.id}?asOf=${encodeURIComponent(String(value))}`);
      expectStatus(response, 200);
      return response.body;
    };
    const texts = (view: { messages: { versions: { body: string }[] }[] }) => view.messages.map((m) => m.versions.map((v) => v.body));

    it('a revision shows the request exactly as it was then', async () => {
      const created = await asOf(0);
      expect(created).toEqual(expect.objectContaining({ title: 'Before the retitle', messages: [], messageCount: 0, baseStatus: 'open' }));
      const enquiry = await asOf(1);
      expect(enquiry).toEqual(expect.objectContaining({ title: 'Before the retitle', statusId: 'new', messageCount: 1 }));
      expect(texts(enquiry)).toEqual([['original text']]);
      const retitled = await asOf(2);
      expect(retitled.title).toBe('After the retitle');
      expect(texts(retitled)).toEqual([['original text']]);
      const edited = await asOf(3);
      expect(texts(edited)).toEqual([['original text', 'edited text']]);
      expect(edited).toEqual(expect.objectContaining({ baseStatus: 'open', closedAt: null }));
      const closed = await asOf(4);
      expect(closed).toEqual(expect.objectContaining({ baseStatus: 'closed', statusId: 'closed', closedAt: times[4] }));
    });

    it('the last revision, or any later one, is the request as the read model shows it now', async () => {
      const now = await detail(request.id);
      expect(await asOf(4)).toEqual(now);
      expect(await asOf(999)).toEqual(now);
    });

    it('a time shows every event up to and including that instant, and none after', async () => {
      const justBefore = (iso: string) => new Date(Date.parse(iso) - 1).toISOString();
      expect((await asOf(times[2]!)).title).toBe('After the retitle');
      expect((await asOf(justBefore(times[2]!))).title).toBe('Before the retitle');
      expect(texts(await asOf(justBefore(times[3]!)))).toEqual([['original text']]);
      expect(texts(await asOf(times[3]!))).toEqual([['original text', 'edited text']]);
      expect((await asOf(justBefore(times[4]!))).baseStatus).toBe('open');
      expect((await asOf(times[4]!)).baseStatus).toBe('closed');
      // The same instant written with an offset.
      const retitledAt = new Date(times[2]!);
      const withOffset = new Date(retitledAt.getTime() + 60 * 60 * 1000).toISOString().replace('Z', '+01:00');
      expect((await asOf(withOffset)).title).toBe('After the retitle');
    });

    it('a time before the request existed is 404', async () => {
      expectProblem(await agent.client.get(`/api/requests/${request.id}?asOf=${new Date(Date.parse(times[0]!) - 1).toISOString()}`), 404, 'not-found');
      expectProblem(await agent.client.get(`/api/requests/${request.id}?asOf=2000-01-01T00:00:00Z`), 404, 'not-found');
    });

    it('the past of a merged request, by its id', async () => {
      const target = await createRequest(agent.client, e2e.store);
      const source = await createRequest(agent.client, e2e.store, { title: 'Merged away' });
      expectCommand(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [source.id] }));
      const past = await agent.client.get(`/api/requests/${source.id}?asOf=1`);
      expectStatus(past, 200);
      expect(past.body).toEqual(expect.objectContaining({ id: source.id, title: 'Merged away', baseStatus: 'open', mergedInto: null, messageCount: 1 }));
    });

    it.each(['yesterday', '2026-13-45T00:00:00Z', '1234567890', '-1', '3.5', '2026-11-27Tnonsense', 'x'.repeat(41)])('asOf=%s is 400', async (value) => {
      expectProblem(await agent.client.get(`/api/requests/${request.id}?asOf=${encodeURIComponent(value)}`), 400);
    });

    it('asOf=<a day that does not exist> (2026-02-30) is 400, not another day', async () => {
      expectProblem(await agent.client.get(`/api/requests/${request.id}?asOf=2026-02-30T00:00:00Z`), 400);
    });
  });

  describe('/history', () => {
    it('lists every event of the request: type, data, actor, channel, time, revision, position', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'agent note' }));
      expectCommand(await e2e.admin.patch(`/api/requests/${request.id}`, { title: 'Admin retitle' }));
      expectCommand(await agent.client.post(`/api/requests/${request.id}/accept`, {}));

      const response = await agent.client.get(`/api/requests/${request.id}/history`);
      expectStatus(response, 200);
      const recorded = await events(e2e.store, requestStream(request.id));
      expect(response.body).toEqual(
        recorded.map((e) => ({
          position: Number(e.position),
          streamId: requestStream(request.id),
          revision: Number(e.revision),
          type: e.type,
          data: e.data,
          actorId: e.metadata['actorId'],
          actorRole: e.metadata['actorRole'],
          channel: e.metadata['channel'],
          occurredAt: e.metadata['occurredAt'],
          recordedAt: e.recordedAt,
          correlationId: e.metadata['correlationId'],
          eventId: e.id,
        })),
      );
      expect(response.body.map((h: { type: string; actorId: string; revision: number }) => [h.revision, h.type, h.actorId])).toEqual([
        [0, 'RequestCreated', agent.id],
        [1, 'CustomerMessageAdded', agent.id],
        [2, 'InternalNoteAdded', agent.id],
        [3, 'RequestRetitled', e2e.adminId],
        [4, 'RequestAccepted', agent.id],
      ]);
      expect(response.body.every((h: { channel: string }) => h.channel === 'api')).toBe(true);
      const positions = response.body.map((h: { position: number }) => h.position);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      // By number: the same.
      const byNumber = await agent.client.get(`/api/requests/${request.number}/history`);
      expect(byNumber.body).toEqual(response.body);
    });

    it('?format=ndjson: the same entries, one JSON per line, as a download', async () => {
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/notes`, { body: 'line\nbreaks and "quotes"' }));
      const json = await agent.client.get(`/api/requests/${request.id}/history`);
      expectStatus(json, 200);
      const ndjson = await getText(e2e.server.url, agent.token, `/api/requests/${request.id}/history?format=ndjson`);
      expect(ndjson.status).toBe(200);
      expect(ndjson.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      expect(ndjson.headers.get('content-disposition')).toBe(`attachment; filename="request-${request.id}-history.ndjson"`);
      expect(ndjson.text.split('\n')).toHaveLength(json.body.length + 1);
      expect(ndjsonLines(ndjson.text)).toEqual(json.body);
      expectProblem(await agent.client.get(`/api/requests/${request.id}/history?format=xml`), 400);
    });

    it('a split shows on both trails; an unknown request is 404', async () => {
      const original = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${original.id}/notes`, { body: 'to split' }));
      const noteId = await lastMessageId(e2e.store, original.id, 'InternalNoteAdded');
      const split = await agent.client.post(`/api/requests/${original.id}/split`, { messageIds: [noteId], title: unique('Split') });
      expectCommand(split);
      const types = async (id: string) => ((await agent.client.get(`/api/requests/${id}/history`)).body as { type: string }[]).map((h) => h.type);
      expect(await types(original.id)).toEqual(['RequestCreated', 'CustomerMessageAdded', 'InternalNoteAdded', 'RequestSplit']);
      expect(await types(split.body.created.id)).toEqual(['RequestCreated', 'MessagesMovedIn']);
      expectProblem(await agent.client.get('/api/requests/999999/history'), 404, 'not-found');
    });
  });

  describe('who may read', () => {
    it('auditors and reporters read a request; auditors and agents its history, reporters not; nobody without a token', async () => {
      const request = await createRequest(agent.client, e2e.store);
      const view = await detail(request.id);
      expect(await detail(request.id, auditor.client)).toEqual(view);
      expect(await detail(request.id, reporter.client)).toEqual(view);
      expectStatus(await auditor.client.get(`/api/requests/${request.id}/history`), 200);
      expectProblem(await reporter.client.get(`/api/requests/${request.id}/history`), 403, 'forbidden');
      expectProblem(await reporter.client.get(`/api/requests/${request.id}/history?format=ndjson`), 403, 'forbidden');
      expectProblem(await e2e.anonymous.get(`/api/requests/${request.id}`), 401);
      expectProblem(await e2e.anonymous.get(`/api/requests/${request.id}/history`), 401);
    });
  });
});

import {
  createContact,
  createRequest,
  expectCommand,
  expectProblem,
  expectStatus,
  inSeconds,
  lastMessageId,
  registerUser,
  useE2e,
  type CreatedRequest,
  type E2eSuite,
} from '../support/e2e-harness';
import type { HttpClient } from '../support/http-client';
import { headOf, idsOf, nextInstant, walk } from '../support/read-side';

/** Reads at the head of the log (read-your-writes). */
const reader = (e2e: E2eSuite) => async (client: HttpClient, path: string) => {
  const response = await client.get(path, { 'x-min-position': String(await headOf(e2e.store)) });
  expectStatus(response, 200);
  return response.body;
};

interface FlaggedItem {
  requestId: string;
  number: number;
  title: string;
  flagged: { messageId: string; excerpt: string; kind: string; flaggedAt: string; flaggedBy: string | null }[];
  flaggedCount: number;
  lastFlaggedAt: string;
}

/** Commands a few milliseconds apart, so that orders by time are never left to ties. */
const create = async (client: HttpClient, store: E2eSuite['store'], body: Record<string, unknown> = {}): Promise<CreatedRequest> => {
  const created = await createRequest(client, store, body);
  await nextInstant();
  return created;
};

const flag = async (client: HttpClient, request: { id: string }, messageId: string, flagged = true) => {
  const answer = expectCommand(await client.patch(`/api/requests/${request.id}/messages/${messageId}`, { flagged }));
  await nextInstant();
  return answer;
};

describe('GET /api/me/favourites', () => {
  const e2e = useE2e();
  const read = reader(e2e);

  it('my starred requests, the latest star first; closed ones stay, deleted and merged ones go; unstarring removes', async () => {
    const me = await registerUser(e2e, 'agent');
    const [a, b, c, d, e] = [await create(me.client, e2e.store), await create(me.client, e2e.store), await create(me.client, e2e.store), await create(me.client, e2e.store), await create(me.client, e2e.store)];
    for (const request of [a, b, c, d, e]) expectCommand(await me.client.put(`/api/me/favourites/${request.id}`));
    let favourites = await read(me.client, '/api/me/favourites');
    expect(idsOf(favourites.items)).toEqual([e.id, d.id, c.id, b.id, a.id]);
    expect(favourites.count).toBe(5);

    expectCommand(await me.client.post(`/api/requests/${c.id}/close`, {}));
    expectCommand(await e2e.admin.delete(`/api/requests/${d.id}`));
    expectCommand(await me.client.post(`/api/requests/${a.id}/merge`, { sourceIds: [b.id] }));
    expectCommand(await me.client.delete(`/api/me/favourites/${e.id}`));
    favourites = await read(me.client, '/api/me/favourites');
    expect(idsOf(favourites.items)).toEqual([c.id, a.id]);
    expect(favourites.count).toBe(2);
    expect(favourites.items[0].baseStatus).toBe('closed');

    // Back from the recycle bin and out of the merge: in their old places.
    expectCommand(await e2e.admin.post(`/api/requests/${d.id}/restore`, {}));
    expectCommand(await me.client.post(`/api/requests/${a.id}/unmerge`, { sourceId: b.id }));
    expect(idsOf((await read(me.client, '/api/me/favourites')).items)).toEqual([d.id, c.id, b.id, a.id]);
    // The same list as view=favourites.
    expect(await read(me.client, '/api/requests?view=favourites')).toEqual(await read(me.client, '/api/me/favourites'));
  });

  it('pages one at a time with every favourite once; a bad cursor is 400', async () => {
    const me = await registerUser(e2e, 'agent');
    const starred: CreatedRequest[] = [];
    for (let i = 0; i < 5; i++) {
      const request = await create(me.client, e2e.store);
      expectCommand(await me.client.put(`/api/me/favourites/${request.number}`));
      starred.unshift(request);
    }
    const head = { 'x-min-position': String(await headOf(e2e.store)) };
    for (const limit of [1, 2, 5]) {
      const walked = await walk(me.client, '/api/me/favourites', limit, head);
      expect(idsOf(walked.items)).toEqual(starred.map((r) => r.id));
      expect(walked.count).toBe(5);
    }
    expectProblem(await me.client.get('/api/me/favourites?cursor=garbage'), 400);
    expectProblem(await me.client.get(`/api/me/favourites?cursor=${Buffer.from('o:-1').toString('base64url')}`), 400);
  });

  it('are per agent; auditors and reporters have none to read (403)', async () => {
    const me = await registerUser(e2e, 'agent');
    const other = await registerUser(e2e, 'agent');
    const request = await create(me.client, e2e.store);
    expectCommand(await me.client.put(`/api/me/favourites/${request.id}`));
    expect(await read(other.client, '/api/me/favourites')).toEqual({ items: [], count: 0 });
    for (const role of ['auditor', 'reporter'] as const) {
      const user = await registerUser(e2e, role);
      expectProblem(await user.client.get('/api/me/favourites'), 403, 'forbidden');
    }
  });
});

describe('GET /api/flagged-messages', () => {
  describe('the list', () => {
    const e2e = useE2e();
    const agent = e2e.user('agent');
    const read = reader(e2e);
    const list = async (): Promise<{ items: FlaggedItem[]; count: number }> => read(agent.client, '/api/flagged-messages');

    it('requests with flagged messages, the most recent flag first, each with its flagged messages in message order; unflag removes', async () => {
      const x = await create(agent.client, e2e.store, { message: { body: 'X enquiry' } });
      expectCommand(await agent.client.post(`/api/requests/${x.id}/notes`, { body: 'X first note' }));
      expectCommand(await agent.client.post(`/api/requests/${x.id}/notes`, { body: 'X second note' }));
      const xNote = await lastMessageId(e2e.store, x.id, 'InternalNoteAdded');
      const y = await create(agent.client, e2e.store, { message: { body: 'Y enquiry' } });
      await create(agent.client, e2e.store);

      await flag(agent.client, x, xNote);
      await flag(e2e.admin, y, y.messageId);
      await flag(agent.client, x, x.messageId);
      let flagged = await list();
      expect(flagged.count).toBe(2);
      expect(flagged.items.map((i) => i.requestId)).toEqual([x.id, y.id]);
      const [first, second] = flagged.items;
      expect(first).toEqual(expect.objectContaining({ requestId: x.id, number: x.number, flaggedCount: 2 }));
      expect(first!.flagged.map((m) => [m.messageId, m.excerpt, m.kind, m.flaggedBy])).toEqual([
        [x.messageId, 'X enquiry', 'customer', agent.id],
        [xNote, 'X second note', 'note', agent.id],
      ]);
      expect(first!.lastFlaggedAt).toBe(first!.flagged[0]!.flaggedAt);
      expect(first!.flagged[1]!.flaggedAt < first!.flagged[0]!.flaggedAt).toBe(true);
      expect(second!.flagged.map((m) => [m.messageId, m.excerpt, m.flaggedBy])).toEqual([[y.messageId, 'Y enquiry', e2e.adminId]]);

      // Flagging a flagged message again keeps its first flag (and the order).
      await flag(agent.client, y, y.messageId);
      expect(await list()).toEqual(flagged);

      // Unflagging the newest flag of X makes Y's the most recent.
      await flag(agent.client, x, x.messageId, false);
      flagged = await list();
      expect(flagged.items.map((i) => [i.requestId, i.flagged.map((m) => m.messageId)])).toEqual([
        [y.id, [y.messageId]],
        [x.id, [xNote]],
      ]);
      await flag(agent.client, x, xNote, false);
      flagged = await list();
      expect(flagged.items.map((i) => i.requestId)).toEqual([y.id]);
      expect(flagged.count).toBe(1);

      // An edit changes the excerpt shown.
      expectCommand(await e2e.admin.post(`/api/requests/${y.id}/messages/${y.messageId}/versions`, { body: 'Y enquiry, corrected' }));
      expect((await list()).items[0]!.flagged[0]!.excerpt).toBe('Y enquiry, corrected');
    });

    it('pages by cursor: every flagged request once, in order', async () => {
      for (let i = 0; i < 6; i++) {
        const request = await create(agent.client, e2e.store);
        await flag(agent.client, request, request.messageId);
      }
      const everything = await list();
      expect(everything.count).toBe(7);
      const walked = await walk<FlaggedItem>(agent.client, '/api/flagged-messages', 2, { 'x-min-position': String(await headOf(e2e.store)) });
      expect(walked.items.map((i) => i.requestId)).toEqual(everything.items.map((i) => i.requestId));
      const times = walked.items.map((i) => i.lastFlaggedAt);
      expect([...times].sort().reverse()).toEqual(times);
    });
  });

  describe('flags travel with their messages', () => {
    const e2e = useE2e();
    const agent = e2e.user('agent');
    const read = reader(e2e);
    /** The flagged list, restricted to the requests of one test (the tests share the server). */
    const listed = async (...requests: { id: string }[]) => {
      const page = (await read(agent.client, '/api/flagged-messages?limit=200')) as { items: FlaggedItem[]; count: number };
      expect(page.count).toBe(page.items.length);
      const ids = requests.map((r) => r.id);
      return page.items.filter((i) => ids.includes(i.requestId)).map((i) => [i.requestId, i.flagged.map((m) => [m.messageId, m.flaggedBy])]);
    };

    it('a split takes the flagged message to the new request', async () => {
      const original = await create(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${original.id}/notes`, { body: 'flagged and split' }));
      const noteId = await lastMessageId(e2e.store, original.id, 'InternalNoteAdded');
      await flag(agent.client, original, noteId);
      expect(await listed(original)).toEqual([[original.id, [[noteId, agent.id]]]]);
      const split = await agent.client.post(`/api/requests/${original.id}/split`, { messageIds: [noteId], title: 'Split off' });
      expectCommand(split);
      const created = split.body.created as { id: string };
      // It arrives flagged; who flagged it does not travel with the message.
      expect(await listed(original, created)).toEqual([[created.id, [[noteId, null]]]]);
      expectCommand(await agent.client.patch(`/api/requests/${created.id}/messages/${noteId}`, { flagged: false }));
      expect(await listed(original, created)).toEqual([]);
    });

    it('a merge takes them to the target, an unmerge brings them back with their first flag', async () => {
      const target = await create(agent.client, e2e.store);
      const source = await create(agent.client, e2e.store);
      await flag(agent.client, source, source.messageId);
      const flags = async () =>
        ((await read(agent.client, '/api/flagged-messages?limit=200')) as { items: FlaggedItem[] }).items
          .filter((i) => i.requestId === source.id || i.requestId === target.id)
          .map((i) => [i.requestId, i.flagged]);
      const before = await flags();
      expect(await listed(source, target)).toEqual([[source.id, [[source.messageId, agent.id]]]]);
      expectCommand(await agent.client.post(`/api/requests/${target.id}/merge`, { sourceIds: [source.id] }));
      expect(await listed(source, target)).toEqual([[target.id, [[source.messageId, null]]]]);
      expectCommand(await agent.client.post(`/api/requests/${target.id}/unmerge`, { sourceId: source.id }));
      expect(await flags()).toEqual(before);
    });

    it('a deleted request is not listed; restoring it lists it again', async () => {
      const request = await create(agent.client, e2e.store);
      await flag(agent.client, request, request.messageId);
      const countBefore = (await read(agent.client, '/api/flagged-messages')).count as number;
      expect(await listed(request)).toEqual([[request.id, [[request.messageId, agent.id]]]]);
      expectCommand(await e2e.admin.delete(`/api/requests/${request.id}`));
      expect(await listed(request)).toEqual([]);
      expect((await read(agent.client, '/api/flagged-messages')).count).toBe(countBefore - 1);
      expectCommand(await e2e.admin.post(`/api/requests/${request.id}/restore`, {}));
      expect(await listed(request)).toEqual([[request.id, [[request.messageId, agent.id]]]]);
      expect((await read(agent.client, '/api/flagged-messages')).count).toBe(countBefore);
    });
  });
});

describe("GET /api/contacts/{id}/requests and /api/companies/{id}/requests", () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const read = reader(e2e);

  it("a contact's requests: open and postponed, most recently changed first; closed ones with includeClosed=true; deleted and removed ones never", async () => {
    const contact = await createContact(agent.client);
    const other = await createContact(agent.client);
    const open = await create(agent.client, e2e.store, { contactIds: [contact] });
    const closed = await create(agent.client, e2e.store, { contactIds: [contact] });
    expectCommand(await agent.client.post(`/api/requests/${closed.id}/close`, {}));
    const postponed = await create(agent.client, e2e.store, { contactIds: [contact] });
    expectCommand(await agent.client.post(`/api/requests/${postponed.id}/postpone`, { until: inSeconds(86400) }));
    const deleted = await create(agent.client, e2e.store, { contactIds: [contact] });
    expectCommand(await e2e.admin.delete(`/api/requests/${deleted.id}`));
    const second = await create(agent.client, e2e.store, { contactIds: [other, contact] });
    const removed = await create(agent.client, e2e.store, { contactIds: [other, contact] });
    expectCommand(await agent.client.delete(`/api/requests/${removed.id}/contacts/${contact}`));
    const added = await create(agent.client, e2e.store, { contactIds: [other] });
    expectCommand(await agent.client.post(`/api/requests/${added.id}/contacts`, { contactId: contact }));

    const current = await read(agent.client, `/api/contacts/${contact}/requests`);
    expect(idsOf(current.items)).toEqual([added.id, second.id, postponed.id, open.id]);
    expect(current.count).toBe(4);
    const all = await read(agent.client, `/api/contacts/${contact}/requests?includeClosed=true`);
    expect(idsOf(all.items)).toEqual([added.id, second.id, postponed.id, closed.id, open.id]);
    expect(all.count).toBe(5);
    expect(await read(agent.client, `/api/contacts/${contact}/requests?includeClosed=false`)).toEqual(current);
    const walked = await walk(agent.client, `/api/contacts/${contact}/requests?includeClosed=true`, 2, { 'x-min-position': String(await headOf(e2e.store)) });
    expect(idsOf(walked.items)).toEqual(idsOf(all.items));
    expect(walked.count).toBe(5);
    expect(await read(agent.client, '/api/contacts/no-such-contact/requests')).toEqual({ items: [], count: 0 });
  });

  it("a company's requests are its contacts'; a contact changing company takes its requests along", async () => {
    const company = (await agent.client.post('/api/companies', { name: 'Company K' })).body.id as string;
    const elsewhere = (await agent.client.post('/api/companies', { name: 'Company L' })).body.id as string;
    const c1 = await createContact(agent.client, { companyId: company });
    const c2 = await createContact(agent.client, { companyId: company });
    const outsider = await createContact(agent.client);
    const r1 = await create(agent.client, e2e.store, { contactIds: [c1] });
    const r2 = await create(agent.client, e2e.store, { contactIds: [c2] });
    const r3 = await create(agent.client, e2e.store, { contactIds: [outsider, c2] });
    await create(agent.client, e2e.store, { contactIds: [outsider] });
    const closed = await create(agent.client, e2e.store, { contactIds: [c1] });
    expectCommand(await agent.client.post(`/api/requests/${closed.id}/close`, {}));

    const k = await read(agent.client, `/api/companies/${company}/requests`);
    expect(idsOf(k.items)).toEqual([r3.id, r2.id, r1.id]);
    expect(k.count).toBe(3);
    expect(idsOf((await read(agent.client, `/api/companies/${company}/requests?includeClosed=true`)).items)).toEqual([closed.id, r3.id, r2.id, r1.id]);
    expect(await read(agent.client, `/api/requests?company=${company}`)).toEqual(k);

    expectCommand(await agent.client.patch(`/api/contacts/${c2}`, { companyId: elsewhere }));
    expect(idsOf((await read(agent.client, `/api/companies/${company}/requests`)).items)).toEqual([r1.id]);
    expect(idsOf((await read(agent.client, `/api/companies/${elsewhere}/requests`)).items)).toEqual([r3.id, r2.id]);
    expectCommand(await agent.client.patch(`/api/contacts/${c2}`, { companyId: null }));
    expect(await read(agent.client, `/api/companies/${elsewhere}/requests`)).toEqual({ items: [], count: 0 });
    expect(await read(agent.client, '/api/companies/no-such-company/requests')).toEqual({ items: [], count: 0 });
  });

  it('auditors and reporters read them too', async () => {
    const contact = await createContact(agent.client);
    const request = await create(agent.client, e2e.store, { contactIds: [contact] });
    for (const role of ['auditor', 'reporter'] as const) {
      const user = await registerUser(e2e, role);
      expect(idsOf((await read(user.client, `/api/contacts/${contact}/requests`)).items)).toEqual([request.id]);
    }
  });
});

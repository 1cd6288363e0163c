import {
  createContact,
  createRequest,
  expectCommand,
  expectProblem,
  expectStatus,
  inSeconds,
  registerUser,
  unique,
  uniqueEmail,
  useE2e,
  waitFor,
  type CreatedRequest,
} from '../support/e2e-harness';
import type { HttpClient } from '../support/http-client';
import { defineCategory, definePriority, headOf, idsOf, inParallel, nextInstant, walk } from '../support/read-side';

/**
 * The request lists over HTTP against the real server: what each view means, every filter, counts,
 * and keyset pages that neither skip nor repeat. Every test works in a category (or with agents,
 * contacts, tags) of its own, so the lists it reads hold exactly what it wrote.
 */
describe('GET /api/requests: views, filters, counts, pages', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const colleague = e2e.user('agent');
  let contactId: string;
  let noDeadline: string;
  let halfHour: string;
  let hour: string;

  beforeAll(async () => {
    contactId = await createContact(e2e.admin);
    noDeadline = await definePriority(e2e.admin, { name: unique('Some day'), deadlineMinutes: null });
    halfHour = await definePriority(e2e.admin, { name: unique('Half hour'), deadlineMinutes: 30 });
    hour = await definePriority(e2e.admin, { name: unique('Hour'), deadlineMinutes: 60 });
  });

  /** A read that waits for everything written so far (read-your-writes at the head of the log). */
  const read = async (client: HttpClient, path: string) => {
    const response = await client.get(path, { 'x-min-position': String(await headOf(e2e.store)) });
    expectStatus(response, 200);
    return response.body as { items: { id: string; [field: string]: any }[]; count: number; nextCursor?: string };
  };
  const ids = async (client: HttpClient, path: string) => idsOf((await read(client, path)).items);
  const make = async (body: Record<string, unknown>, client: HttpClient = e2e.admin): Promise<CreatedRequest> => {
    const created = await createRequest(client, e2e.store, { contactIds: [contactId], ...body });
    await nextInstant();
    return created;
  };
  const sorted = (values: readonly string[]) => [...values].sort();

  describe('views', () => {
    it('mine: my open requests, most recently changed first; owner=me and owner=<id> with other base statuses', async () => {
      const me = await registerUser(e2e, 'agent');
      const category = await defineCategory(e2e.admin, { name: unique('Mine') });
      const first = await make({ categoryId: category, ownerId: me.id });
      const second = await make({ categoryId: category, ownerId: me.id });
      await make({ categoryId: category, ownerId: colleague.id });
      await make({ categoryId: category });
      const closed = await make({ categoryId: category, ownerId: me.id });
      expectCommand(await e2e.admin.post(`/api/requests/${closed.id}/close`, {}));
      const postponed = await make({ categoryId: category, ownerId: me.id });
      expectCommand(await e2e.admin.post(`/api/requests/${postponed.id}/postpone`, { until: inSeconds(30 * 86400) }));
      // A note makes the first one the most recently changed.
      expectCommand(await me.client.post(`/api/requests/${first.id}/notes`, { body: 'looked at it' }));

      const mine = await read(me.client, '/api/requests?view=mine');
      expect(idsOf(mine.items)).toEqual([first.id, second.id]);
      expect(mine.count).toBe(2);
      expect(mine.nextCursor).toBeUndefined();
      expect(mine.items.map((i) => [i.ownerId, i.baseStatus])).toEqual([
        [me.id, 'open'],
        [me.id, 'open'],
      ]);

      expect(await ids(me.client, '/api/requests?owner=me&baseStatus=closed')).toEqual([closed.id]);
      expect(await ids(me.client, '/api/requests?owner=me&baseStatus=postponed')).toEqual([postponed.id]);
      // Any agent's requests, every listed base status, most recently changed first.
      const anyStatus = await read(colleague.client, `/api/requests?owner=${me.id}`);
      expect(idsOf(anyStatus.items)).toEqual([first.id, postponed.id, closed.id, second.id]);
      expect(anyStatus.count).toBe(4);
      // Another agent's "mine" is theirs.
      expect(await ids(colleague.client, `/api/requests?view=mine&category=${category}`)).toHaveLength(1);
    });

    it('unassigned: open requests without an owner, the nearest deadline first', async () => {
      const category = await defineCategory(e2e.admin, { name: unique('Queue') });
      const inFourHours = await make({ categoryId: category, priorityId: 'high' });
      const halfHourA = await make({ categoryId: category, priorityId: halfHour });
      const inAnHour = await make({ categoryId: category, priorityId: hour });
      const halfHourB = await make({ categoryId: category, priorityId: halfHour });
      await make({ categoryId: category, priorityId: halfHour, ownerId: agent.id });
      const closed = await make({ categoryId: category, priorityId: halfHour });
      expectCommand(await e2e.admin.post(`/api/requests/${closed.id}/close`, {}));
      const postponed = await make({ categoryId: category, priorityId: halfHour });
      expectCommand(await e2e.admin.post(`/api/requests/${postponed.id}/postpone`, { until: inSeconds(86400) }));
      const accepted = await make({ categoryId: category, priorityId: halfHour });
      expectCommand(await agent.client.post(`/api/requests/${accepted.id}/accept`, {}));

      const queue = await read(agent.client, `/api/requests?view=unassigned&category=${category}`);
      expect(idsOf(queue.items)).toEqual([halfHourA.id, halfHourB.id, inAnHour.id, inFourHours.id]);
      expect(queue.count).toBe(4);
      expect(queue.items.every((i) => i.ownerId === null && i.baseStatus === 'open')).toBe(true);
      const deadlines = queue.items.map((i) => i.deadline as string);
      expect([...deadlines].sort()).toEqual(deadlines);
    });

    it('a postponed request that falls due comes back by itself into the unassigned queue (the system activates it)', async () => {
      const category = await defineCategory(e2e.admin, { name: unique('Due') });
      const request = await make({ categoryId: category });
      expectCommand(await e2e.admin.post(`/api/requests/${request.id}/postpone`, { until: inSeconds(2) }));
      expect(await ids(agent.client, `/api/requests?view=unassigned&category=${category}`)).toEqual([]);
      expect(await ids(agent.client, `/api/requests?category=${category}&baseStatus=postponed`)).toEqual([request.id]);
      const back = await waitFor(
        async () => {
          const queue = await read(agent.client, `/api/requests?view=unassigned&category=${category}`);
          return queue.count === 1 ? queue : undefined;
        },
        15_000,
        'the postponed request to be activated',
      );
      expect(back.items.map((i) => [i.id, i.baseStatus, i.postponedUntil])).toEqual([[request.id, 'open', null]]);
      expect(await ids(agent.client, `/api/requests?category=${category}&baseStatus=postponed`)).toEqual([]);
    });

    it('unassigned: a request without a deadline comes after every request with one (the nearest deadline comes first)', async () => {
      const category = await defineCategory(e2e.admin, { name: unique('Queue without deadline') });
      const someday = await make({ categoryId: category, priorityId: noDeadline });
      const soon = await make({ categoryId: category, priorityId: halfHour });
      const later = await make({ categoryId: category, priorityId: 'low' });

      const queue = await read(agent.client, `/api/requests?view=unassigned&category=${category}`);
      expect(queue.items.map((i) => [i.id, i.deadline === null])).toEqual([
        [soon.id, false],
        [later.id, false],
        [someday.id, true],
      ]);
    });

    it('last: most recently created first whatever changed since; all: most recently changed first; deleted and merged only when asked for', async () => {
      const category = await defineCategory(e2e.admin, { name: unique('Last') });
      const one = await make({ categoryId: category });
      const two = await make({ categoryId: category });
      const three = await make({ categoryId: category });
      const deleted = await make({ categoryId: category });
      const merged = await make({ categoryId: category });
      expectCommand(await agent.client.post(`/api/requests/${one.id}/notes`, { body: 'changed' }));
      expectCommand(await e2e.admin.delete(`/api/requests/${deleted.id}`));
      expectCommand(await agent.client.post(`/api/requests/${two.id}/merge`, { sourceIds: [merged.id] }));

      const last = await read(agent.client, `/api/requests?view=last&category=${category}`);
      expect(idsOf(last.items)).toEqual([three.id, two.id, one.id]);
      expect(last.count).toBe(3);
      expect(await ids(agent.client, `/api/requests?view=all&category=${category}`)).toEqual([two.id, one.id, three.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&baseStatus=deleted`)).toEqual([deleted.id]);
      const mergedList = await read(agent.client, `/api/requests?category=${category}&baseStatus=merged`);
      expect(idsOf(mergedList.items)).toEqual([merged.id]);
      expect(mergedList.items[0]!.mergedInto).toEqual({ requestId: two.id, number: two.number });
    });

    it('favourites: the requests I starred, the latest star first', async () => {
      const me = await registerUser(e2e, 'agent');
      const a = await make({});
      const b = await make({});
      const c = await make({});
      for (const request of [b, a, c]) expectCommand(await me.client.put(`/api/me/favourites/${request.id}`));
      expectCommand(await me.client.delete(`/api/me/favourites/${c.id}`));
      const favourites = await read(me.client, '/api/requests?view=favourites');
      expect(idsOf(favourites.items)).toEqual([a.id, b.id]);
      expect(favourites.count).toBe(2);
    });

    it('favourites combine with the filters like every other view', async () => {
      const me = await registerUser(e2e, 'agent');
      const open = await make({ tags: ['starred-open'] });
      const closed = await make({});
      expectCommand(await e2e.admin.post(`/api/requests/${closed.id}/close`, {}));
      for (const request of [open, closed]) expectCommand(await me.client.put(`/api/me/favourites/${request.id}`));
      expect(await ids(me.client, '/api/requests?view=favourites')).toEqual([closed.id, open.id]);
      const closedOnly = await read(me.client, '/api/requests?view=favourites&baseStatus=closed');
      expect([idsOf(closedOnly.items), closedOnly.count]).toEqual([[closed.id], 1]);
      expect(await ids(me.client, '/api/requests?view=favourites&tag=starred-open')).toEqual([open.id]);
      expect(await ids(me.client, '/api/requests?view=favourites&status=closed')).toEqual([closed.id]);
    });
  });

  describe('filters', () => {
    let category: string;
    let companyId: string;
    let inCompanyA: string;
    let inCompanyB: string;
    let loner: string;
    let r1: CreatedRequest;
    let r2: CreatedRequest;
    let r3: CreatedRequest;
    let r4: CreatedRequest;

    beforeAll(async () => {
      category = await defineCategory(e2e.admin, { name: unique('Filters') });
      const company = await e2e.admin.post('/api/companies', { name: unique('Filter Company') });
      expectStatus(company, 201);
      companyId = company.body.id;
      inCompanyA = await createContact(e2e.admin, { companyId });
      inCompanyB = await createContact(e2e.admin, { companyId });
      loner = await createContact(e2e.admin);
      r1 = await make({ categoryId: category, contactIds: [inCompanyA], tags: ['Billing'] });
      r2 = await make({ categoryId: category, contactIds: [inCompanyB], tags: ['billing', 'vip'], statusId: 'waiting', ownerId: agent.id });
      r3 = await make({ categoryId: category, contactIds: [loner, inCompanyA], tags: ['VIP'] });
      expectCommand(await e2e.admin.post(`/api/requests/${r3.id}/close`, {}));
      r4 = await make({ categoryId: category, contactIds: [loner], ownerId: colleague.id });
      expectCommand(await colleague.client.patch(`/api/requests/${r4.id}`, { statusId: 'in-progress' }));
    });

    it('status and baseStatus', async () => {
      expect(await ids(agent.client, `/api/requests?category=${category}&status=waiting`)).toEqual([r2.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&status=new`)).toEqual([r1.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&status=in-progress`)).toEqual([r4.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&baseStatus=closed`)).toEqual([r3.id]);
      expect(sorted(await ids(agent.client, `/api/requests?category=${category}&baseStatus=open`))).toEqual(sorted([r1.id, r2.id, r4.id]));
      // Without a base status: every listed one, closed included.
      const all = await read(agent.client, `/api/requests?category=${category}`);
      expect(idsOf(all.items)).toEqual([r4.id, r3.id, r2.id, r1.id]);
      expect(all.count).toBe(4);
    });

    it('owner: none, me, an agent id', async () => {
      expect(await ids(agent.client, `/api/requests?category=${category}&owner=none`)).toEqual([r3.id, r1.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&owner=none&baseStatus=open`)).toEqual([r1.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&owner=me`)).toEqual([r2.id]);
      expect(await ids(colleague.client, `/api/requests?category=${category}&owner=me`)).toEqual([r4.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&owner=${colleague.id}`)).toEqual([r4.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&owner=${colleague.id}&status=waiting`)).toEqual([]);
    });

    it('tag, in any case', async () => {
      expect(await ids(agent.client, `/api/requests?category=${category}&tag=BILLING`)).toEqual([r2.id, r1.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&tag=vip`)).toEqual([r3.id, r2.id]);
      expect(await ids(agent.client, `/api/requests?category=${category}&tag=vip&baseStatus=closed`)).toEqual([r3.id]);
      expect((await read(agent.client, `/api/requests?category=${category}&tag=${unique('nothing')}`)).count).toBe(0);
    });

    it("contact and company: the contact's (the company's contacts') open and postponed requests unless a base status is asked for", async () => {
      expect(await ids(agent.client, `/api/requests?contact=${inCompanyA}`)).toEqual([r1.id]);
      expect(await ids(agent.client, `/api/requests?contact=${inCompanyA}&baseStatus=closed`)).toEqual([r3.id]);
      expect(await ids(agent.client, `/api/requests?contact=${loner}`)).toEqual([r4.id]);
      const company = await read(agent.client, `/api/requests?company=${companyId}`);
      expect(idsOf(company.items)).toEqual([r2.id, r1.id]);
      expect(company.count).toBe(2);
      expect(await ids(agent.client, `/api/requests?company=${companyId}&tag=vip`)).toEqual([r2.id]);
      expect(await read(agent.client, `/api/requests?company=${unique('no-company')}`)).toEqual({ items: [], count: 0 });
    });

    it('an unknown category, status or owner is an empty list with count 0', async () => {
      for (const query of [`category=${unique('nope')}`, `status=${unique('nope')}`, `owner=${unique('nope')}`]) {
        expect(await read(agent.client, `/api/requests?${query}`)).toEqual({ items: [], count: 0 });
      }
    });

    it('the answer is the summary: no bookkeeping fields', async () => {
      const [item] = (await read(agent.client, `/api/requests?category=${category}&status=waiting`)).items;
      expect(item).toEqual(
        expect.objectContaining({
          id: r2.id,
          number: r2.number,
          title: expect.any(String),
          statusId: 'waiting',
          baseStatus: 'open',
          ownerId: agent.id,
          categoryId: category,
          priorityId: 'medium',
          tags: ['billing', 'vip'],
          contactIds: [inCompanyB],
          deadline: expect.any(String),
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          messageCount: 1,
          flaggedCount: 0,
        }),
      );
      expect(Object.keys(item!).filter((key) => key.startsWith('_'))).toEqual([]);
    });
  });

  describe('keyset pages', () => {
    const TOTAL = 130;
    let category: string;
    let tag: string;
    let pagedContact: string;
    let created: string[];

    beforeAll(async () => {
      category = await defineCategory(e2e.admin, { name: unique('Pages') });
      tag = unique('paged').toLowerCase();
      pagedContact = await createContact(e2e.admin, { emails: [uniqueEmail('paged')] });
      // No deadline at all: the unassigned queue (ordered by deadline) is one long tie.
      created = await inParallel(TOTAL, 8, async (i) => {
        const response = await e2e.admin.post('/api/requests', {
          title: `Paged ${i}`,
          contactIds: [pagedContact],
          categoryId: category,
          priorityId: noDeadline,
          tags: [tag],
          message: { body: `page test ${i}` },
        });
        expectStatus(response, 201);
        return response.body.id as string;
      });
    });

    const expectEveryOnce = (walked: string[]) => {
      expect(new Set(walked).size).toBe(walked.length);
      expect(sorted(walked)).toEqual(sorted(created));
    };

    it.each([
      ['the unassigned queue (every deadline equal)', () => `/api/requests?view=unassigned&category=${category}`, 'deadline', 'asc'],
      ['a category, by last change', () => `/api/requests?category=${category}`, 'updatedAt', 'desc'],
      ['the last requests', () => `/api/requests?view=last&category=${category}`, 'createdAt', 'desc'],
      ['a tag', () => `/api/requests?tag=${tag}`, 'updatedAt', 'desc'],
      ['a contact', () => `/api/requests?contact=${pagedContact}`, 'updatedAt', 'desc'],
    ] as const)('%s: 130 requests walked 7 at a time come exactly once each, in order, and count is the total', async (_name, path, field, direction) => {
      const head = String(await headOf(e2e.store));
      const walked = await walk<{ id: string; [key: string]: any }>(agent.client, path(), 7, { 'x-min-position': head });
      expect(walked.count).toBe(TOTAL);
      expect(walked.pages).toBeGreaterThanOrEqual(Math.ceil(TOTAL / 7));
      expectEveryOnce(idsOf(walked.items));
      const keys = walked.items.map((i) => i[field] as string | null);
      const ordered = [...keys].sort((x, y) => (x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1));
      expect(keys).toEqual(direction === 'asc' ? ordered : ordered.reverse());
    });

    it('one page of the same list equals the walk, and a limit as large as the list needs no cursor', async () => {
      const head = { 'x-min-position': String(await headOf(e2e.store)) };
      const whole = await agent.client.get(`/api/requests?category=${category}&limit=200`, head);
      expectStatus(whole, 200);
      expect(whole.body.count).toBe(TOTAL);
      expect(whole.body.nextCursor).toBeUndefined();
      const walked = await walk(agent.client, `/api/requests?category=${category}`, 7, head);
      expect(idsOf(walked.items)).toEqual(idsOf(whole.body.items));
    });

    it('a cursor only works for the list it came from (400), and bad paging parameters are 400', async () => {
      const first = await agent.client.get(`/api/requests?category=${category}&limit=7`);
      expectStatus(first, 200);
      const cursor = encodeURIComponent(first.body.nextCursor);
      expectProblem(await agent.client.get(`/api/requests?view=last&category=${category}&limit=7&cursor=${cursor}`), 400, 'invalid-cursor');
      expectProblem(await agent.client.get(`/api/requests?tag=${tag}&limit=7&cursor=${cursor}`), 400, 'invalid-cursor');
      expectProblem(await agent.client.get(`/api/requests?category=${category}&baseStatus=open&limit=7&cursor=${cursor}`), 400, 'invalid-cursor');
      expectProblem(await agent.client.get(`/api/requests?category=${category}&cursor=not-a-cursor`), 400, 'invalid-cursor');
      expectProblem(await agent.client.get(`/api/requests?category=${category}&cursor=${Buffer.from('["x","y"]').toString('base64url')}`), 400, 'invalid-cursor');
      // Favourites page by offset; a list cursor is no offset, and an offset no list cursor.
      expectProblem(await agent.client.get(`/api/me/favourites?cursor=${cursor}`), 400);
      expectProblem(await agent.client.get(`/api/requests?category=${category}&cursor=${Buffer.from('o:7').toString('base64url')}`), 400, 'invalid-cursor');
      // The same cursor still works where it came from.
      expectStatus(await agent.client.get(`/api/requests?category=${category}&limit=7&cursor=${cursor}`), 200);

      for (const query of ['limit=0', 'limit=201', 'limit=ten', 'view=everything', 'baseStatus=gone', 'unknown=1']) {
        expectProblem(await agent.client.get(`/api/requests?${query}`), 400);
      }
    });
  });
});

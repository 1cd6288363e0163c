import { randomBytes } from 'node:crypto';
import {
  createContact,
  createRequest,
  expectCommand,
  expectProblem,
  expectStatus,
  useE2e,
  waitFor,
  type CreatedRequest,
} from '../support/e2e-harness';
import type { HttpClient } from '../support/http-client';
import { defineCategory, headOf, idsOf, walk } from '../support/read-side';

/**
 * "Only members have access": an agent who is not a member of a restricted category never sees its
 * requests — in no list, count, tile, search, flagged list, contact or company history, favourite or
 * detail. Members, admins, auditors and reporters do. The server holds only this file's data, so every
 * number is exact.
 */
describe('restricted categories over HTTP', () => {
  const e2e = useE2e();
  const member = e2e.user('agent', 'Member');
  const outsider = e2e.user('agent', 'Outsider');
  const auditor = e2e.user('auditor');
  const reporter = e2e.user('reporter');
  const word = `secret${randomBytes(4).toString('hex')}`;
  const contactWord = `person${randomBytes(4).toString('hex')}`;
  let secret: string;
  let contactId: string;
  let companyId: string;
  let open: CreatedRequest;
  let s1: CreatedRequest;
  let s2: CreatedRequest;
  let s3: CreatedRequest;

  beforeAll(async () => {
    secret = await defineCategory(e2e.admin, { name: 'Secret', restricted: true, memberIds: [member.id] });
    const company = await e2e.admin.post('/api/companies', { name: 'Shared Company' });
    expectStatus(company, 201);
    companyId = company.body.id;
    contactId = await createContact(e2e.admin, { companyId, name: `Shared Person ${contactWord}` });
    const create = (body: Record<string, unknown>) => createRequest(e2e.admin, e2e.store, { contactIds: [contactId], ...body });
    open = await create({ title: `Public ${word}` });
    s1 = await create({ title: `Hidden ${word}`, categoryId: secret });
    s2 = await create({ title: 'Hidden and owned', categoryId: secret, ownerId: member.id, message: { body: `body ${word}` } });
    s3 = await create({ title: 'Hidden and closed', categoryId: secret, tags: [word] });
    expectCommand(await e2e.admin.post(`/api/requests/${s3.id}/close`, {}));
    for (const request of [open, s1]) expectCommand(await e2e.admin.patch(`/api/requests/${request.id}/messages/${request.messageId}`, { flagged: true }));
    // The write side lets anyone star a request; the list must still hide what the reader may not see.
    for (const request of [s1, open]) expectCommand(await outsider.client.put(`/api/me/favourites/${request.id}`));
    for (const request of [s2, open]) expectCommand(await member.client.put(`/api/me/favourites/${request.id}`));
  });

  const read = async (client: HttpClient, path: string) => {
    const response = await client.get(path, { 'x-min-position': String(await headOf(e2e.store)) });
    expectStatus(response, 200);
    return response.body;
  };
  const sorted = (ids: string[]) => [...ids].sort();
  const listed = async (client: HttpClient, path: string) => {
    const walked = await walk<{ id: string }>(client, path, 2, { 'x-min-position': String(await headOf(e2e.store)) });
    expect(walked.count).toBe(walked.items.length);
    return sorted(idsOf(walked.items));
  };
  const ids = (...requests: CreatedRequest[]) => sorted(requests.map((r) => r.id));
  const searched = async (client: HttpClient, q: string) =>
    sorted(((await read(client, `/api/search?q=${q}`)).items as { request: { id: string } }[]).map((i) => i.request.id));
  const flagged = async (client: HttpClient) => sorted(((await read(client, '/api/flagged-messages')).items as { requestId: string }[]).map((i) => i.requestId));

  describe('an agent who is not a member', () => {
    it('sees none of its requests in any list, and counts none', async () => {
      for (const view of ['all', 'last', 'unassigned']) expect(await listed(outsider.client, `/api/requests?view=${view}`)).toEqual(ids(open));
      expect(await listed(outsider.client, '/api/requests?baseStatus=closed')).toEqual([]);
      expect(await listed(outsider.client, `/api/requests?owner=${member.id}`)).toEqual([]);
      expect(await listed(outsider.client, `/api/requests?tag=${word}`)).toEqual([]);
      expect(await read(outsider.client, `/api/requests?category=${secret}`)).toEqual({ items: [], count: 0 });
      expect(await read(outsider.client, `/api/requests?category=${secret}&view=unassigned`)).toEqual({ items: [], count: 0 });
      expect(await listed(outsider.client, '/api/requests?view=favourites')).toEqual(ids(open));
      expect(await listed(outsider.client, '/api/me/favourites')).toEqual(ids(open));
    });

    it('counts none of them on the dashboard', async () => {
      expect(await read(outsider.client, '/api/dashboard')).toEqual({
        tiles: { myOpen: 0, deadlinePassed: 0, unassigned: 1, unresolved: 1 },
        openPerAgent: { null: 1 },
        openPerStatus: { new: 1 },
      });
    });

    it('finds none of them by search, in the flagged list, or through the contact and the company', async () => {
      expect(await searched(outsider.client, word)).toEqual(ids(open));
      expect(await searched(outsider.client, 'hidden')).toEqual([]);
      // Found through the contact: only the requests the reader may see come along.
      expect(await searched(outsider.client, contactWord)).toEqual(ids(open));
      expect(await flagged(outsider.client)).toEqual(ids(open));
      expect((await read(outsider.client, '/api/flagged-messages')).count).toBe(1);
      expect(await listed(outsider.client, `/api/contacts/${contactId}/requests?includeClosed=true`)).toEqual(ids(open));
      expect(await listed(outsider.client, `/api/companies/${companyId}/requests?includeClosed=true`)).toEqual(ids(open));
      expect(await listed(outsider.client, `/api/requests?contact=${contactId}`)).toEqual(ids(open));
    });

    it('cannot open them: detail, number, asOf and history are 404, as if they did not exist', async () => {
      for (const request of [s1, s2, s3]) {
        for (const path of [`/api/requests/${request.id}`, `/api/requests/${request.number}`, `/api/requests/${request.id}?asOf=1`, `/api/requests/${request.id}/history`, `/api/requests/${request.id}/history?format=ndjson`]) {
          expectProblem(await outsider.client.get(path), 404, 'not-found');
        }
      }
      expectStatus(await outsider.client.get(`/api/requests/${open.id}`), 200);
    });
  });

  describe('members, admins, auditors and reporters', () => {
    it('see them everywhere', async () => {
      for (const client of [member.client, e2e.admin, auditor.client, reporter.client]) {
        expect(await listed(client, '/api/requests')).toEqual(ids(open, s1, s2, s3));
        expect(await listed(client, '/api/requests?view=unassigned')).toEqual(ids(open, s1));
        expect(await listed(client, `/api/requests?category=${secret}`)).toEqual(ids(s1, s2, s3));
        expect(await searched(client, word)).toEqual(ids(open, s1, s2, s3));
        expect(await searched(client, contactWord)).toEqual(ids(open, s1, s2, s3));
        expect(await flagged(client)).toEqual(ids(open, s1));
        expect(await listed(client, `/api/contacts/${contactId}/requests?includeClosed=true`)).toEqual(ids(open, s1, s2, s3));
        expect(await listed(client, `/api/companies/${companyId}/requests`)).toEqual(ids(open, s1, s2));
        expectStatus(await client.get(`/api/requests/${s1.number}`), 200);
      }
      expect(await listed(member.client, '/api/me/favourites')).toEqual(ids(open, s2));
      expectStatus(await member.client.get(`/api/requests/${s2.id}/history`), 200);
      expectStatus(await auditor.client.get(`/api/requests/${s2.id}/history`), 200);
    });

    it('count them on the dashboard', async () => {
      const totals = { deadlinePassed: 0, unassigned: 2, unresolved: 3 };
      const breakdowns = { openPerAgent: { null: 2, [member.id]: 1 }, openPerStatus: { new: 3 } };
      expect(await read(member.client, '/api/dashboard')).toEqual({ tiles: { myOpen: 1, ...totals }, ...breakdowns });
      for (const client of [e2e.admin, auditor.client, reporter.client]) {
        expect(await read(client, '/api/dashboard')).toEqual({ tiles: { myOpen: 0, ...totals }, ...breakdowns });
      }
    });
  });

  describe('files and outbound mail', () => {
    it('a hidden request\'s files and mail are out of the outsider\'s reach; its members read them', async () => {
      const mailed = await createContact(e2e.admin, { name: 'Mailed Person', emails: [`mailed-${word}@customer.example`] });
      const hidden = await createRequest(e2e.admin, e2e.store, { contactIds: [mailed], categoryId: secret, title: 'Hidden with a file' });
      try {
        const upload = await e2e.admin.request('POST', '/api/mail/attachments?filename=plan.txt&contentType=text/plain', {
          raw: 'the secret plan',
          headers: { 'content-type': 'application/octet-stream' },
        });
        expectStatus(upload, 201);
        const { blob } = upload.body as { blob: string };
        const { position } = expectCommand(
          await e2e.admin.post(`/api/requests/${hidden.id}/replies`, { body: 'Attached.', attachments: [{ blob, filename: 'plan.txt', contentType: 'text/plain' }] }),
        );
        const header = { 'x-min-position': String(position) };
        const path = `/api/requests/${hidden.id}/files/${blob}`;
        expectProblem(await outsider.client.get(path, header), 404, 'not-found');
        expectProblem(await outsider.client.get(`/api/requests/${hidden.number}/files/${blob}`, header), 404, 'not-found');
        // The hash is no permission: the raw blob route is only for those who see every category.
        expectProblem(await outsider.client.get(`/api/mail/blobs/${blob}`), 403, 'forbidden');
        expectProblem(await outsider.client.get('/api/mail/outbox'), 403, 'forbidden');
        const reply = (await member.client.get(`/api/requests/${hidden.id}`, header)).body.messages.find((m: { kind: string }) => m.kind === 'reply');
        const queued = async () => ((await e2e.admin.get('/api/mail/outbox')).body.items as { messageId: string }[]).some((i) => i.messageId === reply.messageId) || undefined;
        await waitFor(queued, 10_000, 'the reply in the outbox');
        expectProblem(await outsider.client.post(`/api/mail/outbox/${reply.messageId}/retry`, {}), 404, 'not-found');
        for (const client of [member.client, e2e.admin, auditor.client]) {
          const file = await client.get(path, header);
          expectStatus(file, 200);
          expect(file.body).toBe('the secret plan');
        }
        expectStatus(await member.client.post(`/api/mail/outbox/${reply.messageId}/retry`, {}), 200);
        expectStatus(await auditor.client.get(`/api/mail/blobs/${blob}`), 200);
      } finally {
        // Out of the way of the next tests, whatever happened.
        expectCommand(await e2e.admin.delete(`/api/requests/${hidden.id}`));
      }
    });
  });

  describe('when access changes', () => {
    it('a request moved into the restricted category disappears for the outsider at once; moved out, it is back', async () => {
      const moving = await createRequest(e2e.admin, e2e.store, { contactIds: [contactId], title: 'Moving' });
      expect(await listed(outsider.client, '/api/requests')).toEqual(ids(open, moving));
      try {
        const { position } = expectCommand(await e2e.admin.patch(`/api/requests/${moving.id}`, { categoryId: secret }));
        const hidden = await outsider.client.get('/api/requests', { 'x-min-position': String(position) });
        expect(idsOf(hidden.body.items)).toEqual([open.id]);
        expect(hidden.body.count).toBe(1);
        expectProblem(await outsider.client.get(`/api/requests/${moving.id}`), 404, 'not-found');
        expectCommand(await e2e.admin.patch(`/api/requests/${moving.id}`, { categoryId: 'general' }));
        expect(await listed(outsider.client, '/api/requests')).toEqual(ids(open, moving));
      } finally {
        // Out of the way of the next tests, whatever happened.
        expectCommand(await e2e.admin.delete(`/api/requests/${moving.id}`));
      }
    });

    it('a request moved into the restricted category cannot be read as it was before the move either (asOf by revision or time)', async () => {
      const moved = await createRequest(e2e.admin, e2e.store, { contactIds: [contactId], title: 'Public once', message: { body: 'said while public' } });
      const { position } = expectCommand(await e2e.admin.patch(`/api/requests/${moved.id}`, { categoryId: secret }));
      try {
        const header = { 'x-min-position': String(position) };
        expectProblem(await outsider.client.get(`/api/requests/${moved.id}`, header), 404, 'not-found');
        expectProblem(await outsider.client.get(`/api/requests/${moved.id}/history`, header), 404, 'not-found');
        // Its past (public then) belongs to the request, which is restricted now.
        expectProblem(await outsider.client.get(`/api/requests/${moved.id}?asOf=1`, header), 404, 'not-found');
        expectProblem(await outsider.client.get(`/api/requests/${moved.id}?asOf=${encodeURIComponent(new Date().toISOString())}`, header), 404, 'not-found');
        expectProblem(await outsider.client.get(`/api/requests/${moved.number}?asOf=1`, header), 404, 'not-found');
        // The member still reads every state of it.
        const past = await member.client.get(`/api/requests/${moved.id}?asOf=1`, header);
        expectStatus(past, 200);
        expect(past.body.categoryId).toBe('general');
      } finally {
        // Out of the way of the next tests, whatever happened.
        expectCommand(await e2e.admin.delete(`/api/requests/${moved.id}`));
      }
    });

    it('made a member, the outsider sees them at once; the category unrestricted, every agent does', async () => {
      const { position } = expectCommand(await e2e.admin.patch(`/api/categories/${secret}`, { memberIds: [member.id, outsider.id] }));
      const asMember = await outsider.client.get('/api/requests', { 'x-min-position': String(position) });
      expect(asMember.body.count).toBe(4);
      expect(await flagged(outsider.client)).toEqual(ids(open, s1));
      expect(await listed(outsider.client, '/api/me/favourites')).toEqual(ids(open, s1));

      expectCommand(await e2e.admin.patch(`/api/categories/${secret}`, { memberIds: [member.id] }));
      expect(await listed(outsider.client, '/api/requests')).toEqual(ids(open));

      expectCommand(await e2e.admin.patch(`/api/categories/${secret}`, { restricted: false }));
      expect(await listed(outsider.client, '/api/requests')).toEqual(ids(open, s1, s2, s3));
      expect((await read(outsider.client, '/api/dashboard')).tiles).toEqual({ myOpen: 0, deadlinePassed: 0, unassigned: 2, unresolved: 3 });
      expectStatus(await outsider.client.get(`/api/requests/${s1.id}/history`), 200);
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteEventStore } from '@helpdesk/event-store';
import {
  createContact,
  createRequest,
  expectCommand,
  expectStatus,
  inSeconds,
  openEventStore,
  registerUser,
  type CreatedRequest,
  type E2e,
  type User,
} from '../support/e2e-harness';
import { httpClient, type HttpClient } from '../support/http-client';
import { definePriority, headOf, idsOf, shiftedClock } from '../support/read-side';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const DAY = 24 * 60 * 60 * 1000;

/**
 * "Deadline passed" needs requests whose deadline is behind us, and deadlines are whole minutes from
 * creation: the known dataset is written through a server living two days ago (clock-shift.cjs), then
 * read through one living now, on the same data directory. Every number is exact: the server holds
 * nothing else.
 *
 *   #   owner  priority        status       deadline passed now?
 *   1   A      urgent (1 h)    new          yes
 *   2   A      far (10 days)   waiting      no
 *   3   A      urgent          closed       (closed)
 *   4   B      urgent          in-progress  yes            (accepted by B)
 *   5   -      far             new          no             (target of #10)
 *   6   -      urgent          new          yes
 *   7   -      none            waiting      no deadline
 *   8   -      urgent          postponed    (postponed)
 *   9   B      urgent          deleted      (deleted)
 *   10  -      urgent          merged       (merged into #5)
 *   11  A      urgent          new          no             (written now)
 */
describe('deadlines and the dashboard over HTTP, for a known dataset', () => {
  let dataDir: string;
  const env = { BOOTSTRAP_ADMIN_TOKEN: 'read_side_dashboard_token_0123456789' };
  let server: ServerProcess;
  let store: SqliteEventStore;
  let admin: HttpClient;
  let a: User;
  let b: User;
  let auditor: User;
  let reporter: User;
  const r: Record<number, CreatedRequest> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-read-dashboard-'));
    store = openEventStore(dataDir);
    const past = await startServerProcess({ dataDir, env: { ...env, ...shiftedClock(-2 * DAY) } });
    try {
      const pastAdmin = httpClient(past.url, past.adminToken);
      const pastE2e = { admin: pastAdmin } as E2e;
      a = await registerUser(pastE2e, 'agent', 'Agent A');
      b = await registerUser(pastE2e, 'agent', 'Agent B');
      auditor = await registerUser(pastE2e, 'auditor');
      reporter = await registerUser(pastE2e, 'reporter');
      const urgent = await definePriority(pastAdmin, { name: 'Urgent', deadlineMinutes: 60 });
      const far = await definePriority(pastAdmin, { name: 'Far', deadlineMinutes: 10 * 24 * 60 });
      const none = await definePriority(pastAdmin, { name: 'None', deadlineMinutes: null });
      const contactId = await createContact(pastAdmin);
      const create = (body: Record<string, unknown>) => createRequest(pastAdmin, store, { contactIds: [contactId], ...body });

      r[1] = await create({ ownerId: a.id, priorityId: urgent });
      r[2] = await create({ ownerId: a.id, priorityId: far });
      expectCommand(await pastAdmin.patch(`/api/requests/${r[2].id}`, { statusId: 'waiting' }));
      r[3] = await create({ ownerId: a.id, priorityId: urgent });
      expectCommand(await pastAdmin.post(`/api/requests/${r[3].id}/close`, {}));
      r[4] = await create({ priorityId: urgent });
      expectCommand(await b.client.post(`/api/requests/${r[4].id}/accept`, {}));
      r[5] = await create({ priorityId: far });
      r[6] = await create({ priorityId: urgent });
      r[7] = await create({ priorityId: none });
      expectCommand(await pastAdmin.patch(`/api/requests/${r[7].id}`, { statusId: 'waiting' }));
      r[8] = await create({ priorityId: urgent });
      expectCommand(await pastAdmin.post(`/api/requests/${r[8].id}/postpone`, { until: inSeconds(30 * 86400) }));
      r[9] = await create({ ownerId: b.id, priorityId: urgent });
      expectCommand(await pastAdmin.delete(`/api/requests/${r[9].id}`));
      r[10] = await create({ priorityId: urgent });
      expectCommand(await pastAdmin.post(`/api/requests/${r[5].id}/merge`, { sourceIds: [r[10].id] }));
    } finally {
      await past.stop();
    }

    server = await startServerProcess({ dataDir, env });
    admin = httpClient(server.url, server.adminToken);
    // The users' clients pointed at the server of two days ago.
    [a, b, auditor, reporter] = [a, b, auditor, reporter].map((user) => ({ ...user, client: admin.as(user.token) }));
    const contactId = await createContact(admin);
    r[11] = await createRequest(admin, store, { contactIds: [contactId], ownerId: a.id, priorityId: (await requestOf(1)).priorityId });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const read = async (client: HttpClient, path: string) => {
    const response = await client.get(path, { 'x-min-position': String(await headOf(store)) });
    expectStatus(response, 200);
    return response.body;
  };
  const requestOf = async (n: number) => (await store.readStream(`request-${r[n]!.id}`, { maxCount: 1 }))[0]!.data;
  const ids = (...numbers: number[]) => numbers.map((n) => r[n]!.id);

  it('the dataset was written two days ago (the clock shift took)', async () => {
    const first = await requestOf(1);
    expect(Date.parse(first.createdAt)).toBeLessThan(Date.now() - DAY);
    expect(Date.parse(first.deadline)).toBeLessThan(Date.now() - DAY + 2 * 60 * 60 * 1000);
    const now = await requestOf(11);
    expect(Date.parse(now.deadline)).toBeGreaterThan(Date.now());
  });

  it('tiles and breakdowns, as agent A', async () => {
    expect(await read(a.client, '/api/dashboard')).toEqual({
      tiles: { myOpen: 3, deadlinePassed: 3, unassigned: 3, unresolved: 8 },
      openPerAgent: { [a.id]: 3, [b.id]: 1, null: 3 },
      openPerStatus: { new: 4, waiting: 2, 'in-progress': 1 },
    });
  });

  it('"my open" is the reader\'s own; auditors and reporters (who own nothing) see the same totals', async () => {
    expect((await read(b.client, '/api/dashboard')).tiles).toEqual({ myOpen: 1, deadlinePassed: 3, unassigned: 3, unresolved: 8 });
    for (const reader of [auditor, reporter]) {
      const dashboard = await read(reader.client, '/api/dashboard');
      expect(dashboard.tiles).toEqual({ myOpen: 0, deadlinePassed: 3, unassigned: 3, unresolved: 8 });
      expect(dashboard.openPerStatus).toEqual({ new: 4, waiting: 2, 'in-progress': 1 });
    }
  });

  it('view=deadline-passed: open requests whose deadline is behind us, the earliest first; its count is the tile', async () => {
    const passed = await read(a.client, '/api/requests?view=deadline-passed');
    expect(idsOf(passed.items)).toEqual(ids(1, 4, 6));
    expect(passed.count).toBe(3);
    expect(passed.items.every((i: { deadline: string }) => Date.parse(i.deadline) < Date.now())).toBe(true);
  });

  it('view=mine, view=unassigned and view=last on the same data', async () => {
    expect(idsOf((await read(a.client, '/api/requests?view=mine')).items)).toEqual(ids(11, 2, 1));
    expect(idsOf((await read(b.client, '/api/requests?view=mine')).items)).toEqual(ids(4));
    const queue = await read(a.client, '/api/requests?view=unassigned');
    expect(queue.count).toBe(3);
    expect(new Set(idsOf(queue.items))).toEqual(new Set(ids(5, 6, 7)));
    // Of those with a deadline, the passed one first (where the one without goes: see request-lists).
    expect(idsOf(queue.items).filter((id: string) => id !== r[7]!.id)).toEqual(ids(6, 5));
    const last = await read(a.client, '/api/requests?view=last');
    expect(idsOf(last.items)).toEqual(ids(11, 8, 7, 6, 5, 4, 3, 2, 1));
    expect(last.count).toBe(9);
  });

  it('follows changes: closing a late request and taking one from the queue move every number', async () => {
    expectCommand(await a.client.post(`/api/requests/${r[1]!.id}/close`, {}));
    expectCommand(await b.client.post(`/api/requests/${r[6]!.id}/accept`, {}));
    expect(await read(a.client, '/api/dashboard')).toEqual({
      tiles: { myOpen: 2, deadlinePassed: 2, unassigned: 2, unresolved: 7 },
      openPerAgent: { [a.id]: 2, [b.id]: 2, null: 2 },
      openPerStatus: { new: 2, waiting: 2, 'in-progress': 2 },
    });
    expect(idsOf((await read(a.client, '/api/requests?view=deadline-passed')).items)).toEqual(ids(4, 6));
    // Restoring the deleted one (it was B's, open) brings it back everywhere.
    expectCommand(await admin.post(`/api/requests/${r[9]!.id}/restore`, {}));
    expect(await read(b.client, '/api/dashboard')).toEqual({
      tiles: { myOpen: 3, deadlinePassed: 3, unassigned: 2, unresolved: 8 },
      openPerAgent: { [a.id]: 2, [b.id]: 3, null: 2 },
      openPerStatus: { new: 3, waiting: 2, 'in-progress': 2 },
    });
    expect(idsOf((await read(a.client, '/api/requests?view=deadline-passed')).items)).toEqual(ids(4, 6, 9));
  });
});

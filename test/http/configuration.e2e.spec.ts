import {
  createRequest,
  eventsAfter,
  expectCommand,
  expectFieldError,
  expectProblem,
  expectStatus,
  requestState,
  revisionOf,
  unique,
  useE2e,
} from '../support/e2e-harness';

const STATUSES = 'config-statuses';
const CATEGORIES = 'config-categories';
const PRIORITIES = 'config-priorities';

/** Statuses, categories and priorities: everyone reads them, only admins change them. */
describe('configuration over HTTP', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const auditor = e2e.user('auditor');
  const reporter = e2e.user('reporter');

  describe('/api/statuses', () => {
    it('lists the seeded statuses, the default of each base and the accept status, to every role', async () => {
      for (const client of [e2e.admin, agent.client, auditor.client, reporter.client]) {
        const response = await client.get('/api/statuses');
        expectStatus(response, 200);
        expect(response.body.defaults).toEqual({ open: 'new', closed: 'closed', postponed: 'postponed', deleted: 'deleted', merged: 'merged' });
        expect(response.body.acceptStatusId).toBe('in-progress');
        expect(response.body.statuses.map((s: { id: string }) => s.id).sort()).toEqual(
          expect.arrayContaining(['closed', 'deleted', 'in-progress', 'merged', 'new', 'postponed', 'waiting']),
        );
      }
    });

    it('define, update, choose as default and as accept status (admin)', async () => {
      const before = await revisionOf(e2e.store, STATUSES);
      const name = unique('Resolved');
      const defined = await e2e.admin.post('/api/statuses', { name, base: 'closed', queue: false });
      const answer = expectCommand(defined, { status: 201, revision: before + 1 });
      const [event] = await eventsAfter(e2e.store, STATUSES, before);
      expect(event).toEqual(expect.objectContaining({ type: 'StatusDefined', data: expect.objectContaining({ statusId: answer.id, name, base: 'closed' }) }));
      expect(event!.metadata['actorId']).toBe(e2e.adminId);

      expectCommand(await e2e.admin.patch(`/api/statuses/${answer.id}`, { name: `${name} (final)`, queue: true }), { id: answer.id, revision: before + 2 });
      expectCommand(await e2e.admin.post(`/api/statuses/${answer.id}/default`), { id: answer.id, revision: before + 3 });
      let list = (await e2e.admin.get('/api/statuses')).body;
      expect(list.statuses.find((s: { id: string }) => s.id === answer.id)).toEqual({
        id: answer.id,
        name: `${name} (final)`,
        base: 'closed',
        queue: true,
        newRequestOnReply: false,
      });
      expect(list.defaults.closed).toBe(answer.id);

      // Closing without a status now uses the new default.
      const request = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${request.id}/close`, {}), { revision: 2 });
      expect((await requestState(e2e.store, request.id)).statusId).toBe(answer.id);
      expectCommand(await e2e.admin.post('/api/statuses/closed/default'), { id: 'closed' });

      const open = expectCommand(await e2e.admin.post('/api/statuses', { name: unique('Picked up'), base: 'open' }), { status: 201 });
      expectCommand(await e2e.admin.post(`/api/statuses/${open.id}/accept`), { id: open.id });
      list = (await e2e.admin.get('/api/statuses')).body;
      expect(list.acceptStatusId).toBe(open.id);
      const accepted = await createRequest(agent.client, e2e.store);
      expectCommand(await agent.client.post(`/api/requests/${accepted.id}/accept`), { revision: 2 });
      expect((await requestState(e2e.store, accepted.id)).statusId).toBe(open.id);
      expectCommand(await e2e.admin.post('/api/statuses/in-progress/accept'), { id: 'in-progress' });
    });

    it('refuses a taken name (409), a system base (400), a closed accept status (422), unknown statuses (404)', async () => {
      const before = await revisionOf(e2e.store, STATUSES);
      expectProblem(await e2e.admin.post('/api/statuses', { name: 'new', base: 'open' }), 409, 'status-name-taken');
      expectFieldError(await e2e.admin.post('/api/statuses', { name: unique('Gone'), base: 'deleted' }), 'base');
      expectFieldError(await e2e.admin.post('/api/statuses', { base: 'open' }), 'name');
      expectProblem(await e2e.admin.post('/api/statuses/closed/accept'), 422, 'status-not-open');
      expectProblem(await e2e.admin.patch('/api/statuses/no-such-status', { name: 'x' }), 404, 'unknown-status');
      expectProblem(await e2e.admin.post('/api/statuses/no-such-status/default'), 404, 'unknown-status');
      expectProblem(await e2e.admin.post('/api/statuses/no-such-status/accept'), 404, 'unknown-status');
      expect(await revisionOf(e2e.store, STATUSES)).toBe(before);
    });

    it('only admins change statuses (403 for agent, auditor, reporter)', async () => {
      const before = await revisionOf(e2e.store, STATUSES);
      for (const user of [agent, auditor, reporter]) {
        expectProblem(await user.client.post('/api/statuses', { name: unique('Mine'), base: 'open' }), 403, 'forbidden');
        expectProblem(await user.client.patch('/api/statuses/new', { name: 'Renamed' }), 403, 'forbidden');
        expectProblem(await user.client.post('/api/statuses/waiting/default'), 403, 'forbidden');
        expectProblem(await user.client.post('/api/statuses/waiting/accept'), 403, 'forbidden');
      }
      expect(await revisionOf(e2e.store, STATUSES)).toBe(before);
    });
  });

  describe('/api/categories', () => {
    it('lists the seeded category and its default', async () => {
      const response = await reporter.client.get('/api/categories');
      expectStatus(response, 200);
      expect(response.body.defaultCategoryId).toBe('general');
      expect(response.body.categories).toEqual(
        expect.arrayContaining([{ id: 'general', name: 'General', parentId: null, restricted: false, memberIds: [] }]),
      );
    });

    it('define (with a parent and members), update, choose as default', async () => {
      const before = await revisionOf(e2e.store, CATEGORIES);
      const parent = expectCommand(await e2e.admin.post('/api/categories', { name: unique('Sales') }), { status: 201, revision: before + 1 });
      const child = expectCommand(
        await e2e.admin.post('/api/categories', { name: 'Billing', parentId: parent.id, restricted: true, memberIds: [agent.id, agent.id] }),
        { status: 201, revision: before + 2 },
      );
      expectCommand(await e2e.admin.patch(`/api/categories/${child.id}`, { name: 'Invoices', parentId: null }), { id: child.id, revision: before + 3 });
      const recorded = await eventsAfter(e2e.store, CATEGORIES, before);
      expect(recorded.map((e) => e.type)).toEqual(['CategoryDefined', 'CategoryDefined', 'CategoryUpdated']);
      expect(recorded[1]!.data).toEqual({ categoryId: child.id, name: 'Billing', parentId: parent.id, restricted: true, memberIds: [agent.id] });

      const list = (await agent.client.get('/api/categories')).body;
      expect(list.categories.find((c: { id: string }) => c.id === child.id)).toEqual({
        id: child.id,
        name: 'Invoices',
        parentId: null,
        restricted: true,
        memberIds: [agent.id],
      });

      expectCommand(await e2e.admin.post(`/api/categories/${parent.id}/default`), { id: parent.id, revision: before + 4 });
      expect((await agent.client.get('/api/categories')).body.defaultCategoryId).toBe(parent.id);
      const request = await createRequest(agent.client, e2e.store);
      expect((await requestState(e2e.store, request.id)).categoryId).toBe(parent.id);
      expectCommand(await e2e.admin.post('/api/categories/general/default'), { id: 'general' });
    });

    it('refuses an unknown parent (422), a cycle (422), a sibling with the same name (409), unknown categories (404), non-admins (403)', async () => {
      const parent = expectCommand(await e2e.admin.post('/api/categories', { name: unique('Support') }), { status: 201 });
      const child = expectCommand(await e2e.admin.post('/api/categories', { name: 'Level 1', parentId: parent.id }), { status: 201 });
      const before = await revisionOf(e2e.store, CATEGORIES);
      expectProblem(await e2e.admin.post('/api/categories', { name: unique('Orphan'), parentId: 'no-such-category' }), 422, 'unknown-category');
      expectProblem(await e2e.admin.patch(`/api/categories/${parent.id}`, { parentId: child.id }), 422, 'category-cycle');
      expectProblem(await e2e.admin.post('/api/categories', { name: 'level 1', parentId: parent.id }), 409, 'category-name-taken');
      expectProblem(await e2e.admin.patch('/api/categories/no-such-category', { name: 'x' }), 404, 'unknown-category');
      expectProblem(await e2e.admin.post('/api/categories/no-such-category/default'), 404, 'unknown-category');
      expectFieldError(await e2e.admin.post('/api/categories', { name: unique('Bad'), memberIds: 'everyone' }), 'memberIds');
      expectProblem(await agent.client.post('/api/categories', { name: unique('Mine') }), 403, 'forbidden');
      expectProblem(await agent.client.patch(`/api/categories/${parent.id}`, { name: 'Mine' }), 403, 'forbidden');
      expectProblem(await auditor.client.post(`/api/categories/${parent.id}/default`), 403, 'forbidden');
      expect(await revisionOf(e2e.store, CATEGORIES)).toBe(before);
    });
  });

  describe('/api/priorities', () => {
    it('lists the seeded priorities with Medium as the default', async () => {
      const response = await auditor.client.get('/api/priorities');
      expectStatus(response, 200);
      expect(response.body.defaultPriorityId).toBe('medium');
      expect(response.body.priorities).toEqual(
        expect.arrayContaining([
          { id: 'low', name: 'Low', deadlineMinutes: 4320, rank: 1 },
          { id: 'medium', name: 'Medium', deadlineMinutes: 1440, rank: 2 },
          { id: 'high', name: 'High', deadlineMinutes: 240, rank: 3 },
        ]),
      );
    });

    it('define, update, choose as default; the deadline of new requests follows it', async () => {
      const before = await revisionOf(e2e.store, PRIORITIES);
      const name = unique('Critical');
      const defined = expectCommand(await e2e.admin.post('/api/priorities', { name, deadlineMinutes: 60 }), { status: 201, revision: before + 1 });
      expectCommand(await e2e.admin.patch(`/api/priorities/${defined.id}`, { deadlineMinutes: 30, rank: 10 }), { id: defined.id, revision: before + 2 });
      expectCommand(await e2e.admin.post(`/api/priorities/${defined.id}/default`), { id: defined.id, revision: before + 3 });
      const recorded = await eventsAfter(e2e.store, PRIORITIES, before);
      expect(recorded.map((e) => e.type)).toEqual(['PriorityDefined', 'PriorityUpdated', 'DefaultPriorityChosen']);
      expect(recorded[0]!.data).toEqual({ priorityId: defined.id, name, deadlineMinutes: 60, rank: 4 });

      const list = (await agent.client.get('/api/priorities')).body;
      expect(list.defaultPriorityId).toBe(defined.id);
      expect(list.priorities.find((p: { id: string }) => p.id === defined.id)).toEqual({ id: defined.id, name, deadlineMinutes: 30, rank: 10 });

      const request = await createRequest(agent.client, e2e.store);
      const state = await requestState(e2e.store, request.id);
      expect(state.priorityId).toBe(defined.id);
      expect(Date.parse(state.deadline!) - Date.parse(state.createdAt)).toBe(30 * 60_000);
      expectCommand(await e2e.admin.post('/api/priorities/medium/default'), { id: 'medium' });
    });

    it('refuses bad deadlines (400), a taken name (409), unknown priorities (404), non-admins (403)', async () => {
      const before = await revisionOf(e2e.store, PRIORITIES);
      expectFieldError(await e2e.admin.post('/api/priorities', { name: unique('Zero'), deadlineMinutes: 0 }), 'deadlineMinutes');
      expectFieldError(await e2e.admin.post('/api/priorities', { name: unique('Half'), deadlineMinutes: 1.5 }), 'deadlineMinutes');
      expectProblem(await e2e.admin.post('/api/priorities', { name: 'HIGH', deadlineMinutes: 10 }), 409, 'priority-name-taken');
      expectProblem(await e2e.admin.patch('/api/priorities/no-such-priority', { rank: 1 }), 404, 'unknown-priority');
      expectProblem(await e2e.admin.post('/api/priorities/no-such-priority/default'), 404, 'unknown-priority');
      expectProblem(await agent.client.post('/api/priorities', { name: unique('Mine'), deadlineMinutes: 5 }), 403, 'forbidden');
      expectProblem(await reporter.client.patch('/api/priorities/low', { rank: 9 }), 403, 'forbidden');
      expectProblem(await agent.client.post('/api/priorities/low/default'), 403, 'forbidden');
      expect(await revisionOf(e2e.store, PRIORITIES)).toBe(before);
    });

    it('a priority with no deadline gives requests no deadline', async () => {
      const defined = expectCommand(await e2e.admin.post('/api/priorities', { name: unique('Someday'), deadlineMinutes: null }), { status: 201 });
      const request = await createRequest(agent.client, e2e.store, { priorityId: defined.id });
      expect((await requestState(e2e.store, request.id)).deadline).toBeNull();
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestSummaries } from '@helpdesk/projections';
import { SqliteDocumentStore } from '@helpdesk/read-store';
import { countDeadlinePassed, isDeadlinePassedFilter } from './deadline-passed';

describe('countDeadlinePassed', () => {
  let folder: string;
  let store: SqliteDocumentStore;
  const collection = 'summaries';
  const now = new Date('2026-11-27T12:00:00.000Z');

  beforeEach(async () => {
    folder = mkdtempSync(join(tmpdir(), 'deadline-passed-'));
    store = new SqliteDocumentStore({ path: join(folder, 'read.sqlite'), backgroundWrites: false });
    await store.ensureCollection({ name: collection, indexes: requestSummaries.indexes, counters: requestSummaries.counters });
    const summary = (id: string, deadline: string | null, baseStatus = 'open', categoryId = 'sales') => ({
      id,
      baseStatus,
      categoryId,
      ownerId: null,
      statusId: baseStatus,
      tags: [],
      contactIds: [],
      deadline,
      queueDeadline: deadline ?? '9999-12-31T23:59:59.999Z',
      _deadlineDay: deadline === null ? null : deadline.slice(0, 10),
      updatedAt: '2026-01-01T00:00:00.000Z',
      createdAt: '2026-01-01T00:00:00.000Z',
      number: 1,
    });
    await store.transaction(async (writer) => {
      for (const doc of [
        summary('last-year', '2025-11-27T09:00:00.000Z'),
        summary('yesterday-late', '2026-11-26T23:59:59.999Z'),
        summary('this-morning', '2026-11-27T08:00:00.000Z'),
        summary('just-now', '2026-11-27T11:59:59.999Z'),
        summary('at-now', '2026-11-27T12:00:00.000Z'),
        summary('tonight', '2026-11-27T22:00:00.000Z'),
        summary('tomorrow', '2026-11-28T01:00:00.000Z'),
        summary('no-deadline', null),
        summary('closed-yesterday', '2026-11-26T10:00:00.000Z', 'closed'),
        summary('support-yesterday', '2026-11-26T10:00:00.000Z', 'open', 'support'),
      ]) {
        writer.upsert(collection, doc.id, doc);
      }
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('counts the open requests due before now: earlier days from the counter, today up to now exactly', async () => {
    const direct = await store.count(collection, { baseStatus: 'open', deadline: { lt: now.toISOString() } });
    expect(direct).toBe(5);
    await expect(countDeadlinePassed(store, collection, now)).resolves.toBe(direct);
  });

  it('counts within the categories asked for', async () => {
    await expect(countDeadlinePassed(store, collection, now, { categoryId: { in: ['support'] } })).resolves.toBe(1);
    await expect(countDeadlinePassed(store, collection, now, { categoryId: 'sales' })).resolves.toBe(4);
    await expect(countDeadlinePassed(store, collection, now, { categoryId: { in: [] } })).resolves.toBe(0);
  });

  it('serves only the plain deadline-passed filter', () => {
    expect(isDeadlinePassedFilter({ baseStatus: 'open', deadline: { lt: now.toISOString() }, categoryId: { in: ['a'] } })).toBe(true);
    expect(isDeadlinePassedFilter({ baseStatus: 'open', deadline: { lt: now.toISOString() }, tags: 'vip' })).toBe(false);
    expect(isDeadlinePassedFilter({ baseStatus: 'closed', deadline: { lt: now.toISOString() } })).toBe(false);
  });
});

import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../contract/event-store.contract';
import {
  aCategory,
  aStream,
  anEvent,
  expectIntactStream,
  idsOf,
  settleAll,
  someEvents,
  SubscriptionReader,
} from '../contract/contract-fixtures';
import { DuplicateEventIdError, WrongExpectedVersionError } from '../event-store.port';
import { readAllSql } from './event-reader';
import { SqliteEventStore, SqliteEventStoreOptions } from './sqlite-event-store';

/** Real files under the OS temp folder, removed after each test. */
const folders: string[] = [];
const aDatabaseFile = (): string => {
  const folder = mkdtempSync(join(tmpdir(), 'event-store-'));
  folders.push(folder);
  return join(folder, 'events.db');
};
afterAll(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describeEventStoreContract('SqliteEventStore', async () => {
  const path = aDatabaseFile();
  const store = new SqliteEventStore({ path });
  return { store, dispose: () => store.close() };
});

describe('SqliteEventStore on a file', () => {
  const stores: SqliteEventStore[] = [];
  const open = (options: Partial<SqliteEventStoreOptions> & { path: string }): SqliteEventStore => {
    const store = new SqliteEventStore(options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('has no head position while empty', async () => {
    await expect(open({ path: aDatabaseFile() }).headPosition()).resolves.toBeUndefined();
  });

  it('creates the folder of the file', async () => {
    const path = join(aDatabaseFile(), '..', 'nested', 'deeper', 'events.db');
    const store = open({ path });
    await store.append(aStream(), [anEvent()], 'no_stream');
    expect(existsSync(path)).toBe(true);
  });

  it('keeps everything across close and reopen, and goes on from there', async () => {
    const path = aDatabaseFile();
    const stream = aStream();
    const events = someEvents(3);
    const first = new SqliteEventStore({ path });
    await first.append(stream, events, 'no_stream');
    const before = await first.readStream(stream);
    await first.close();

    const reopened = open({ path });

    expect(await reopened.readStream(stream)).toEqual(before);
    await expect(reopened.headPosition()).resolves.toBe(before[2].position);
    await expect(reopened.append(stream, [anEvent()], 'no_stream')).rejects.toBeInstanceOf(WrongExpectedVersionError);
    await expect(reopened.append(stream, [anEvent()], 2n)).resolves.toMatchObject({ nextExpectedRevision: 3n });
    await expect(reopened.append(stream, events, 'no_stream')).resolves.toEqual({
      streamId: stream,
      nextExpectedRevision: 2n,
      position: before[2].position,
    });
  });

  it('runs in WAL mode with synchronous FULL by default, NORMAL on request', async () => {
    const path = aDatabaseFile();
    open({ path });
    open({ path, synchronous: 'NORMAL' });
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      raw.close();
    }
  });

  it('refuses UPDATE and DELETE of events in the database itself', async () => {
    const path = aDatabaseFile();
    const store = open({ path });
    const stream = aStream();
    await store.append(stream, [anEvent()], 'no_stream');
    const raw = new Database(path);
    try {
      expect(() => raw.prepare(`UPDATE events SET data = '{}' WHERE stream_id = ?`).run(stream)).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM events WHERE stream_id = ?').run(stream)).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
    await expect(store.readStream(stream)).resolves.toHaveLength(1);
  });

  it('commits what is queued when closed', async () => {
    const path = aDatabaseFile();
    const store = new SqliteEventStore({ path });
    const stream = aStream();
    const pending = store.append(stream, [anEvent()], 'no_stream');

    await store.close();

    await expect(pending).resolves.toMatchObject({ nextExpectedRevision: 0n });
    await expect(open({ path }).readStream(stream)).resolves.toHaveLength(1);
    await expect(store.append(aStream(), [anEvent()], 'any')).rejects.toThrow(/closed/);
  });

  it('refuses the same event id twice in one call', async () => {
    const store = open({ path: aDatabaseFile() });
    const event = anEvent();
    await expect(store.append(aStream(), [event, event], 'any')).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(
      store.appendMany([
        { streamId: aStream(), events: [event], expectedRevision: 'any' },
        { streamId: aStream(), events: [event], expectedRevision: 'any' },
      ]),
    ).rejects.toBeInstanceOf(DuplicateEventIdError);
  });

  it('refuses data that is not JSON, and a revision given as a plain number', async () => {
    const store = open({ path: aDatabaseFile() });
    await expect(store.append(aStream(), [anEvent({ data: { big: 1n } })], 'any')).rejects.toBeInstanceOf(TypeError);
    await expect(store.append(aStream(), [anEvent({ data: undefined })], 'any')).rejects.toBeInstanceOf(TypeError);
    await expect(store.append(aStream(), [anEvent()], 0 as unknown as bigint)).rejects.toBeInstanceOf(TypeError);
  });

  describe('group commit', () => {
    it('commits the calls of one tick in one transaction; a failing one fails alone', async () => {
      const store = open({ path: aDatabaseFile() });
      const [s1, s2, s3, s4, s5] = [aStream(), aStream(), aStream(), aStream(), aStream()];
      await store.append(s2, [anEvent()], 'no_stream');
      const stored = anEvent();
      await store.append(aStream(), [stored], 'no_stream');
      const commitsBefore = store.groupCommitStats().commits;

      const outcomes = await Promise.allSettled([
        store.append(s1, [anEvent()], 'no_stream'),
        store.append(s2, [anEvent()], 'no_stream'), // wrong revision
        store.append(s3, someEvents(2), 'no_stream'),
        store.appendMany([
          { streamId: s4, events: [anEvent()], expectedRevision: 'no_stream' },
          { streamId: s5, events: [anEvent({ id: stored.id })], expectedRevision: 'no_stream' }, // duplicate id
        ]),
        store.append(s5, [anEvent()], 'no_stream'),
      ]);

      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedVersionError);
      expect((outcomes[3] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
      expect(store.groupCommitStats().commits).toBe(commitsBefore + 1);
      await expect(store.readStream(s1)).resolves.toHaveLength(1);
      await expect(store.readStream(s2)).resolves.toHaveLength(1);
      await expect(store.readStream(s3)).resolves.toHaveLength(2);
      await expect(store.readStream(s4)).resolves.toEqual([]);
      await expect(store.readStream(s5)).resolves.toHaveLength(1);
      // Committed together: one transaction, one timestamp.
      const times = await Promise.all([s1, s3, s5].map(async (s) => (await store.readStream(s))[0].recordedAt));
      expect(new Set(times).size).toBe(1);
    });

    it('later calls in a batch see the writes of earlier ones', async () => {
      const store = open({ path: aDatabaseFile() });
      const stream = aStream();

      const results = await Promise.all([
        store.append(stream, [anEvent()], 'no_stream'),
        store.append(stream, [anEvent()], 0n),
        store.append(stream, [anEvent()], 1n),
      ]);

      expect(results.map((r) => r.nextExpectedRevision)).toEqual([0n, 1n, 2n]);
      expect(store.groupCommitStats().largestBatch).toBeGreaterThanOrEqual(3);
    });

    it('splits a queue longer than maxBatch into several transactions', async () => {
      const store = open({ path: aDatabaseFile(), maxBatch: 10 });

      await Promise.all(Array.from({ length: 35 }, () => store.append(aStream(), [anEvent()], 'no_stream')));

      expect(store.groupCommitStats()).toMatchObject({ commits: 4, calls: 35, events: 35, largestBatch: 10 });
    });
  });

  describe('two instances on one file (as two processes)', () => {
    it('detects a conflict made through the other instance', async () => {
      const path = aDatabaseFile();
      const [a, b] = [open({ path }), open({ path })];
      const stream = aStream();

      await a.append(stream, [anEvent()], 'no_stream');

      await expect(b.append(stream, [anEvent()], 'no_stream')).rejects.toMatchObject({ actual: 0n });
      await b.append(stream, [anEvent()], 0n);
      await expect(a.append(stream, [anEvent()], 0n)).rejects.toMatchObject({ actual: 1n });
      expectIntactStream(await a.readStream(stream));
    });

    it('serialises interleaved appends: one winner per revision, a dense stream', async () => {
      const path = aDatabaseFile();
      const [a, b] = [open({ path }), open({ path })];
      const stream = aStream();
      await a.append(stream, [anEvent()], 'no_stream');

      const racing = await settleAll(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append(stream, [anEvent()], 0n)),
      );
      const anyMode = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append(stream, [anEvent()], 'any')),
      );

      expect(racing.ok).toHaveLength(1);
      expect(racing.errors.every((e) => e instanceof WrongExpectedVersionError)).toBe(true);
      expect(anyMode).toHaveLength(20);
      const read = await b.readStream(stream);
      expect(read).toHaveLength(22);
      expectIntactStream(read);
    });

    it('refuses in one instance an event id stored through the other', async () => {
      const path = aDatabaseFile();
      const [a, b] = [open({ path }), open({ path })];
      const event = anEvent();
      const stream = aStream();
      const first = await a.append(stream, [event], 'no_stream');

      await expect(b.append(stream, [event], 'no_stream')).resolves.toEqual(first);
      await expect(b.append(aStream(), [event], 'no_stream')).rejects.toBeInstanceOf(DuplicateEventIdError);
    });

    it('a subscription on one instance sees what the other appends (by polling)', async () => {
      const path = aDatabaseFile();
      const [a, b] = [open({ path, pollIntervalMs: 20 }), open({ path, pollIntervalMs: 20 })];
      const category = aCategory();
      const subscription = a.subscribe({ filter: { streamCategories: [category] } });
      const reader = new SubscriptionReader(subscription);
      expect(await reader.nothingWithin(60)).toBe(true);

      const events = someEvents(3);
      await b.append(aStream(category), events.slice(0, 2), 'no_stream');
      await b.append(aStream(category), events.slice(2), 'no_stream');

      expect(idsOf(await reader.take(3, 2000))).toEqual(idsOf(events));
      await subscription.close();
    });
  });

  describe('telling another instance about commits (a thread with its own connection)', () => {
    it('calls onCommit after each commit that stored events, until unsubscribed', async () => {
      const store = open({ path: aDatabaseFile() });
      let calls = 0;
      const unsubscribe = store.onCommit(() => calls++);
      await store.append(aStream(), [anEvent()], 'no_stream');
      await Promise.all([store.append(aStream(), [anEvent()], 'no_stream'), store.append(aStream(), [anEvent()], 'no_stream')]);
      expect(calls).toBeGreaterThanOrEqual(2);
      const before = calls;
      unsubscribe();
      await store.append(aStream(), [anEvent()], 'no_stream');
      expect(calls).toBe(before);
    });

    it('wake() makes a subscription read the other instance\'s commit now, not at its next poll', async () => {
      const path = aDatabaseFile();
      // Polls so rarely that only the wake-up can deliver within the test.
      const [reading, writing] = [open({ path, pollIntervalMs: 600_000 }), open({ path })];
      writing.onCommit(() => reading.wake());
      const category = aCategory();
      const reader = new SubscriptionReader(reading.subscribe({ filter: { streamCategories: [category] } }));
      expect(await reader.nothingWithin(50)).toBe(true);
      const events = someEvents(2);
      await writing.append(aStream(category), events, 'no_stream');
      expect(idsOf(await reader.take(2, 5000))).toEqual(idsOf(events));
    });
  });

  describe('store close', () => {
    it('ends its open subscriptions', async () => {
      const store = new SqliteEventStore({ path: aDatabaseFile() });
      const reader = new SubscriptionReader(store.subscribe());
      const ended = reader.endsWithin(2000);

      await store.close();

      await expect(ended).resolves.toBe(true);
    });
  });

  describe('query plans', () => {
    const plan = async (sql: string, params: Record<string, unknown>): Promise<string> => {
      const path = aDatabaseFile();
      await new SqliteEventStore({ path }).close();
      const db = new Database(path, { readonly: true });
      try {
        return db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(params)
          .map((row) => (row as { detail: string }).detail)
          .join(' | ');
      } finally {
        db.close();
      }
    };
    const bind = (categories: number, types: number) => {
      const params: Record<string, unknown> = { after: 0, limit: 10 };
      for (let i = 0; i < categories; i += 1) params[`c${i}`] = `c${i}`;
      for (let i = 0; i < types; i += 1) params[`t${i}`] = `t${i}`;
      return params;
    };

    it.each([
      [0, 0, /USING INTEGER PRIMARY KEY/],
      [1, 0, /USING INDEX events_by_category \(category=\? AND position>\?\)/],
      [3, 0, /USING INDEX events_by_category \(category=\? AND position>\?\)/],
      [0, 1, /USING INDEX events_by_type \(type=\? AND position>\?\)/],
      [2, 4, /USING INDEX events_by_type \(type=\? AND position>\?\)/],
    ])('reads the log with %i categories and %i types by index ranges, never a scan', async (c, t, expected) => {
      const detail = await plan(readAllSql(c, t), bind(c, t));
      expect(detail).toMatch(expected);
      expect(detail).not.toMatch(/SCAN events/);
    });
  });
});

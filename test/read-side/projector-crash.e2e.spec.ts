import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { SqliteEventStore } from '@helpdesk/event-store';
import { createContact, lastMessageId, openEventStore, waitFor } from '../support/e2e-harness';
import { httpClient, type HttpClient } from '../support/http-client';
import {
  caughtUp,
  committedCheckpoints,
  deleteReadStore,
  headOf,
  inParallel,
  openReadStore,
  readStoreExists,
  requestsInLog,
  runCli,
  spawnServer,
  walk,
} from '../support/read-side';
import { startServerProcess } from '../support/server-process';

const PROJECTION_COUNT = 7;
const REQUESTS = 1500;
/** Each request is a chain of 5 commands (create, 3 notes, a flag); the first crash comes after this many answers. */
const KILL_AFTER = 6000;

/**
 * The projector loses nothing and doubles nothing when the process dies mid-work: once while commands
 * pour in (SIGKILL under load), and again, several times, while it rebuilds every read model from
 * position 0 (the read store deleted, the server killed as soon as the first batches are committed).
 * After each crash the server starts again, catches up, and the read models match the event log
 * exactly: every request listed once, every message counted once, every flag; `verify` finds nothing.
 */
describe('the projector killed mid-work', () => {
  let dataDir: string;
  const env = { BOOTSTRAP_ADMIN_TOKEN: 'read_side_crash_token_0123456789abcdef' };
  let store: SqliteEventStore;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-read-crash-'));
    store = openEventStore(dataDir);
  });
  afterAll(async () => {
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the server, waits for its read models to reach the head, checks them against the log, stops it, verifies. */
  const restartAndCompare = async () => {
    const server = await startServerProcess({ dataDir, env });
    try {
      const client = httpClient(server.url, server.adminToken);
      const head = await caughtUp(client, store);
      await expectReadModelsMatchLog(client, head);
    } finally {
      await server.stop();
    }
    const verified = await runCli(dataDir, ['verify']);
    expect(verified.stdout).toMatch(/No differences\.\n$/);
    expect(verified.code).toBe(0);
  };

  const expectReadModelsMatchLog = async (client: HttpClient, head: number) => {
    const logged = await requestsInLog(store);
    const at = { 'x-min-position': String(head) };
    const listed = await walk<{ id: string; messageCount: number; flaggedCount: number; title: string }>(client, '/api/requests', 200, at);
    // Every request of the log once: none lost, none doubled.
    expect(listed.count).toBe(logged.size);
    expect(new Set(listed.items.map((i) => i.id))).toEqual(new Set(logged.keys()));
    expect(listed.items).toHaveLength(logged.size);
    // Every message and flag counted once.
    const counted = listed.items.map((i) => [i.id, i.title, i.messageCount, i.flaggedCount]);
    const expected = listed.items.map((i) => {
      const request = logged.get(i.id)!;
      return [i.id, request.title, request.messageIds.length, request.flaggedMessageIds.length];
    });
    expect(counted).toEqual(expected);
    const flagged = await client.get('/api/flagged-messages?limit=1', at);
    expect(flagged.body.count).toBe([...logged.values()].filter((r) => r.flaggedMessageIds.length > 0).length);
    // A sample of request views, message by message.
    for (const request of [...logged.values()].filter((_, i) => i % 97 === 0)) {
      const detail = await client.get(`/api/requests/${request.id}`, at);
      expect([request.id, detail.body.messages.map((m: { messageId: string }) => m.messageId)]).toEqual([request.id, request.messageIds]);
    }
  };

  it('SIGKILL while commands pour in: after a restart the read models catch up and match the log exactly', async () => {
    const server = await startServerProcess({ dataDir, env });
    const admin = httpClient(server.url, server.adminToken);
    const contactId = await createContact(admin, { name: 'Crash Test Customer' });
    let killed = false;
    let answered = 0;
    const command = async (send: () => Promise<{ status: number; body: any }>) => {
      const response = await send();
      if (response.status >= 300) throw new Error(`HTTP ${response.status}: ${JSON.stringify(response.body)}`);
      answered++;
      return response.body;
    };
    const load = inParallel(REQUESTS, 12, async (i) => {
      try {
        const created = await command(() =>
          admin.post('/api/requests', { title: `Crash ${i}`, contactIds: [contactId], message: { body: `under load ${i}` }, tags: [`batch${i % 10}`] }),
        );
        for (let n = 0; n < 3; n++) await command(() => admin.post(`/api/requests/${created.id}/notes`, { body: `note ${n} of ${i}` }));
        const messageId = await lastMessageId(store, created.id, i % 2 === 0 ? 'CustomerMessageAdded' : 'InternalNoteAdded');
        await command(() => admin.patch(`/api/requests/${created.id}/messages/${messageId}`, { flagged: true }));
      } catch (error) {
        // Once the process is killed, requests in flight and after fail to connect: expected, nothing else is.
        // (fetch's TypeError comes from Node's realm, not jest's: compared by name, not instanceof.)
        const failedToConnect = (error as Error).name === 'TypeError' && /fetch failed/.test((error as Error).message);
        if (!(killed && failedToConnect)) throw error;
      }
    });
    await waitFor(async () => (answered >= KILL_AFTER ? true : undefined), 120_000, `${KILL_AFTER} answered commands`);
    killed = true;
    await server.kill();
    await load;

    await restartAndCompare();
  }, 180_000);

  it('SIGKILL (three times) while rebuilding every read model from position 0: each restart resumes, nothing lost or doubled', async () => {
    // The log the previous test wrote (thousands of events: several projector batches), read models gone.
    deleteReadStore(dataDir);
    const head = await headOf(store);
    expect(head).toBeGreaterThan(7000);

    const kills: number[] = [];
    let previous = 0;
    for (let round = 0; round < 3 && previous < head; round++) {
      const server = spawnServer(dataDir, env);
      let reader: Database.Database | undefined;
      try {
        // Polled every few milliseconds: the first batch committed past the previous crash (all 7 checkpoints).
        const deadline = Date.now() + 60_000;
        for (;;) {
          if (!reader && readStoreExists(dataDir)) reader = openWhenReady(dataDir);
          const checkpoints = reader ? committedCheckpoints(reader) : [];
          if (checkpoints.length === PROJECTION_COUNT && Math.min(...checkpoints) > previous) break;
          if (Date.now() > deadline) throw new Error(`No batch committed past ${previous} in 60 s:\n${server.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        reader?.close();
        await server.kill();
      }
      const after = openReadStore(dataDir);
      try {
        const checkpoints = committedCheckpoints(after);
        expect(checkpoints).toHaveLength(PROJECTION_COUNT);
        // One transaction commits every projection's batch and checkpoint: they move together.
        expect(new Set(checkpoints).size).toBe(1);
        kills.push(checkpoints[0]!);
        previous = checkpoints[0]!;
      } finally {
        after.close();
      }
    }
    // The first crash did come mid-rebuild (some batches committed, not all), and each restart went on from there.
    expect(kills[0]).toBeGreaterThan(0);
    expect(kills[0]).toBeLessThan(head);
    expect([...kills].sort((a, b) => a - b)).toEqual(kills);

    await restartAndCompare();
  }, 180_000);
});

/** A read-only connection, once the server has made the file a database (it may be empty for an instant). */
const openWhenReady = (dataDir: string): Database.Database | undefined => {
  let db: Database.Database | undefined;
  try {
    db = openReadStore(dataDir, { readonly: true });
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    return db;
  } catch (error) {
    db?.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_BUSY') return undefined;
    throw error;
  }
};

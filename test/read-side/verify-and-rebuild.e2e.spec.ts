import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqliteEventStore } from '@helpdesk/event-store';
import { createRequest, expectCommand, expectStatus, openEventStore, useE2e } from '../support/e2e-harness';
import { httpClient, type HttpClient } from '../support/http-client';
import { caughtUp, headOf, inParallel, openReadStore, projectionStates, requestsInLog, runCli } from '../support/read-side';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { answers, readPaths, runMixedWorkload, type Workload } from '../support/workload';

/** Polls (bounded) until `done` holds. */
const waitForReads = async (done: () => boolean) => {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('the reads after the rebuild did not happen in 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const PROJECTIONS = ['request-summaries', 'request-details', 'request-search', 'agent-favourites', 'flagged-messages', 'contacts', 'companies'];

/** One verify report line per projection: "<name> through <n>: <c> compared, <d> different, <m> changed meanwhile". */
const reportLines = (stdout: string) =>
  Object.fromEntries(
    [...stdout.matchAll(/^(\S+)\s+through (\S+): (\d+) compared, (\d+) different, (\d+) changed meanwhile$/gm)].map((m) => [
      m[1]!,
      { through: m[2]!, compared: Number(m[3]), different: Number(m[4]), movedOn: Number(m[5]) },
    ]),
  );

/**
 * The auditor's proof: after a mixed workload, `verify` rebuilds every projection from the log and finds
 * the live read models identical; `rebuild --all` switches to fresh collections that answer exactly as
 * before; and a read model changed behind the projector's back is reported. One scenario, in order.
 */
describe('verify and rebuild after a mixed workload (the operations CLI on the server data directory)', () => {
  let dataDir: string;
  const env = { BOOTSTRAP_ADMIN_TOKEN: 'read_side_verify_token_0123456789abc' };
  let server: ServerProcess | undefined;
  let store: SqliteEventStore;
  let admin: HttpClient;
  let workload: Workload;
  let before: Record<string, unknown>;
  let beforeAsAgent: Record<string, unknown>;

  const start = async () => {
    server = await startServerProcess({ dataDir, env });
    admin = httpClient(server.url, server.adminToken);
  };
  const stop = async () => {
    await server?.stop();
    server = undefined;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-read-verify-'));
    store = openEventStore(dataDir);
    await start();
    workload = await runMixedWorkload({ admin }, store);
    await caughtUp(admin, store);
    before = await answers(admin, readPaths(workload));
    beforeAsAgent = await answers(admin.as(workload.agents[0]!.token), readPaths(workload));
  }, 120_000);

  afterAll(async () => {
    await stop();
    await store?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the workload shows in the read models as the log says (a sanity check of the data verify will compare)', async () => {
    const logged = await requestsInLog(store);
    expect(logged.size).toBe(workload.requestIds.length);
    const all = before['/api/requests?limit=200'] as { count: number };
    const listed = [...logged.values()].filter((r) => ['open', 'closed', 'postponed'].includes(r.baseStatus));
    expect(all.count).toBe(listed.length);
    for (const request of logged.values()) {
      const detail = before[`/api/requests/${request.id}`] as { title: string; statusId: string; messages: { messageId: string }[] };
      expect([request.id, detail.title, detail.statusId, detail.messages.map((m) => m.messageId)]).toEqual([request.id, request.title, request.statusId, request.messageIds]);
    }
    expect(new Set(Object.values(before).map((b) => JSON.stringify(b))).size).toBeGreaterThan(10);
  });

  it('after SIGTERM, `verify` rebuilds every projection from the log and finds no difference (exit 0)', async () => {
    await stop();
    const head = await headOf(store);
    const result = await runCli(dataDir, ['verify']);
    expect(result.stdout).toMatch(/No differences\.\n$/);
    expect(result.code).toBe(0);
    const report = reportLines(result.stdout);
    expect(Object.keys(report).sort()).toEqual([...PROJECTIONS].sort());
    for (const name of PROJECTIONS) expect([name, report[name]!.through, report[name]!.different, report[name]!.movedOn]).toEqual([name, String(head), 0, 0]);
    // Every request was compared, in each request read model.
    for (const name of ['request-summaries', 'request-details', 'request-search', 'flagged-messages']) expect([name, report[name]!.compared]).toEqual([name, workload.requestIds.length]);
    expect(report['contacts']!.compared).toBe(workload.contactIds.length);
    expect(report['companies']!.compared).toBe(workload.companyIds.length);
    expect(report['agent-favourites']!.compared).toBe(2);
  });

  it('`verify <name…>` checks only those', async () => {
    const result = await runCli(dataDir, ['verify', 'contacts', 'request-details']);
    expect(result.code).toBe(0);
    expect(Object.keys(reportLines(result.stdout)).sort()).toEqual(['contacts', 'request-details']);
    const unknown = await runCli(dataDir, ['verify', 'no-such-projection']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no-such-projection');
  });

  it('`rebuild --all` switches every projection to a fresh collection at the head of the log', async () => {
    const old = await projectionStates(dataDir);
    const result = await runCli(dataDir, ['rebuild', '--all']);
    expect(result.stdout).toContain('Rebuilt and switched.');
    expect(result.code).toBe(0);
    const head = await headOf(store);
    const now = await projectionStates(dataDir);
    expect(now.map((p) => p.name).sort()).toEqual([...PROJECTIONS].sort());
    for (const projection of now) {
      const previous = old.find((p) => p.name === projection.name)!;
      expect([projection.name, projection.collection === previous.collection, projection.checkpoint]).toEqual([projection.name, false, head]);
    }
  });

  it('the server started again answers every read exactly as before the rebuild', async () => {
    await start();
    await caughtUp(admin, store);
    expect(await answers(admin, readPaths(workload))).toEqual(before);
    expect(await answers(admin.as(workload.agents[0]!.token), readPaths(workload))).toEqual(beforeAsAgent);
  });

  it('and keeps projecting new writes into the rebuilt collections; verify still finds nothing', async () => {
    const request = await createRequest(admin, store, { contactIds: [workload.contactIds[0]!] });
    const { position } = expectCommand(await admin.post(`/api/requests/${request.id}/notes`, { body: 'after the rebuild' }));
    const detail = await admin.get(`/api/requests/${request.id}`, { 'x-min-position': String(position) });
    expectStatus(detail, 200);
    expect(detail.body.messageCount).toBe(2);
    await stop();
    const result = await runCli(dataDir, ['verify']);
    expect(result.stdout).toMatch(/No differences\.\n$/);
    expect(result.code).toBe(0);
  });

  it('reports a document changed, removed or added behind the projector’s back (exit 2)', async () => {
    const states = await projectionStates(dataDir);
    const collection = (name: string) => `c:${states.find((p) => p.name === name)!.collection}`;
    const tampered = workload.requestIds[7]!;
    const removed = workload.requestIds[8]!;
    const db = openReadStore(dataDir);
    try {
      const title = db.prepare(`UPDATE "${collection('request-summaries')}" SET doc = json_set(doc, '$.title', 'Tampered title') WHERE id = ?`).run(tampered);
      expect(title.changes).toBe(1);
      expect(db.prepare(`DELETE FROM "${collection('request-details')}" WHERE id = ?`).run(removed).changes).toBe(1);
      db.prepare(`INSERT INTO "${collection('companies')}" (id, doc) VALUES (?, ?)`).run(
        'forged-company',
        JSON.stringify({ id: 'forged-company', name: 'Forged', domain: null, createdAt: '2020-01-01T00:00:00.000Z', updatedAt: '2020-01-01T00:00:00.000Z', _position: 1 }),
      );
    } finally {
      db.close();
    }

    const result = await runCli(dataDir, ['verify']);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/3 differences\.\n$/);
    const report = reportLines(result.stdout);
    expect(Object.fromEntries(PROJECTIONS.map((name) => [name, report[name]!.different]))).toEqual({
      'request-summaries': 1,
      'request-details': 1,
      'request-search': 0,
      'agent-favourites': 0,
      'flagged-messages': 0,
      contacts: 0,
      companies: 1,
    });
    expect(result.stdout).toContain(`different ${tampered}`);
    expect(result.stdout).toContain('Tampered title');
    expect(result.stdout).toContain(`missing ${removed}`);
    expect(result.stdout).toContain('unexpected forged-company');
  });

  it('`rebuild` of the damaged projections repairs them: verify is clean again', async () => {
    const result = await runCli(dataDir, ['rebuild', 'request-summaries', 'request-details', 'companies']);
    expect(result.code).toBe(0);
    const verified = await runCli(dataDir, ['verify']);
    expect(verified.stdout).toMatch(/No differences\.\n$/);
    expect(verified.code).toBe(0);
  });
});

describe('rebuild and verify while the server runs and writes', () => {
  const e2e = useE2e();

  it('`verify` under concurrent writes reports nothing that changed meanwhile as a difference (exit 0)', async () => {
    const requests = await inParallel(20, 4, () => createRequest(e2e.admin, e2e.store));
    let writing = true;
    const writer = (async () => {
      let i = 0;
      while (writing) {
        const request = requests[i++ % requests.length]!;
        expectCommand(await e2e.admin.post(`/api/requests/${request.id}/notes`, { body: `while verifying ${i}` }));
      }
      return i;
    })();
    try {
      const result = await runCli(e2e.server.dataDir, ['verify']);
      expect(result.stdout).toMatch(/No differences\.\n$/);
      expect(result.code).toBe(0);
    } finally {
      writing = false;
      expect(await writer).toBeGreaterThan(0);
    }
  });

  it('reads go on answering, the same, while `rebuild --all` runs from the CLI and right after it switches', async () => {
    await inParallel(30, 4, () => createRequest(e2e.admin, e2e.store));
    const paths = ['/api/requests?limit=200', '/api/dashboard', '/api/flagged-messages', '/api/search?q=invoice'];
    await caughtUp(e2e.admin, e2e.store);
    // Cursors name the collection they page through, so one made before the switch differs from one made after.
    const withoutCursor = (body: unknown) => JSON.stringify(body, (key, value) => (key === 'nextCursor' ? undefined : value));
    const expected = Object.fromEntries(Object.entries(await answers(e2e.admin, paths)).map(([path, body]) => [path, withoutCursor(body)]));

    // Reads back to back across the switch (the rebuild drops the old collections once it has switched),
    // then 25 more, 20 ms apart, right after it.
    let reading = true;
    let rebuilding = true;
    const seen: { path: string; status: number; same: boolean }[] = [];
    const reader = (async () => {
      for (let i = 0; reading; i++) {
        const path = paths[i % paths.length]!;
        const response = await e2e.admin.get(path);
        seen.push({ path, status: response.status, same: withoutCursor(response.body) === expected[path] });
        if (!rebuilding) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    let result;
    try {
      result = await runCli(e2e.server.dataDir, ['rebuild', '--all']);
      rebuilding = false;
      const after = seen.length;
      await waitForReads(() => seen.length - after >= 25);
    } finally {
      reading = false;
      await reader;
    }
    expect(result.code).toBe(0);
    expect(seen.length).toBeGreaterThan(25);
    const failures = seen.filter((s) => s.status !== 200 || !s.same).map((s) => `${s.status}${s.same ? '' : ' (other answer)'} ${s.path}`);
    // With the server's own account of any failure, so a rare one can be understood from one run.
    const serverErrors = e2e.server.output().split('\n').filter((line) => /"level":"(error|fatal)"|\b(Error|error):/.test(line));
    expect({ failures, serverErrors: failures.length > 0 ? serverErrors : [] }).toEqual({ failures: [], serverErrors: [] });
  });

  it('after `rebuild --all` from the CLI, the running server goes on projecting new writes into the rebuilt collections', async () => {
    const request = await createRequest(e2e.admin, e2e.store);
    const result = await runCli(e2e.server.dataDir, ['rebuild', '--all']);
    expect(result.code).toBe(0);
    const rebuilt = await projectionStates(e2e.server.dataDir);

    // A write after the switch must reach the read models (read-your-writes, not a 503).
    const { position } = expectCommand(await e2e.admin.post(`/api/requests/${request.id}/notes`, { body: 'after the rebuild' }));
    const detail = await e2e.admin.get(`/api/requests/${request.id}`, { 'x-min-position': String(position) });
    expectStatus(detail, 200);
    expect(detail.body.messageCount).toBe(2);
    const created = await createRequest(e2e.admin, e2e.store);
    const list = await e2e.admin.get('/api/requests?view=last&limit=1', { 'x-min-position': String(await headOf(e2e.store)) });
    expectStatus(list, 200);
    expect(list.body.items[0].id).toBe(created.id);
    // Into the collections the rebuild made, up to the head.
    const head = await headOf(e2e.store);
    expect((await projectionStates(e2e.server.dataDir)).map((p) => [p.collection, p.checkpoint])).toEqual(rebuilt.map((p) => [p.collection, head]));
  });
});

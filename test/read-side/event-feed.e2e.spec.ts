import { createContact, createRequest, expectProblem, expectStatus, useE2e } from '../support/e2e-harness';
import { getText, headOf, inParallel, logAsFeed, ndjsonLines } from '../support/read-side';

/**
 * The global feed (GET /api/events) and the export (GET /api/events/export): the event store itself,
 * as NDJSON, resumable by position. Compared entry by entry with our own connection to the log.
 */
describe('GET /api/events and /api/events/export', () => {
  const e2e = useE2e();
  const agent = e2e.user('agent');
  const auditor = e2e.user('auditor');
  const reporter = e2e.user('reporter');

  beforeAll(async () => {
    // More than one internal page (1000 events) of history: requests, notes, a contact change.
    const contactId = await createContact(agent.client);
    const requests = await inParallel(20, 4, () => createRequest(agent.client, e2e.store, { contactIds: [contactId] }));
    await inParallel(1100, 16, async (i) => {
      const response = await agent.client.post(`/api/requests/${requests[i % requests.length]!.id}/notes`, { body: `note ${i}` });
      expectStatus(response, 200);
    });
    expectStatus(await agent.client.patch(`/api/contacts/${contactId}`, { name: 'Renamed contact' }), 200);
  }, 60_000);

  const feed = (token: string, path: string) => getText(e2e.server.url, token, path);

  it('walked in pages with ?after=<last position>&limit=, gives every event of the log exactly once, in order', async () => {
    const log = await logAsFeed(e2e.store);
    expect(log.length).toBeGreaterThan(1000);
    const walked: any[] = [];
    let after: number | undefined;
    let pages = 0;
    for (;;) {
      const page = await feed(auditor.token, `/api/events?limit=137${after === undefined ? '' : `&after=${after}`}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
      const entries = ndjsonLines(page.text);
      pages++;
      if (entries.length === 0) break;
      expect(entries.length).toBeLessThanOrEqual(137);
      walked.push(...entries);
      after = entries[entries.length - 1].position;
      if (pages > 1000) throw new Error('the feed does not advance');
    }
    // Every full page, the last one, then an empty one that says there is no more.
    expect(pages).toBe(Math.ceil(log.length / 137) + 1);
    expect(walked).toEqual(log);
  });

  it('after is exclusive; past the head the feed is empty; without a limit it gives 1000, with one up to 10000', async () => {
    const head = await headOf(e2e.store);
    const log = (await logAsFeed(e2e.store)) as { position: number }[];
    const middle = log[500]!.position;
    const afterMiddle = ndjsonLines((await feed(auditor.token, `/api/events?after=${middle}&limit=3`)).text);
    expect(afterMiddle.map((e) => e.position)).toEqual(log.slice(501, 504).map((e) => e.position));
    expect(ndjsonLines((await feed(auditor.token, `/api/events?after=${log[log.length - 2]!.position}`)).text).map((e) => e.position)).toEqual([head]);
    const past = await feed(auditor.token, `/api/events?after=${head}`);
    expect(past.status).toBe(200);
    expect(past.text).toBe('');
    expect(ndjsonLines((await feed(auditor.token, '/api/events')).text)).toEqual(log.slice(0, 1000));
    expect(ndjsonLines((await feed(auditor.token, '/api/events?limit=2500')).text)).toEqual(log.slice(0, 2500));
    expect(ndjsonLines((await feed(auditor.token, '/api/events?after=0&limit=10000')).text)).toEqual(log.slice(0, 10000));
  });

  it('bad parameters are 400', async () => {
    for (const query of ['after=-1', 'after=abc', 'after=1.5', 'limit=0', 'limit=10001', 'limit=x', 'after=1234567890123456789']) {
      expectProblem(await auditor.client.get(`/api/events?${query}`), 400);
    }
  });

  it('the export is every event as one NDJSON download', async () => {
    const log = await logAsFeed(e2e.store);
    const exported = await feed(auditor.token, '/api/events/export');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="helpdesk-events.ndjson"');
    expect(ndjsonLines(exported.text)).toEqual(log);
  });

  it('each entry says what, to which stream, by whom, through which channel, when', async () => {
    const request = await createRequest(agent.client, e2e.store);
    const log = (await logAsFeed(e2e.store)) as { position: number }[];
    const before = log[log.length - 3]!.position;
    const [created, message, ...rest] = ndjsonLines((await feed(auditor.token, `/api/events?after=${before}`)).text);
    expect(rest).toEqual([]);
    expect(created).toEqual({
      position: log[log.length - 2]!.position,
      streamId: `request-${request.id}`,
      revision: 0,
      type: 'RequestCreated',
      data: expect.objectContaining({ requestId: request.id, number: request.number }),
      actorId: agent.id,
      actorRole: 'agent',
      channel: 'api',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      recordedAt: expect.any(String),
      correlationId: expect.any(String),
      eventId: expect.any(String),
    });
    expect(message).toEqual(expect.objectContaining({ position: log[log.length - 1]!.position, revision: 1, type: 'CustomerMessageAdded', correlationId: created.correlationId }));
  });

  it('admins, auditors and reporters read the feed; admins and auditors export; agents neither; nobody without a token', async () => {
    expect((await feed(e2e.server.adminToken, '/api/events?limit=1')).status).toBe(200);
    expect((await feed(reporter.token, '/api/events?limit=1')).status).toBe(200);
    expect((await feed(e2e.server.adminToken, '/api/events/export')).status).toBe(200);
    expectProblem(await reporter.client.get('/api/events/export'), 403, 'forbidden');
    expectProblem(await agent.client.get('/api/events'), 403, 'forbidden');
    expectProblem(await agent.client.get('/api/events/export'), 403, 'forbidden');
    expectProblem(await e2e.anonymous.get('/api/events'), 401);
    expectProblem(await e2e.anonymous.get('/api/events/export'), 401);
  });
});

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { httpClient, type HttpClient } from '../support/http-client';
import { openEventStore, waitFor } from '../support/e2e-harness';
import { startServerProcess, type ServerProcess } from '../support/server-process';

/**
 * The production split — api, projector and mail gateway as three processes — wired here with the
 * SQLite stores on one shared data directory (KurrentDB and MongoDB cannot run on these machines; their
 * adapters pass the same contract suites when KURRENTDB_URL / MONGODB_URL are set). They meet only
 * through the stores: commands go in through the API, the projector makes them readable, the
 * gateway sends what they say to send.
 */
describe('api + projector + mail-gateway as separate processes (SQLite stores)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-topology-'));
  const env = { BOOTSTRAP_ADMIN_TOKEN: 'topology_admin_token_0123456789', MAIL_SEND_BACKOFF_SECONDS: '1' };
  let api: ServerProcess;
  let projectors: ServerProcess[] = [];
  let gateway: ServerProcess;
  let admin: HttpClient;

  beforeAll(async () => {
    api = await startServerProcess({ app: 'api', dataDir, env });
    projectors = [await startServerProcess({ app: 'projector', dataDir, env }), await startServerProcess({ app: 'projector', dataDir, env })];
    gateway = await startServerProcess({ app: 'mail-gateway', dataDir, env });
    admin = httpClient(api.url, api.adminToken);
  }, 60_000);

  afterAll(async () => {
    for (const process of [api, ...projectors, gateway]) await process?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('each app answers its health check', async () => {
    for (const process of [api, ...projectors, gateway]) {
      const health = await httpClient(process.url).get('/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('ok');
    }
  });

  it('a request created through the api becomes readable once the projector (another process) has applied it', async () => {
    const contact = await admin.post('/api/contacts', { name: 'Greta', emails: ['greta@customer.example'] });
    expect(contact.status).toBe(201);
    const created = await admin.post('/api/requests', { title: 'VPN drops every hour', contactIds: [contact.body.id], message: { body: 'It drops.' } });
    expect(created.status).toBe(201);
    const read = await admin.get(`/api/requests/${created.body.id}`, { 'x-min-position': String(created.body.position) });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, title: 'VPN drops every hour', number: created.body.number });
    expect(Number(read.headers.get('x-read-position'))).toBeGreaterThanOrEqual(created.body.position);
    // The api, which runs no projector, reads how far the read models are from their checkpoints.
    const health = (await httpClient(api.url).get('/health')).body;
    expect(health.readModels.position).toBeGreaterThanOrEqual(created.body.position);
    expect(health.readModels.behind).toBe(Math.max(health.eventStore.headPosition - health.readModels.position, 0));
  });

  it('two projector instances do not apply anything twice: counts match the log exactly', async () => {
    const contact = await admin.post('/api/contacts', { name: 'Hiro', emails: ['hiro@customer.example'] });
    const ids: string[] = [];
    let position = 0;
    for (let i = 0; i < 20; i++) {
      const created = await admin.post('/api/requests', { title: `Burst ${i}`, contactIds: [contact.body.id], message: { body: `first ${i}` } });
      const note = await admin.post(`/api/requests/${created.body.id}/notes`, { body: `note ${i}` });
      ids.push(created.body.id);
      position = Math.max(position, note.body.position);
    }
    for (const id of ids) {
      const read = await admin.get(`/api/requests/${id}`, { 'x-min-position': String(position) });
      expect(read.status).toBe(200);
      expect(read.body.messages).toHaveLength(2);
    }
    const list = await admin.get(`/api/contacts/${contact.body.id}/requests?limit=100`, { 'x-min-position': String(position) });
    expect(list.body.count).toBe(20);
    expect(list.body.items.map((r: { messageCount: number }) => r.messageCount)).toEqual(Array(20).fill(2));
  });

  it('the projector reopens a postponed request when it is due (its scheduler is fed by the event-store transport)', async () => {
    const contact = await admin.post('/api/contacts', { name: 'Ines', emails: ['ines@customer.example'] });
    const created = await admin.post('/api/requests', { title: 'Call back Monday', contactIds: [contact.body.id], message: { body: 'x' } });
    const postponed = await admin.post(`/api/requests/${created.body.id}/postpone`, { until: new Date(Date.now() + 1500).toISOString() });
    expect(postponed.status).toBe(200);
    const log = openEventStore(dataDir);
    try {
      const activated = await waitFor(
        async () => (await log.readStream(`request-${created.body.id}`)).find((e) => e.type === 'RequestActivated'),
        15_000,
        'RequestActivated',
      );
      expect(activated.metadata['actorId']).toBe('system');
    } finally {
      await log.close();
    }
  });

  it('the mail gateway sends a reply written through the api (no SMTP configured: an .eml file) and records it', async () => {
    const contact = await admin.post('/api/contacts', { name: 'Jonas', emails: ['jonas@customer.example'] });
    const created = await admin.post('/api/requests', { title: 'Password reset', contactIds: [contact.body.id], message: { body: 'Locked out.' } });
    const replied = await admin.post(`/api/requests/${created.body.id}/replies`, { body: 'A reset link is on its way.' });
    expect(replied.status).toBe(200);
    const log = openEventStore(dataDir);
    try {
      const sent = await waitFor(
        async () => (await log.readStream(`delivery-${created.body.id}`)).find((e) => e.type === 'EmailSent'),
        20_000,
        'EmailSent',
      );
      expect(sent.metadata['actorId']).toBe('system');
    } finally {
      await log.close();
    }
    const outbox = join(dataDir, 'outbox');
    const files = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    const mail = files.map((f) => readFileSync(join(outbox, f), 'utf8')).find((text) => text.includes('A reset link is on its way.'));
    expect(mail).toBeDefined();
    expect(mail).toMatch(/^To: .*jonas@customer\.example/m);
  });
});

describe('start-up configuration of the apps', () => {
  const run = (app: string, env: Record<string, string>) =>
    new Promise<{ code: number | null; output: string; ms: number }>((done) => {
      const started = Date.now();
      const child = spawn(process.execPath, [resolve(__dirname, `../../dist/apps/${app}/src/main.js`)], {
        env: { ...process.env, PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'helpdesk-config-')), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c) => (output += c));
      child.stderr.on('data', (c) => (output += c));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        done({ code, output, ms: Date.now() - started });
      });
    });

  it('refuses a KurrentDB URL that is not one, at once, with the reason', async () => {
    const result = await run('api', { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://localhost:2113' });
    expect(result.code).toBe(78);
    expect(result.output).toContain('KURRENTDB_URL must start with kurrentdb://');
  });

  it('refuses READ_STORE=mongodb without MONGODB_URL', async () => {
    const result = await run('projector', { READ_STORE: 'mongodb' });
    expect(result.code).toBe(78);
    expect(result.output).toContain('MONGODB_URL is required');
  });

  it('stops with the reason, not a hang, when the event store does not answer', async () => {
    const result = await run('api', { EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false', CONNECT_TIMEOUT_MS: '2000' });
    expect(result.code).toBe(69);
    expect(result.output).toMatch(/Cannot start: KurrentDB at kurrentdb:\/\/127\.0\.0\.1:1\?tls=false (did not answer within 2000 ms|failed: .+)/);
    expect(result.ms).toBeLessThan(20_000);
  });

  it('stops with the reason when MongoDB does not answer', async () => {
    const result = await run('mail-gateway', { READ_STORE: 'mongodb', MONGODB_URL: 'mongodb://127.0.0.1:1/?replicaSet=rs0&serverSelectionTimeoutMS=1000', CONNECT_TIMEOUT_MS: '3000' });
    expect(result.code).toBe(69);
    expect(result.output).toMatch(/Cannot start: MongoDB at mongodb:\/\/127\.0\.0\.1:1\/\S* (did not answer within 3000 ms|failed: .+)/);
  });

  it('keeps credentials out of the message', async () => {
    const result = await run('api', { READ_STORE: 'mongodb', MONGODB_URL: 'mongodb://user:s3cret@127.0.0.1:1/?serverSelectionTimeoutMS=500', CONNECT_TIMEOUT_MS: '2000' });
    expect(result.code).toBe(69);
    expect(result.output).not.toContain('s3cret');
  });

  it('has every app it declares (dist entry points exist after the build)', () => {
    for (const app of ['server', 'api', 'projector', 'mail-gateway']) expect(existsSync(resolve(__dirname, `../../dist/apps/${app}/src/main.js`))).toBe(true);
  });
});

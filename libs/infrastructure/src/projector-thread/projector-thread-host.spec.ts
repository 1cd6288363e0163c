import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@helpdesk/event-store';
import { contacts } from '@helpdesk/projections';
import { ProjectionRegistry, SqliteDocumentStore } from '@helpdesk/read-store';
import { ProjectorThread } from './projector-thread-host';

/** The thread runs compiled JavaScript: `npm test` builds dist before jest runs. */
const BUILT_THREAD = resolve(__dirname, '../../../../dist/libs/infrastructure/src/projector-thread/projector-thread.js');

const contactCreated = (contactId: string, name: string) => ({
  id: randomUUID(),
  type: 'ContactCreated',
  data: { contactId, name, emails: [`${contactId}@customer.example`], phone: null, companyId: null },
  metadata: { occurredAt: '2026-11-27T10:00:00.000Z' },
});

describe('ProjectorThread: the embedded projector on a worker thread', () => {
  let dir: string;
  let events: SqliteEventStore;
  let host: ProjectorThread | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projector-thread-'));
    events = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  });
  afterEach(async () => {
    await host?.stop();
    host = undefined;
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies what this thread appends to the read store on its own connections, reports the position, and stops cleanly', async () => {
    expect(existsSync(BUILT_THREAD)).toBe(true);
    host = new ProjectorThread(events, { eventsPath: join(dir, 'events.sqlite'), readPath: join(dir, 'read.sqlite') }, BUILT_THREAD);
    await host.start();
    await host.upgraded();
    const first = await events.append('contact-c1', [contactCreated('c1', 'Carla')], 'no_stream');
    expect(await host.waitFor(first.position, 10_000)).toBe(true);
    const second = await events.append('contact-c2', [contactCreated('c2', 'Dan')], 'no_stream');
    expect(await host.waitFor(second.position, 10_000)).toBe(true);
    expect(host.position()).toBe(second.position);
    await host.stop();
    host = undefined;

    const documents = new SqliteDocumentStore({ path: join(dir, 'read.sqlite') });
    try {
      const collection = await new ProjectionRegistry(documents).activeCollection(contacts);
      expect(await documents.checkpoint(collection)).toBe(second.position);
      expect(await documents.get(collection, 'c1')).toMatchObject({ id: 'c1', name: 'Carla', emails: ['c1@customer.example'] });
      expect(await documents.get(collection, 'c2')).toMatchObject({ id: 'c2', name: 'Dan' });
    } finally {
      await documents.close();
    }
  }, 30_000);

  /** A stand-in thread that follows the message protocol: the host's own behaviour is what is under test. */
  const scriptedThread = (body: string) => {
    const file = join(dir, `thread-${randomUUID()}.js`);
    writeFileSync(file, `const { parentPort, workerData } = require('node:worker_threads');\nconst fs = require('node:fs');\n${body}`);
    return file;
  };

  it('starts the thread again when it dies, and goes on reporting from the new one', async () => {
    const marker = join(dir, 'ran-once');
    const file = scriptedThread(`
      const again = fs.existsSync(workerData.readPath);
      fs.writeFileSync(workerData.readPath, 'x');
      parentPort.postMessage({ type: 'progress', position: again ? 2n : 1n });
      parentPort.postMessage({ type: 'started' });
      parentPort.on('message', (m) => {
        if (m.type === 'appended' && !again) process.exit(3);
        if (m.type === 'stop') { parentPort.postMessage({ type: 'stopped' }); parentPort.close(); }
      });`);
    host = new ProjectorThread(events, { eventsPath: join(dir, 'events.sqlite'), readPath: marker }, file);
    await host.start();
    expect(host.position()).toBe(1n);
    await events.append('contact-c1', [contactCreated('c1', 'Carla')], 'no_stream');
    expect(await host.waitFor(2n, 10_000)).toBe(true);
  }, 30_000);

  it('fails to start with the thread\'s reason when it cannot start', async () => {
    const file = scriptedThread(`parentPort.postMessage({ type: 'error', fatal: true, message: 'The projector could not start: the disk is full' });`);
    host = new ProjectorThread(events, { eventsPath: join(dir, 'events.sqlite'), readPath: join(dir, 'read.sqlite') }, file);
    await expect(host.start()).rejects.toThrow('the disk is full');
  }, 30_000);

  it('keeps trying when the thread it starts again fails to start', async () => {
    const runs = join(dir, 'runs');
    const file = scriptedThread(`
      const run = (fs.existsSync(workerData.readPath) ? Number(fs.readFileSync(workerData.readPath, 'utf8')) : 0) + 1;
      fs.writeFileSync(workerData.readPath, String(run));
      if (run === 2) process.exit(4);
      parentPort.postMessage({ type: 'progress', position: BigInt(run) });
      parentPort.postMessage({ type: 'started' });
      parentPort.on('message', (m) => {
        if (m.type === 'appended' && run === 1) process.exit(3);
        if (m.type === 'stop') { parentPort.postMessage({ type: 'stopped' }); parentPort.close(); }
      });`);
    host = new ProjectorThread(events, { eventsPath: join(dir, 'events.sqlite'), readPath: runs }, file);
    await host.start();
    await events.append('contact-c1', [contactCreated('c1', 'Carla')], 'no_stream');
    // The first thread dies; the second ends before it starts; the third runs.
    expect(await host.waitFor(3n, 15_000)).toBe(true);
  }, 30_000);

  it('fails to start when the thread ends before it has started', async () => {
    const file = scriptedThread(`process.exit(5);`);
    host = new ProjectorThread(events, { eventsPath: join(dir, 'events.sqlite'), readPath: join(dir, 'read.sqlite') }, file);
    await expect(host.start()).rejects.toThrow('ended before it started (exit code 5)');
  }, 30_000);
});

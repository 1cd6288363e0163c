import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContact, events, openEventStore, requestStream } from '../support/e2e-harness';
import { httpClient } from '../support/http-client';
import { startServerProcess } from '../support/server-process';

/**
 * An acknowledged command survives the process dying (SIGKILL, no shutdown hooks). A real power cut
 * cannot be staged here; that part rests on SQLite's synchronous=FULL (fsync before COMMIT returns).
 */
describe('durability of acknowledged commands', () => {
  it('keeps every acknowledged request after a SIGKILL, and numbering goes on after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'helpdesk-durable-'));
    const env = { BOOTSTRAP_ADMIN_TOKEN: 'durability_token_0123456789abcdef' };
    try {
      const first = await startServerProcess({ dataDir, env });
      const admin = httpClient(first.url, first.adminToken);
      const contactId = await createContact(admin, { name: 'Finn', emails: ['finn@customer.example'] });
      const acknowledged = await Promise.all(
        Array.from({ length: 40 }, (_, i) => admin.post('/api/requests', { title: `Request ${i}`, contactIds: [contactId], message: { body: `body ${i}` } })),
      );
      expect(acknowledged.every((r) => r.status === 201)).toBe(true);
      await first.kill();

      const second = await startServerProcess({ dataDir, env });
      try {
        const log = openEventStore(dataDir);
        try {
          for (const { body } of acknowledged) {
            const recorded = await events(log, requestStream(body.id));
            expect(recorded.map((e) => e.type)).toEqual(['RequestCreated', 'CustomerMessageAdded']);
            expect(recorded[0]!.data.number).toBe(body.number);
          }
        } finally {
          await log.close();
        }
        const next = await httpClient(second.url, second.adminToken).post('/api/requests', { title: 'After restart', contactIds: [contactId], message: { body: 'x' } });
        expect(next.status).toBe(201);
        expect(next.body.number).toBe(Math.max(...acknowledged.map((r) => r.body.number)) + 1);
      } finally {
        await second.kill();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

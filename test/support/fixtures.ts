import { join } from 'node:path';
import { SqliteEventStore } from '@helpdesk/event-store';
import type { HttpClient } from './http-client';

/** Registers an agent (as the admin client) and returns a client authenticated as them. */
export const registerAgent = async (admin: HttpClient, name: string, role: 'admin' | 'agent' | 'auditor' | 'reporter' = 'agent') => {
  const agent = await admin.post('/api/agents', { name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@support.example`, role });
  if (agent.status !== 201) throw new Error(`register ${name}: ${agent.status} ${JSON.stringify(agent.body)}`);
  const token = await admin.post(`/api/agents/${agent.body.id}/tokens`, { label: 'tests' });
  if (token.status !== 201) throw new Error(`token ${name}: ${token.status} ${JSON.stringify(token.body)}`);
  return { id: agent.body.id as string, client: admin.as(token.body.token as string), token: token.body.token as string };
};

export const createContact = async (client: HttpClient, name: string, email: string) => {
  const contact = await client.post('/api/contacts', { name, emails: [email] });
  if (contact.status !== 201) throw new Error(`contact ${name}: ${contact.status} ${JSON.stringify(contact.body)}`);
  return contact.body.id as string;
};

/** Reads the server's event log from its SQLite file (WAL lets a second connection read while it runs). */
export const openEventLog = (dataDir: string) => new SqliteEventStore({ path: join(dataDir, 'events.sqlite') });

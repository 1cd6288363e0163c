import type { SqliteEventStore } from '@helpdesk/event-store';
import { createContact, expectCommand, expectStatus, inSeconds, lastMessageId, registerUser, uniqueEmail, type E2e, type User } from './e2e-harness';
import type { HttpClient } from './http-client';
import { inParallel } from './read-side';

/**
 * A mixed workload through the API, touching every read model: requests with notes, replies, forwards,
 * edits, flags and unflags, tags, accepts, transfers, closes, reopens, postponements, splits, merges,
 * an unmerge, deletes and a restore, favourites, contact and company changes. Deterministic in what
 * it does (not in interleaving): `size` requests, each worked on by its own chain of commands.
 */
export interface Workload {
  readonly agents: User[];
  readonly contactIds: string[];
  readonly companyIds: string[];
  readonly requestIds: string[];
  /** Words that were written into titles and bodies, to search for. */
  readonly words: string[];
}

export const runMixedWorkload = async (e2e: Pick<E2e, 'admin'>, store: SqliteEventStore, size = 40): Promise<Workload> => {
  const admin = e2e.admin;
  const agents = [await registerUser(e2e as E2e, 'agent', 'Workload Ada'), await registerUser(e2e as E2e, 'agent', 'Workload Bo')];
  const companies: string[] = [];
  for (const name of ['Acme Ltd', 'Globex']) {
    const created = await admin.post('/api/companies', { name, domain: `${name.split(' ')[0]!.toLowerCase()}.example` });
    expectStatus(created, 201);
    companies.push(created.body.id);
  }
  const contacts: string[] = [];
  for (let i = 0; i < 6; i++) {
    contacts.push(await createContact(admin, { name: `Workload Contact ${i} Ünïcode`, emails: [uniqueEmail(`workload${i}`)], ...(i < 4 ? { companyId: companies[i % 2] } : {}) }));
  }
  const words = ['printer', 'invoice', 'password', 'delivery', 'refund'];

  const requestIds = await inParallel(size, 6, async (i) => {
    const actor: HttpClient = agents[i % 2]!.client;
    const created = await actor.post('/api/requests', {
      title: `${words[i % words.length]} problem ${i}`,
      contactIds: i % 5 === 0 ? [contacts[i % 6]!, contacts[(i + 1) % 6]!] : [contacts[i % 6]!],
      message: { body: `Customer says the ${words[(i + 1) % words.length]} is wrong (${i})` },
      tags: i % 3 === 0 ? ['Workload', `t${i % 4}`] : [],
      priorityId: ['low', 'medium', 'high'][i % 3],
      ...(i % 4 === 0 ? { ownerId: agents[(i + 1) % 2]!.id } : {}),
    });
    expectStatus(created, 201);
    const id: string = created.body.id;
    const path = `/api/requests/${id}`;
    expectCommand(await actor.post(`${path}/notes`, { body: `note on ${i}` }));
    const noteId = await lastMessageId(store, id, 'InternalNoteAdded');
    if (i % 4 === 1) expectCommand(await actor.post(`${path}/messages/${noteId}/versions`, { body: `note on ${i}, edited` }));
    if (i % 3 === 1) expectCommand(await actor.post(`${path}/replies`, { body: `We are on it (${i})` }));
    if (i % 5 === 2) expectCommand(await actor.patch(`${path}/messages/${noteId}`, { flagged: true }));
    if (i % 10 === 2) expectCommand(await actor.patch(`${path}/messages/${noteId}`, { flagged: false }));
    if (i % 6 === 3) expectCommand(await actor.post(`${path}/tags`, { tag: 'Escalated' }));
    // Only unowned ones (i % 4 === 0 were created with an owner).
    if (i % 12 === 10) expectCommand(await actor.post(`${path}/accept`, {}));
    if (i % 7 === 5 && i % 4 !== 0) expectCommand(await actor.post(`${path}/transfer`, { ownerId: agents[(i + 1) % 2]!.id, note: 'can you take this?' }));
    if (i % 8 === 6) expectCommand(await actor.post(`${path}/close`, {}));
    if (i % 16 === 6) expectCommand(await actor.post(`${path}/reopen`, {}));
    if (i % 9 === 7) expectCommand(await actor.post(`${path}/postpone`, { until: inSeconds(10 * 86400) }));
    if (i % 11 === 8) expectCommand(await actor.patch(path, { title: `Retitled ${i}`, priorityId: 'high' }));
    if (i % 13 === 9) expectCommand(await actor.post(`${path}/forwards`, { to: ['partner@external.example'], note: 'for your information' }));
    expectCommand(await agents[0]!.client.put(`/api/me/favourites/${id}`));
    if (i % 2 === 0) expectCommand(await agents[1]!.client.put(`/api/me/favourites/${id}`));
    if (i % 6 === 0) expectCommand(await agents[0]!.client.delete(`/api/me/favourites/${id}`));
    return id;
  });

  // Splits: a note of each moves to a new request.
  for (const id of requestIds.slice(0, 3)) {
    const noteId = await lastMessageId(store, id, 'InternalNoteAdded');
    const split = await admin.post(`/api/requests/${id}/split`, { messageIds: [noteId], title: 'Split off in the workload' });
    expectCommand(split);
    requestIds.push(split.body.created.id);
  }
  // Merges; one undone.
  for (let k = 0; k < 3; k++) {
    expectCommand(await admin.post(`/api/requests/${requestIds[10 + k]}/merge`, { sourceIds: [requestIds[20 + k]!] }));
  }
  expectCommand(await admin.post(`/api/requests/${requestIds[11]}/unmerge`, { sourceId: requestIds[21]! }));
  // Deletes; one restored.
  for (const id of requestIds.slice(30, 33)) expectCommand(await admin.delete(`/api/requests/${id}`));
  expectCommand(await admin.post(`/api/requests/${requestIds[31]}/restore`, {}));
  // Contact and company changes, and the contacts of requests.
  expectCommand(await admin.patch(`/api/contacts/${contacts[0]}`, { name: 'Workload Contact Zero Renamed', phone: '+46 8 123 456' }));
  expectCommand(await admin.post(`/api/contacts/${contacts[1]}/emails`, { email: uniqueEmail('second-address') }), { status: 201 });
  expectCommand(await admin.patch(`/api/contacts/${contacts[2]}`, { companyId: companies[1] }));
  expectCommand(await admin.patch(`/api/contacts/${contacts[3]}`, { companyId: null }));
  expectCommand(await admin.patch(`/api/companies/${companies[0]}`, { name: 'Acme Renamed' }));
  expectCommand(await admin.post(`/api/requests/${requestIds[5]}/contacts`, { contactId: contacts[4] }));
  expectCommand(await admin.delete(`/api/requests/${requestIds[0]}/contacts/${contacts[1]}`));
  return { agents, contactIds: contacts, companyIds: companies, requestIds, words };
};

/** The reads a user of the agent UI makes; their answers must survive a rebuild unchanged. */
export const readPaths = (workload: Workload): string[] => [
  '/api/requests?limit=200',
  '/api/requests?view=last&limit=200',
  '/api/requests?view=unassigned&limit=200',
  '/api/requests?view=mine&limit=200',
  '/api/requests?view=favourites&limit=200',
  '/api/requests?baseStatus=closed&limit=200',
  '/api/requests?baseStatus=deleted&limit=200',
  '/api/requests?baseStatus=merged&limit=200',
  '/api/requests?tag=workload&limit=200',
  '/api/me/favourites?limit=200',
  '/api/dashboard',
  '/api/flagged-messages?limit=200',
  ...workload.words.map((w) => `/api/search?q=${w}&limit=100`),
  '/api/search?q=unicode',
  ...workload.contactIds.map((id) => `/api/contacts/${id}/requests?includeClosed=true&limit=200`),
  ...workload.companyIds.map((id) => `/api/companies/${id}/requests?includeClosed=true&limit=200`),
  ...workload.requestIds.map((id) => `/api/requests/${id}`),
];

/** Every answer of `paths`, as `client` gets them. */
export const answers = async (client: HttpClient, paths: readonly string[], headers?: Record<string, string>): Promise<Record<string, unknown>> => {
  const result: Record<string, unknown> = {};
  for (const path of paths) {
    const response = await client.get(path, headers);
    expectStatus(response, 200);
    result[path] = response.body;
  }
  return result;
};

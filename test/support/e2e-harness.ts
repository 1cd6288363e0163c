import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { evolveRequest, initialRequestState, type AgentRole, type ExistingRequest, type RequestEvent, type RequestState } from '@helpdesk/domain';
import { SqliteEventStore, type RecordedEvent } from '@helpdesk/event-store';
import { httpClient, type HttpClient, type HttpResponse } from './http-client';
import { startServerProcess, type ServerProcess } from './server-process';

/**
 * One real server process (per describe block, see `useE2e`), an admin client, and a second connection
 * to the server's SQLite event store (WAL lets us read while the server writes) to check what commands recorded.
 */
export interface E2e {
  readonly server: ServerProcess;
  /** Authenticated as the bootstrap admin. */
  readonly admin: HttpClient;
  readonly adminId: string;
  /** Not authenticated. */
  readonly anonymous: HttpClient;
  readonly store: SqliteEventStore;
  stop(): Promise<void>;
}

/** A connection of our own to the event log in a server's data directory. */
export const openEventStore = (dataDir: string): SqliteEventStore => new SqliteEventStore({ path: join(dataDir, 'events.sqlite') });

export const startE2e = async (): Promise<E2e> => {
  const server = await startServerProcess();
  const admin = httpClient(server.url, server.adminToken);
  const me = await admin.get('/api/me');
  if (me.status !== 200) throw new Error(`GET /api/me as the bootstrap admin answered ${me.status}: ${JSON.stringify(me.body)}`);
  const store = openEventStore(server.dataDir);
  return {
    server,
    admin,
    adminId: me.body.id,
    anonymous: httpClient(server.url),
    store,
    async stop() {
      await store.close();
      await server.stop();
    },
  };
};

/** The E2e of one describe block, and the users its tests act as. */
export interface E2eSuite extends E2e {
  /** A user with that role, registered in a beforeAll of the block (after the server has started). */
  user(role: AgentRole, name?: string): User;
}

/**
 * One server for the describe block it is called in: started in beforeAll, stopped in afterAll.
 * The handle and its users are filled in by those hooks, so read them in tests and hooks, not
 * while jest collects the tests:
 *   const e2e = useE2e();
 *   const agent = e2e.user('agent');
 *   it('...', async () => createRequest(agent.client, e2e.store));
 */
export const useE2e = (): E2eSuite => {
  const suite = {
    user(role: AgentRole, name?: string): User {
      const user = {} as User;
      beforeAll(async () => {
        Object.assign(user, await registerUser(suite, role, name));
      });
      return user;
    },
  } as E2eSuite;
  beforeAll(async () => {
    Object.assign(suite, await startE2e());
  });
  // `stop` is missing when the server did not start; jest reports that failure from beforeAll.
  afterAll(() => suite.stop?.());
  return suite;
};

// ---- unique values --------------------------------------------------------------------------------

let counter = 0;
export const unique = (prefix: string): string => `${prefix}-${++counter}-${randomBytes(4).toString('hex')}`;
export const uniqueEmail = (prefix = 'person'): string => `${unique(prefix)}@example.com`.toLowerCase();

// ---- assertions ------------------------------------------------------------------------------------

/** Shows the body when the status is not the expected one, so a failure says why. */
export const expectStatus = (response: HttpResponse, status: number): void => {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
};

/** A command answer: `{ id, number?, revision, position }` and `ETag: "<revision>"`. */
export const expectCommand = (
  response: HttpResponse,
  expected: { status?: number; id?: string; number?: number; revision?: number } = {},
): { id: string; number?: number; revision: number; position: number } => {
  expectStatus(response, expected.status ?? 200);
  const body = response.body;
  expect(typeof body.id).toBe('string');
  expect(Number.isInteger(body.revision)).toBe(true);
  expect(Number.isInteger(body.position)).toBe(true);
  expect(body.position).toBeGreaterThan(0);
  if (expected.id !== undefined) expect(body.id).toBe(expected.id);
  if (expected.number !== undefined) expect(body.number).toBe(expected.number);
  if (expected.revision !== undefined) expect(body.revision).toBe(expected.revision);
  expect(response.headers.get('etag')).toBe(`"${body.revision}"`);
  return body;
};

/** RFC 9457 problem details with our stable code. */
export const expectProblem = (response: HttpResponse, status: number, code?: string): any => {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${status}${code ? ` (${code})` : ''}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = response.body;
  expect(body).toEqual(
    expect.objectContaining({
      type: expect.any(String),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      code: expect.any(String),
    }),
  );
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  if (code !== undefined) {
    expect(body.code).toBe(code);
    expect(body.type).toBe(`urn:helpdesk:problem:${code}`);
  }
  return body;
};

/** A 400 naming the field at fault. */
export const expectFieldError = (response: HttpResponse, field: string): void => {
  const body = expectProblem(response, 400);
  expect(Array.isArray(body.errors)).toBe(true);
  expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.any(String) })]));
  for (const error of body.errors) expect(error.reason.length).toBeGreaterThan(0);
};

// ---- the event store -------------------------------------------------------------------------------

export const requestStream = (id: string) => `request-${id}`;
export const agentStream = (id: string) => `agent-${id}`;
export const contactStream = (id: string) => `contact-${id}`;
export const companyStream = (id: string) => `company-${id}`;

export const events = (store: SqliteEventStore, streamId: string): Promise<RecordedEvent[]> => store.readStream(streamId);

export const eventTypes = async (store: SqliteEventStore, streamId: string): Promise<string[]> =>
  (await events(store, streamId)).map((e) => e.type);

/** Revision of the last event of the stream, or -1 when it does not exist. */
export const revisionOf = async (store: SqliteEventStore, streamId: string): Promise<number> => {
  const [last] = await store.readStream(streamId, { direction: 'backwards', maxCount: 1 });
  return last ? Number(last.revision) : -1;
};

/** The events written after `revision` (exclusive). */
export const eventsAfter = async (store: SqliteEventStore, streamId: string, revision: number): Promise<RecordedEvent[]> =>
  store.readStream(streamId, { fromRevision: BigInt(revision + 1) });

/** The request as its stream folds (the write side's own state), to read back what commands did. */
export const requestState = async (store: SqliteEventStore, id: string): Promise<ExistingRequest> => {
  const recorded = await events(store, requestStream(id));
  const state = recorded.reduce<RequestState>(
    (s, e) => evolveRequest(s, { type: e.type, data: e.data } as RequestEvent),
    initialRequestState(),
  );
  if (state.kind !== 'existing') throw new Error(`request ${id} does not exist in the event store`);
  return state;
};

/** Polls until `check` returns a value (not undefined) or the time is up. Never a fixed sleep. */
export const waitFor = async <T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

// ---- fixtures through the API --------------------------------------------------------------------

export interface User {
  readonly id: string;
  readonly token: string;
  readonly tokenId: string;
  readonly client: HttpClient;
}

export const registerUser = async (e2e: E2e, role: AgentRole, name = unique(role)): Promise<User> => {
  const registered = await e2e.admin.post('/api/agents', { name, email: uniqueEmail(role), role });
  expectStatus(registered, 201);
  const issued = await e2e.admin.post(`/api/agents/${registered.body.id}/tokens`, { label: 'e2e' });
  expectStatus(issued, 201);
  return { id: registered.body.id, token: issued.body.token, tokenId: issued.body.tokenId, client: e2e.admin.as(issued.body.token) };
};

export const createContact = async (client: HttpClient, input: { name?: string; emails?: string[]; phone?: string; companyId?: string } = {}): Promise<string> => {
  const response = await client.post('/api/contacts', { ...input, name: input.name ?? unique('Contact'), emails: input.emails ?? [uniqueEmail('contact')] });
  expectStatus(response, 201);
  return response.body.id;
};

export interface CreatedRequest {
  readonly id: string;
  readonly number: number;
  readonly revision: number;
  readonly contactId: string;
  /** The first message (the enquiry). */
  readonly messageId: string;
}

export const createRequest = async (client: HttpClient, store: SqliteEventStore, body: Record<string, unknown> = {}): Promise<CreatedRequest> => {
  const contactId = (body['contactIds'] as string[] | undefined)?.[0] ?? (await createContact(client));
  const response = await client.post('/api/requests', {
    title: unique('Request'),
    contactIds: [contactId],
    message: { body: 'The invoice total is wrong.' },
    ...body,
  });
  expectStatus(response, 201);
  const created = await events(store, requestStream(response.body.id));
  const first = created.find((e) => typeof e.data?.messageId === 'string');
  return { id: response.body.id, number: response.body.number, revision: response.body.revision, contactId, messageId: first!.data.messageId };
};

/** The id of the message the last event of that type on the request added (message ids are made by the server). */
export const lastMessageId = async (store: SqliteEventStore, requestId: string, type: string): Promise<string> => {
  const recorded = (await events(store, requestStream(requestId))).filter((e) => e.type === type);
  const last = recorded[recorded.length - 1];
  if (!last) throw new Error(`no ${type} on request ${requestId}`);
  return last.data.messageId;
};

/** A time `seconds` from now, ISO 8601. */
export const inSeconds = (seconds: number): string => new Date(Date.now() + seconds * 1000).toISOString();

/**
 * Read side at scale: 1,000,000 requests with 5,000,000 messages.
 *  1. generates the event log with the real deciders (100k contacts, 40 agents, 8 categories, and per
 *     request: create + first message, 4 more messages, some accepted, half closed, a few flagged);
 *  2. measures the rebuild rate of all projections over the first 1,000,000 events (scratch store);
 *  3. builds the live read store from the whole log (rate recorded too);
 *  4. measures list views and search through the query handlers (p50/p99, one query at a time).
 *
 *   npm run bench:read [-- --requests 1000000 --dir /tmp/helpdesk-read-bench --reuse]
 */
import 'reflect-metadata';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { INestApplicationContext } from '@nestjs/common';
import {
  BootstrapService,
  CatalogService,
  DecideOnStream,
  ExecuteContactCommand,
  ListRequestsQuery,
  SearchQuery,
  Streams,
  newId,
  type CommandContext,
} from '@helpdesk/application';
import { agentDecider, categoryDecider, requestDecider, type Actor, type Catalog, type CommandMetadata, type RequestCommand, type RequestEvent, type RequestState } from '@helpdesk/domain';
import { EVENT_STORE, type EventStore, type StreamWrite } from '@helpdesk/event-store';
import { allProjections } from '@helpdesk/projections';
import { DOCUMENT_STORE, ProjectionRebuilder, ProjectionRegistry, SqliteDocumentStore, type DocumentStore } from '@helpdesk/read-store';
import { loadConfig } from '@helpdesk/infrastructure';
import { ServerModule } from '../apps/server/src/server.module';
import { personName, rng, sentence, vocabulary } from './support/corpus';
import { record, summarise } from './support/stats';

const arg = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1]! : fallback;
};
const REQUESTS = Number(arg('requests', '1000000'));
const DIR = arg('dir', join(tmpdir(), 'helpdesk-read-bench'));
const REUSE = process.argv.includes('--reuse');
const CONTACTS = Math.max(100, Math.round(REQUESTS / 10));
const AGENTS = 40;
const TAGS = Array.from({ length: 60 }, (_, i) => `tag${i}`);
const YEAR_MS = 365 * 24 * 3600 * 1000;
const random = rng(42);
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

const openApp = (dataDir: string) =>
  NestFactory.createApplicationContext(ServerModule.forRoot(loadConfig({ DATA_DIR: dataDir, SQLITE_SYNCHRONOUS: 'NORMAL' })), { logger: ['error'] });

interface World {
  agents: Actor[];
  categories: string[];
  contacts: { id: string; email: string }[];
}

const system: Actor = { id: 'system', role: 'system' };
const ctx = (actor: Actor, now = new Date()): CommandContext => ({ actor, channel: 'api', correlationId: newId(), now });

const setUp = async (app: INestApplicationContext): Promise<World> => {
  await app.get(BootstrapService).run();
  const bus = app.get(CommandBus);
  const agents: Actor[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const agentId = newId();
    await bus.execute(new DecideOnStream(Streams.agent(agentId), agentDecider, { type: 'RegisterAgent', data: { agentId, name: `Agent ${i}`, email: `agent${i}@support.test`, role: 'agent' } }, ctx(system)));
    agents.push({ id: agentId, role: 'agent' });
  }
  const admin: Actor = { id: 'bench-admin', role: 'admin' };
  const categories: string[] = ['general'];
  for (let i = 0; i < 7; i++) {
    const categoryId = newId();
    // Two restricted categories, as a company with a private HR and a private legal queue would have.
    const restricted = i < 2;
    await bus.execute(
      new DecideOnStream(Streams.categories, categoryDecider, { type: 'DefineCategory', data: { categoryId, name: `Category ${i}`, restricted, memberIds: restricted ? agents.slice(0, 5).map((a) => a.id) : [] } }, ctx(admin)),
    );
    categories.push(categoryId);
  }
  const contacts: World['contacts'] = [];
  const started = Date.now();
  for (let i = 0; i < CONTACTS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, CONTACTS - i) }, async (_, k) => {
        const email = `customer${i + k}@example${(i + k) % 997}.test`;
        const { id } = await bus.execute(new ExecuteContactCommand(undefined, { type: 'CreateContact', data: { contactId: '', name: personName(random), emails: [email] } }, ctx(admin)));
        contacts.push({ id, email });
      }),
    );
  }
  console.log(`  ${CONTACTS.toLocaleString('en-US')} contacts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { agents, categories, contacts };
};

/** The events of one request's life, decided by the real request decider. */
const lifeOf = (requestId: string, number: number, world: World, catalog: Catalog, createdAt: number): RequestEvent[] => {
  const events: RequestEvent[] = [];
  let state: RequestState = requestDecider.initialState();
  const contact = pick(world.contacts);
  const agent = pick(world.agents);
  let time = createdAt;
  const run = (command: Omit<RequestCommand, 'metadata'>, actor: Actor) => {
    time += Math.floor(random() * 3_600_000);
    const metadata: CommandMetadata = { now: new Date(time).toISOString(), actor, channel: 'api', correlationId: 'bench' };
    for (const event of requestDecider.decide({ ...command, metadata } as RequestCommand, state, catalog)) {
      events.push(event);
      state = requestDecider.evolve(state, event);
    }
  };
  run(
    {
      type: 'CreateRequest',
      data: {
        requestId,
        number,
        title: `${pick(['Problem with', 'Question about', 'Refund for', 'Cannot use', 'Error in'])} ${sentence(random, 3)}`,
        contactIds: [contact.id],
        categoryId: pick(world.categories),
        priorityId: pick(['low', 'medium', 'medium', 'high']),
        tags: random() < 0.7 ? [pick(TAGS), ...(random() < 0.3 ? [pick(TAGS)] : [])] : [],
        channel: 'phone',
        message: { messageId: newId(), body: `${sentence(random, 25 + Math.floor(random() * 30))} invoice ${100000 + Math.floor(random() * 900000)}` },
      },
    },
    agent,
  );
  if (random() < 0.4) run({ type: 'AcceptRequest', data: {} }, agent);
  for (let m = 0; m < 4; m++) {
    if (m % 2 === 0) run({ type: 'AddInternalNote', data: { messageId: newId(), body: sentence(random, 15 + Math.floor(random() * 25)) } }, agent);
    else run({ type: 'ReplyToContact', data: { messageId: newId(), body: sentence(random, 20 + Math.floor(random() * 30)), to: [contact.email] } }, agent);
  }
  if (random() < 0.01 && state.kind === 'existing') run({ type: 'FlagMessage', data: { messageId: state.messages[0]!.messageId } }, agent);
  if (random() < 0.5) run({ type: 'CloseRequest', data: {} }, agent);
  return events;
};

const generate = async (store: EventStore, world: World, catalog: Catalog) => {
  const started = Date.now();
  const firstTime = Date.now() - YEAR_MS;
  let events = 0;
  let number = 0;
  const batch = 500;
  for (let i = 0; i < REQUESTS; i += batch) {
    const writes: StreamWrite[] = [];
    const reservations = [];
    for (let k = 0; k < Math.min(batch, REQUESTS - i); k++) {
      const requestId = newId();
      number++;
      reservations.push({ id: newId(), type: 'RequestNumberReserved', data: { requestId } });
      const life = lifeOf(requestId, number, world, catalog, firstTime + Math.floor(((i + k) / REQUESTS) * YEAR_MS));
      events += life.length;
      const metadata = { actorId: world.agents[0]!.id, actorRole: 'agent', channel: 'api', correlationId: 'bench', schemaVersion: 1 };
      writes.push({
        streamId: Streams.request(requestId),
        expectedRevision: 'no_stream',
        events: life.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata: { ...metadata, occurredAt: (event.data as { at?: string; createdAt?: string }).at ?? (event.data as { createdAt?: string }).createdAt ?? new Date().toISOString() } })),
      });
    }
    writes.push({ streamId: Streams.requestNumbers, expectedRevision: 'any', events: reservations });
    await store.appendMany(writes);
    if ((i / batch) % 100 === 0) process.stdout.write(`\r  ${(i + batch).toLocaleString('en-US')} requests, ${events.toLocaleString('en-US')} events`);
  }
  const seconds = (Date.now() - started) / 1000;
  console.log(`\r  ${REQUESTS.toLocaleString('en-US')} requests, ${events.toLocaleString('en-US')} events written in ${seconds.toFixed(0)} s`);
  return events;
};

const nthPosition = async (store: EventStore, n: number): Promise<bigint> => {
  let position: bigint | undefined;
  let seen = 0;
  while (seen < n) {
    const page = await store.readAll({ fromPosition: position, maxCount: Math.min(5000, n - seen) });
    if (page.length === 0) break;
    seen += page.length;
    position = page[page.length - 1]!.position;
  }
  return position!;
};

const timeQueries = async (label: string, n: number, run: (i: number) => Promise<unknown>) => {
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const began = performance.now();
    await run(i);
    latencies.push(performance.now() - began);
  }
  const { p50, p99, max } = summarise(latencies);
  const line = `| ${label} | ${n} | ${p50.toFixed(2)} | ${p99.toFixed(2)} | ${max.toFixed(1)} |`;
  console.log(line);
  return line;
};

const main = async () => {
  const dataDir = join(DIR, 'data');
  const lines: string[] = [];
  let app: INestApplicationContext;
  if (!REUSE || !existsSync(join(dataDir, 'events.sqlite'))) {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    console.log(`Generating ${REQUESTS.toLocaleString('en-US')} requests in ${DIR}`);
    app = await openApp(dataDir);
    const world = await setUp(app);
    const catalog = await app.get(CatalogService).current();
    const events = await generate(app.get<EventStore>(EVENT_STORE), world, catalog);
    lines.push(`Data: ${REQUESTS.toLocaleString('en-US')} requests (${(REQUESTS * 5).toLocaleString('en-US')} messages), ${CONTACTS.toLocaleString('en-US')} contacts, ${events.toLocaleString('en-US')} events in the log.`);
    await app.close();
  }
  app = await openApp(dataDir);
  const store = app.get<EventStore>(EVENT_STORE);
  const head = (await store.headPosition())!;

  const table = ['| what | events | seconds | events/s |', '|---|---|---|---|'];
  // 2. Rebuild rate over the first 1,000,000 events, all projections, into a scratch store.
  const scratchPath = join(DIR, 'scratch.sqlite');
  rmSync(scratchPath, { force: true });
  const scratch = new SqliteDocumentStore({ path: scratchPath, synchronous: 'NORMAL' });
  const million = Math.min(1_000_000, Number(head));
  const through = await nthPosition(store, million);
  let began = performance.now();
  await new ProjectionRebuilder(store, scratch).buildInto(allProjections, through);
  let seconds = (performance.now() - began) / 1000;
  table.push(`| rebuild, all ${allProjections.length} projections, first ${million.toLocaleString('en-US')} events | ${million.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Math.round(million / seconds).toLocaleString('en-US')} |`);
  console.log(table[table.length - 1]);
  await scratch.close();
  rmSync(scratchPath, { force: true });

  // 3. The live read store from the whole log (skipped with --reuse when it is there, at the projections' versions).
  const documents = app.get<DocumentStore>(DOCUMENT_STORE);
  const registry = new ProjectionRegistry(documents);
  await registry.init();
  const current = async () => (await Promise.all(allProjections.map(async (p) => (await registry.entry(p.name))?.version === p.version))).every(Boolean);
  if (!REUSE || !(await current())) {
    began = performance.now();
    await new ProjectionRebuilder(store, documents).rebuild(allProjections, {
      onProgress: (p) => process.stdout.write(`\r  building read store: ${p.applied.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} at ${Math.round(p.eventsPerSecond).toLocaleString('en-US')} ev/s  `),
    });
    seconds = (performance.now() - began) / 1000;
    process.stdout.write('\n');
    table.push(`| rebuild, all projections, whole log | ${Number(head).toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Math.round(Number(head) / seconds).toLocaleString('en-US')} |`);
    console.log(table[table.length - 1]);
  }
  lines.push('', ...table, '');

  // 4. Latency through the query handlers, one query at a time.
  const queries = app.get(QueryBus);
  const catalog = await app.get(CatalogService).current();
  const agents = Object.values(catalog.agents).filter((a) => a.role === 'agent').map((a): Actor => ({ id: a.id, role: 'agent' }));
  const admin: Actor = { id: 'bench-admin', role: 'admin' };
  const categories = Object.keys(catalog.categories);
  const now = new Date();
  const list = (actor: Actor, params: object) => queries.execute(new ListRequestsQuery(actor, { limit: 50, now, ...params }));
  const latency = ['| query | runs | p50 ms | p99 ms | max ms |', '|---|---|---|---|---|'];
  latency.push(await timeQueries('own open (view=mine), agent with restricted categories', 500, (i) => list(agents[i % agents.length]!, { view: 'mine' })));
  latency.push(await timeQueries('unassigned queue by deadline', 500, () => list(admin, { view: 'unassigned' })));
  latency.push(await timeQueries('deadline passed', 500, () => list(admin, { view: 'deadline-passed' })));
  latency.push(await timeQueries('last requests', 500, () => list(admin, { view: 'last' })));
  latency.push(await timeQueries('by category', 500, (i) => list(admin, { categoryId: categories[i % categories.length] })));
  latency.push(await timeQueries('by tag', 500, (i) => list(admin, { tag: TAGS[i % TAGS.length] })));
  latency.push(await timeQueries('by status', 500, (i) => list(admin, { statusId: ['new', 'in-progress', 'closed'][i % 3] })));
  let cursor: string | undefined;
  latency.push(
    await timeQueries('last requests, walking 500 pages with the cursor', 500, async () => {
      const page = (await list(admin, { view: 'last', cursor })) as { nextCursor?: string };
      cursor = page.nextCursor;
    }),
  );
  const words = vocabulary.slice(2000, 12000);
  latency.push(await timeQueries('search, one mid-frequency word', 500, (i) => queries.execute(new SearchQuery(admin, words[(i * 7919) % words.length]!, 20))));
  latency.push(await timeQueries('search, two words', 500, (i) => queries.execute(new SearchQuery(admin, `${words[(i * 31) % words.length]} ${words[(i * 7) % words.length]}`, 20))));
  latency.push(await timeQueries('search, an invoice number', 500, (i) => queries.execute(new SearchQuery(admin, String(100000 + ((i * 1777) % 900000)), 20))));
  latency.push(await timeQueries('search, a word prefix', 500, (i) => queries.execute(new SearchQuery(admin, words[(i * 13) % words.length]!.slice(0, 4), 20))));
  latency.push(await timeQueries('search, one of the most common words', 200, (i) => queries.execute(new SearchQuery(admin, vocabulary[i % 20]!, 20))));
  lines.push(...latency);
  await app.close();

  record('Read side: rebuild rate and query latency', [
    `Script: \`npm run bench:read\` (${REQUESTS.toLocaleString('en-US')} requests). Embedded SQLite read store (synchronous=NORMAL); queries through the query handlers, in-process, one at a time; each list query also counts its total.`,
    '',
    ...lines,
  ]);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

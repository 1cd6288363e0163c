/**
 * Write-side throughput: each of 50 concurrent clients registers a request and runs 5 follow-up
 * commands on it (accept, note, PATCH priority+tags, reply, close), again and again — once in-process
 * through the CommandBus, once over HTTP against the real server process. Durable commits (SQLite
 * synchronous=FULL: an fsync per commit, shared by the commands committed together).
 *
 *   npm run bench:commands [-- --seconds 15 --clients 50]
 *
 * `--compare-projector N` runs the HTTP mode N times each way, alternating: the embedded projector on its
 * own thread (the default) and on the API's thread (PROJECTOR_THREAD=false). On a noisy machine, runs
 * side by side are the fair comparison.
 */
import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { Pool } from 'undici';
import {
  BootstrapService,
  CreateRequestCommand,
  DecideOnRequest,
  ExecuteContactCommand,
  ReplyToContactCommand,
  DecideOnStream,
  Streams,
  type CommandContext,
} from '@helpdesk/application';
import { agentDecider, type Actor } from '@helpdesk/domain';
import { loadConfig } from '@helpdesk/infrastructure';
import { ServerModule } from '../apps/server/src/server.module';
import { record, summarise } from './support/stats';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const SECONDS = arg('seconds', 15);
const modeIndex = process.argv.indexOf('--mode');
const MODE = modeIndex >= 0 ? process.argv[modeIndex + 1] : 'both';
const CLIENTS = arg('clients', 50);
const COMPARE_PROJECTOR = arg('compare-projector', 0);
const WARMUP_SECONDS = 2;

interface Run {
  commands: number;
  seconds: number;
  latencies: number[];
  errors: number;
}

/** Runs `workflow` in CLIENTS loops for WARMUP + SECONDS; counts only commands that finish in the measured window. */
const drive = async (step: (client: number, iteration: number) => AsyncGenerator<Promise<unknown>>): Promise<Run> => {
  const run: Run = { commands: 0, seconds: SECONDS, latencies: [], errors: 0 };
  const start = performance.now();
  const measureFrom = start + WARMUP_SECONDS * 1000;
  const stopAt = measureFrom + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let iteration = 0; performance.now() < stopAt; iteration++) {
        for await (const _done of timed(step(client, iteration), run, measureFrom, stopAt)) void _done;
      }
    }),
  );
  return run;
};

async function* timed(commands: AsyncGenerator<Promise<unknown>>, run: Run, from: number, to: number) {
  for (;;) {
    const began = performance.now();
    const next = await commands.next();
    if (next.done) return;
    try {
      await next.value;
    } catch (error) {
      run.errors++;
      if (run.errors < 5) console.error(String(error));
    }
    const ended = performance.now();
    if (began >= from && ended <= to) {
      run.commands++;
      run.latencies.push(ended - began);
    }
    yield;
  }
}

const report = (label: string, run: Run) => {
  const { p50, p99, max } = summarise(run.latencies);
  const line = `| ${label} | ${CLIENTS} | ${Math.round(run.commands / run.seconds).toLocaleString('en-US')} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${max.toFixed(1)} | ${run.errors} |`;
  console.log(line);
  return line;
};

const inProcess = async (): Promise<Run> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-inproc-'));
  const app = await NestFactory.createApplicationContext(ServerModule.forRoot(loadConfig({ DATA_DIR: dataDir })), { logger: ['error'] });
  await app.get(BootstrapService).run();
  const bus = app.get(CommandBus);
  const admin: Actor = { id: 'bench-admin', role: 'admin' };
  const ctx = (actor: Actor): CommandContext => ({ actor, channel: 'api', correlationId: randomUUID(), now: new Date() });
  const agentId = randomUUID();
  await bus.execute(new DecideOnStream(Streams.agent(agentId), agentDecider, { type: 'RegisterAgent', data: { agentId, name: 'Bench agent', email: 'agent@bench.test', role: 'agent' } }, ctx({ id: 'system', role: 'system' })));
  const agent: Actor = { id: agentId, role: 'agent' };
  const { id: contactId } = await bus.execute(new ExecuteContactCommand(undefined, { type: 'CreateContact', data: { contactId: '', name: 'Bench customer', emails: ['customer@bench.test'] } }, ctx(admin)));

  const run = await drive(async function* () {
    const created = bus.execute(new CreateRequestCommand({ title: 'Printer on fire', contactIds: [contactId], channel: 'phone', message: { body: 'The printer is on fire again.' } }, ctx(agent)));
    yield created;
    const { id } = (await created) as { id: string };
    yield bus.execute(new DecideOnRequest(id, { type: 'AcceptRequest', data: {} }, ctx(agent)));
    yield bus.execute(new DecideOnRequest(id, { type: 'AddInternalNote', data: { messageId: randomUUID(), body: 'Asked facilities.' } }, ctx(agent)));
    yield bus.execute(new DecideOnRequest(id, { type: 'UpdateRequest', data: { priorityId: 'high', tags: ['hardware', 'fire'] } }, ctx(agent)));
    yield bus.execute(new ReplyToContactCommand(id, { messageId: randomUUID(), body: 'Facilities are on their way.' }, ctx(agent)));
    yield bus.execute(new DecideOnRequest(id, { type: 'CloseRequest', data: {} }, ctx(agent)));
  });
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
  return run;
};

const overHttp = async (serverEnv: Record<string, string> = {}): Promise<Run> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-http-'));
  const token = `bench_${randomUUID()}`;
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server side.
  // Started as `npm start` starts it (its V8 flags included), just from the already built files.
  const packageJson = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8')) as { scripts: { start: string } };
  const startFlags = /node ((?:--\S+ )*)dist\/apps\/server/.exec(packageJson.scripts.start)?.[1].split(' ').filter(Boolean) ?? [];
  const nodeArgs = [...startFlags, ...(process.env['BENCH_SERVER_NODE_ARGS']?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, join(__dirname, '../apps/server/src/main.js')], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: token, LOG_FORMAT: 'json', ...serverEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /"message":"listening","url":"([^"]+)"/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  const pool = new Pool(url, { connections: CLIENTS, pipelining: 1 });
  const call = async (method: 'POST' | 'PATCH', path: string, body: unknown, bearer = token) => {
    const response = await pool.request({ method, path, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await response.body.json()) as any;
    if (response.statusCode >= 300) throw new Error(`${method} ${path} -> ${response.statusCode} ${JSON.stringify(json)}`);
    return json;
  };
  const agent = await call('POST', '/api/agents', { name: 'Bench agent', email: 'agent@bench.test', role: 'agent' });
  const { token: agentToken } = await call('POST', `/api/agents/${agent.id}/tokens`, { label: 'bench' });
  const contact = await call('POST', '/api/contacts', { name: 'Bench customer', emails: ['customer@bench.test'] });

  const run = await drive(async function* () {
    const created = call('POST', '/api/requests', { title: 'Printer on fire', contactIds: [contact.id], channel: 'phone', message: { body: 'The printer is on fire again.' } }, agentToken);
    yield created;
    const { id } = await created;
    yield call('POST', `/api/requests/${id}/accept`, {}, agentToken);
    yield call('POST', `/api/requests/${id}/notes`, { body: 'Asked facilities.' }, agentToken);
    yield call('PATCH', `/api/requests/${id}`, { priorityId: 'high', tags: ['hardware', 'fire'] }, agentToken);
    yield call('POST', `/api/requests/${id}/replies`, { body: 'Facilities are on their way.' }, agentToken);
    yield call('POST', `/api/requests/${id}/close`, {}, agentToken);
  });
  await pool.close();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
  return run;
};

const main = async () => {
  console.log(`${CLIENTS} clients, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s measured per mode; create + 5 follow-ups per request; synchronous=FULL`);
  const header = ['| mode | clients | commands/s | p50 ms | p99 ms | max ms | errors |', '|---|---|---|---|---|---|---|'];
  console.log(header.join('\n'));
  const lines: string[] = [];
  if (MODE !== 'http') lines.push(report('in-process (CommandBus)', await inProcess()));
  const http = 'HTTP (real server process, load generator on the same machine)';
  if (MODE !== 'inprocess' && COMPARE_PROJECTOR === 0) lines.push(report(http, await overHttp()));
  for (let i = 0; MODE !== 'inprocess' && i < COMPARE_PROJECTOR; i++) {
    lines.push(report(`${http}, projector on its own thread`, await overHttp()));
    lines.push(report(`${http}, projector on the API thread`, await overHttp({ PROJECTOR_THREAD: 'false' })));
  }
  if (process.argv.includes('--no-record')) return;
  record('Write side: durable commands per second', [
    `Workload: ${CLIENTS} concurrent clients, each registering a request and running 5 follow-up commands on it (accept, note, PATCH priority+tags, reply, close), for ${SECONDS} s after ${WARMUP_SECONDS} s of warm-up. SQLite event store with synchronous=FULL (fsync per commit; concurrent commands share a commit). Script: \`npm run bench:commands\`.`,
    '',
    ...header,
    ...lines,
  ]);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

import { execFile, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { SqliteEventStore } from '@helpdesk/event-store';
import { expectStatus, requestState, waitFor } from './e2e-harness';
import type { HttpClient, HttpResponse } from './http-client';

/** Helpers for the read-side tests: paging, NDJSON, positions, the operations CLI, the read store file. */

const CLI = resolve(__dirname, '../../dist/apps/server/src/cli.js');
const CLOCK_SHIFT = resolve(__dirname, 'clock-shift.cjs');
const MAIN = resolve(__dirname, '../../dist/apps/server/src/main.js');

// ---- positions and read-your-writes -----------------------------------------------------------------

/** X-Read-Position of an answer (how far the read models were), or undefined when it has none. */
export const readPosition = (response: HttpResponse): number | undefined => {
  const header = response.headers.get('x-read-position');
  return header === null ? undefined : Number(header);
};

/**
 * Commands stamp `now` in milliseconds: waiting a few makes the next command's time differ from the last
 * one's, so orders by time are not left to ties (setup, never an assertion).
 */
export const nextInstant = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 3));

export const headOf = async (store: SqliteEventStore): Promise<number> => Number((await store.headPosition()) ?? 0n);

/** The same path with `minPosition=` added: read-your-writes by query parameter. */
export const atLeast = (path: string, position: number | string): string => `${path}${path.includes('?') ? '&' : '?'}minPosition=${position}`;

/**
 * Waits (polling, bounded) until the server's read models have applied every event of the log so far.
 * A 503 (still behind after the server's own 2 s wait) is retried; anything else fails at once.
 */
export const caughtUp = async (client: HttpClient, store: SqliteEventStore, timeoutMs = 60_000): Promise<number> => {
  const head = await headOf(store);
  return waitFor(
    async () => {
      const response = await client.get('/api/requests?limit=1', { 'x-min-position': String(head) });
      if (response.status === 503) return undefined;
      expectStatus(response, 200);
      expect(readPosition(response)).toBeGreaterThanOrEqual(head);
      return head;
    },
    timeoutMs,
    `the read models to reach position ${head}`,
  );
};

// ---- pages ----------------------------------------------------------------------------------------

export interface Walked<T> {
  readonly items: T[];
  readonly pages: number;
  /** `count` of the first page (each page must say the same). */
  readonly count: number | undefined;
}

/**
 * Follows nextCursor from the first page to the last. Every page has at most `limit` items and the same
 * `count`; a page that offers a next cursor is full.
 */
export const walk = async <T = any>(client: HttpClient, path: string, limit: number, headers?: Record<string, string>): Promise<Walked<T>> => {
  const separator = path.includes('?') ? '&' : '?';
  const items: T[] = [];
  let cursor: string | undefined;
  let count: number | undefined;
  let pages = 0;
  for (;;) {
    const response = await client.get(`${path}${separator}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers);
    expectStatus(response, 200);
    pages++;
    if (pages === 1) count = response.body.count;
    else expect(response.body.count).toBe(count);
    expect(response.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    if (cursor === undefined) return { items, pages, count };
    expect(response.body.items.length).toBe(limit);
    if (pages > 10_000) throw new Error(`${path}: more than 10000 pages, the cursor does not advance`);
  }
};

export const idsOf = (items: readonly { id: string }[]): string[] => items.map((i) => i.id);

// ---- NDJSON ---------------------------------------------------------------------------------------

/** One JSON value per line; the text ends with a newline unless it is empty. */
export const ndjsonLines = (text: unknown): any[] => {
  if (text === undefined || text === '') return [];
  if (typeof text !== 'string') throw new Error(`Expected NDJSON text, got ${JSON.stringify(text).slice(0, 200)}`);
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
};

/** A raw GET whose body stays text (NDJSON of one line would otherwise be parsed as JSON by the client). */
export const getText = async (baseUrl: string, token: string, path: string): Promise<{ status: number; headers: Headers; text: string }> => {
  const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, text: await response.text() };
};

// ---- the operations CLI -----------------------------------------------------------------------------

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node dist/apps/server/src/cli.js <args>` against a data directory, as an operator runs it. */
export const runCli = (dataDir: string, args: readonly string[]): Promise<CliResult> =>
  new Promise((done, fail) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, DATA_DIR: dataDir }, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        fail(error);
        return;
      }
      done({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });

/** `cli projections`: each projection's active collection and checkpoint ("-" when none). */
export const projectionStates = async (dataDir: string): Promise<{ name: string; collection: string; checkpoint: number | undefined; head: number | undefined }[]> => {
  const result = await runCli(dataDir, ['projections']);
  if (result.code !== 0) throw new Error(`cli projections exited ${result.code}: ${result.stderr}`);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => {
      const match = /^(\S+)\s+v\d+\s+(\S+)\s+at (\S+) of (\S+)$/.exec(line.trim());
      if (!match) throw new Error(`Unexpected line from cli projections: ${line}`);
      const number = (value: string) => (value === '-' ? undefined : Number(value));
      return { name: match[1]!, collection: match[2]!, checkpoint: number(match[3]!), head: number(match[4]!) };
    });
};

// ---- the read store file ----------------------------------------------------------------------------

export const readStorePath = (dataDir: string): string => join(dataDir, 'read.sqlite');

/** Deletes the read models of a (stopped) server: the next start rebuilds them from the log. */
export const deleteReadStore = (dataDir: string): void => {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${readStorePath(dataDir)}${suffix}`, { force: true });
};

/** Opens the read store file directly (the server must be stopped for writes). */
export const openReadStore = (dataDir: string, options: { readonly?: boolean } = {}): Database.Database =>
  new Database(readStorePath(dataDir), { readonly: options.readonly ?? false, fileMustExist: true });

/** Checkpoints of every collection, as committed; empty while the file or the table is missing. */
export const committedCheckpoints = (db: Database.Database): number[] => {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'read_store_checkpoints'").get();
  if (!table) return [];
  return (db.prepare('SELECT position FROM read_store_checkpoints').all() as { position: number | bigint }[]).map((r) => Number(r.position));
};

export const readStoreExists = (dataDir: string): boolean => existsSync(readStorePath(dataDir));

// ---- a server living at another time ------------------------------------------------------------------

/** Environment for startServerProcess that runs the server `offsetMs` away from now (see clock-shift.cjs). */
export const shiftedClock = (offsetMs: number): Record<string, string> => ({
  NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${CLOCK_SHIFT}`.trim(),
  TEST_CLOCK_OFFSET_MS: String(offsetMs),
});

// ---- what the log says ----------------------------------------------------------------------------

export interface LoggedRequest {
  readonly id: string;
  readonly number: number;
  readonly title: string;
  readonly baseStatus: string;
  readonly statusId: string;
  readonly messageIds: string[];
  readonly flaggedMessageIds: string[];
}

/** Every request of the log, folded by the write side's own evolve: what the read models must show. */
export const requestsInLog = async (store: SqliteEventStore): Promise<Map<string, LoggedRequest>> => {
  const ids: string[] = [];
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ fromPosition: after, maxCount: 5000, filter: { eventTypes: ['RequestCreated'] } });
    ids.push(...page.map((e) => e.data.requestId as string));
    if (page.length < 5000) break;
    after = page[page.length - 1]!.position;
  }
  const requests = new Map<string, LoggedRequest>();
  for (const id of ids) {
    const state = await requestState(store, id);
    requests.set(id, {
      id,
      number: state.number,
      title: state.title,
      baseStatus: state.baseStatus,
      statusId: state.statusId,
      messageIds: state.messages.map((m) => m.messageId),
      flaggedMessageIds: state.messages.filter((m) => m.flagged).map((m) => m.messageId),
    });
  }
  return requests;
};

/** Every event of the log, in order, as GET /api/events renders it. */
export const logAsFeed = async (store: SqliteEventStore): Promise<object[]> => {
  const entries: object[] = [];
  let after: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ fromPosition: after, maxCount: 5000 });
    for (const e of page) {
      entries.push({
        position: Number(e.position),
        streamId: e.streamId,
        revision: Number(e.revision),
        type: e.type,
        data: e.data,
        actorId: e.metadata['actorId'] ?? null,
        actorRole: e.metadata['actorRole'] ?? null,
        channel: e.metadata['channel'] ?? null,
        occurredAt: e.metadata['occurredAt'] ?? null,
        recordedAt: e.recordedAt,
        correlationId: e.metadata['correlationId'] ?? null,
        eventId: e.id,
      });
    }
    if (page.length < 5000) return entries;
    after = page[page.length - 1]!.position;
  }
};

// ---- configuration through the API --------------------------------------------------------------------

/** A category defined by the admin; its id. */
export const defineCategory = async (admin: HttpClient, input: { name: string; restricted?: boolean; memberIds?: string[] }): Promise<string> => {
  const response = await admin.post('/api/categories', input);
  expectStatus(response, 201);
  return response.body.id;
};

/** A priority defined by the admin (deadline = creation + deadlineMinutes, or none); its id. */
export const definePriority = async (admin: HttpClient, input: { name: string; deadlineMinutes: number | null; rank?: number }): Promise<string> => {
  const response = await admin.post('/api/priorities', input);
  expectStatus(response, 201);
  return response.body.id;
};

// ---- load ---------------------------------------------------------------------------------------------

/** Runs `task(0..count-1)` with at most `concurrency` at a time; results in index order; the first failure fails it. */
export const inParallel = async <T>(count: number, concurrency: number, task: (index: number) => Promise<T>): Promise<T[]> => {
  const results = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        const index = next++;
        results[index] = await task(index);
      }
    }),
  );
  return results;
};

// ---- a server process we may kill at any moment ---------------------------------------------------------

export interface RawServer {
  readonly output: () => string;
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * Starts the built server without waiting for it to listen (startServerProcess waits for that): for
 * crashing it while it is still starting, e.g. while its projector rebuilds the read models from zero.
 */
export const spawnServer = (dataDir: string, env: Record<string, string>): RawServer => {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    output: () => output,
    exited,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
};

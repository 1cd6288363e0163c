import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@helpdesk/event-store';
import { collectionOf, projection, type Projection } from '@helpdesk/projections';
import { SqliteDocumentStore } from '../sqlite/sqlite-document-store';
import { ProjectionRegistry } from './projection-registry';
import { ProjectionRunner } from './projection-runner';

/** A read model small enough to check by hand: per stream, how many events and which types, in order. */
const tally = (version: number, shape: 'count' | 'types'): Projection<any> =>
  projection<{ id: string; count: number; types?: string[] }>({
    name: 'tally',
    version,
    handles: ['Happened', 'Noted'],
    id: (e) => e.streamId,
    evolve: (doc, e) =>
      shape === 'count'
        ? { id: e.streamId, count: (doc?.count ?? 0) + 1 }
        : { id: e.streamId, count: (doc?.count ?? 0) + 1, types: [...(doc?.types ?? []), e.type] },
    indexes: [],
  });

const event = (type: string) => ({ id: randomUUID(), type, data: {} });

describe('ProjectionRunner (real SQLite stores)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let documents: SqliteDocumentStore;
  const runners: ProjectionRunner[] = [];
  const run = async (projections: Projection[], options = {}) => {
    const runner = new ProjectionRunner(events, documents, projections, { lingerMs: 0, ...options });
    runners.push(runner);
    await runner.start();
    return runner;
  };
  const active = async (p: Projection) => new ProjectionRegistry(documents).activeCollection(p);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
    events = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    documents = new SqliteDocumentStore({ path: join(dir, 'read.sqlite') });
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop();
    await documents.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies what is appended, in order, and says how far it has got', async () => {
    const progress: bigint[] = [];
    const runner = await run([tally(1, 'types')], { onProgress: (p: bigint) => progress.push(p) });
    await events.append('thing-a', [event('Happened'), event('Noted')], 'no_stream');
    const { position } = await events.append('thing-b', [event('Happened'), event('Ignored')], 'no_stream');
    expect(await runner.waitFor(position, 5000)).toBe(true);
    expect(runner.position()).toBe(position);
    expect(progress[progress.length - 1]).toBe(position);
    const collection = await active(tally(1, 'types'));
    expect(await documents.get(collection, 'thing-a')).toMatchObject({ count: 2, types: ['Happened', 'Noted'] });
    expect(await documents.get(collection, 'thing-b')).toMatchObject({ count: 1, types: ['Happened'] });
    expect(await documents.checkpoint(collection)).toBe(position);
  });

  it('gives up waiting for a position the log has not reached', async () => {
    const runner = await run([tally(1, 'count')]);
    expect(await runner.waitFor(1_000_000n, 50)).toBe(false);
  });

  it('stopped and started again, goes on from its checkpoint: nothing applied twice, nothing missed', async () => {
    const first = await run([tally(1, 'count')]);
    const { position } = await events.append('thing-a', [event('Happened'), event('Happened')], 'no_stream');
    expect(await first.waitFor(position, 5000)).toBe(true);
    await first.stop();
    await events.append('thing-a', [event('Noted')], 1n);
    const last = await events.append('thing-c', [event('Noted')], 'no_stream');
    const second = await run([tally(1, 'count')]);
    expect(await second.waitFor(last.position, 5000)).toBe(true);
    const collection = await active(tally(1, 'count'));
    expect(await documents.get(collection, 'thing-a')).toMatchObject({ count: 3 });
    expect(await documents.get(collection, 'thing-c')).toMatchObject({ count: 1 });
  });

  it('rebuilds a projection whose version went up into a new collection while the old one serves, then switches to it', async () => {
    const v1 = tally(1, 'count');
    const old = await run([v1]);
    const { position } = await events.append('thing-a', [event('Happened'), event('Noted')], 'no_stream');
    expect(await old.waitFor(position, 5000)).toBe(true);
    await old.stop();
    expect(await active(v1)).toBe(collectionOf(v1));

    const v2 = tally(2, 'types');
    const upgraded = await run([v2]);
    await upgraded.upgraded();
    const collection = await active(v2);
    expect(collection).not.toBe(collectionOf(v1));
    expect(collection.startsWith('tally_v2')).toBe(true);
    expect(await documents.get(collection, 'thing-a')).toMatchObject({ count: 2, types: ['Happened', 'Noted'] });
    expect((await new ProjectionRegistry(documents).entry('tally'))?.version).toBe(2);

    // And the running runner follows the new collection from there on.
    const next = await events.append('thing-a', [event('Happened')], 1n);
    expect(await upgraded.waitFor(next.position, 5000)).toBe(true);
    expect(await documents.get(collection, 'thing-a')).toMatchObject({ count: 3, types: ['Happened', 'Noted', 'Happened'] });
  }, 20_000);

  it('follows a switch made elsewhere even when no event comes after it, and brings the new collection up to the head', async () => {
    // A rebuild (the CLI) caught up to `first`; then an event came, which the live runner applied to the
    // old collection; then the rebuild switched. Nothing is appended afterwards.
    const v1 = tally(1, 'count');
    const runner = await run([v1]);
    const first = await events.append('thing-a', [event('Happened')], 'no_stream');
    expect(await runner.waitFor(first.position, 5000)).toBe(true);
    const rebuilt = `${collectionOf(v1)}_rebuilt`;
    await documents.ensureCollection({ name: rebuilt, indexes: [] });
    await documents.transaction(async (writer) => {
      writer.upsert(rebuilt, 'thing-a', { id: 'thing-a', count: 1, _position: Number(first.position) });
      writer.setCheckpoint(rebuilt, first.position, null);
    });
    const second = await events.append('thing-a', [event('Noted')], 0n);
    expect(await runner.waitFor(second.position, 5000)).toBe(true);
    const registry = new ProjectionRegistry(documents);
    await documents.transaction(async (writer) => registry.write(writer, { name: 'tally', version: 1, active: rebuilt, building: null }));

    const deadline = Date.now() + 10_000;
    while ((await documents.checkpoint(rebuilt)) !== second.position && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(await documents.checkpoint(rebuilt)).toBe(second.position);
    expect(await documents.get(rebuilt, 'thing-a')).toMatchObject({ count: 2 });
  }, 20_000);
});

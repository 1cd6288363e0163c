import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '@helpdesk/event-store';
import { StreamLoader } from './stream-loader';

/** Folds to the list of event types seen, so a test can tell a stale fold from a fresh one. */
const typesSeen = {
  initialState: (): string[] => [],
  evolve: (state: string[], event: { type: string }) => [...state, event.type],
};
const anEvent = (type: string) => ({ id: randomUUID(), type, data: {}, metadata: {} });

describe('StreamLoader', () => {
  let folder: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'stream-loader-'));
    store = new SqliteEventStore({ path: join(folder, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('folds a stream, and folds in what another writer appended after a cached snapshot', async () => {
    const loader = new StreamLoader(store);
    await store.append('thing-1', [anEvent('A'), anEvent('B')], 'no_stream');
    expect((await loader.load('thing-1', typesSeen)).state).toEqual(['A', 'B']);

    await store.append('thing-1', [anEvent('C')], 1n);
    const snapshot = await loader.load('thing-1', typesSeen);
    expect(snapshot.state).toEqual(['A', 'B', 'C']);
    expect(snapshot.revision).toBe(2n);
  });

  it('knows a stream exists only once it has seen an event of it', async () => {
    const loader = new StreamLoader(store);
    await loader.load('thing-2', typesSeen);
    expect(loader.knownToExist('thing-2')).toBe(false);

    await store.append('thing-2', [anEvent('A')], 'no_stream');
    expect(loader.knownToExist('thing-2')).toBe(false);
    await loader.load('thing-2', typesSeen);
    expect(loader.knownToExist('thing-2')).toBe(true);

    loader.forget('thing-2');
    expect(loader.knownToExist('thing-2')).toBe(false);
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const loader = new StreamLoader(store, 2);
    for (const id of ['s-1', 's-2', 's-3']) await store.append(id, [anEvent('A')], 'no_stream');
    await loader.load('s-1', typesSeen);
    await loader.load('s-2', typesSeen);
    await loader.load('s-1', typesSeen);
    await loader.load('s-3', typesSeen);
    expect(['s-1', 's-2', 's-3'].map((id) => loader.knownToExist(id))).toEqual([true, false, true]);
  });
});

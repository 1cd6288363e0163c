import { describe, expect, it } from '@jest/globals';
import { Long } from 'mongodb';
import { aTicket, countedTicketsIn, modelCountBy, ticketsIn } from '../contract/contract-fixtures';
import { CollectionInfo } from './definitions';
import { CheckpointConflictError } from './errors';
import { Expectation, MongoDocumentWriter, serialiseDocument } from './mongo-document-writer';
import { countKey } from './counters';
import { infoOf } from './testing/fixtures';
import { MemoryBackend } from './testing/memory-backend';

const catalogOf = (...infos: CollectionInfo[]) => new Map(infos.map((i) => [i.name, i]));

function writerOn(
  backend: MemoryBackend,
  infos: CollectionInfo[],
  options: { expectation?: (name: string) => Expectation; maxPendingWrites?: number; observed?: (name: string, p: bigint | null) => void } = {},
) {
  return new MongoDocumentWriter(backend, catalogOf(...infos), {
    Long,
    maxPendingWrites: options.maxPendingWrites ?? 10_000,
    expectation: options.expectation ?? (() => undefined),
    ...(options.observed ? { observed: options.observed } : {}),
  });
}

describe('MongoDocumentWriter (over an in-memory backend)', () => {
  const tickets = infoOf(ticketsIn('tickets'));
  const counted = infoOf(countedTicketsIn('counted'));

  it('buffers writes (the last per document wins) and applies them in one bulk write per collection at the end', async () => {
    const backend = new MemoryBackend();
    const writer = writerOn(backend, [tickets]);
    const [a, b] = [aTicket({ subject: 'first' }), aTicket()];
    writer.upsert('tickets', a.id, a);
    writer.upsert('tickets', a.id, { ...a, subject: 'second' });
    writer.upsert('tickets', b.id, b);
    writer.delete('tickets', b.id);
    writer.delete('tickets', 'never-there');
    expect(backend.calls).toEqual([]);
    await writer.finish();
    expect(backend.calls).toEqual(['write tickets 3']);
    expect(backend.documents('tickets')).toEqual([
      { _id: a.id, d: { ...a, subject: 'second' }, x: expect.objectContaining({ w: expect.arrayContaining(['second']) }) },
    ]);
  });

  it('reads its own writes as copies, and the stored documents otherwise', async () => {
    const backend = new MemoryBackend();
    const stored = aTicket({ subject: 'stored' });
    backend.collection('tickets').set(JSON.stringify(stored.id), { _id: stored.id, d: stored });
    const writer = writerOn(backend, [tickets]);
    await expect(writer.get('tickets', stored.id)).resolves.toEqual(stored);
    writer.upsert('tickets', stored.id, { ...stored, subject: 'changed' });
    const read = await writer.get<{ subject: string }>('tickets', stored.id);
    expect(read).toMatchObject({ subject: 'changed' });
    read!.subject = 'mutated by the caller';
    await expect(writer.get('tickets', stored.id)).resolves.toMatchObject({ subject: 'changed' });
    writer.delete('tickets', stored.id);
    await expect(writer.get('tickets', stored.id)).resolves.toBeUndefined();
  });

  it('writes what was buffered before a read once past maxPendingWrites', async () => {
    const backend = new MemoryBackend();
    const writer = writerOn(backend, [tickets], { maxPendingWrites: 2 });
    writer.upsert('tickets', 'a', aTicket({ id: 'a' }));
    writer.upsert('tickets', 'b', aTicket({ id: 'b' }));
    await writer.get('tickets', 'c');
    expect(backend.calls).toEqual(['write tickets 2', 'find tickets c']);
  });

  it('stores a copy of the document as JSON has it, and refuses what JSON cannot hold at the caller\'s line', () => {
    const document = { id: 'a', at: new Date(0), gone: undefined, nested: { n: 1 } };
    const copy = serialiseDocument('c', 'a', document);
    expect(copy).toEqual({ id: 'a', at: '1970-01-01T00:00:00.000Z', nested: { n: 1 } });
    document.nested.n = 2;
    expect(copy.nested).toEqual({ n: 1 });
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const bad of [{ n: 1n }, cycle, [1, 2], null, 'text']) expect(() => serialiseDocument('c', 'a', bad)).toThrow(TypeError);
    const writer = writerOn(new MemoryBackend(), [tickets]);
    expect(() => writer.upsert('tickets', 'a', { n: 1n })).toThrow(TypeError);
    expect(() => writer.upsert('tickets', '', {})).toThrow(TypeError);
    expect(() => writer.upsert('missing', 'a', {})).toThrow(/Unknown collection/);
    expect(() => writer.setCheckpoint('p', -1n)).toThrow(TypeError);
    expect(() => writer.setCheckpoint('', 1n)).toThrow(TypeError);
  });

  it('moves the counters by the difference from the stored versions, giving what counting gives', async () => {
    const backend = new MemoryBackend();
    const write = async (changes: [string, object | null][]) => {
      const writer = writerOn(backend, [counted]);
      for (const [id, document] of changes) {
        if (document === null) writer.delete('counted', id);
        else writer.upsert('counted', id, document);
      }
      await writer.finish();
    };
    const a = aTicket({ id: 'a', status: 'open', ownerId: 'alice', tags: ['vip', 'billing'] });
    const b = aTicket({ id: 'b', status: 'open', tags: [] });
    await write([['a', a], ['b', b]]);
    await write([['a', { ...a, status: 'closed', tags: ['vip'] }], ['b', b], ['c', aTicket({ id: 'c', status: 'new' })]]);
    await write([['c', null], ['a', { ...a, status: 'closed', tags: ['vip'] }]]);
    // The stored versions were read for the counters' fields only, in one query per flush.
    expect(backend.calls.filter((c) => c.startsWith('find'))).toEqual(['find counted a,b', 'find counted a,b,c', 'find counted a,c']);

    const documents = backend.documents('counted').map((d) => d.d as Record<string, unknown>);
    const rows = backend.documents('read_store.counters.counted') as { c: string; k0: unknown; v: number }[];
    const grouped = (counter: string) => {
      const counts: Record<string, number> = {};
      for (const row of rows.filter((r) => r.c === counter && r.v !== 0)) counts[countKey(row.k0)] = (counts[countKey(row.k0)] ?? 0) + row.v;
      return counts;
    };
    expect(grouped('by_status')).toEqual(modelCountBy(documents, 'status'));
    expect(grouped('by_tag')).toEqual(modelCountBy(documents, 'tags'));
  });

  it('leaves counters alone while bulk loading, and keeps the text keys', async () => {
    const backend = new MemoryBackend();
    const bulk = infoOf(countedTicketsIn('counted'), { bulk: true });
    const writer = writerOn(backend, [bulk]);
    writer.upsert('counted', 'a', aTicket({ id: 'a', subject: 'Printer' }));
    await writer.finish();
    expect(backend.calls).toEqual(['write counted 1']);
    expect(backend.documents('counted')[0]).toMatchObject({ x: { w: ['printer'] } });
  });

  it('notes arrays found in watched fields for the registry, and refuses parallel arrays at once', async () => {
    const backend = new MemoryBackend();
    backend.collection('read_store.collections').set(JSON.stringify('counted'), { _id: 'counted', arrays: [] });
    const writer = writerOn(backend, [counted]);
    writer.upsert('counted', 'a', aTicket({ id: 'a', tags: ['vip'] }));
    writer.upsert('counted', 'b', aTicket({ id: 'b', tags: ['x'], subject: ['not', 'watched'] as unknown as string }));
    expect(() => writer.upsert('counted', 'c', aTicket({ id: 'c', updatedAt: ['x'] as unknown as string }))).toThrow(
      /by_status: fields .*updatedAt.* both hold arrays|by_tag: fields tags and updatedAt both hold arrays/,
    );
    expect(() => writer.upsert('counted', 'd', aTicket({ id: 'd', tags: ['a'], updatedAt: ['x'] as unknown as string }))).toThrow(/both hold arrays/);
    expect([...writer.newArrays]).toEqual([['counted', new Set(['tags'])]]);
    await writer.finish();
    expect(backend.documents('read_store.collections')).toEqual([{ _id: 'counted', arrays: ['tags'] }]);
    // Known already: nothing more to note.
    const next = writerOn(backend, [infoOf(countedTicketsIn('counted'), { arrays: ['tags'] })]);
    next.upsert('counted', 'e', aTicket({ id: 'e', tags: ['vip'] }));
    expect(next.newArrays.size).toBe(0);
  });

  describe('checkpoints', () => {
    const position = (backend: MemoryBackend, name: string) =>
      (backend.collection('read_store.checkpoints').get(JSON.stringify(name))?.position as Long | undefined)?.toBigInt();

    it('are written as Long, the last write winning without an expectation', async () => {
      const backend = new MemoryBackend();
      const writer = writerOn(backend, [tickets]);
      writer.setCheckpoint('p', 2n ** 62n + 1n);
      writer.setCheckpoint('q', 3n);
      await writer.finish();
      expect(position(backend, 'p')).toBe(2n ** 62n + 1n);
      expect(backend.calls).toEqual(['write read_store.checkpoints 2']);
    });

    it('compare-and-set: commit only over the expected position, else fail with nothing written', async () => {
      const backend = new MemoryBackend();
      const first = writerOn(backend, [tickets]);
      first.setCheckpoint('p', 10n, null);
      await first.finish();
      expect(position(backend, 'p')).toBe(10n);

      const fenced = writerOn(backend, [tickets]);
      fenced.upsert('tickets', 'a', aTicket({ id: 'a' }));
      fenced.setCheckpoint('p', 20n, 5n);
      const failure = fenced.finish();
      await expect(failure).rejects.toBeInstanceOf(CheckpointConflictError);
      await expect(failure).rejects.toMatchObject({ checkpoint: 'p', expected: 5n, actual: 10n });
      expect(position(backend, 'p')).toBe(10n);

      const again = writerOn(backend, [tickets]);
      again.setCheckpoint('p', 20n, null);
      await expect(again.finish()).rejects.toMatchObject({ expected: null, actual: 10n });

      const right = writerOn(backend, [tickets]);
      right.setCheckpoint('p', 20n, 10n);
      await right.finish();
      expect(position(backend, 'p')).toBe(20n);
    });

    it('take the store\'s expectation when the writer gives none, and report what was read for "current"', async () => {
      const backend = new MemoryBackend();
      const seed = writerOn(backend, [tickets]);
      seed.setCheckpoint('p', 7n);
      await seed.finish();
      const observed: [string, bigint | null][] = [];
      const tracked = writerOn(backend, [tickets], {
        expectation: (name) => (name === 'p' ? 6n : 'current'),
        observed: (name, p) => observed.push([name, p]),
      });
      tracked.setCheckpoint('q', 1n);
      tracked.setCheckpoint('p', 8n);
      await expect(tracked.finish()).rejects.toMatchObject({ checkpoint: 'p', expected: 6n, actual: 7n });
      expect(observed).toEqual([['q', null]]);
      // An explicit expectation wins over the store's.
      const explicit = writerOn(backend, [tickets], { expectation: () => 6n });
      explicit.setCheckpoint('p', 8n, 7n);
      await explicit.finish();
      expect(position(backend, 'p')).toBe(8n);
    });
  });

  it('refuses use once finished or abandoned', async () => {
    const writer = writerOn(new MemoryBackend(), [tickets]);
    await writer.finish();
    expect(() => writer.upsert('tickets', 'a', {})).toThrow(/transaction is over/);
    const abandoned = writerOn(new MemoryBackend(), [tickets]);
    abandoned.upsert('tickets', 'a', aTicket({ id: 'a' }));
    abandoned.abandon();
    expect(() => abandoned.delete('tickets', 'a')).toThrow(/transaction is over/);
    await expect(abandoned.get('tickets', 'a')).rejects.toThrow(/transaction is over/);
    await expect(abandoned.finish()).rejects.toThrow(/transaction is over/);
  });
});

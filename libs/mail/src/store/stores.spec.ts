import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskBlobStore, sha256 } from '../blobs/blob-store';
import { SqliteBlobStore } from '../blobs/sqlite-blob-store';
import { FileSecretStore } from '../secrets/secret-store';
import { SqliteMailStore } from './sqlite-mail-store';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'hd-mail-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['DiskBlobStore', () => new DiskBlobStore(join(dir, 'blobs'))],
  ['SqliteBlobStore', () => new SqliteBlobStore(join(dir, 'blobs.sqlite'))],
] as const)('%s', (_name, open) => {
  it('stores by content: the same bytes once, under their sha256, durably and concurrently', async () => {
    const blobs = open();
    const bytes = Buffer.from('From: a@b\r\n\r\nhi');
    const first = await blobs.put(bytes);
    expect(first).toEqual({ hash: sha256(bytes), size: bytes.length });
    expect(await blobs.put(bytes)).toEqual(first);
    expect((await blobs.get(first.hash))!.equals(bytes)).toBe(true);
    const many = await Promise.all([blobs.putMany([bytes, Buffer.from('other'), bytes]), blobs.put(Buffer.from('third'))]);
    expect(many[0]).toEqual([first, { hash: sha256(Buffer.from('other')), size: 5 }, first]);
    expect((await blobs.get(sha256(Buffer.from('third'))))!.toString()).toBe('third');
    expect(await blobs.size(first.hash)).toBe(bytes.length);
    expect(await blobs.size(sha256(Buffer.from('never')))).toBeUndefined();
    expect(await blobs.size('../../etc/passwd')).toBeUndefined();
    expect(await blobs.get('../../etc/passwd')).toBeUndefined();
  });
});

describe('DiskBlobStore layout', () => {
  it('writes DATA_DIR/blobs/<prefix>/<sha256>', async () => {
    const blobs = new DiskBlobStore(join(dir, 'blobs'));
    const bytes = Buffer.from('From: a@b\r\n\r\nhi');
    const first = await blobs.put(bytes);
    expect(first).toEqual({ hash: sha256(bytes), size: bytes.length });
    expect(await blobs.put(bytes)).toEqual(first);
    expect((await blobs.get(first.hash))!.equals(bytes)).toBe(true);
    expect(statSync(join(dir, 'blobs', first.hash.slice(0, 2), first.hash)).size).toBe(bytes.length);
    expect(await blobs.putMany([bytes, Buffer.from('other'), bytes])).toEqual([first, { hash: sha256(Buffer.from('other')), size: 5 }, first]);
    expect(await blobs.get('../../etc/passwd')).toBeUndefined();
  });
});

describe('FileSecretStore', () => {
  it('keeps secrets encrypted, in a file only its owner reads, behind references', async () => {
    const secrets = new FileSecretStore(join(dir, 'secrets.json'), { keyFile: join(dir, 'secrets.key') });
    const ref = await secrets.put('hunter2-imap');
    expect(ref).toMatch(/^secret:[0-9a-f-]{36}$/);
    expect(await secrets.resolve(ref)).toBe('hunter2-imap');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('hunter2');
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
    // A second instance with the same key file reads it; another key cannot.
    expect(await new FileSecretStore(join(dir, 'secrets.json'), { keyFile: join(dir, 'secrets.key') }).resolve(ref)).toBe('hunter2-imap');
    await expect(new FileSecretStore(join(dir, 'secrets.json'), { keyFile: join(dir, 'other.key') }).resolve(ref)).rejects.toThrow();
    await secrets.delete(ref);
    expect(await secrets.resolve(ref)).toBeUndefined();
  });

  it('resolves env: references from the environment', async () => {
    const secrets = new FileSecretStore(join(dir, 'secrets.json'), { key: 'a'.repeat(64), keyFile: join(dir, 'k'), env: { IMAP_PASSWORD: 'from-env' } });
    expect(await secrets.resolve('env:IMAP_PASSWORD')).toBe('from-env');
    expect(await secrets.resolve('env:MISSING')).toBeUndefined();
  });
});

describe('SqliteMailStore', () => {
  it('records fetched UIDs once and advances the last UID with them', () => {
    const store = new SqliteMailStore(join(dir, 'mail.sqlite'));
    const first = store.recordFetched('mbx', '17', [{ uid: 1, blob: 'a', size: 1 }, { uid: 2, blob: 'b', size: 1 }], 2, '2026-03-02T09:00:00Z');
    expect(first.map((r) => r.uid)).toEqual([1, 2]);
    expect(store.recordFetched('mbx', '17', [{ uid: 2, blob: 'b', size: 1 }], 2, '2026-03-02T09:00:00Z')).toEqual([]);
    expect(store.syncState('mbx')).toEqual({ uidValidity: '17', lastUid: 2 });
    expect(store.unprocessed(10).map((r) => r.uid)).toEqual([1, 2]);
    store.complete(first[0]!.id, { status: 'created', requestId: 'r1', requestNumber: 1 }, '2026-03-02T09:00:01Z');
    expect(store.unprocessed(10).map((r) => r.uid)).toEqual([2]);
    store.resetSync('mbx', '18');
    expect(store.syncState('mbx')).toEqual({ uidValidity: '18', lastUid: 0 });
    // Under the new UIDVALIDITY, UID 1 is another message: it gets its own receipt.
    expect(store.recordFetched('mbx', '18', [{ uid: 1, blob: 'a', size: 1 }], 1, '2026-03-02T09:00:02Z')).toHaveLength(1);
    store.close();
  });

  it('hands out at most N automatic-mail slots per address in the window', () => {
    const store = new SqliteMailStore(join(dir, 'mail.sqlite'));
    const take = (id: string, at: string) => store.takeAutoReplySlot('jane@x.example', id, at, new Date(Date.parse(at) - 3600_000).toISOString(), 2);
    expect(take('m1', '2026-03-02T09:00:00.000Z')).toBe(true);
    expect(take('m2', '2026-03-02T09:10:00.000Z')).toBe(true);
    expect(take('m1', '2026-03-02T09:11:00.000Z')).toBe(true); // the same message again keeps its slot
    expect(take('m3', '2026-03-02T09:20:00.000Z')).toBe(false);
    expect(take('m4', '2026-03-02T10:05:00.000Z')).toBe(true); // m1 left the window
    store.close();
  });
});

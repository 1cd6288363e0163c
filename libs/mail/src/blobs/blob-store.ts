import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { access, mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Content-addressed storage for raw messages and attachments: the key is the sha256 of the bytes. */
export interface BlobStore {
  /** Stores the bytes durably (on disk, fsync'd) before it resolves; storing the same bytes again is free. */
  put(bytes: Buffer): Promise<{ hash: string; size: number }>;
  /** Several at once, durably, in the order given. */
  putMany(items: readonly Buffer[]): Promise<{ hash: string; size: number }[]>;
  /** The bytes, or undefined when the store has no blob with that hash. */
  get(hash: string): Promise<Buffer | undefined>;
  /** Its size in bytes without reading it, or undefined when the store has no blob with that hash. */
  size(hash: string): Promise<number | undefined>;
}

export const BLOB_STORE = Symbol('BlobStore');
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');
const HASH = /^[0-9a-f]{64}$/;

/**
 * DATA_DIR/blobs/<first two hex digits>/<sha256>. A blob is written to a temporary file, fsync'd, renamed
 * into place, and its directory fsync'd: after `put` resolves it survives a crash, and a reader never
 * sees half a blob. The file system calls are asynchronous (libuv's thread pool), so a batch of blobs
 * is written in parallel, each directory fsync'd once, without holding up the event loop.
 */
export class DiskBlobStore implements BlobStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  async put(bytes: Buffer): Promise<{ hash: string; size: number }> {
    return (await this.putMany([bytes]))[0]!;
  }

  async putMany(items: readonly Buffer[]): Promise<{ hash: string; size: number }[]> {
    const results = items.map((bytes) => ({ hash: sha256(bytes), size: bytes.length, bytes }));
    const fresh = new Map<string, Buffer>();
    for (const r of results) if (!fresh.has(r.hash) && !(await exists(this.pathOf(r.hash)))) fresh.set(r.hash, r.bytes);
    const dirs = new Set<string>();
    await Promise.all(
      [...fresh].map(async ([hash, bytes]) => {
        const path = this.pathOf(hash);
        const dir = dirname(path);
        await mkdir(dir, { recursive: true });
        const temporary = join(dir, `.${hash}.${randomBytes(6).toString('hex')}.tmp`);
        const file = await open(temporary, 'w', 0o600);
        try {
          await file.writeFile(bytes);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temporary, path);
        dirs.add(dir);
      }),
    );
    await Promise.all([...dirs].map(syncDirectoryAsync));
    return results.map(({ hash, size }) => ({ hash, size }));
  }

  async get(hash: string): Promise<Buffer | undefined> {
    if (!HASH.test(hash)) return undefined;
    const path = this.pathOf(hash);
    return existsSync(path) ? readFileSync(path) : undefined;
  }

  async size(hash: string): Promise<number | undefined> {
    if (!HASH.test(hash)) return undefined;
    return stat(this.pathOf(hash)).then(
      (found) => found.size,
      () => undefined,
    );
  }

  private pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash);
  }
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

const syncDirectoryAsync = async (dir: string): Promise<void> => {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
};

export const syncDirectory = (dir: string): void => {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

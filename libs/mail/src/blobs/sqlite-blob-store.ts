import type Database from 'better-sqlite3';
import { openSqliteFile } from '../store/sqlite-file';
import { sha256, type BlobStore } from './blob-store';

interface Pending {
  readonly items: readonly { hash: string; bytes: Buffer }[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * Content-addressed blobs in one SQLite file (DATA_DIR/blobs.sqlite, WAL, synchronous=FULL), with group
 * commit: every put made while the event loop is busy is written in one transaction and one fsync.
 * Measured here: 200 messages in one transaction ~25 ms, against 350–600 ms for one fsync'd file each
 * (plus a directory fsync), which held mail import under 250 messages/s. Durable when `put` resolves.
 */
export class SqliteBlobStore implements BlobStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement<[string, number, Buffer]>;
  private readonly select: Database.Statement<[string], { bytes: Buffer }>;
  private readonly selectSize: Database.Statement<[string], number>;
  private queue: Pending[] = [];
  private scheduled = false;

  constructor(path: string) {
    this.db = openSqliteFile(path, 'FULL');
    this.db.exec('CREATE TABLE IF NOT EXISTS blobs (hash TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BLOB NOT NULL)');
    this.insert = this.db.prepare('INSERT OR IGNORE INTO blobs (hash, size, bytes) VALUES (?, ?, ?)');
    this.select = this.db.prepare('SELECT bytes FROM blobs WHERE hash = ?');
    this.selectSize = this.db.prepare<[string], number>('SELECT size FROM blobs WHERE hash = ?').pluck();
  }

  async put(bytes: Buffer): Promise<{ hash: string; size: number }> {
    return (await this.putMany([bytes]))[0]!;
  }

  async putMany(items: readonly Buffer[]): Promise<{ hash: string; size: number }[]> {
    const hashed = items.map((bytes) => ({ hash: sha256(bytes), bytes }));
    await new Promise<void>((resolve, reject) => {
      this.queue.push({ items: hashed, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
    return hashed.map(({ hash, bytes }) => ({ hash, size: bytes.length }));
  }

  async get(hash: string): Promise<Buffer | undefined> {
    return HASH.test(hash) ? this.select.get(hash)?.bytes : undefined;
  }

  async size(hash: string): Promise<number | undefined> {
    return HASH.test(hash) ? this.selectSize.get(hash) : undefined;
  }

  close(): void {
    this.flush();
    this.db.close();
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const pending of batch) for (const { hash, bytes } of pending.items) this.insert.run(hash, bytes.length, bytes);
      }).immediate();
      for (const pending of batch) pending.resolve();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}

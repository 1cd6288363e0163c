import type { ClientSession, Collection } from 'mongodb';
import { CollectionInfo, RegistryEntry } from './definitions';

/**
 * This store's copy of the registry (`read_store.collections`): one entry per collection with its definition,
 * whether it is being bulk loaded, and which of its fields hold arrays.
 *
 * The registry is the truth, and other processes change it (a rebuild CLI creates and completes collections, a
 * projector's writes find arrays), so:
 *
 * - a transaction reads the whole registry inside its own snapshot: what it writes is planned on exactly what
 *   it commits over (a concurrent change to an entry it updates is a write conflict, and it is retried);
 * - a query re-reads its collection's entry when the copy is older than `maxAgeMs` (default 0: always), because
 *   a plan depends on it (which indexes exist, which fields hold arrays: a counter of an array field counted as a
 *   scalar one would over-count);
 * - reads by id (get, getMany, scan) only need to know the collection exists: the copy, re-read on a miss.
 */
export class Catalog {
  private readonly entries = new Map<string, { info: CollectionInfo; at: number }>();
  /** The whole registry was read at least once: a name missing from the copy was missing then. */
  private complete = false;

  constructor(
    private readonly registry: () => Collection<RegistryEntry>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The entry as of at most maxAgeMs ago (undefined: no such collection). */
  async fresh(name: string): Promise<CollectionInfo | undefined> {
    const cached = this.entries.get(name);
    if (cached && this.now() - cached.at < this.maxAgeMs) return cached.info;
    return this.reload(name);
  }

  /** The entry, from the copy when it has it. */
  async known(name: string): Promise<CollectionInfo | undefined> {
    return this.entries.get(name)?.info ?? (await this.reload(name));
  }

  /**
   * Synchronously: the copy's entry, `null` if the copy says there is no such collection, undefined if it cannot
   * say (the registry was never read whole).
   */
  cached(name: string): CollectionInfo | null | undefined {
    const info = this.entries.get(name)?.info;
    if (info) return info;
    return this.complete ? null : undefined;
  }

  async reload(name: string): Promise<CollectionInfo | undefined> {
    const entry = await this.registry().findOne({ _id: name });
    if (!entry) {
      this.entries.delete(name);
      return undefined;
    }
    return this.set(entry);
  }

  /** Every entry (inside a transaction: as of its snapshot); the copy is replaced by what was read. */
  async loadAll(session?: ClientSession): Promise<Map<string, CollectionInfo>> {
    const entries = await this.registry()
      .find({}, session ? { session } : {})
      .toArray();
    const all = new Map(entries.map((e) => [e._id, new CollectionInfo(e)]));
    // Inside a transaction the snapshot may be older than an entry this process wrote since: keep the newest.
    if (!session) {
      this.entries.clear();
      const at = this.now();
      for (const [name, info] of all) this.entries.set(name, { info, at });
      this.complete = true;
    }
    return all;
  }

  set(entry: RegistryEntry): CollectionInfo {
    const info = new CollectionInfo(entry);
    this.entries.set(entry._id, { info, at: this.now() });
    return info;
  }

  /** A transaction committed arrays it found (the entries it read, plus those). */
  noteArrays(name: string, fields: Iterable<string>): void {
    const cached = this.entries.get(name);
    if (!cached) return;
    const arrays = [...new Set([...cached.info.entry.arrays, ...fields])];
    this.set({ ...cached.info.entry, arrays });
  }

  delete(name: string): void {
    this.entries.delete(name);
  }

  markComplete(): void {
    this.complete = true;
  }
}

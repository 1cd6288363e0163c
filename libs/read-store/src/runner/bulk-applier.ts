import type { Projection, ProjectedEvent } from '@helpdesk/projections';
import type { DocumentStore, WriteBatch } from '../document-store.port';
import type { ProjectionTarget } from './batch-applier';

export interface BulkApplierOptions {
  /**
   * Events whose changes go to the store together, as one page (one transaction), whatever the size of the
   * slices `apply` gets. Default 5000: larger pages mean fewer, larger commits and text-index segments; smaller
   * ones a finer overlap of this thread's work with the store's.
   */
  readonly pageEvents?: number;
  /** Documents each projection keeps in memory between pages, the least recently changed going first. Default 5000. */
  readonly cachedDocuments?: number;
  /**
   * Pages handed to the store and not committed yet, at most. Default 4: the store's commits vary (a checkpoint, a
   * text segment written) and a deeper queue rides that out; with 2, a 20k-request rebuild waited for the store
   * about twice as long (0.55 s against 0.25 s).
   */
  readonly inFlight?: number;
  /** Ids each projection remembers having written, to know the others need no read (see TargetState). */
  readonly rememberedIds?: number;
}

interface Cached {
  document: object | null;
  /** The last page that changed it: its state is committed once that page's write is. */
  page: number;
}

interface TargetState {
  readonly target: ProjectionTarget;
  readonly handled: ReadonlySet<string>;
  /** Documents as of the last page applied, the least recently changed first. */
  readonly cache: Map<string, Cached>;
  /**
   * Every id written so far, when the collection was empty at the start: an id neither here nor in the cache has
   * no document, and needs no read. Undefined when not known (the collection had documents, or too many ids).
   */
  written: Set<string> | undefined;
  /** Documents changed since the last page was handed to the store. */
  changed: Map<string, object | null>;
}

/**
 * Applies pages of events to several projections for a rebuild (ProjectionRebuilder): like BatchApplier, each page's
 * documents and every target's checkpoint are committed together, so the collections are always at a page
 * boundary; but documents stay in memory from page to page instead of being read back and parsed, and each page
 * is handed to DocumentStore.write, which serialises it and may commit it in the background while the next pages
 * are evolved. Only the rebuild writes these collections meanwhile (they are new, or not active yet).
 *
 * A document leaves the cache only once the page that last changed it has committed, so a read of the store
 * (for a document not in memory) never misses a write still in flight.
 */
export class BulkApplier {
  private readonly states: TargetState[];
  private readonly inFlight: { readonly page: number; readonly committed: Promise<void> }[] = [];
  /** Pages handed to the store so far. */
  private page = 0;
  /** Every page up to this one has committed. */
  private committedPage = 0;
  /** Events applied since the last page was handed over, and the position of the last one applied. */
  private pending = 0;
  private through: bigint | undefined;
  private readonly pageEvents: number;
  private readonly cachedDocuments: number;
  private readonly rememberedIds: number;
  private readonly maxInFlight: number;
  /** Without DocumentStore.write: a batch failed. */
  private failed = false;

  constructor(
    private readonly documents: DocumentStore,
    targets: readonly ProjectionTarget[],
    options: BulkApplierOptions = {},
  ) {
    this.cachedDocuments = Math.max(0, options.cachedDocuments ?? 5_000);
    this.maxInFlight = Math.max(1, options.inFlight ?? 4);
    this.rememberedIds = options.rememberedIds ?? 1_000_000;
    this.pageEvents = Math.max(1, options.pageEvents ?? 5_000);
    this.states = targets.map((target) => ({
      target,
      handled: new Set(target.projection.handles),
      cache: new Map(),
      written: undefined,
      changed: new Map(),
    }));
  }

  /** Looks at which collections are empty (then nothing needs reading back that was not written here). */
  async start(): Promise<void> {
    for (const state of this.states) {
      const empty = (await this.documents.scan(state.target.collection, { limit: 1 })).length === 0;
      state.written = empty ? new Set() : undefined;
    }
  }

  /**
   * Evolves the documents by `events` (in position order, after those applied before). Once enough events have
   * been applied, hands what they changed to the store with every target's checkpoint at `through` (the position
   * of the last one), as one page.
   */
  async apply(events: readonly ProjectedEvent[], through: bigint): Promise<void> {
    const page = this.page + 1;
    for (const state of this.states) await this.evolve(state, events, page);
    this.through = through;
    this.pending += events.length;
    if (this.pending >= this.pageEvents) await this.hand();
  }

  /** Hands over what is left, waits for every page; the targets' checkpoints are then where the last page put them. */
  async finish(): Promise<void> {
    if (this.pending > 0) await this.hand();
    while (this.inFlight.length > 0) await this.settleOldest();
    if (this.through !== undefined) for (const state of this.states) state.target.checkpoint = this.through;
  }

  /** The documents changed since the last page, to the store with the checkpoints. */
  private async hand(): Promise<void> {
    const page = ++this.page;
    const documents = new Map<string, Map<string, object | null>>();
    const checkpoints = new Map<string, bigint>();
    for (const state of this.states) {
      if (state.changed.size > 0) documents.set(state.target.collection, state.changed);
      state.changed = new Map();
      checkpoints.set(state.target.collection, this.through!);
    }
    this.pending = 0;
    const committed = this.commit({ documents, checkpoints });
    // Observed here, rethrown where it is awaited: a failure must not go unhandled meanwhile.
    committed.catch(() => undefined);
    this.inFlight.push({ page, committed });
    while (this.inFlight.length >= this.maxInFlight) await this.settleOldest();
    this.evict();
  }

  /** After a failure elsewhere: lets the pages in flight end, whatever becomes of them. */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.inFlight.splice(0).map((p) => p.committed));
  }

  /**
   * DocumentStore.write, or the same through `transaction` for a store without it (a failed batch then fails the
   * ones queued after it here, as `write` promises).
   */
  private commit(batch: WriteBatch): Promise<void> {
    if (this.documents.write) return this.documents.write(batch);
    const committed = this.documents.transaction(async (writer) => {
      if (this.failed) throw new Error('Not written: a batch written before it failed');
      for (const [collection, documents] of batch.documents) {
        for (const [id, document] of documents) {
          if (document === null) writer.delete(collection, id);
          else writer.upsert(collection, id, document);
        }
      }
      for (const [name, position] of batch.checkpoints ?? []) writer.setCheckpoint(name, position);
    });
    committed.catch(() => (this.failed = true));
    return committed;
  }

  private async settleOldest(): Promise<void> {
    const oldest = this.inFlight.shift()!;
    await oldest.committed;
    this.committedPage = oldest.page;
  }

  private async evolve(state: TargetState, events: readonly ProjectedEvent[], page: number): Promise<void> {
    const { target, handled, cache, changed } = state;
    const projection = target.projection as Projection<object>;
    const after = target.checkpoint === undefined ? -1 : Number(target.checkpoint);
    for (const event of events) {
      if (event.position <= after || !handled.has(event.type)) continue;
      const id = projection.id(event);
      if (id === undefined) continue;
      const cached = cache.get(id) ?? (await this.load(state, id));
      const next = projection.evolve(cached.document, event);
      if (next === cached.document) continue;
      cached.document = next;
      if (cached.page !== page) {
        cached.page = page;
        // Most recently changed last: eviction takes from the front.
        cache.delete(id);
        cache.set(id, cached);
      }
      changed.set(id, next);
      state.written?.add(id);
    }
    if (state.written && state.written.size > this.rememberedIds) state.written = undefined;
  }

  /** A document not in memory: from the store if it may hold it, else none. */
  private async load(state: TargetState, id: string): Promise<Cached> {
    const { target, cache, written } = state;
    const document = written && !written.has(id) ? null : ((await this.documents.get<object>(target.collection, id)) ?? null);
    const cached: Cached = { document, page: 0 };
    cache.set(id, cached);
    return cached;
  }

  /** Drops the least recently changed documents beyond the limit, if what changed them last has committed. */
  private evict(): void {
    for (const { cache } of this.states) {
      let excess = cache.size - this.cachedDocuments;
      if (excess <= 0) continue;
      for (const [id, cached] of cache) {
        if (excess <= 0 || cached.page > this.committedPage) break;
        cache.delete(id);
        excess -= 1;
      }
    }
  }
}

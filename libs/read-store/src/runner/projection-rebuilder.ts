import type { EventStore } from '@helpdesk/event-store';
import { collectionOf, type Projection } from '@helpdesk/projections';
import type { DocumentStore } from '../document-store.port';
import type { ProjectionTarget } from './batch-applier';
import { BulkApplier } from './bulk-applier';
import { ProjectionRegistry } from './projection-registry';
import { toProjectedEvent } from './projected-event';

export interface RebuildProgress {
  readonly projection: string;
  readonly applied: number;
  readonly total: number;
  readonly eventsPerSecond: number;
  readonly etaSeconds: number;
}

export interface RebuildOptions {
  /** Events read and evolved at a time (committed by BulkApplier's pages). */
  readonly pageSize?: number;
  /** Stops a rebuild between pages (the old collections keep serving; the half-built ones are dropped next time). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: RebuildProgress) => void;
}

/** Events read at a time (BulkApplier commits the changes of several such pages together). */
const DEFAULT_PAGE = 1_000;

/**
 * Rebuilds projections from the whole log into NEW collections while the active ones keep serving,
 * then switches the registry to them in one transaction and drops the old ones. Safe to run from
 * another process (the CLI) while the server runs: the server's runner notices the switch and carries
 * on from the new collection's checkpoint.
 */
export class ProjectionRebuilder {
  private readonly registry: ProjectionRegistry;

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly retireAfterMs = 2000,
  ) {
    this.registry = new ProjectionRegistry(documents);
  }

  async rebuild(projections: readonly Projection[], options: RebuildOptions = {}): Promise<void> {
    await this.registry.init();
    const stamp = Date.now().toString(36);
    const targets: ProjectionTarget[] = [];
    for (const projection of projections) {
      const collection = `${collectionOf(projection)}_${stamp}`;
      await this.documents.dropCollection(collection);
      // Secondary indexes, counters and the text index are built once at the end: far faster than per write.
      await this.documents.ensureCollection({ name: collection, indexes: projection.indexes, counters: projection.counters, text: projection.text }, { bulkLoad: true });
      const entry = await this.registry.entry(projection.name);
      // A rebuild that was interrupted (stopped, crashed) left its half-built collection behind.
      if (entry?.building && entry.building !== entry.active) await this.documents.dropCollection(entry.building);
      await this.documents.transaction(async (writer) =>
        this.registry.write(writer, { name: projection.name, version: projection.version, active: entry?.active ?? collection, building: collection }),
      );
      targets.push({ projection, collection, checkpoint: undefined });
    }

    await this.catchUp(targets, undefined, options);
    for (const target of targets) await this.documents.completeBulkLoad(target.collection);

    const retired: string[] = [];
    for (const target of targets) {
      // A last catch-up inside the switch: nothing appended meanwhile is left behind.
      await this.catchUp([target], target.checkpoint, {});
      const previous = await this.registry.entry(target.projection.name);
      await this.documents.transaction(async (writer) =>
        this.registry.write(writer, { name: target.projection.name, version: target.projection.version, active: target.collection, building: null }),
      );
      if (previous?.active && previous.active !== target.collection) retired.push(previous.active);
    }
    // Reads that looked the old collections up just before the switch may still be running: give
    // them a moment before the old collections go.
    if (retired.length > 0) await new Promise((resolve) => setTimeout(resolve, this.retireAfterMs));
    for (const collection of retired) await this.documents.dropCollection(collection);
  }

  /** Builds the projections into the given (scratch) store up to `through`, for verification. */
  async buildInto(projections: readonly Projection[], through: bigint | undefined, options: RebuildOptions = {}): Promise<Map<string, string>> {
    const collections = new Map<string, string>();
    const targets: ProjectionTarget[] = [];
    for (const projection of projections) {
      const collection = collectionOf(projection);
      await this.documents.ensureCollection({ name: collection, indexes: projection.indexes, counters: projection.counters, text: projection.text }, { bulkLoad: true });
      targets.push({ projection, collection, checkpoint: undefined });
      collections.set(projection.name, collection);
    }
    await this.catchUp(targets, undefined, { ...options, through });
    for (const target of targets) await this.documents.completeBulkLoad(target.collection);
    return collections;
  }

  /**
   * Applies the log after `from` up to the head (or `through`) page by page (BulkApplier: documents kept in memory,
   * each page committed with the checkpoints while the next one is evolved).
   */
  private async catchUp(targets: ProjectionTarget[], from: bigint | undefined, options: RebuildOptions & { through?: bigint }): Promise<void> {
    const head = options.through ?? (await this.events.headPosition());
    if (head === undefined) return;
    const total = await this.countUpTo(from, head);
    const started = Date.now();
    const applier = new BulkApplier(this.documents, targets);
    await applier.start();
    let applied = 0;
    let position = from;
    try {
      for (;;) {
        options.signal?.throwIfAborted();
        const page = await this.events.readAll({ fromPosition: position, maxCount: options.pageSize ?? DEFAULT_PAGE });
        const last = page[page.length - 1];
        const inRange = last !== undefined && last.position <= head ? page : page.filter((event) => event.position <= head);
        if (inRange.length === 0) break;
        position = inRange[inRange.length - 1]!.position;
        await applier.apply(inRange.map(toProjectedEvent), position);
        applied += inRange.length;
        if (options.onProgress) {
          const seconds = Math.max((Date.now() - started) / 1000, 0.001);
          const rate = applied / seconds;
          options.onProgress({ projection: targets.map((t) => t.projection.name).join(', '), applied, total, eventsPerSecond: rate, etaSeconds: Math.max(total - applied, 0) / rate });
        }
        if (position >= head) break;
      }
    } catch (error) {
      await applier.abandon();
      throw error;
    }
    await applier.finish();
  }

  /** Positions may have gaps, so the total is an estimate from positions; good enough for an ETA. */
  private async countUpTo(from: bigint | undefined, head: bigint): Promise<number> {
    return Number(head - (from ?? 0n));
  }
}

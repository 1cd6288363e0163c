import type { EventStore, Subscription } from '@helpdesk/event-store';
import { collectionOf, type Projection } from '@helpdesk/projections';
import { CheckpointConflictError, type DocumentStore } from '../document-store.port';
import { BatchApplier, type ProjectionTarget } from './batch-applier';
import { batched } from './batched';
import { PositionWaiters } from './position-waiters';
import { ProjectionRebuilder } from './projection-rebuilder';
import { ProjectionRegistry, type RegistryEntry } from './projection-registry';
import { toProjectedEvent } from './projected-event';

export interface ProjectionRunnerOptions {
  readonly maxBatch?: number;
  /** How long a busy live batch waits for more events (a few ms of read lag under load for far fewer document writes). */
  readonly lingerMs?: number;
  /** How many events make a live batch busy. */
  readonly lingerFrom?: number;
  /** Told about failures the runner will retry (a broken projection must not fail silently). */
  readonly onError?: (error: unknown) => void;
  /** Told each position every active projection has reached (a projector on a thread of its own reports it). */
  readonly onProgress?: (position: bigint) => void;
}

/**
 * Keeps the active collection of every projection up to date: follows the event store from the
 * lowest checkpoint, in global order, and commits each batch with its checkpoints (BatchApplier).
 * It re-reads the registry between batches, so a rebuild that switched a projection to a new
 * collection (even from another process, the CLI) is picked up without a restart.
 */
export class ProjectionRunner {
  private readonly registry: ProjectionRegistry;
  private readonly applier: BatchApplier;
  private targets: ProjectionTarget[] = [];
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private readonly progress = new PositionWaiters();
  private upgrade: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private registryCheckedAt = 0;
  /** A rebuild switched collections: the current subscription ends and the targets are loaded again. */
  private switched = false;
  /** How often the registry is re-read for switches made by a rebuild. */
  private static readonly REGISTRY_CHECK_MS = 250;

  constructor(
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.registry = new ProjectionRegistry(documents);
    this.applier = new BatchApplier(documents);
  }

  /**
   * Registers projections never seen before (their collection starts empty and fills from the log),
   * and starts rebuilding, in the background, those whose code version is newer than the one being
   * served: blue/green on deploy, the old collection serves until the new one has caught up.
   */
  async start(): Promise<void> {
    await this.registry.init();
    const outdated: Projection[] = [];
    for (const projection of this.projections) {
      const existing = await this.registry.entry(projection.name);
      if (existing) {
        if (existing.version !== projection.version) outdated.push(projection);
        continue;
      }
      const entry: RegistryEntry = { name: projection.name, version: projection.version, active: collectionOf(projection), building: null };
      await this.documents.ensureCollection({ name: entry.active, indexes: projection.indexes, counters: projection.counters, text: projection.text });
      await this.documents.transaction(async (writer) => this.registry.write(writer, entry));
    }
    this.targets = await this.loadTargets();
    this.loop = this.run();
    if (outdated.length > 0) {
      this.upgrade = new ProjectionRebuilder(this.events, this.documents)
        .rebuild(outdated, { signal: this.stopping.signal })
        .catch((error) => {
          if (!this.stopping.signal.aborted) this.options.onError?.(error);
        });
    }
  }

  /** Resolves when the version upgrades started by `start` are done (for tests and orderly shutdown). */
  upgraded(): Promise<void> {
    return this.upgrade ?? Promise.resolve();
  }

  /** The position every active projection has reached (undefined before the first event). */
  position(): bigint | undefined {
    return this.progress.position();
  }

  async current(): Promise<bigint | undefined> {
    return this.progress.position();
  }

  /** Resolves true once every active projection has applied `position`, or false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.upgrade;
    await this.subscription?.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.follow();
      } catch (error) {
        await this.subscription?.close();
        // Another projector instance got there first: no failure, carry on from where it left things.
        const raced = error instanceof CheckpointConflictError;
        if (!raced) {
          this.options.onError?.(error);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        // The failure may also be a switch made by a rebuild meanwhile: start again from the registry.
        this.switched = false;
        this.targets = await this.loadTargets().catch(() => this.targets);
      }
    }
  }

  /** One subscription, from the lowest checkpoint; returns when the targets change (or on stop). */
  private async follow(): Promise<void> {
    const from = lowest(this.targets.map((t) => t.checkpoint));
    this.publish(from);
    const subscription = this.events.subscribe({ fromPosition: from });
    this.subscription = subscription;
    // A switch is also looked for while no events come: events the runner applied to the old collection
    // after the rebuild's last catch-up are in the new one only once the runner follows it from its
    // checkpoint, and a quiet log would otherwise leave them out until the next event.
    const watch = setInterval(() => {
      void this.targetsChanged()
        .then((changed) => (changed ? subscription.close() : undefined))
        .catch(() => undefined);
    }, ProjectionRunner.REGISTRY_CHECK_MS);
    try {
      for await (const batch of batched(subscription, {
        max: this.options.maxBatch ?? 2000,
        lingerMs: this.options.lingerMs ?? 5,
        lingerFrom: this.options.lingerFrom ?? 32,
      })) {
        // Checked before writing: a collection a rebuild switched away from (and dropped) is never written.
        if (this.switched || (await this.targetsChanged())) break;
        const through = batch[batch.length - 1]!.position;
        await this.applier.apply(this.targets, batch.map(toProjectedEvent), through);
        this.publish(through);
      }
    } finally {
      clearInterval(watch);
      await subscription.close();
    }
    if (this.switched) {
      this.switched = false;
      this.targets = await this.loadTargets();
    }
  }

  private async loadTargets(): Promise<ProjectionTarget[]> {
    const targets: ProjectionTarget[] = [];
    for (const projection of this.projections) {
      const collection = await this.registry.activeCollection(projection);
      targets.push({ projection, collection, checkpoint: await this.documents.checkpoint(collection) });
    }
    return targets;
  }

  /** True (and `switched` set) once the registry names other collections than the ones being written. */
  private async targetsChanged(): Promise<boolean> {
    if (this.switched) return true;
    if (Date.now() - this.registryCheckedAt < ProjectionRunner.REGISTRY_CHECK_MS) return false;
    this.registryCheckedAt = Date.now();
    const current = await Promise.all(this.projections.map((projection) => this.registry.activeCollection(projection)));
    if (current.every((collection, i) => collection === this.targets[i]!.collection)) return false;
    this.switched = true;
    return true;
  }

  private publish(position: bigint | undefined): void {
    if (position === undefined) return;
    this.progress.publish(position);
    this.options.onProgress?.(position);
  }
}

const lowest = (positions: readonly (bigint | undefined)[]): bigint | undefined => {
  let min: bigint | undefined;
  for (const position of positions) {
    if (position === undefined) return undefined;
    if (min === undefined || position < min) min = position;
  }
  return min;
};

import type { Decider, Event } from '@helpdesk/domain';
import type { EventStore } from '@helpdesk/event-store';

/** A stream folded to its current state. Immutable: commands running at once may share one. */
export interface StreamSnapshot<S> {
  readonly streamId: string;
  readonly state: S;
  /** Revision of the last event; undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
  readonly position: bigint | undefined;
}

type AnyDecider<S> = Pick<Decider<any, any, S, any>, 'evolve' | 'initialState'>;

interface CacheEntry {
  readonly decider: AnyDecider<unknown>;
  readonly snapshot: StreamSnapshot<unknown>;
}

/**
 * Loads streams and folds them, keeping recent snapshots in an LRU cache. A cached snapshot is
 * never trusted blindly: every load reads the events after its revision, so writes made by other
 * processes are folded in, and the cache only saves re-reading and re-folding what is known.
 */
export class StreamLoader {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(
    private readonly store: EventStore,
    private readonly capacity = 20_000,
  ) {}

  async load<S>(streamId: string, decider: AnyDecider<S>): Promise<StreamSnapshot<S>> {
    const cached = this.cached(streamId, decider);
    const fromRevision = cached?.revision === undefined ? 0n : cached.revision + 1n;
    const events = await this.store.readStream(streamId, { fromRevision });
    if (events.length === 0 && cached) return cached;

    let state = cached ? cached.state : decider.initialState();
    for (const event of events) state = decider.evolve(state, { type: event.type, data: event.data } as Event);
    const last = events[events.length - 1];
    const snapshot: StreamSnapshot<S> = {
      streamId,
      state,
      revision: last ? last.revision : cached?.revision,
      position: last ? last.position : cached?.position,
    };
    this.remember(snapshot, decider);
    return snapshot;
  }

  /** After a successful append the writer knows the new state; keeping it saves the next fold. */
  remember<S>(snapshot: StreamSnapshot<S>, decider: AnyDecider<S>): void {
    const current = this.cache.get(snapshot.streamId);
    if (current && current.snapshot.revision !== undefined && snapshot.revision !== undefined && current.snapshot.revision > snapshot.revision) return;
    this.cache.delete(snapshot.streamId);
    this.cache.set(snapshot.streamId, { decider: decider as AnyDecider<unknown>, snapshot });
    if (this.cache.size > this.capacity) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
    }
  }

  /**
   * True when the stream is known to exist without reading it: a stream never stops existing (the log
   * is append-only), so any cached snapshot with a revision proves it.
   */
  knownToExist(streamId: string): boolean {
    return this.cache.get(streamId)?.snapshot.revision !== undefined;
  }

  forget(streamId: string): void {
    this.cache.delete(streamId);
  }

  private cached<S>(streamId: string, decider: AnyDecider<S>): StreamSnapshot<S> | undefined {
    const entry = this.cache.get(streamId);
    if (!entry || entry.decider !== decider) return undefined;
    // Refresh its place in the LRU order.
    this.cache.delete(streamId);
    this.cache.set(streamId, entry);
    return entry.snapshot as StreamSnapshot<S>;
  }
}

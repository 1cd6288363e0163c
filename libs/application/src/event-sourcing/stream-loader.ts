import type { Decider, Event } from '@helpdesk/domain';
import type { EventStore } from '@helpdesk/event-store';

/** What a command with an Idempotency-Key left in the stream: enough to give the first answer again. */
export interface CommandRecord {
  readonly revision: bigint;
  readonly position: bigint;
  readonly fingerprint: string | undefined;
}

/** A stream folded to its current state. Immutable: commands running at once may share one. */
export interface StreamSnapshot<S> {
  readonly streamId: string;
  readonly state: S;
  /** Revision of the last event; undefined when the stream does not exist. */
  readonly revision: bigint | undefined;
  readonly position: bigint | undefined;
  /** Idempotency keys (scoped per actor) of the commands written to this stream. */
  readonly commands: ReadonlyMap<string, CommandRecord>;
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
    let commands = cached?.commands ?? new Map<string, CommandRecord>();
    let copied = false;
    for (const event of events) {
      state = decider.evolve(state, { type: event.type, data: event.data } as Event);
      const key = event.metadata['idempotencyKey'];
      if (typeof key === 'string') {
        if (!copied) {
          commands = new Map(commands);
          copied = true;
        }
        (commands as Map<string, CommandRecord>).set(key, {
          revision: event.revision,
          position: event.position,
          fingerprint: event.metadata['fingerprint'] as string | undefined,
        });
      }
    }
    const last = events[events.length - 1];
    const snapshot: StreamSnapshot<S> = {
      streamId,
      state,
      revision: last ? last.revision : cached?.revision,
      position: last ? last.position : cached?.position,
      commands,
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

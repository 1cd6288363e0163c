import { Inject, Injectable } from '@nestjs/common';
import type { Decider, Event } from '@helpdesk/domain';
import {
  EVENT_STORE,
  WrongExpectedVersionError,
  type AppendResult,
  type EventStore,
  type RecordedEvent,
  type StreamWrite,
} from '@helpdesk/event-store';
import { ConcurrencyConflict, IdempotencyKeyReused, PreconditionFailed } from '../errors';
import { newId } from '../support/ids';
import { Streams } from '../support/streams';
import { storedMetadata, type CommandContext, type StoredEventMetadata } from './command-context';
import { StreamLoader, type StreamSnapshot } from './stream-loader';

type AnyDecider<S> = Pick<Decider<any, any, S, any>, 'evolve' | 'initialState'>;

export interface StreamTarget<S> {
  readonly streamId: string;
  readonly decider: AnyDecider<S>;
}

export interface CommandOutcome<S, R = unknown> {
  /** The addressed stream's state after the command (its current state for a replayed command). */
  readonly state: S;
  readonly revision: bigint | undefined;
  readonly position: bigint | undefined;
  /** What the command's work returned (ids it made, ...); for a replay, what it returned the first time. */
  readonly result: R | undefined;
  /** True when an Idempotency-Key matched an earlier command and nothing was run. */
  readonly replayed: boolean;
}

interface PendingWrite {
  snapshot: StreamSnapshot<unknown>;
  decider: AnyDecider<unknown>;
  state: unknown;
  events: Event[];
}

/** Stored once per Idempotency-Key (per actor), in the same atomic append as the command's events. */
interface CommandRecorded {
  readonly fingerprint: string;
  readonly streamId: string;
  readonly revision: string | null;
  /** The addressed stream's position for a command that changed nothing; otherwise the record's own. */
  readonly position: string | null;
  readonly result: unknown;
}

/** One attempt of one command: the streams it read and the events it decided for each. */
export class UnitOfWork {
  readonly writes = new Map<string, PendingWrite>();

  constructor(private readonly loader: StreamLoader) {}

  load<S>(target: StreamTarget<S>): Promise<StreamSnapshot<S>> {
    return this.loader.load(target.streamId, target.decider);
  }

  /**
   * Records events for a stream loaded in this unit of work and returns the state they lead to.
   * Several calls for one stream accumulate (expected revision stays the one that was loaded).
   */
  append<S>(snapshot: StreamSnapshot<S>, decider: AnyDecider<S>, events: readonly Event[]): S {
    const pending = this.writes.get(snapshot.streamId) ?? {
      snapshot: snapshot as StreamSnapshot<unknown>,
      decider: decider as AnyDecider<unknown>,
      state: snapshot.state,
      events: [],
    };
    for (const event of events) pending.state = decider.evolve(pending.state as S, event);
    pending.events.push(...events);
    if (pending.events.length > 0) this.writes.set(snapshot.streamId, pending);
    return pending.state as S;
  }
}

/**
 * Load, decide, append — once, for every command. Optimistic concurrency with the revision each
 * stream was loaded at; a conflict re-runs the whole command on fresh state (bounded), unless the
 * caller pinned a revision with If-Match, which turns the conflict into 412.
 *
 * An Idempotency-Key is recorded in a stream of its own (per actor and key), appended atomically with
 * the command's events and only if that stream does not exist yet. So a key is used once whatever the
 * command or resource, a retry finds the first answer there, and two copies sent at once cannot both
 * write: the second's append fails on the record stream, and its retry reads the first's answer.
 */
@Injectable()
export class CommandRunner {
  private readonly maxAttempts = 8;
  private readonly committedListeners: ((streamIds: readonly string[]) => void)[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly loader: StreamLoader,
  ) {}

  async run<S, R = unknown>(
    ctx: CommandContext,
    target: StreamTarget<S>,
    work: (uow: UnitOfWork, snapshot: StreamSnapshot<S>) => R | void | Promise<R | void>,
  ): Promise<CommandOutcome<S, R>> {
    const recordStream = ctx.idempotency ? Streams.idempotency(ctx.actor.id, ctx.idempotency.key) : undefined;
    for (let attempt = 1; ; attempt++) {
      if (recordStream) {
        const [earlier] = await this.store.readStream(recordStream, { maxCount: 1 });
        if (earlier) return this.replay(ctx, target, earlier);
      }

      const uow = new UnitOfWork(this.loader);
      const snapshot = await uow.load(target);
      if (ctx.expectedRevision !== undefined && snapshot.revision !== ctx.expectedRevision) {
        throw new PreconditionFailed(ctx.expectedRevision, snapshot.revision);
      }

      const result = (await work(uow, snapshot)) ?? undefined;
      const pending = [...uow.writes.values()];
      const primary = uow.writes.get(target.streamId);
      if (pending.length === 0 && !recordStream) {
        return { state: snapshot.state, revision: snapshot.revision, position: snapshot.position, result, replayed: false };
      }

      const metadata = storedMetadata(ctx);
      const writes: StreamWrite[] = pending.map((write) => ({
        streamId: write.snapshot.streamId,
        expectedRevision: write.snapshot.revision ?? 'no_stream',
        events: write.events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata })),
      }));
      const revision = primary ? (primary.snapshot.revision ?? -1n) + BigInt(primary.events.length) : snapshot.revision;
      if (recordStream) writes.push(this.record(recordStream, ctx, target.streamId, revision, pending.length === 0 ? snapshot.position : undefined, result, metadata));

      let results: AppendResult[];
      try {
        results = writes.length === 1 ? [await this.store.append(writes[0]!.streamId, writes[0]!.events, writes[0]!.expectedRevision)] : await this.store.appendMany(writes);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // Another copy of this keyed command got there first: the next attempt answers with its result.
        if (error.streamId === recordStream) continue;
        if (ctx.expectedRevision !== undefined && error.streamId === target.streamId) {
          throw new PreconditionFailed(ctx.expectedRevision, error.actual === 'no_stream' ? undefined : error.actual);
        }
        if (attempt >= this.maxAttempts) throw new ConcurrencyConflict(error.streamId);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
        continue;
      }

      for (const listener of this.committedListeners) listener(writes.map((write) => write.streamId));
      let position: bigint | undefined = pending.length === 0 ? snapshot.position : undefined;
      pending.forEach((write, i) => {
        const written = results[i]!;
        if (position === undefined || written.position > position) position = written.position;
        const expectedNext = (write.snapshot.revision ?? -1n) + BigInt(write.events.length);
        if (written.nextExpectedRevision === expectedNext) {
          this.loader.remember({ ...write.snapshot, state: write.state, revision: written.nextExpectedRevision, position: written.position }, write.decider);
        } else {
          this.loader.forget(write.snapshot.streamId);
        }
      });
      if (pending.length > 0 && recordStream) position = results[results.length - 1]!.position;
      return { state: (primary ? primary.state : snapshot.state) as S, revision, position, result, replayed: false };
    }
  }

  /** Told which streams a command of this process has just written (e.g. to refresh the catalog). */
  onCommitted(listener: (streamIds: readonly string[]) => void): void {
    this.committedListeners.push(listener);
  }

  private record(
    streamId: string,
    ctx: CommandContext,
    target: string,
    revision: bigint | undefined,
    unchangedPosition: bigint | undefined,
    result: unknown,
    metadata: StoredEventMetadata,
  ): StreamWrite {
    const data: CommandRecorded = {
      fingerprint: ctx.idempotency!.fingerprint,
      streamId: target,
      revision: revision === undefined ? null : revision.toString(),
      position: unchangedPosition === undefined ? null : unchangedPosition.toString(),
      result: result ?? null,
    };
    return { streamId, expectedRevision: 'no_stream', events: [{ id: newId(), type: 'CommandRecorded', data, metadata }] };
  }

  private async replay<S, R>(ctx: CommandContext, target: StreamTarget<S>, recorded: RecordedEvent): Promise<CommandOutcome<S, R>> {
    const data = recorded.data as CommandRecorded;
    if (data.fingerprint !== ctx.idempotency!.fingerprint) throw new IdempotencyKeyReused();
    const { state } = await this.loader.load(target.streamId, target.decider);
    return {
      state,
      revision: data.revision === null ? undefined : BigInt(data.revision),
      position: data.position === null ? recorded.position : BigInt(data.position),
      result: (data.result ?? undefined) as R | undefined,
      replayed: true,
    };
  }
}

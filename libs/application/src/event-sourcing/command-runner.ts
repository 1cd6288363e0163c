import { Inject, Injectable } from '@nestjs/common';
import type { Decider, Event } from '@helpdesk/domain';
import {
  EVENT_STORE,
  WrongExpectedVersionError,
  type AppendResult,
  type EventStore,
  type StreamWrite,
} from '@helpdesk/event-store';
import { ConcurrencyConflict, IdempotencyKeyReused, PreconditionFailed } from '../errors';
import { nameBasedId, newId } from '../support/ids';
import { scopedKey, storedMetadata, type CommandContext } from './command-context';
import { StreamLoader, type StreamSnapshot } from './stream-loader';

type AnyDecider<S> = Pick<Decider<any, any, S, any>, 'evolve' | 'initialState'>;

export interface StreamTarget<S> {
  readonly streamId: string;
  readonly decider: AnyDecider<S>;
}

export interface CommandOutcome<S> {
  /** The addressed stream's state after the command (its current state for a replayed command). */
  readonly state: S;
  readonly revision: bigint | undefined;
  readonly position: bigint | undefined;
  /** True when an Idempotency-Key matched an earlier command and nothing was run. */
  readonly replayed: boolean;
}

interface PendingWrite {
  snapshot: StreamSnapshot<unknown>;
  decider: AnyDecider<unknown>;
  state: unknown;
  events: Event[];
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
 * caller pinned a revision with If-Match, which turns the conflict into 412. Idempotency keys are
 * looked up in the addressed stream itself, so the answer to a retry is read from the same atomic
 * write that recorded the command: there is no separate table that could disagree with the log.
 */
@Injectable()
export class CommandRunner {
  private readonly maxAttempts = 8;
  private readonly committedListeners: ((streamIds: readonly string[]) => void)[] = [];

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly loader: StreamLoader,
  ) {}

  async run<S>(
    ctx: CommandContext,
    target: StreamTarget<S>,
    work: (uow: UnitOfWork, snapshot: StreamSnapshot<S>) => void | Promise<void>,
  ): Promise<CommandOutcome<S>> {
    for (let attempt = 1; ; attempt++) {
      const uow = new UnitOfWork(this.loader);
      const snapshot = await uow.load(target);

      if (ctx.idempotency) {
        const earlier = snapshot.commands.get(scopedKey(ctx.actor.id, ctx.idempotency.key));
        if (earlier) {
          if (earlier.fingerprint !== ctx.idempotency.fingerprint) throw new IdempotencyKeyReused();
          return { state: snapshot.state, revision: earlier.revision, position: earlier.position, replayed: true };
        }
      }
      if (ctx.expectedRevision !== undefined && snapshot.revision !== ctx.expectedRevision) {
        throw new PreconditionFailed(ctx.expectedRevision, snapshot.revision);
      }

      await work(uow, snapshot);
      const pending = [...uow.writes.values()];
      if (pending.length === 0) {
        return { state: snapshot.state, revision: snapshot.revision, position: snapshot.position, replayed: false };
      }

      let results: AppendResult[];
      try {
        results = await this.append(ctx, pending);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (ctx.expectedRevision !== undefined && error.streamId === target.streamId) {
          throw new PreconditionFailed(ctx.expectedRevision, error.actual === 'no_stream' ? undefined : error.actual);
        }
        if (attempt >= this.maxAttempts) throw new ConcurrencyConflict(error.streamId);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * attempt * 2));
        continue;
      }

      const written = pending.map((write) => write.snapshot.streamId);
      for (const listener of this.committedListeners) listener(written);
      let position: bigint | undefined;
      results.forEach((result, i) => {
        const write = pending[i]!;
        if (position === undefined || result.position > position) position = result.position;
        const expectedNext = (write.snapshot.revision ?? -1n) + BigInt(write.events.length);
        if (result.nextExpectedRevision === expectedNext) {
          const commands = ctx.idempotency
            ? new Map(write.snapshot.commands).set(scopedKey(ctx.actor.id, ctx.idempotency.key), {
                revision: result.nextExpectedRevision,
                position: result.position,
                fingerprint: ctx.idempotency.fingerprint,
              })
            : write.snapshot.commands;
          this.loader.remember(
            { ...write.snapshot, state: write.state, revision: result.nextExpectedRevision, position: result.position, commands },
            write.decider,
          );
        } else {
          this.loader.forget(write.snapshot.streamId);
        }
      });
      const primary = uow.writes.get(target.streamId);
      const primaryResult = primary ? results[pending.indexOf(primary)] : undefined;
      return {
        state: (primary ? primary.state : snapshot.state) as S,
        revision: primaryResult ? primaryResult.nextExpectedRevision : snapshot.revision,
        position,
        replayed: false,
      };
    }
  }

  /** Told which streams a command of this process has just written (e.g. to refresh the catalog). */
  onCommitted(listener: (streamIds: readonly string[]) => void): void {
    this.committedListeners.push(listener);
  }

  private append(ctx: CommandContext, pending: PendingWrite[]): Promise<AppendResult[]> {
    const metadata = storedMetadata(ctx);
    const key = ctx.idempotency ? scopedKey(ctx.actor.id, ctx.idempotency.key) : undefined;
    const writes: StreamWrite[] = pending.map((write) => ({
      streamId: write.snapshot.streamId,
      expectedRevision: write.snapshot.revision ?? 'no_stream',
      events: write.events.map((event, index) => ({
        // Deterministic ids for keyed commands: a write retried after a lost answer is recognised by the store.
        id: key ? nameBasedId(`${write.snapshot.streamId}|${key}|${index}`) : newId(),
        type: event.type,
        data: event.data,
        metadata,
      })),
    }));
    if (writes.length === 1) {
      const [only] = writes;
      return this.store.append(only!.streamId, only!.events, only!.expectedRevision).then((result) => [result]);
    }
    return this.store.appendMany(writes);
  }
}

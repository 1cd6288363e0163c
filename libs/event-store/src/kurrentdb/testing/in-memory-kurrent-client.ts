import { randomUUID } from 'node:crypto';
import { PassThrough } from 'node:stream';
// The client's own error classes (this file of the client does not load the native bridge).
import {
  StreamNotFoundError,
  UnsupportedError,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client/dist/utils/CommandError';
import type { KurrentClient } from '../kurrent-client';

/**
 * FOR UNIT TESTS ONLY: a small in-memory stand-in for `KurrentDBClient`, written from the client's typings
 * and documented behaviour. It encodes our reading of the server (noted inline) and is exactly as right as
 * that reading: tests over it prove the adapter's own logic, never conformance with KurrentDB. That is the
 * contract suite's job, against a real server (KURRENTDB_URL).
 */

interface Stored {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: string;
  readonly metadata: string | undefined;
  readonly created: Date;
  readonly position: { commit: bigint; prepare: bigint };
}

interface EventDataLike {
  id: string;
  type: string;
  data: unknown;
  metadata?: unknown;
}

type State = 'any' | 'no_stream' | 'stream_exists' | bigint;

interface FilterLike {
  filterOn: 'streamName' | 'eventType';
  regex?: string;
  prefixes?: string[];
  checkpointReached?: (subscription: never, position: { commit: bigint; prepare: bigint }) => unknown;
}

interface LiveSubscription {
  readonly stream: PassThrough & { unsubscribe(): Promise<void> };
  readonly filter?: FilterLike;
  after: { commit: bigint; prepare: bigint } | undefined;
}

export interface InMemoryKurrentClientOptions {
  /** Server 25.1+: multi-stream append available. Default true. */
  readonly multiStreamAppend?: boolean;
  /** Whether a $all read includes the event at its start position (assumed yes). Default true. */
  readonly readAllIncludesStart?: boolean;
  /** Checkpoint after this many scanned events in subscriptions. Default 32. */
  readonly checkpointEvery?: number;
}

export class InMemoryKurrentClient {
  readonly log: Stored[] = [];
  readonly streams = new Map<string, Stored[]>();
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly subscriptions = new Set<LiveSubscription>();
  disposed = false;
  private nextPosition = 1000n;

  constructor(private readonly options: InMemoryKurrentClientOptions = {}) {}

  asClient(): KurrentClient {
    return this as unknown as KurrentClient;
  }

  /** Appends as another writer would (no checks), e.g. to put events between ours. */
  seed(streamId: string, type: string, data: unknown = {}, metadata?: unknown): Stored {
    return this.write(streamId, [{ id: randomUUID(), type, data, metadata }], 'json')[0];
  }

  //////////////////////////////////////  writes

  async appendToStream(streamName: string, events: EventDataLike[], options: { streamState?: State } = {}) {
    this.calls.push({ method: 'appendToStream', args: [streamName, events, options] });
    const state = options.streamState ?? 'any';
    const current = this.revisionOf(streamName);
    // The server's idempotency for an exact expected revision behind the stream: the same ids there -> ack.
    if (typeof state === 'bigint' && current !== undefined && state < current) {
      const after = this.streams.get(streamName)!.slice(Number(state) + 1, Number(state) + 1 + events.length);
      if (after.length === events.length && after.every((e, i) => e.id === events[i].id)) {
        const last = after[after.length - 1];
        return { success: true, nextExpectedRevision: last.revision, position: last.position };
      }
    }
    if (!accepts(state, current)) {
      throw new WrongExpectedVersionError(undefined, {
        streamName,
        expected: state,
        current: current === undefined ? 'no_stream' : current,
      });
    }
    const written = this.write(streamName, events, 'json');
    const last = written[written.length - 1];
    return { success: true, nextExpectedRevision: last.revision, position: last.position };
  }

  async multiStreamAppend(requests: { streamName: string; events: EventDataLike[]; expectedState: State }[]) {
    this.calls.push({ method: 'multiStreamAppend', args: [requests] });
    if (this.options.multiStreamAppend === false) throw new UnsupportedError('multiStreamAppend', '25.1');
    for (const request of requests) {
      for (const event of request.events) {
        const { metadata } = event;
        if (metadata != null && (typeof metadata !== 'object' || Object.values(metadata).some((v) => typeof v !== 'string'))) {
          throw new Error('multiStreamAppend requires metadata to be a plain object with string keys and string values.');
        }
      }
    }
    // All checks before any write: atomic. The first failing stream is reported (v2 revision conflict).
    for (const request of requests) {
      const current = this.revisionOf(request.streamName);
      if (!accepts(request.expectedState, current)) {
        const code = { any: '-2', no_stream: '-1', stream_exists: '-4' } as Record<string, string>;
        throw WrongExpectedVersionError.fromRevisionConflict({
          stream: request.streamName,
          expectedRevision:
            typeof request.expectedState === 'bigint' ? request.expectedState.toString() : code[request.expectedState],
          actualRevision: current === undefined ? '-1' : current.toString(),
        } as never);
      }
    }
    const responses = requests.map((request) => {
      const written = this.write(request.streamName, request.events, 'properties');
      return { streamName: request.streamName, revision: written[written.length - 1].revision };
    });
    return { position: this.log[this.log.length - 1].position.commit, responses };
  }

  //////////////////////////////////////  reads

  readStream(
    streamName: string,
    options: { fromRevision?: 'start' | 'end' | bigint; direction?: 'forwards' | 'backwards'; maxCount?: number | bigint } = {},
  ): AsyncIterableIterator<unknown> {
    this.calls.push({ method: 'readStream', args: [streamName, options] });
    const self = this;
    return (async function* () {
      const events = self.streams.get(streamName);
      if (!events) throw new StreamNotFoundError(undefined, streamName);
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const backwards = options.direction === 'backwards';
      const from = options.fromRevision ?? (backwards ? 'end' : 'start');
      const ordered = backwards ? [...events].reverse() : events;
      const selected = ordered.filter((e) =>
        from === 'start' || from === 'end' ? true : backwards ? e.revision <= from : e.revision >= from,
      );
      for (const e of selected.slice(0, max)) yield self.resolved(e);
    })();
  }

  readAll(
    options: {
      fromPosition?: 'start' | 'end' | { commit: bigint; prepare: bigint };
      direction?: 'forwards' | 'backwards';
      maxCount?: number | bigint;
      filter?: FilterLike;
    } = {},
  ): AsyncIterableIterator<unknown> {
    this.calls.push({ method: 'readAll', args: [options] });
    const self = this;
    return (async function* () {
      const max = Number(options.maxCount ?? Number.MAX_SAFE_INTEGER);
      const backwards = options.direction === 'backwards';
      const from = options.fromPosition ?? (backwards ? 'end' : 'start');
      const includeStart = self.options.readAllIncludesStart ?? true;
      let selected = backwards ? [...self.log].reverse() : self.log;
      if (typeof from === 'object') {
        selected = selected.filter((e) =>
          backwards
            ? e.position.commit <= from.commit
            : includeStart
              ? e.position.commit >= from.commit
              : e.position.commit > from.commit,
        );
      }
      // A filtered read counts the events it returns.
      let count = 0;
      for (const e of selected) {
        if (count >= max) return;
        if (!matches(options.filter, e)) continue;
        count += 1;
        yield self.resolved(e);
      }
    })();
  }

  subscribeToAll(options: { fromPosition?: 'start' | 'end' | { commit: bigint; prepare: bigint }; filter?: FilterLike } = {}) {
    this.calls.push({ method: 'subscribeToAll', args: [options] });
    const stream = Object.assign(new PassThrough({ objectMode: true }), {
      unsubscribe: async () => {
        this.subscriptions.delete(live);
      },
    });
    const from = options.fromPosition ?? 'start';
    const live: LiveSubscription = {
      stream,
      filter: options.filter,
      after: from === 'start' ? undefined : from === 'end' ? this.log[this.log.length - 1]?.position : from,
    };
    this.subscriptions.add(live);
    // Catch up asynchronously, like the server does after the call returns.
    setImmediate(() => this.feed(live));
    return stream;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const live of this.subscriptions) live.stream.destroy();
    this.subscriptions.clear();
  }

  /** Drops every live subscription with `error`, as a server restart or a slow-consumer drop would. */
  dropSubscriptions(error: Error): void {
    for (const live of this.subscriptions) live.stream.destroy(error);
    this.subscriptions.clear();
  }

  //////////////////////////////////////  internals

  private revisionOf(streamId: string): bigint | undefined {
    const events = this.streams.get(streamId);
    return events ? events[events.length - 1].revision : undefined;
  }

  private write(streamId: string, events: EventDataLike[], as: 'json' | 'properties'): Stored[] {
    const stream = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, stream);
    const written = events.map((event) => {
      // Positions: increasing byte offsets, with gaps.
      this.nextPosition += 37n + BigInt(event.type.length);
      const metadata =
        as === 'properties'
          ? JSON.stringify({ ...((event.metadata as object) ?? {}), '$schema.data-format': 'Json', '$schema.name': event.type })
          : event.metadata === undefined
            ? undefined
            : JSON.stringify(event.metadata);
      const stored: Stored = {
        streamId,
        id: event.id.toLowerCase(),
        revision: BigInt(stream.length),
        type: event.type,
        data: JSON.stringify(event.data),
        metadata,
        created: new Date(),
        position: { commit: this.nextPosition, prepare: this.nextPosition },
      };
      stream.push(stored);
      this.log.push(stored);
      return stored;
    });
    for (const live of this.subscriptions) this.feed(live);
    return written;
  }

  private feed(live: LiveSubscription): void {
    if (!this.subscriptions.has(live) || live.stream.destroyed) return;
    const every = this.options.checkpointEvery ?? 32;
    let scanned = 0;
    for (const e of this.log) {
      if (live.after && e.position.commit <= live.after.commit) continue;
      live.after = e.position;
      scanned += 1;
      if (matches(live.filter, e)) live.stream.push(this.resolved(e));
      if (scanned % every === 0) live.filter?.checkpointReached?.(live.stream as never, e.position);
    }
  }

  private resolved(e: Stored) {
    return {
      event: {
        streamId: e.streamId,
        id: e.id,
        revision: e.revision,
        type: e.type,
        data: JSON.parse(e.data) as unknown,
        metadata: e.metadata === undefined ? undefined : (JSON.parse(e.metadata) as unknown),
        isJson: true,
        created: e.created,
        position: e.position,
      },
      commitPosition: e.position.commit,
    };
  }
}

function accepts(state: State, current: bigint | undefined): boolean {
  return (
    state === 'any' ||
    (state === 'no_stream' && current === undefined) ||
    (state === 'stream_exists' && current !== undefined) ||
    (typeof state === 'bigint' && current === state)
  );
}

function matches(filter: FilterLike | undefined, e: Stored): boolean {
  if (!filter) return true;
  const subject = filter.filterOn === 'streamName' ? e.streamId : e.type;
  if (filter.regex !== undefined) return new RegExp(filter.regex).test(subject);
  return (filter.prefixes ?? []).some((p) => subject.startsWith(p));
}

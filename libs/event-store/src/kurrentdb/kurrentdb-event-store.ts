import type { AllStreamSubscription, Position, ReadPosition } from '@kurrent/kurrentdb-client';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamWrite,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { ResubscribePolicy, resubscribePolicy } from './backoff';
import { checkWrites } from './checked-writes';
import { compileFilter, EXCLUDE_SYSTEM_EVENTS, toClientFilter } from './filters';
import { connectKurrentClient, KurrentClient } from './kurrent-client';
import { KurrentDbReader } from './kurrentdb-reader';
import { KurrentDbSubscription, ResubscribeInfo, SourceSubscription } from './kurrentdb-subscription';
import { EventIdUniqueness, KurrentDbWriter } from './kurrentdb-writer';

export interface KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://localhost:2113?tls=false`, or `kurrentdb+discover://…` for a cluster. */
  readonly connectionString: string;
  /**
   * 'stream' (default): ids unique within a stream, as the port promises (retries are recognised in the
   * stream's recent tail). 'store': also refused across streams, like the SQLite adapter; needs KurrentDB
   * 25.1+ and writes one small index stream per event. See README.md in this folder.
   */
  readonly eventIdUniqueness?: EventIdUniqueness;
  /** Category of the event-id index streams ('store' mode). Default `eventid`. */
  readonly eventIdIndexCategory?: string;
  /** How many of a stream's last events 'stream' mode compares ids with. Default 100. */
  readonly streamScanWindow?: number;
  /**
   * Read from the cluster leader only (default true): reads then see every acknowledged append, which the
   * command path (read, decide, append with the revision read) and read-your-writes rely on. False lets
   * reads go to followers, which may lag.
   */
  readonly requiresLeader?: boolean;
  readonly resubscribe?: Partial<ResubscribePolicy>;
  /** Told of every resubscription after a drop (for logs and metrics). */
  readonly onResubscribe?: (info: ResubscribeInfo) => void;
  /** For tests: a client to use instead of connecting (the real client is then never loaded). */
  readonly client?: KurrentClient;
}

/**
 * The production event store: KurrentDB (or EventStoreDB 20.6+) through `@kurrent/kurrentdb-client`, which
 * is loaded on construction, never on import. Semantics are the port's (the contract suite runs against it
 * when KURRENTDB_URL is set); where KurrentDB's own differ, the bridge is described in README.md here.
 * `close()` ends the subscriptions, waits for calls in flight, then disposes the client (open gRPC
 * streams would otherwise keep the process, or jest, alive).
 */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentClient;
  private readonly reader: KurrentDbReader;
  private readonly writer: KurrentDbWriter;
  private readonly uniqueness: EventIdUniqueness;
  private readonly indexCategory: string;
  private readonly requiresLeader: boolean;
  private readonly policy: ResubscribePolicy;
  private readonly onResubscribe: ((info: ResubscribeInfo) => void) | undefined;
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: KurrentDbEventStoreOptions | string) {
    const settings = typeof options === 'string' ? { connectionString: options } : options;
    this.uniqueness = settings.eventIdUniqueness ?? 'stream';
    if (this.uniqueness !== 'store' && this.uniqueness !== 'stream') {
      throw new TypeError(`eventIdUniqueness must be 'store' or 'stream', got ${String(this.uniqueness)}`);
    }
    this.indexCategory = settings.eventIdIndexCategory ?? 'eventid';
    if (!/^[A-Za-z0-9_]+$/.test(this.indexCategory)) {
      throw new TypeError(`eventIdIndexCategory must be letters, digits or '_', got ${this.indexCategory}`);
    }
    const scanWindow = settings.streamScanWindow ?? 100;
    if (!Number.isInteger(scanWindow) || scanWindow < 1) throw new RangeError('streamScanWindow must be a positive integer');
    this.requiresLeader = settings.requiresLeader ?? true;
    this.policy = resubscribePolicy(settings.resubscribe);
    this.onResubscribe = settings.onResubscribe;
    this.client = settings.client ?? connectKurrentClient(settings.connectionString);
    this.reader = new KurrentDbReader(this.client, this.requiresLeader);
    // The writer's own reads (reading back positions, looking ids up) must see what was just acknowledged.
    const leaderReader = this.requiresLeader ? this.reader : new KurrentDbReader(this.client, true);
    this.writer = new KurrentDbWriter(this.client, leaderReader, {
      uniqueness: this.uniqueness,
      indexCategory: this.indexCategory,
      scanWindow,
    });
  }

  append(streamId: string, events: readonly EventToAppend[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    return this.track(async () => {
      const [result] = await this.writer.write(this.check([{ streamId, events, expectedRevision }]));
      return result;
    });
  }

  appendMany(writes: readonly StreamWrite[]): Promise<AppendResult[]> {
    return this.track(() => this.writer.write(this.check(writes)));
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.track(() => this.reader.readStream(streamId, options));
  }

  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.track(() => this.reader.readAll(options));
  }

  headPosition(): Promise<bigint | undefined> {
    return this.track(() => this.reader.headPosition());
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    if (options.fromPosition !== undefined && (typeof options.fromPosition !== 'bigint' || options.fromPosition < 0n)) {
      throw new RangeError(`fromPosition must be a bigint >= 0n, got ${String(options.fromPosition)}`);
    }
    const filter = compileFilter(options.filter);
    const subscription = new KurrentDbSubscription({
      filter,
      fromPosition: options.fromPosition,
      policy: this.policy,
      onResubscribe: this.onResubscribe,
      onClose: (s) => this.subscriptions.delete(s),
      open: (from: Position | undefined, checkpointReached) =>
        this.client.subscribeToAll({
          fromPosition: from ?? ('start' as ReadPosition),
          requiresLeader: this.requiresLeader,
          filter: toClientFilter(
            filter.kind === 'some' ? filter.server : EXCLUDE_SYSTEM_EVENTS,
            checkpointReached as (s: AllStreamSubscription, p: Position) => void,
          ),
        }) as unknown as SourceSubscription,
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Ends every subscription, lets calls in flight finish, then disposes the client. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await Promise.allSettled([...this.inFlight]);
    await this.client.dispose();
  }

  private check(writes: readonly StreamWrite[]) {
    return checkWrites(writes, this.uniqueness === 'store' ? this.indexCategory : undefined);
  }

  private track<T>(operation: () => Promise<T>): Promise<T> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    let promise: Promise<T>;
    try {
      promise = operation();
    } catch (error) {
      // Bad input is a rejected promise, as from the SQLite adapter, never a synchronous throw.
      return Promise.reject(error);
    }
    this.inFlight.add(promise);
    const forget = () => this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event store is closed');
  }
}

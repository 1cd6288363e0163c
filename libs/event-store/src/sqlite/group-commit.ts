import type Database from 'better-sqlite3';
import { AppendResult } from '../event-store.port';
import { PreparedWrite } from './prepared-write';
import { StreamWriter } from './stream-writer';

/** One append or appendMany call waiting for a commit. */
interface Pending {
  readonly writes: readonly PreparedWrite[];
  readonly resolve: (results: AppendResult[]) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome =
  | { readonly ok: true; readonly results: AppendResult[] }
  | { readonly ok: false; readonly error: unknown };

/** Counters for benchmarks and health: how well group commit amortises the fsync. */
export interface GroupCommitStats {
  /** Transactions committed. */
  readonly commits: number;
  /** append/appendMany calls that went through a commit (successful or not). */
  readonly calls: number;
  /** Events in successful calls (an acknowledged idempotent retry counts, though it stores nothing). */
  readonly events: number;
  readonly largestBatch: number;
}

/**
 * Group commit. Calls that arrive before the scheduled flush runs are written in ONE transaction, so one
 * fsync (synchronous=FULL) serves them all. Each call is wrapped in a SAVEPOINT: a call that fails (wrong
 * revision, duplicate id) is rolled back alone and only its promise rejects. Every promise settles only
 * after COMMIT has returned, i.e. once its events are durable.
 *
 * better-sqlite3 is synchronous, so a flush runs start to finish without interleaving: nothing can read
 * the half-written batch, and the write lock is held only for the length of one flush.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private counters = { commits: 0, calls: 0, events: 0, largestBatch: 0 };
  private readonly writer: StreamWriter;
  private readonly sql: Record<
    'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo',
    Database.Statement
  >;

  constructor(
    private readonly db: Database.Database,
    /** Called after a commit that stored at least one event (wakes subscriptions). */
    private readonly committed: () => void,
    private readonly maxBatch = 1000,
  ) {
    this.writer = new StreamWriter(db);
    this.sql = {
      // IMMEDIATE takes the write lock up front: the revision checks read the state the inserts will extend.
      // A DEFERRED transaction could read, lose the race to another process, and fail at its first write.
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT call'),
      release: db.prepare('RELEASE call'),
      rollbackTo: db.prepare('ROLLBACK TO call'),
    };
  }

  submit(writes: readonly PreparedWrite[]): Promise<AppendResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ writes, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: every caller of this tick (and those woken by the previous
        // commit's resolutions) is queued before the flush runs.
        setImmediate(() => this.flushScheduled());
      }
    });
  }

  /** Commits everything queued now (used by close()). */
  flushAll(): void {
    while (this.queue.length > 0) this.commitBatch(this.queue.splice(0, this.maxBatch));
  }

  stats(): GroupCommitStats {
    return { ...this.counters };
  }

  private flushScheduled(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    this.commitBatch(this.queue.splice(0, this.maxBatch));
    // Over the cap: commit the rest on a later turn so reads and I/O are not starved meanwhile.
    if (this.queue.length > 0 && !this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushScheduled());
    }
  }

  private commitBatch(batch: Pending[]): void {
    const outcomes: Outcome[] = [];
    try {
      this.sql.begin.run();
      // One timestamp per transaction: the events of a batch are committed at the same instant.
      const recordedAt = new Date().toISOString();
      for (const call of batch) outcomes.push(this.applyIsolated(call, recordedAt));
      this.sql.commit.run();
    } catch (error) {
      // BEGIN (busy beyond the timeout), COMMIT (I/O) or a failure that aborted the whole transaction:
      // nothing of this batch is stored, so every call in it fails with that error.
      for (const call of batch) call.reject(error);
      try {
        if (this.db.inTransaction) this.sql.rollback.run();
      } catch {
        // Not thrown from a setImmediate callback (that would kill the process). If the transaction is
        // still open, the next BEGIN fails and every later caller sees it.
      }
      return;
    }
    let events = 0;
    batch.forEach((call, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        events += call.writes.reduce((n, w) => n + w.events.length, 0);
        call.resolve(outcome.results);
      } else {
        call.reject(outcome.error);
      }
    });
    this.count(batch.length, events);
    if (events > 0) this.committed();
  }

  private applyIsolated(call: Pending, recordedAt: string): Outcome {
    this.sql.savepoint.run();
    try {
      // All writes of one call share the savepoint: appendMany is all-or-nothing.
      const results = call.writes.map((write) => this.writer.apply(write, recordedAt));
      this.sql.release.run();
      return { ok: true, results };
    } catch (error) {
      // Some errors (disk full, I/O) make SQLite roll back the whole transaction itself. Then the calls
      // already applied in this batch are gone too: abort the batch rather than carry on in autocommit.
      if (!this.db.inTransaction) throw error;
      this.sql.rollbackTo.run();
      this.sql.release.run();
      return { ok: false, error };
    }
  }

  private count(calls: number, events: number): void {
    const c = this.counters;
    c.commits += 1;
    c.calls += calls;
    c.events += events;
    c.largestBatch = Math.max(c.largestBatch, calls);
  }
}

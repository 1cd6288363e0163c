import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import type { Projector } from '@helpdesk/application';
import type { SqliteEventStore } from '@helpdesk/event-store';
import { PositionWaiters } from '@helpdesk/read-store';
import type { BatchLinger, FromProjectorThread, ProjectorThreadData, ToProjectorThread } from './messages';

const THREAD_FILE = join(__dirname, 'projector-thread.js');
const RESTART_AFTER_MS = 1000;
const MAX_RESTART_AFTER_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
/**
 * Off the API's thread, a busy batch can wait longer for more events: under load the six commands of a
 * request then cost one write of its documents instead of several, and the thread takes less of the
 * CPU the API needs. Measured with the commands bench (HTTP, 50 clients, 2 cores): lingering 5 ms from
 * 32 events gave p99 45-51 ms, 40 ms from 4 events 32-38 ms and more commands per second. A quiet
 * batch (one command) still goes at once.
 */
const LINGER: BatchLinger = { lingerMs: 40, lingerFrom: 4 };

/**
 * The embedded server's projector on a worker thread. In-process on the API's thread, applying every
 * command's events to seven read models took about a quarter of that thread under load; here it runs
 * beside it, on the second core. It is the same ProjectionRunner over its own SQLite connections; this
 * host tells it about each commit (so reads still lag writes by milliseconds, not by a poll), keeps the
 * position it reports for read-your-writes, and starts it again if the thread dies.
 */
export class ProjectorThread implements Projector {
  private readonly logger = new Logger('Projector');
  private readonly progress = new PositionWaiters();
  private worker: Worker | undefined;
  private stopping = false;
  private unsubscribe: (() => void) | undefined;
  private upgrade: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: SqliteEventStore,
    private readonly data: ProjectorThreadData,
    /** The thread's script (compiled JavaScript). */
    private readonly threadFile = THREAD_FILE,
  ) {}

  /** Resolves once the thread has registered the projections and follows the log; rejects if it cannot. */
  async start(): Promise<void> {
    if (this.worker) return;
    this.stopping = false;
    this.unsubscribe = this.events.onCommit(() => this.send({ type: 'appended' }));
    await this.spawn();
  }

  upgraded(): Promise<void> {
    return this.upgrade;
  }

  position(): bigint | undefined {
    return this.progress.position();
  }

  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.progress.waitFor(position, timeoutMs);
  }

  async current(): Promise<bigint | undefined> {
    return this.progress.position();
  }

  /** The thread finishes its batch, closes its connections and ends; one that hangs is terminated. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'stop' } satisfies ToProjectorThread);
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      let started = false;
      let upgraded!: () => void;
      this.upgrade = new Promise((done) => (upgraded = done));
      const worker = new Worker(this.threadFile, { workerData: { ...LINGER, ...this.data } });
      this.worker = worker;
      worker.on('message', (message: FromProjectorThread) => {
        switch (message.type) {
          case 'started':
            started = true;
            return resolve();
          case 'progress':
            return this.progress.publish(message.position);
          case 'upgraded':
            return upgraded();
          case 'error':
            this.logger.error(message.message);
            if (message.fatal && !started) {
              reject(new Error(message.message));
              void worker.terminate();
            }
            return;
          case 'stopped':
            return;
        }
      });
      worker.on('error', (error) => {
        this.logger.error(`The projector thread failed: ${error.stack ?? error.message}`);
        if (!started) reject(error);
      });
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        upgraded();
        if (!started) return reject(new Error(`The projector thread ended before it started (exit code ${code})`));
        if (this.stopping) return;
        // Its work is in the read store with its checkpoints: a new thread goes on from there.
        this.logger.error(`The projector thread ended (exit code ${code}); starting it again in ${RESTART_AFTER_MS} ms`);
        this.restart(RESTART_AFTER_MS);
      });
    });
  }

  /** Until a thread runs again (or the server stops), waiting longer after each failed start. */
  private restart(afterMs: number): void {
    setTimeout(() => {
      if (this.stopping) return;
      this.spawn().catch((error: unknown) => {
        const next = Math.min(afterMs * 2, MAX_RESTART_AFTER_MS);
        this.logger.error(`The projector thread did not start again (${error instanceof Error ? error.message : String(error)}); next try in ${next} ms`);
        this.restart(next);
      });
    }, afterMs).unref();
  }

  private send(message: ToProjectorThread): void {
    this.worker?.postMessage(message);
  }
}

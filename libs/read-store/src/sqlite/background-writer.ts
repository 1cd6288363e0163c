import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SerialisedBatch } from './document-writer';
import type { PendingLimits } from './document-writer';
import type { OpenOptions } from './read-store-database';

/** What the worker thread needs to open its connection and write like the store's own writer. */
export interface BackgroundWriterSettings {
  readonly connection: OpenOptions;
  readonly limits: PendingLimits;
}

/** Main thread -> worker. */
export type BackgroundRequest =
  | { readonly kind: 'write'; readonly sequence: number; readonly batch: SerialisedBatch }
  /** The failure of a batch has been seen: batches sent from now on are written again. */
  | { readonly kind: 'resume' };

/** Worker -> main thread, one per write request, in order. */
export type BackgroundReply =
  | { readonly sequence: number; readonly ok: true; readonly changed: boolean }
  | { readonly sequence: number; readonly ok: false; readonly error: SerialisedError; readonly skipped: boolean };

export interface SerialisedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export const serialiseError = (error: unknown): SerialisedError => {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
};

const reviveError = ({ name, message, code }: SerialisedError): Error => {
  const error = name === 'TypeError' ? new TypeError(message) : name === 'RangeError' ? new RangeError(message) : new Error(message);
  if (error.name !== name) error.name = name;
  if (code !== undefined) Object.assign(error, { code });
  return error;
};

interface Waiter {
  readonly resolve: (changed: boolean) => void;
  readonly reject: (error: Error) => void;
}

/**
 * Commits serialised batches (DocumentStore.write) on a worker thread with a connection of its own, so that the
 * thread calling `write` prepares its next batch meanwhile: SQLite's work (writing the rows and their keys,
 * text, COMMIT and the WAL checkpoints) and the caller's (reading events, evolving, serialising) use both cores.
 * Batches are committed one at a time, in the order submitted, each in its own transaction.
 *
 * Once a batch fails, the worker refuses the batches already sent after it (they may build on it), until this
 * side has seen the failure and tells it to resume: batches submitted from then on are the caller's new start.
 * The store submits only when no other write of its own is running (see SqliteDocumentStore.write), so the two
 * connections never wait for each other's lock.
 */
export class BackgroundWriter {
  private worker: Worker | undefined;
  private sequence = 0;
  private readonly waiting = new Map<number, Waiter>();

  constructor(private readonly settings: BackgroundWriterSettings) {}

  /**
   * Resolves with whether the batch changed a collection's definition (the caller's catalog is then stale).
   * `transfer`: buffers the batch's views are on, handed over (unusable here afterwards).
   */
  submit(batch: SerialisedBatch, transfer: readonly ArrayBuffer[] = []): Promise<boolean> {
    const worker = this.started();
    const sequence = ++this.sequence;
    return new Promise<boolean>((resolve, reject) => {
      this.waiting.set(sequence, { resolve, reject });
      // Referenced while a batch is out: the process must not exit before it commits (or fails).
      if (this.waiting.size === 1) worker.ref();
      worker.postMessage({ kind: 'write', sequence, batch } satisfies BackgroundRequest, [...transfer]);
    });
  }

  /** Stops the worker (after the batches submitted: the store closes once its queue is empty). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn(this.settings);
    worker.unref();
    worker.on('message', (reply: BackgroundReply) => this.settle(worker, reply));
    // The thread died (it could not open the file, or crashed): what it held fails; the next batch starts another.
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The read store's background writer stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(worker: Worker, reply: BackgroundReply): void {
    const waiter = this.waiting.get(reply.sequence);
    this.waiting.delete(reply.sequence);
    if (this.waiting.size === 0) worker.unref();
    if (reply.ok) {
      waiter?.resolve(reply.changed);
      return;
    }
    // Resumed before the caller hears of the failure: whatever it sends once it has, is written.
    if (!reply.skipped) worker.postMessage({ kind: 'resume' } satisfies BackgroundRequest);
    waiter?.reject(reviveError(reply.error));
  }
}

/**
 * The worker runs background-writer.worker.js next to this file. Under ts-jest there are only the TypeScript
 * sources: the worker then compiles them as it loads them (with the typescript package, a dev dependency).
 */
function spawn(settings: BackgroundWriterSettings): Worker {
  const compiled = join(__dirname, 'background-writer.worker.js');
  if (existsSync(compiled)) return new Worker(compiled, { workerData: settings });
  const source = join(__dirname, 'background-writer.worker.ts');
  const bootstrap = `
    const { readFileSync } = require('node:fs');
    const ts = require('typescript');
    require.extensions['.ts'] = (module, filename) => {
      const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
        fileName: filename,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      module._compile(outputText, filename);
    };
    require(${JSON.stringify(source)});
  `;
  return new Worker(bootstrap, { eval: true, workerData: settings });
}

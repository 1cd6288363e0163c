import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { BLOB_STORE, ImapConnection, MAIL_STORE, SECRET_STORE, type BlobStore, type FetchedBlob, type MailStore, type SecretStore } from '@helpdesk/mail';
import { CommandRunner } from '../event-sourcing/command-runner';
import { Clock } from '../support/clock';
import { InboundMailPipeline } from './inbound-pipeline';
import { MAIL_CONFIG, type MailConfig } from './mail-config';
import { MailboxDirectory, type Mailbox } from './mailbox-directory';

export interface PollerStatus {
  readonly mailboxId: string;
  readonly connected: boolean;
  readonly uidValidity: string | null;
  readonly lastUid: number | null;
  readonly lastSyncAt: string | null;
  readonly lastError: string | null;
  readonly imported: number;
}

const FETCH_BATCH = 200;
const RECONCILE_MS = 3000;
const SWEEP_MS = 60_000;

/**
 * One IMAP poller per enabled mailbox with IMAP settings, started, restarted and stopped as mailboxes
 * are configured. Each reads by UID above the last one receipted under the folder's UIDVALIDITY, so a
 * restart neither skips nor repeats a message; a new UIDVALIDITY reads the folder again from the start,
 * and the Message-ID claims keep that from importing anything twice.
 */
@Injectable()
export class MailboxPollers implements BeforeApplicationShutdown {
  private readonly logger = new Logger('MailPollers');
  private readonly pollers = new Map<string, MailboxPoller>();
  private reconcileTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private started = false;

  constructor(
    private readonly directory: MailboxDirectory,
    private readonly pipeline: InboundMailPipeline,
    private readonly clock: Clock,
    @Inject(MAIL_STORE) private readonly store: MailStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(SECRET_STORE) private readonly secrets: SecretStore,
    @Inject(MAIL_CONFIG) private readonly config: MailConfig,
    runner: CommandRunner,
  ) {
    // A mailbox configured through this process starts polling at once, not at the next tick.
    runner.onCommitted((streamIds) => {
      if (this.started && streamIds.some((id) => id.startsWith('mailbox-'))) void this.reconcile().catch((e) => this.logger.error(String(e)));
    });
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // What a crash left between receipt and import goes first.
    const swept = await this.pipeline.sweep();
    if (swept > 0) this.logger.log(`Imported ${swept} mail(s) received before the last stop`);
    await this.reconcile();
    this.reconcileTimer = setInterval(() => void this.reconcile().catch((e) => this.logger.error(String(e))), RECONCILE_MS);
    this.sweepTimer = setInterval(() => void this.pipeline.sweep().catch((e) => this.logger.error(String(e))), SWEEP_MS);
    this.reconcileTimer.unref();
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await Promise.all([...this.pollers.values()].map((p) => p.stop()));
    this.pollers.clear();
  }

  /** Before the stores close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  status(): PollerStatus[] {
    return [...this.pollers.values()].map((p) => p.status());
  }

  /** Wakes a mailbox's poller now (e.g. after a test appended mail). */
  wake(mailboxId: string): void {
    this.pollers.get(mailboxId)?.wake();
  }

  /** One reconciliation at a time: the timer and a commit may ask at once. */
  private reconcile(): Promise<void> {
    this.reconciling = this.reconciling.then(() => this.reconcileNow());
    return this.reconciling;
  }

  private reconciling: Promise<void> = Promise.resolve();

  private async reconcileNow(): Promise<void> {
    if (!this.started) return;
    const wanted = (await this.directory.all()).filter((m) => m.settings.enabled && m.settings.imap !== null);
    for (const [id, poller] of this.pollers) {
      const mailbox = wanted.find((m) => m.id === id);
      if (!mailbox || mailbox.revision !== poller.revision) {
        this.pollers.delete(id);
        await poller.stop();
      }
    }
    for (const mailbox of wanted) {
      if (this.pollers.has(mailbox.id)) continue;
      const poller = new MailboxPoller(mailbox, this.pipeline, this.store, this.blobs, this.secrets, this.config, this.clock, new Logger(`Mailbox ${mailbox.settings.address}`));
      this.pollers.set(mailbox.id, poller);
      poller.start();
    }
  }
}

class MailboxPoller {
  readonly revision: number;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private connection: ImapConnection | undefined;
  private state: { connected: boolean; lastSyncAt: string | null; lastError: string | null; imported: number; uidValidity: string | null } = {
    connected: false,
    lastSyncAt: null,
    lastError: null,
    imported: 0,
    uidValidity: null,
  };

  constructor(
    private readonly mailbox: Mailbox,
    private readonly pipeline: InboundMailPipeline,
    private readonly store: MailStore,
    private readonly blobs: BlobStore,
    private readonly secrets: SecretStore,
    private readonly config: MailConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.revision = mailbox.revision;
  }

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.connection?.close().catch(() => undefined);
    await this.loop;
  }

  wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  status(): PollerStatus {
    const sync = this.store.syncState(this.mailbox.id);
    return { mailboxId: this.mailbox.id, ...this.state, uidValidity: sync?.uidValidity ?? null, lastUid: sync?.lastUid ?? null };
  }

  private async run(): Promise<void> {
    let backoff = 1000;
    while (!this.stopped) {
      const imap = this.mailbox.settings.imap!;
      let closed = false;
      try {
        const password = await this.secrets.resolve(imap.secretRef);
        if (password === undefined) throw new Error(`No password is stored under ${imap.secretRef}`);
        const connection = new ImapConnection({ ...imap, password, allowInvalidCertificates: this.config.allowInvalidCertificates });
        this.connection = connection;
        connection.onNewMail(() => this.wake());
        connection.onClose(() => {
          closed = true;
          this.wake();
        });
        const { uidValidity } = await connection.open();
        this.state = { ...this.state, connected: true, lastError: null, uidValidity };
        const known = this.store.syncState(this.mailbox.id);
        if (!known || known.uidValidity !== uidValidity) {
          if (known) this.logger.warn(`UIDVALIDITY changed from ${known.uidValidity} to ${uidValidity}: reading the folder again (claims keep mail from being imported twice)`);
          this.store.resetSync(this.mailbox.id, uidValidity);
        }
        backoff = 1000;
        while (!this.stopped && !closed) {
          await this.sync(connection, uidValidity);
          await this.sleep(this.mailbox.settings.pollIntervalSeconds * 1000);
        }
      } catch (error) {
        // Messages from imapflow and the secret store never contain the password.
        const message = error instanceof Error ? error.message : String(error);
        this.state = { ...this.state, connected: false, lastError: message };
        if (!this.stopped) this.logger.warn(`IMAP ${imap.host}:${imap.port} (${imap.user}): ${message}; retrying in ${Math.round(backoff / 1000)} s`);
      } finally {
        this.state = { ...this.state, connected: false };
        await this.connection?.close().catch(() => undefined);
        this.connection = undefined;
      }
      if (this.stopped) return;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, 60_000);
    }
  }

  /**
   * Everything above the last receipted UID: each batch is stored (blobs fsync'd, then receipts and
   * the new last UID in one transaction) before it is imported. The next batch is fetched while the
   * previous one is imported; imports stay in UID order.
   */
  private async sync(connection: ImapConnection, uidValidity: string): Promise<void> {
    const lastUid = this.store.syncState(this.mailbox.id)?.lastUid ?? 0;
    const uids = await connection.uidsAfter(lastUid);
    let importing: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < uids.length && !this.stopped; i += FETCH_BATCH) {
      const batch = uids.slice(i, i + FETCH_BATCH);
      const messages = await connection.fetch(batch);
      const blobs = await this.blobs.putMany(messages.map((m) => m.source));
      const stored: FetchedBlob[] = messages.map((m, i) => ({ uid: m.uid, blob: blobs[i]!.hash, size: blobs[i]!.size }));
      const receipts = this.store.recordFetched(this.mailbox.id, uidValidity, stored, batch[batch.length - 1]!, this.clock.now().toISOString());
      // Parsing this batch overlaps the import of the previous one; imports stay in UID order.
      const prepared = this.pipeline.prepareBatch(receipts, new Map(messages.map((m, j) => [blobs[j]!.hash, m.source])));
      prepared.catch(() => undefined); // its failure surfaces through `importing`
      await importing;
      importing = prepared
        .then((p) => this.pipeline.importBatch(p))
        .then((outcomes) => {
          this.state = { ...this.state, imported: this.state.imported + outcomes.length };
        });
    }
    await importing;
    this.state = { ...this.state, lastSyncAt: this.clock.now().toISOString() };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Inject, Logger, Module, Optional, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { MAIL_CONFIG, PROJECTION_PROGRESS, PROJECTION_RUNNER, PROJECTIONS, type MailConfig, type Projector } from '@helpdesk/application';
import { BLOB_STORE, DiskBlobStore, FileSecretStore, MAIL_STORE, SECRET_STORE, SqliteBlobStore, SqliteMailStore, type BlobStore, type MailStore } from '@helpdesk/mail';
import { EVENT_STORE, type EventStore, type SqliteEventStore } from '@helpdesk/event-store';
import { allProjections } from '@helpdesk/projections';
import { CheckpointProgress, DOCUMENT_STORE, ProjectionRunner, type DocumentStore } from '@helpdesk/read-store';
import type { ServerConfig } from './config';
import { ProjectorThread } from './projector-thread/projector-thread-host';
import { openDocumentStore, openEventStore, sqliteFiles } from './stores';

/** Which process this is: the projector runs in the embedded server and in the projector app only. */
export interface InfrastructureOptions {
  readonly runProjections: boolean;
  /**
   * The embedded server: with both stores in SQLite, the projector runs on a worker thread beside the
   * API's (ProjectorThread). A process that is only a projector runs it on its main thread.
   */
  readonly projectorThread?: boolean;
}

/**
 * The stores, chosen by configuration (EVENT_STORE, READ_STORE): the embedded default keeps everything in
 * SQLite files under DATA_DIR; production uses KurrentDB and MongoDB. Also the projection progress the
 * read side waits on (the in-process runner, or the read store's checkpoints) and the mail channel's
 * own stores.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(MAIL_STORE) private readonly mail: MailStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Optional() @Inject(PROJECTION_RUNNER) private readonly runner?: Projector,
  ) {}

  static forRoot(config: ServerConfig, options: InfrastructureOptions = { runProjections: true }): DynamicModule {
    const logger = new Logger('Projector');
    const threaded = options.projectorThread === true && config.eventStore.kind === 'sqlite' && config.readStore.kind === 'sqlite';
    const projectionProviders: Provider[] = options.runProjections
      ? [
          {
            provide: PROJECTION_RUNNER,
            useFactory: (events: EventStore, documents: DocumentStore): Projector =>
              threaded
                ? new ProjectorThread(events as SqliteEventStore, { eventsPath: sqliteFiles(config).events, readPath: sqliteFiles(config).read })
                : new ProjectionRunner(events, documents, allProjections, { onError: (error) => logger.error(`Projection batch failed, retrying: ${String(error)}`) }),
            inject: [EVENT_STORE, DOCUMENT_STORE],
          },
          { provide: PROJECTION_PROGRESS, useExisting: PROJECTION_RUNNER },
        ]
      : [{ provide: PROJECTION_PROGRESS, useFactory: (documents: DocumentStore) => new CheckpointProgress(documents, allProjections), inject: [DOCUMENT_STORE] }];
    return {
      module: InfrastructureModule,
      providers: [
        { provide: EVENT_STORE, useFactory: (): EventStore => openEventStore(config) },
        { provide: DOCUMENT_STORE, useFactory: (): DocumentStore => openDocumentStore(config) },
        { provide: PROJECTIONS, useValue: allProjections },
        ...projectionProviders,
        // The mail channel: its bookkeeping, raw messages and attachments, and the IMAP/SMTP passwords.
        { provide: MAIL_CONFIG, useFactory: (): MailConfig => mailConfigOf(config) },
        { provide: MAIL_STORE, useFactory: (): MailStore => new SqliteMailStore(join(config.dataDir, 'mail.sqlite')) },
        {
          provide: BLOB_STORE,
          useFactory: (): BlobStore => (config.mail.blobStore === 'files' ? new DiskBlobStore(join(config.dataDir, 'blobs')) : new SqliteBlobStore(join(config.dataDir, 'blobs.sqlite'))),
        },
        {
          provide: SECRET_STORE,
          useFactory: () => new FileSecretStore(join(config.dataDir, 'secrets.json'), { key: config.mail.secretsKey, keyFile: join(config.dataDir, 'secrets.key') }),
        },
      ],
      exports: [EVENT_STORE, DOCUMENT_STORE, PROJECTIONS, PROJECTION_PROGRESS, ...(options.runProjections ? [PROJECTION_RUNNER] : []), MAIL_CONFIG, MAIL_STORE, BLOB_STORE, SECRET_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner?.stop();
    await this.documents.close();
    this.mail.close();
    if (this.blobs instanceof SqliteBlobStore) this.blobs.close();
    await this.events.close();
  }
}

const mailConfigOf = (config: ServerConfig): MailConfig => {
  const { mail } = config;
  return {
    enabled: mail.enabled,
    limits: { maxMessageBytes: mail.maxMessageBytes, maxAttachmentBytes: mail.maxAttachmentBytes },
    smtp: mail.smtp ? { ...mail.smtp, allowInvalidCertificates: mail.allowInvalidCertificates } : null,
    outboxDir: mail.outboxDir,
    defaultFrom: mail.defaultFrom,
    loopToken: instanceToken(config.dataDir),
    autoReplyLimit: mail.autoReplyLimit,
    autoReplyWindowMinutes: mail.autoReplyWindowMinutes,
    autoReplyMaxAgeHours: mail.autoReplyMaxAgeHours,
    send: { maxAttempts: mail.sendMaxAttempts, backoffSeconds: mail.sendBackoffSeconds, maxBackoffSeconds: mail.sendMaxBackoffSeconds },
    allowInvalidCertificates: mail.allowInvalidCertificates,
  };
};

/** A random id of this installation, made once: our outbound mail carries it (X-Helpdesk-Loop). */
const instanceToken = (dataDir: string): string => {
  const file = join(dataDir, 'instance-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(12).toString('hex');
  writeFileSync(file, `${token}\n`, { mode: 0o644 });
  return token;
};

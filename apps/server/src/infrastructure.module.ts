import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Global, Inject, Logger, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { MAIL_CONFIG, PROJECTION_RUNNER, PROJECTIONS, type MailConfig } from '@helpdesk/application';
import { BLOB_STORE, DiskBlobStore, FileSecretStore, MAIL_STORE, SECRET_STORE, SqliteBlobStore, SqliteMailStore, type BlobStore, type MailStore } from '@helpdesk/mail';
import { EVENT_STORE, SqliteEventStore, type EventStore } from '@helpdesk/event-store';
import { allProjections } from '@helpdesk/projections';
import { DOCUMENT_STORE, ProjectionRunner, SqliteDocumentStore, type DocumentStore } from '@helpdesk/read-store';
import type { ServerConfig } from './config';

/** The stores, chosen by configuration. The embedded default keeps everything in SQLite files under DATA_DIR. */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(DOCUMENT_STORE) private readonly documents: DocumentStore,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(MAIL_STORE) private readonly mail: MailStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  static forRoot(config: ServerConfig): DynamicModule {
    const logger = new Logger('Projector');
    return {
      module: InfrastructureModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (): EventStore => new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite'), synchronous: config.sqliteSynchronous }),
        },
        // Read models are rebuildable from the log, so their commits need no fsync of their own.
        { provide: DOCUMENT_STORE, useFactory: (): DocumentStore => new SqliteDocumentStore({ path: join(config.dataDir, 'read.sqlite'), synchronous: 'NORMAL' }) },
        { provide: PROJECTIONS, useValue: allProjections },
        {
          provide: PROJECTION_RUNNER,
          useFactory: (events: EventStore, documents: DocumentStore) =>
            new ProjectionRunner(events, documents, allProjections, { onError: (error) => logger.error(`Projection batch failed, retrying: ${String(error)}`) }),
          inject: [EVENT_STORE, DOCUMENT_STORE],
        },
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
      exports: [EVENT_STORE, DOCUMENT_STORE, PROJECTIONS, PROJECTION_RUNNER, MAIL_CONFIG, MAIL_STORE, BLOB_STORE, SECRET_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
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

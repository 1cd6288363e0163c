import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { BootstrapService, MailboxPollers, OutboxReactor, PostponementScheduler, PROJECTION_RUNNER, type Projector } from '@helpdesk/application';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { createHttpApp, listeningUrl } from '@helpdesk/http';
import { apiBodyLimits, verifyStores, type ServerConfig } from '@helpdesk/infrastructure';
import { DOCUMENT_STORE, type DocumentStore } from '@helpdesk/read-store';
import { ServerModule } from './server.module';

export interface RunningServer {
  readonly app: NestFastifyApplication;
  readonly url: string;
  /** Only on the first start of an empty store, and only when it was generated (not configured). */
  readonly bootstrapAdminToken: string | undefined;
}

/** The embedded all-in-one server: HTTP API, projector, postponement scheduler and mail channel in one process. */
export const startServer = async (config: ServerConfig): Promise<RunningServer> => {
  const app = await createHttpApp(ServerModule.forRoot(config), { ...apiBodyLimits(config), logFormat: config.logFormat });
  await verifyStores(config, app.get<EventStore>(EVENT_STORE), app.get<DocumentStore>(DOCUMENT_STORE));
  await app.init();

  const { adminToken } = await app.get(BootstrapService).run({ adminToken: config.bootstrapAdminToken });
  app.get(PostponementScheduler).start();
  // The projector runs in-process (on a thread of its own) and is woken by every append: reads lag writes by milliseconds.
  await app.get<Projector>(PROJECTION_RUNNER).start();
  // The mail channel runs in-process too: the outbox follows the log, a poller per IMAP mailbox.
  if (config.mail.enabled) {
    app.get(OutboxReactor).start();
    await app.get(MailboxPollers).start();
  }

  await app.listen(config.port, config.host);
  return { app, url: listeningUrl(app, config.host, config.port), bootstrapAdminToken: config.bootstrapAdminToken ? undefined : adminToken };
};

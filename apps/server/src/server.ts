import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BootstrapService, MailboxPollers, OutboxReactor, PostponementScheduler, PROJECTION_RUNNER } from '@helpdesk/application';
import type { ProjectionRunner } from '@helpdesk/read-store';
import { configureHttp } from '@helpdesk/http';
import type { ServerConfig } from './config';
import { ServerModule } from './server.module';

export interface RunningServer {
  readonly app: NestFastifyApplication;
  readonly url: string;
  /** Only on the first start of an empty store, and only when it was generated (not configured). */
  readonly bootstrapAdminToken: string | undefined;
}

export const startServer = async (config: ServerConfig): Promise<RunningServer> => {
  const app = await NestFactory.create<NestFastifyApplication>(
    ServerModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: config.bodyLimitBytes }),
    { logger: new ConsoleLogger({ json: config.logFormat === 'json', colors: config.logFormat === 'text' }), abortOnError: false },
  );
  app.enableShutdownHooks();
  // POST /api/mail/inbound takes a raw RFC 822 message (an MTA pipe, a webhook), up to the mail size limit.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(['message/rfc822', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: config.mail.maxMessageBytes + 64 * 1024 }, (_request, body, done) => done(null, body));
  configureHttp(app);
  await app.init();

  const { adminToken } = await app.get(BootstrapService).run({ adminToken: config.bootstrapAdminToken });
  app.get(PostponementScheduler).start();
  // The projector runs in-process and is woken by every append: reads lag writes by milliseconds.
  await app.get<ProjectionRunner>(PROJECTION_RUNNER).start();
  // The mail channel runs in-process too: the outbox follows the log, a poller per IMAP mailbox.
  if (config.mail.enabled) {
    app.get(OutboxReactor).start();
    await app.get(MailboxPollers).start();
  }

  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { app, url: `http://${config.host}:${port}`, bootstrapAdminToken: config.bootstrapAdminToken ? undefined : adminToken };
};

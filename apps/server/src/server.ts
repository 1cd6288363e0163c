import { ConsoleLogger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { BootstrapService, PostponementScheduler } from '@helpdesk/application';
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
  configureHttp(app);
  await app.init();

  const { adminToken } = await app.get(BootstrapService).run({ adminToken: config.bootstrapAdminToken });
  app.get(PostponementScheduler).start();

  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return { app, url: `http://${config.host}:${port}`, bootstrapAdminToken: config.bootstrapAdminToken ? undefined : adminToken };
};

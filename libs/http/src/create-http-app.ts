import { ConsoleLogger, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureHttp } from './setup';

export interface HttpAppOptions {
  readonly bodyLimitBytes: number;
  /** POST /api/mail/inbound takes a raw RFC 822 message (an MTA pipe, a webhook) up to this size. */
  readonly rawMessageLimitBytes: number;
  readonly logFormat: 'json' | 'text';
}

/** A Nest application on fastify with the API's conventions: limits, raw-mail bodies, /api prefix, OpenAPI. */
export const createHttpApp = async (module: Type | DynamicModule, options: HttpAppOptions): Promise<NestFastifyApplication> => {
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter({ bodyLimit: options.bodyLimitBytes }), {
    logger: new ConsoleLogger({ json: options.logFormat === 'json', colors: options.logFormat === 'text' }),
    abortOnError: false,
  });
  app.enableShutdownHooks();
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(['message/rfc822', 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: options.rawMessageLimitBytes }, (_request, body, done) => done(null, body));
  configureHttp(app);
  return app;
};

/** Where the app listens, as a URL (port 0 picks a free one). */
export const listeningUrl = (app: NestFastifyApplication, host: string, port: number): string => {
  const address = app.getHttpServer().address();
  return `http://${host}:${typeof address === 'object' && address ? address.port : port}`;
};

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * What Nest's module system cannot express: the /api prefix and OpenAPI at /api/docs. (Errors fastify
 * raises before a route runs — body too large, malformed JSON — reach the global ProblemFilter too.)
 */
export const configureHttp = (app: NestFastifyApplication): void => {
  app.setGlobalPrefix('api', { exclude: ['health'] });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Help desk API')
      .setDescription('Event-sourced customer-service request management. Commands answer { id, number, revision, position }; ETag = revision; If-Match and Idempotency-Key are honoured.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
};

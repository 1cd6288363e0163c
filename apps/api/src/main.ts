import 'reflect-metadata';
import { BootstrapService } from '@helpdesk/application';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { createHttpApp, listeningUrl } from '@helpdesk/http';
import { announce, apiBodyLimits, launch, verifyStores } from '@helpdesk/infrastructure';
import { DOCUMENT_STORE, type DocumentStore } from '@helpdesk/read-store';
import { ApiModule } from './api.module';

/**
 * The HTTP API of the production topology. Stateless: any number of replicas behind a load balancer;
 * reads wait for the projector through the read store's checkpoints (X-Min-Position).
 */
launch(async (config) => {
  const app = await createHttpApp(ApiModule.forRoot(config), { ...apiBodyLimits(config), logFormat: config.logFormat });
  await verifyStores(config, app.get<EventStore>(EVENT_STORE), app.get<DocumentStore>(DOCUMENT_STORE));
  await app.init();
  // Idempotent, and safe when several replicas start at once.
  const { adminToken } = await app.get(BootstrapService).run({ adminToken: config.bootstrapAdminToken });
  if (adminToken && !config.bootstrapAdminToken) process.stdout.write(`\nBootstrap admin token (shown once, keep it safe): ${adminToken}\n\n`);
  await app.listen(config.port, config.host);
  announce('Api', { url: listeningUrl(app, config.host, config.port) });
});

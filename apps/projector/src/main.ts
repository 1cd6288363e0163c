import 'reflect-metadata';
import { PostponementScheduler, PROJECTION_RUNNER } from '@helpdesk/application';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { createHttpApp, listeningUrl } from '@helpdesk/http';
import { announce, launch, verifyStores } from '@helpdesk/infrastructure';
import { EventStoreTransport, MemoryCheckpoints } from '@helpdesk/messaging';
import { DOCUMENT_STORE, type DocumentStore, type ProjectionRunner } from '@helpdesk/read-store';
import { ProjectorModule } from './projector.module';

/**
 * The projector of the production topology: keeps every read model up to date, and reopens postponed
 * requests when due. A second instance does not double-apply: documents carry the position of the last
 * event applied to them and checkpoints are compared-and-set. HTTP serves /health only.
 */
launch(async (config) => {
  const app = await createHttpApp(ProjectorModule.forRoot(config), { bodyLimitBytes: 1024, rawMessageLimitBytes: 1024, logFormat: config.logFormat });
  const events = app.get<EventStore>(EVENT_STORE);
  await verifyStores(config, events, app.get<DocumentStore>(DOCUMENT_STORE));
  // The scheduler keeps what is due in memory, so it reads its events from the start at every start.
  app.connectMicroservice({ strategy: new EventStoreTransport(events, { name: 'postponements', checkpoints: new MemoryCheckpoints() }) }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  await app.get<ProjectionRunner>(PROJECTION_RUNNER).start();
  app.get(PostponementScheduler).start(1000, { follow: false });
  await app.listen(config.port, config.host);
  announce('Projector', { url: listeningUrl(app, config.host, config.port) });
});

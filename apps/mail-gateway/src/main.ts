import 'reflect-metadata';
import { MailboxPollers, OUTBOX_CHECKPOINT, OutboxReactor } from '@helpdesk/application';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { createHttpApp, listeningUrl } from '@helpdesk/http';
import { announce, launch, verifyStores } from '@helpdesk/infrastructure';
import { MAIL_STORE, type MailStore } from '@helpdesk/mail';
import { EventStoreTransport } from '@helpdesk/messaging';
import { DOCUMENT_STORE, type DocumentStore } from '@helpdesk/read-store';
import { MailGatewayModule } from './mail-gateway.module';

/**
 * The mail gateway of the production topology: polls the IMAP mailboxes, and sends what the log says
 * to send. At least once, with idempotent sends (deterministic Message-IDs; a send is checked against
 * the delivery stream first). One instance: the IMAP receipts and the outbox work list are its own.
 */
launch(async (config) => {
  const app = await createHttpApp(MailGatewayModule.forRoot(config), { bodyLimitBytes: 1024, rawMessageLimitBytes: 1024, logFormat: config.logFormat });
  const events = app.get<EventStore>(EVENT_STORE);
  await verifyStores(config, events, app.get<DocumentStore>(DOCUMENT_STORE));
  const mail = app.get<MailStore>(MAIL_STORE);
  app.connectMicroservice(
    {
      strategy: new EventStoreTransport(events, {
        name: OUTBOX_CHECKPOINT,
        checkpoints: { load: (name) => mail.checkpoint(name), save: (name, position) => mail.saveCheckpoint(name, position) },
      }),
    },
    { inheritAppConfig: true },
  );
  await app.init();
  app.get(OutboxReactor).start(1000, { follow: false });
  await app.startAllMicroservices();
  await app.get(MailboxPollers).start();
  await app.listen(config.port, config.host);
  announce('MailGateway', { url: listeningUrl(app, config.host, config.port) });
});

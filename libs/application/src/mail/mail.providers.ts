import { ConfigureMailboxHandler } from './mailbox-commands.handler';
import { InboundMailPipeline } from './inbound-pipeline';
import { MailboxDirectory } from './mailbox-directory';
import { MailboxPollers } from './mailbox-pollers';
import { OutboxReactor } from './outbox-reactor';
import { Signatures } from './signature.handler';
import { ThreadResolver } from './thread-resolver';

/**
 * The mail channel's application services (registered by ApplicationModule). They need, from the
 * infrastructure module: MAIL_CONFIG, MAIL_STORE, BLOB_STORE and SECRET_STORE. The pollers and the
 * outbox run in-process in the embedded server (started by server.ts).
 */
export const mailProviders = [MailboxDirectory, ThreadResolver, InboundMailPipeline, OutboxReactor, MailboxPollers, Signatures, ConfigureMailboxHandler];
export const mailExports = [MailboxDirectory, ThreadResolver, InboundMailPipeline, OutboxReactor, MailboxPollers, Signatures];

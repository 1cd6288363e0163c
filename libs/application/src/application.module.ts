import { Global, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { IssueAgentTokenHandler } from './agents/issue-token.handler';
import { Authenticator } from './auth/authenticator';
import { BootstrapService } from './bootstrap/bootstrap.service';
import { CatalogService } from './catalog/catalog.service';
import { ContactDirectory } from './contacts/contact-directory';
import { ExecuteContactCommandHandler } from './contacts/contact-commands.handler';
import { CommandRunner } from './event-sourcing/command-runner';
import { DecideOnStreamHandler } from './event-sourcing/decide-on-stream.handler';
import { StreamLoader } from './event-sourcing/stream-loader';
import { AddContactToRequestHandler } from './requests/add-contact.handler';
import { CreateRequestHandler } from './requests/create-request.handler';
import { DecideOnRequestHandler } from './requests/decide-request.handler';
import { MergeRequestsHandler } from './requests/merge-requests.handler';
import { ReplyToContactHandler } from './requests/reply-to-contact.handler';
import { RequestLocator } from './requests/request-locator';
import { RequestNumbers } from './requests/request-numbers';
import { SplitRequestHandler } from './requests/split-request.handler';
import { UnmergeRequestHandler } from './requests/unmerge-request.handler';
import { PostponementScheduler } from './scheduling/postponement-scheduler';
import { Clock, SystemClock } from './support/clock';
import { mailExports, mailProviders } from './mail/mail.providers';
import { CategoryAccess } from './queries/category-access';
import { DashboardHandler } from './queries/dashboard.query';
import { FlaggedMessagesHandler } from './queries/flagged-messages.query';
import { RequestHistoryHandler } from './queries/history.query';
import { ListRequestsHandler } from './queries/list-requests.query';
import { ReadConsistency } from './queries/read-consistency';
import { ReadModels } from './queries/read-models';
import { GetRequestHandler } from './queries/request-detail.query';
import { RequestFileHandler } from './queries/request-file.query';
import { SearchHandler } from './queries/search.query';

const commandHandlers = [
  DecideOnStreamHandler,
  DecideOnRequestHandler,
  CreateRequestHandler,
  ReplyToContactHandler,
  AddContactToRequestHandler,
  SplitRequestHandler,
  MergeRequestsHandler,
  UnmergeRequestHandler,
  ExecuteContactCommandHandler,
  IssueAgentTokenHandler,
];

const queryHandlers = [ListRequestsHandler, GetRequestHandler, RequestFileHandler, RequestHistoryHandler, DashboardHandler, FlaggedMessagesHandler, SearchHandler];

/**
 * Command and query handlers and the services they share. Needs the stores from an infrastructure
 * module: EVENT_STORE, DOCUMENT_STORE, PROJECTIONS and PROJECTION_RUNNER.
 */
@Global()
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    ...commandHandlers,
    ...queryHandlers,
    ReadModels,
    ReadConsistency,
    CategoryAccess,
    { provide: StreamLoader, useFactory: (store: EventStore) => new StreamLoader(store), inject: [EVENT_STORE] },
    { provide: Clock, useClass: SystemClock },
    CommandRunner,
    CatalogService,
    RequestNumbers,
    RequestLocator,
    ContactDirectory,
    Authenticator,
    BootstrapService,
    PostponementScheduler,
    ...mailProviders,
  ],
  exports: [...mailExports, CqrsModule, ReadModels, ReadConsistency, CategoryAccess, StreamLoader, Clock, CommandRunner, CatalogService, RequestNumbers, RequestLocator, ContactDirectory, Authenticator, BootstrapService, PostponementScheduler],
})
export class ApplicationModule {}

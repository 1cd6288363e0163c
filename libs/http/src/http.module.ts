import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AgentsController } from './admin/agents.controller';
import { CategoriesController, PrioritiesController, StatusesController } from './admin/configuration.controllers';
import { MeController } from './admin/me.controller';
import { AuthGuard } from './auth/auth.guard';
import { CompaniesController } from './contacts/companies.controller';
import { ContactsController } from './contacts/contacts.controller';
import { RevisionETagInterceptor } from './context/etag.interceptor';
import { ProblemFilter } from './errors/problem.filter';
import { validationPipe } from './errors/validation';
import { HealthController } from './health/health.controller';
import { RequestsController } from './requests/requests.controller';
import { EventsController } from './reads/events.controller';
import { MinPositionInterceptor } from './reads/min-position.interceptor';
import { RequestQueriesController } from './reads/request-queries.controller';
import { MailController } from './mail/mail.controller';

/** The HTTP API: controllers plus the global guard, validation, error mapping and ETag handling. */
@Module({
  controllers: [
    HealthController,
    RequestsController,
    MeController,
    AgentsController,
    StatusesController,
    CategoriesController,
    PrioritiesController,
    ContactsController,
    CompaniesController,
    RequestQueriesController,
    EventsController,
    MailController,
  ],
  providers: [
    MinPositionInterceptor,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_PIPE, useFactory: validationPipe },
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_INTERCEPTOR, useClass: RevisionETagInterceptor },
  ],
})
export class HttpApiModule {}

import { Module, type DynamicModule } from '@nestjs/common';
import { ApplicationModule } from '@helpdesk/application';
import { HttpApiModule } from '@helpdesk/http';
import type { ServerConfig } from './config';
import { InfrastructureModule } from './infrastructure.module';

/** The embedded all-in-one server: stores, write side, HTTP API, schedulers in one process. */
@Module({})
export class ServerModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return { module: ServerModule, imports: [InfrastructureModule.forRoot(config), ApplicationModule, HttpApiModule] };
  }
}

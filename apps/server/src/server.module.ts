import { Module, type DynamicModule } from '@nestjs/common';
import { ApplicationModule } from '@helpdesk/application';
import { HttpApiModule } from '@helpdesk/http';
import type { ServerConfig } from '@helpdesk/infrastructure';
import { InfrastructureModule } from '@helpdesk/infrastructure';

/** The embedded all-in-one server: stores, write side, HTTP API, schedulers in one process. */
@Module({})
export class ServerModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return { module: ServerModule, imports: [InfrastructureModule.forRoot(config, { runProjections: true, projectorThread: config.projectorThread }), ApplicationModule, HttpApiModule] };
  }
}

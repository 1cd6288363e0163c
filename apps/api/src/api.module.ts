import { Module, type DynamicModule } from '@nestjs/common';
import { ApplicationModule } from '@helpdesk/application';
import { HttpApiModule } from '@helpdesk/http';
import { InfrastructureModule, type ServerConfig } from '@helpdesk/infrastructure';

/** The stateless HTTP API: commands and queries; projections run in the projector app. */
@Module({})
export class ApiModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return { module: ApiModule, imports: [InfrastructureModule.forRoot(config, { runProjections: false }), ApplicationModule, HttpApiModule] };
  }
}

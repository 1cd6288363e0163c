import { Module, type DynamicModule } from '@nestjs/common';
import { ApplicationModule } from '@helpdesk/application';
import { HealthController } from '@helpdesk/http';
import { InfrastructureModule, type ServerConfig } from '@helpdesk/infrastructure';
import { PostponementListener } from './postponement.listener';

/** Projections into the read store, and the postponement scheduler (it sends system commands). */
@Module({})
export class ProjectorModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [InfrastructureModule.forRoot(config, { runProjections: true }), ApplicationModule],
      controllers: [HealthController, PostponementListener],
    };
  }
}

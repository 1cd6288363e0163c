import { Module, type DynamicModule } from '@nestjs/common';
import { ApplicationModule } from '@helpdesk/application';
import { HealthController } from '@helpdesk/http';
import { InfrastructureModule, type ServerConfig } from '@helpdesk/infrastructure';
import { OutboxListener } from './outbox.listener';

/** IMAP pollers (one per mailbox) and the outbox reactor. */
@Module({})
export class MailGatewayModule {
  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: MailGatewayModule,
      imports: [InfrastructureModule.forRoot(config, { runProjections: false }), ApplicationModule],
      controllers: [HealthController, OutboxListener],
    };
  }
}

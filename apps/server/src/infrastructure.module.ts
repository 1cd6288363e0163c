import { join } from 'node:path';
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, SqliteEventStore, type EventStore } from '@helpdesk/event-store';
import type { ServerConfig } from './config';

/** The stores, chosen by configuration. The embedded default keeps everything in SQLite files under DATA_DIR. */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forRoot(config: ServerConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (): EventStore => new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite'), synchronous: config.sqliteSynchronous }),
        },
      ],
      exports: [EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

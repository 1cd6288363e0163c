import { Injectable, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { agentDecider, categoryDecider, priorityDecider, RuleViolation, statusDecider, SYSTEM_ACTOR } from '@helpdesk/domain';
import { IssueAgentToken, type IssuedToken } from '../agents/issue-token.handler';
import { CatalogService } from '../catalog/catalog.service';
import type { CommandContext } from '../event-sourcing/command-context';
import { DecideOnStream } from '../event-sourcing/decide-on-stream.handler';
import { Clock } from '../support/clock';
import { nameBasedId } from '../support/ids';
import { Streams } from '../support/streams';

export const BOOTSTRAP_ADMIN_ID = nameBasedId('bootstrap-admin');

/**
 * First start of an empty store: default statuses, categories and priorities, and one admin with a
 * token so that someone can log in. Every step is a command whose decider does nothing when it was
 * already done, so starting twice (or two processes at once) seeds once.
 */
@Injectable()
export class BootstrapService {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: CatalogService,
    private readonly clock: Clock,
  ) {}

  async run(options: { adminToken?: string; adminEmail?: string } = {}): Promise<{ adminToken?: string }> {
    const ctx = this.systemContext();
    await this.commands.execute(new DecideOnStream(Streams.statuses, statusDecider, { type: 'SeedStatuses', data: {} }, ctx));
    await this.commands.execute(new DecideOnStream(Streams.categories, categoryDecider, { type: 'SeedCategories', data: {} }, ctx));
    await this.commands.execute(new DecideOnStream(Streams.priorities, priorityDecider, { type: 'SeedPriorities', data: {} }, ctx));

    const catalog = await this.catalog.current();
    if (Object.keys(catalog.agents).length > 0) return {};
    try {
      await this.commands.execute(
        new DecideOnStream(
          Streams.agent(BOOTSTRAP_ADMIN_ID),
          agentDecider,
          { type: 'RegisterAgent', data: { agentId: BOOTSTRAP_ADMIN_ID, name: 'Administrator', email: options.adminEmail ?? 'admin@localhost.localdomain', role: 'admin' } },
          ctx,
        ),
      );
    } catch (error) {
      // Another process (a second API replica) bootstrapped at the same moment: its admin stands.
      if (error instanceof RuleViolation && error.code === 'agent-exists') return {};
      throw error;
    }
    const issued: IssuedToken = await this.commands.execute(new IssueAgentToken(BOOTSTRAP_ADMIN_ID, 'bootstrap', ctx, options.adminToken));
    this.logger.log('Bootstrap admin created');
    return { adminToken: issued.token ?? undefined };
  }

  private systemContext(): CommandContext {
    return { actor: SYSTEM_ACTOR, channel: 'system', correlationId: nameBasedId('bootstrap'), now: this.clock.now() };
  }
}

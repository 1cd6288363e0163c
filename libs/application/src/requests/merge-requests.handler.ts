import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, type RequestMerged } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { numberOf, requestTarget, toResponse, type CommandResponse } from './request-target';

export class MergeRequestsCommand {
  constructor(
    readonly targetId: string,
    readonly sourceIds: readonly string[],
    readonly ctx: CommandContext,
  ) {}
}

/**
 * Sources are merged into the target: each source records where it went (and its old status, for an
 * unmerge); the target receives their messages and new contacts. All streams change in one atomic
 * append, so a merge is never half-done.
 */
@CommandHandler(MergeRequestsCommand)
export class MergeRequestsHandler implements ICommandHandler<MergeRequestsCommand, CommandResponse> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
  ) {}

  async execute({ targetId, sourceIds, ctx }: MergeRequestsCommand): Promise<CommandResponse> {
    const metadata = commandMetadata(ctx);
    const outcome = await this.runner.run(ctx, requestTarget(targetId), async (uow, target) => {
      const catalog = await this.catalog.current();
      const targetRef = { requestId: targetId, number: numberOf(target.state) ?? 0 };
      let targetState = target.state;
      for (const sourceId of new Set(sourceIds)) {
        const source = await uow.load(requestTarget(sourceId));
        const merged = requestDecider.decide({ type: 'MergeIntoRequest', data: { target: targetRef }, metadata }, source.state, catalog);
        const event = merged.find((e): e is RequestMerged => e.type === 'RequestMerged');
        const joined = requestDecider.decide(
          {
            type: 'JoinMergedRequest',
            data: {
              source: { requestId: sourceId, number: numberOf(source.state) ?? 0 },
              messages: event?.data.messages ?? [],
              contactIds: event?.data.contactIds ?? [],
            },
            metadata,
          },
          targetState,
          catalog,
        );
        uow.append(source, requestDecider, merged);
        targetState = uow.append(target, requestDecider, joined);
      }
    });
    return toResponse(targetId, outcome, numberOf(outcome.state));
  }
}

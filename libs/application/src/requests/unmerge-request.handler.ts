import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, type RequestUnmerged } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { numberOf, requestTarget, toResponse, type CommandResponse } from './request-target';

export class UnmergeRequestCommand {
  constructor(
    readonly targetId: string,
    readonly sourceId: string,
    readonly ctx: CommandContext,
  ) {}
}

/** Undoes one merge exactly: what it brought leaves the target, and the source gets its status back. */
@CommandHandler(UnmergeRequestCommand)
export class UnmergeRequestHandler implements ICommandHandler<UnmergeRequestCommand, CommandResponse> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
  ) {}

  async execute({ targetId, sourceId, ctx }: UnmergeRequestCommand): Promise<CommandResponse> {
    const metadata = commandMetadata(ctx);
    const outcome = await this.runner.run(ctx, requestTarget(targetId), async (uow, target) => {
      const catalog = await this.catalog.current();
      const onTarget = requestDecider.decide({ type: 'UnmergeRequest', data: { sourceId }, metadata }, target.state, catalog);
      const unmerged = onTarget.find((e): e is RequestUnmerged => e.type === 'RequestUnmerged');
      const source = await uow.load(requestTarget(sourceId));
      const onSource = requestDecider.decide(
        {
          type: 'UndoMerge',
          data: { target: { requestId: targetId, number: numberOf(target.state) ?? 0 }, messages: unmerged?.data.messages ?? [] },
          metadata,
        },
        source.state,
        catalog,
      );
      uow.append(target, requestDecider, onTarget);
      uow.append(source, requestDecider, onSource);
    });
    return toResponse(targetId, outcome, numberOf(outcome.state));
  }
}

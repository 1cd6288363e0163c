import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Command, Decider } from '@helpdesk/domain';
import { commandMetadata, type CommandContext } from './command-context';
import { CommandRunner, type CommandOutcome } from './command-runner';

/**
 * A command decided on one stream with nothing else to look up: configuration (statuses, categories,
 * priorities), agents, favourites, companies, contact names. `context` is what the decider needs
 * besides its state, already loaded by the caller.
 */
export class DecideOnStream<S = unknown, Ctx = unknown> {
  constructor(
    readonly streamId: string,
    readonly decider: Decider<any, any, S, Ctx>,
    readonly input: Omit<Command, 'metadata'>,
    readonly ctx: CommandContext,
    readonly context?: Ctx,
    /** What to answer with (e.g. the id of what this command creates); a retry with the same key gets the same. */
    readonly result?: { readonly id: string },
  ) {}
}

@CommandHandler(DecideOnStream)
export class DecideOnStreamHandler implements ICommandHandler<DecideOnStream, CommandOutcome<unknown, { id: string }>> {
  constructor(private readonly runner: CommandRunner) {}

  execute({ streamId, decider, input, ctx, context, result }: DecideOnStream): Promise<CommandOutcome<unknown, { id: string }>> {
    return this.runner.run<unknown, { id: string }>(ctx, { streamId, decider }, (uow, snapshot) => {
      uow.append(snapshot, decider, decider.decide({ ...input, metadata: commandMetadata(ctx) }, snapshot.state, context));
      return result;
    });
  }
}

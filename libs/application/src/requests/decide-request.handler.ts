import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, type RequestCommand } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { numberOf, requestTarget, toResponse, type CommandResponse } from './request-target';

/** A request command without its metadata, as the API builds it. */
export type RequestCommandInput = RequestCommand extends infer C ? (C extends RequestCommand ? Omit<C, 'metadata'> : never) : never;

/**
 * Every request command that needs nothing but the request and the catalog (accept, assign,
 * transfer, notes, close, reopen, postpone, delete, restore, property changes, message edits,
 * flags, tags, contacts order ...). Commands that touch other streams have their own handlers.
 */
export class DecideOnRequest {
  constructor(
    readonly requestId: string,
    /** Several commands are decided one after the other and written together (e.g. one PATCH of a message). */
    readonly input: RequestCommandInput | readonly RequestCommandInput[],
    readonly ctx: CommandContext,
  ) {}
}

@CommandHandler(DecideOnRequest)
export class DecideOnRequestHandler implements ICommandHandler<DecideOnRequest, CommandResponse> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
  ) {}

  async execute({ requestId, input, ctx }: DecideOnRequest): Promise<CommandResponse> {
    const inputs = Array.isArray(input) ? input : [input as RequestCommandInput];
    const outcome = await this.runner.run(ctx, requestTarget(requestId), async (uow, request) => {
      const catalog = await this.catalog.current();
      let state = request.state;
      for (const each of inputs) {
        const command = { ...each, metadata: commandMetadata(ctx) } as RequestCommand;
        state = uow.append(request, requestDecider, requestDecider.decide(command, state, catalog));
      }
    });
    return toResponse(requestId, outcome, numberOf(outcome.state));
  }
}

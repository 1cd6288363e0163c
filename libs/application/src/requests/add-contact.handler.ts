import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { ContactDirectory } from '../contacts/contact-directory';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { numberOf, requestTarget, toResponse, type CommandResponse } from './request-target';

export class AddContactToRequest {
  constructor(
    readonly requestId: string,
    readonly input: { contactId: string; position?: number },
    readonly ctx: CommandContext,
  ) {}
}

@CommandHandler(AddContactToRequest)
export class AddContactToRequestHandler implements ICommandHandler<AddContactToRequest, CommandResponse> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
    private readonly contacts: ContactDirectory,
  ) {}

  async execute({ requestId, input, ctx }: AddContactToRequest): Promise<CommandResponse> {
    const outcome = await this.runner.run(ctx, requestTarget(requestId), async (uow, request) => {
      await this.contacts.mustAllExist([input.contactId]);
      const command = { type: 'AddContact' as const, data: input, metadata: commandMetadata(ctx) };
      uow.append(request, requestDecider, requestDecider.decide(command, request.state, await this.catalog.current()));
    });
    return toResponse(requestId, outcome, numberOf(outcome.state));
  }
}

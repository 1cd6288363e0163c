import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, type ReplyToContact } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { ContactDirectory } from '../contacts/contact-directory';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { numberOf, requestTarget, toResponse, type CommandResponse } from './request-target';

export type ReplyInput = Omit<ReplyToContact['data'], 'to'> & { to?: string[] };

export class ReplyToContactCommand {
  constructor(
    readonly requestId: string,
    readonly input: ReplyInput,
    readonly ctx: CommandContext,
  ) {}
}

/** A reply goes to the main contact unless the agent chose recipients ("the contact is automatically added in To"). */
@CommandHandler(ReplyToContactCommand)
export class ReplyToContactHandler implements ICommandHandler<ReplyToContactCommand, CommandResponse> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
    private readonly contacts: ContactDirectory,
  ) {}

  async execute({ requestId, input, ctx }: ReplyToContactCommand): Promise<CommandResponse> {
    const outcome = await this.runner.run(ctx, requestTarget(requestId), async (uow, request) => {
      let to = input.to;
      if ((!to || to.length === 0) && request.state.kind === 'existing') {
        const main = request.state.contactIds[0];
        const contact = main ? await this.contacts.get(main) : undefined;
        to = contact && contact.kind === 'existing' ? contact.emails.slice(0, 1) : [];
      }
      const command: ReplyToContact = { type: 'ReplyToContact', data: { ...input, to: to ?? [] }, metadata: commandMetadata(ctx) };
      uow.append(request, requestDecider, requestDecider.decide(command, request.state, await this.catalog.current()));
    });
    return toResponse(requestId, outcome, numberOf(outcome.state));
  }
}

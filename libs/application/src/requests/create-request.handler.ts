import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, type CreateRequest } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { ContactDirectory } from '../contacts/contact-directory';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { newId } from '../support/ids';
import { RequestNumbers } from './request-numbers';
import { requestTarget, numberOf, toResponse, type CommandResponse } from './request-target';

type MessageInput = Omit<CreateRequest['data']['message'], 'messageId'>;
export type CreateRequestInput = Omit<CreateRequest['data'], 'requestId' | 'number' | 'message'> & { message: MessageInput };

export class CreateRequestCommand {
  constructor(
    readonly input: CreateRequestInput,
    readonly ctx: CommandContext,
  ) {}
}

@CommandHandler(CreateRequestCommand)
export class CreateRequestHandler implements ICommandHandler<CreateRequestCommand, CommandResponse> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
    private readonly numbers: RequestNumbers,
    private readonly contacts: ContactDirectory,
  ) {}

  async execute({ input, ctx }: CreateRequestCommand): Promise<CommandResponse> {
    const requestId = newId();
    const messageId = newId();

    const outcome = await this.runner.run(ctx, requestTarget(requestId), async (uow, request) => {
      await this.contacts.mustAllExist(input.contactIds);
      const catalog = await this.catalog.current();
      const decide = (number: number) =>
        requestDecider.decide(
          { type: 'CreateRequest', data: { ...input, requestId, number, message: { ...input.message, messageId } }, metadata: commandMetadata(ctx) },
          request.state,
          catalog,
        );
      decide(0); // Reject bad input before a number is spent on it.
      const number = await this.numbers.reserve(requestId);
      uow.append(request, requestDecider, decide(number));
      return { id: requestId, number };
    });
    // A replayed command answers with the request it created the first time.
    const created = outcome.result ?? { id: requestId, number: numberOf(outcome.state) };
    return toResponse(created.id, outcome, created.number);
  }
}

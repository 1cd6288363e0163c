import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, type CreateSplitRequest, type RequestSplit, type SplitRequest } from '@helpdesk/domain';
import { CatalogService } from '../catalog/catalog.service';
import { ContactDirectory } from '../contacts/contact-directory';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { newId } from '../support/ids';
import { RequestNumbers } from './request-numbers';
import { numberOf, requestTarget, toResponse, type CommandResponse } from './request-target';

export interface SplitInput {
  messageIds: string[];
  originalStatusId?: string;
  /** The new request; what is left out is taken from the original (contacts, category, priority, access level). */
  title: string;
  contactIds?: string[];
  categoryId?: string;
  priorityId?: string;
  ownerId?: string | null;
  statusId?: string;
  postponedUntil?: string;
  accessLevel?: 'internal' | 'external';
  tags?: string[];
}

export interface SplitResponse extends CommandResponse {
  readonly created: { readonly id: string; readonly number: number | undefined };
}

export class SplitRequestCommand {
  constructor(
    readonly requestId: string,
    readonly input: SplitInput,
    readonly ctx: CommandContext,
  ) {}
}

/** The chosen messages move to a new request; both requests are written in one atomic append. */
@CommandHandler(SplitRequestCommand)
export class SplitRequestHandler implements ICommandHandler<SplitRequestCommand, SplitResponse> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
    private readonly numbers: RequestNumbers,
    private readonly contacts: ContactDirectory,
  ) {}

  async execute({ requestId, input, ctx }: SplitRequestCommand): Promise<SplitResponse> {
    const newRequestId = newId();
    const metadata = commandMetadata(ctx);

    const outcome = await this.runner.run(ctx, requestTarget(requestId), async (uow, original) => {
      const catalog = await this.catalog.current();
      const created = await uow.load(requestTarget(newRequestId));
      if (input.contactIds) await this.contacts.mustAllExist(input.contactIds);
      const decide = (number: number) => {
        const split: SplitRequest = {
          type: 'SplitRequest',
          data: { newRequest: { requestId: newRequestId, number }, messageIds: input.messageIds, originalStatusId: input.originalStatusId },
          metadata,
        };
        const onOriginal = requestDecider.decide(split, original.state, catalog);
        const splitEvent = onOriginal.find((e): e is RequestSplit => e.type === 'RequestSplit')!;
        const from = original.state.kind === 'existing' ? original.state : undefined;
        const { messageIds: _ids, originalStatusId: _status, ...properties } = input;
        const create: CreateSplitRequest = {
          type: 'CreateSplitRequest',
          data: {
            ...properties,
            requestId: newRequestId,
            number,
            from: { requestId, number: from?.number ?? 0 },
            messages: splitEvent.data.messages,
            contactIds: input.contactIds ?? [...(from?.contactIds ?? [])],
            categoryId: input.categoryId ?? from?.categoryId,
            priorityId: input.priorityId ?? from?.priorityId,
            accessLevel: input.accessLevel ?? from?.accessLevel,
          },
          metadata,
        };
        return { onOriginal, onCreated: requestDecider.decide(create, created.state, catalog) };
      };
      decide(0); // Reject bad input before a number is spent on it.
      const number = await this.numbers.reserve(newRequestId);
      const { onOriginal, onCreated } = decide(number);
      uow.append(original, requestDecider, onOriginal);
      uow.append(created, requestDecider, onCreated);
      return { id: newRequestId, number };
    });
    return { ...toResponse(requestId, outcome, numberOf(outcome.state)), created: outcome.result ?? { id: newRequestId, number: undefined } };
  }
}

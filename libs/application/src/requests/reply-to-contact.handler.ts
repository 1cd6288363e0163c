import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { requestDecider, type AttachmentRef, type ReplyToContact } from '@helpdesk/domain';
import { BLOB_STORE, type BlobStore } from '@helpdesk/mail';
import { UnknownReference } from '../errors';
import { CatalogService } from '../catalog/catalog.service';
import { ContactDirectory } from '../contacts/contact-directory';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner } from '../event-sourcing/command-runner';
import { numberOf, requestTarget, toResponse, type CommandResponse } from './request-target';

/** An uploaded file to send: its blob (from POST /api/mail/attachments), the name and type to send it under. */
export interface AttachmentInput {
  readonly blob: string;
  readonly filename: string;
  readonly contentType: string;
}

export type ReplyInput = Omit<ReplyToContact['data'], 'to' | 'attachments'> & { to?: string[]; attachments?: AttachmentInput[] };

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
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
  ) {}

  async execute({ requestId, input, ctx }: ReplyToContactCommand): Promise<CommandResponse> {
    const attachments = await this.uploaded(input.attachments ?? []);
    const outcome = await this.runner.run(ctx, requestTarget(requestId), async (uow, request) => {
      let to = input.to;
      if ((!to || to.length === 0) && request.state.kind === 'existing') {
        const main = request.state.contactIds[0];
        const contact = main ? await this.contacts.get(main) : undefined;
        to = contact && contact.kind === 'existing' ? contact.emails.slice(0, 1) : [];
      }
      const command: ReplyToContact = { type: 'ReplyToContact', data: { ...input, to: to ?? [], attachments }, metadata: commandMetadata(ctx) };
      uow.append(request, requestDecider, requestDecider.decide(command, request.state, await this.catalog.current()));
    });
    return toResponse(requestId, outcome, numberOf(outcome.state));
  }

  /** Each file must have been uploaded: its size is the stored one, whatever the caller says. */
  private async uploaded(inputs: readonly AttachmentInput[]): Promise<AttachmentRef[]> {
    const refs: AttachmentRef[] = [];
    for (const input of inputs) {
      const blob = String(input.blob ?? '').toLowerCase();
      const size = await this.blobs.size(blob);
      if (size === undefined) throw new UnknownReference('unknown-attachment', `No uploaded file ${input.blob}: upload it first (POST /api/mail/attachments)`);
      refs.push({ blob, filename: input.filename, contentType: input.contentType, size, contentId: null, inline: false });
    }
    return refs;
  }
}

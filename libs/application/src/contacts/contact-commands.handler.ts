import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { companyDecider, contactDecider, contactEmailDecider, normalizeEmail, type ContactCommand } from '@helpdesk/domain';
import { UnknownReference } from '../errors';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner, type CommandOutcome, type UnitOfWork } from '../event-sourcing/command-runner';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { newId } from '../support/ids';
import { Streams } from '../support/streams';

export type ContactCommandInput = ContactCommand extends infer C ? (C extends ContactCommand ? Omit<C, 'metadata'> : never) : never;

/** Any contact command. Creating one with an Idempotency-Key derives its id from the key. */
export class ExecuteContactCommand {
  constructor(
    /** Undefined for CreateContact: the id is made here. */
    readonly contactId: string | undefined,
    /** Several commands (e.g. one PATCH) are decided in order and written together. */
    readonly input: ContactCommandInput | readonly ContactCommandInput[],
    readonly ctx: CommandContext,
  ) {}
}

/**
 * Contact commands that touch addresses also claim or release them in per-address streams, in the
 * same atomic append: that is what keeps an address on at most one contact, even when two agents
 * save the same address at the same moment.
 */
@CommandHandler(ExecuteContactCommand)
export class ExecuteContactCommandHandler implements ICommandHandler<ExecuteContactCommand> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly loader: StreamLoader,
  ) {}

  async execute({ contactId, input, ctx }: ExecuteContactCommand): Promise<{ id: string; outcome: CommandOutcome<unknown> }> {
    const id = contactId ?? newId();
    const metadata = commandMetadata(ctx);
    const commands = (Array.isArray(input) ? input : [input as ContactCommandInput]).map((command) =>
      command.type === 'CreateContact' ? { ...command, data: { ...command.data, contactId: id } } : command,
    );

    const outcome = await this.runner.run(ctx, { streamId: Streams.contact(id), decider: contactDecider }, async (uow, contact) => {
      let state = contact.state;
      for (const command of commands) {
        const companyId = companyOf(command);
        if (companyId) await this.mustExistCompany(companyId);
        const events = contactDecider.decide({ ...command, metadata } as ContactCommand, state, undefined);
        for (const event of events) {
          if (event.type === 'ContactCreated') for (const email of event.data.emails) await this.claim(uow, email, id, ctx);
          if (event.type === 'ContactEmailAdded') await this.claim(uow, event.data.email, id, ctx);
          if (event.type === 'ContactEmailRemoved') await this.release(uow, event.data.email, id, ctx);
        }
        state = uow.append(contact, contactDecider, events);
      }
      return { id };
    });
    // A replayed create answers with the contact it created the first time.
    return { id: outcome.result?.id ?? id, outcome };
  }

  private async claim(uow: UnitOfWork, email: string, contactId: string, ctx: CommandContext) {
    const normalized = normalizeEmail(email);
    const stream = await uow.load({ streamId: Streams.contactEmail(normalized), decider: contactEmailDecider });
    uow.append(stream, contactEmailDecider, contactEmailDecider.decide(
      { type: 'ClaimContactEmail', data: { email: normalized, contactId }, metadata: commandMetadata(ctx) },
      stream.state,
      undefined,
    ));
  }

  private async release(uow: UnitOfWork, email: string, contactId: string, ctx: CommandContext) {
    const normalized = normalizeEmail(email);
    const stream = await uow.load({ streamId: Streams.contactEmail(normalized), decider: contactEmailDecider });
    uow.append(stream, contactEmailDecider, contactEmailDecider.decide(
      { type: 'ReleaseContactEmail', data: { email: normalized, contactId }, metadata: commandMetadata(ctx) },
      stream.state,
      undefined,
    ));
  }

  private async mustExistCompany(companyId: string) {
    const snapshot = await this.loader.load(Streams.company(companyId), companyDecider);
    if (snapshot.revision === undefined) throw new UnknownReference('unknown-company', `No company ${companyId}`);
  }
}

const companyOf = (command: ContactCommandInput): string | null | undefined => {
  if (command.type === 'CreateContact') return command.data.companyId;
  if (command.type === 'SetContactCompany') return command.data.companyId;
  return undefined;
};

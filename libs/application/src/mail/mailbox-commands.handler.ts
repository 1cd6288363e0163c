import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  conflict,
  mailboxAddressDecider,
  mailboxDecider,
  type MailboxAddressCommand,
  type MailboxChanges,
  type MailboxCommand,
  type MailboxEvent,
  type MailboxSettings,
  type MailboxSettingsInput,
  type ServerSettings,
} from '@helpdesk/domain';
import { SECRET_STORE, type SecretStore } from '@helpdesk/mail';
import { CatalogService } from '../catalog/catalog.service';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner, type CommandOutcome, type UnitOfWork } from '../event-sourcing/command-runner';
import { newId } from '../support/ids';
import { Streams } from '../support/streams';
import { MailboxDirectory } from './mailbox-directory';

/** IMAP/SMTP settings as the API takes them: a password (kept in the secret store) or a reference to one. */
export type ServerInput<T extends ServerSettings> = Omit<T, 'secretRef'> & { secretRef?: string; password?: string };

export type MailboxInput = Omit<Partial<MailboxSettingsInput>, 'imap' | 'smtp'> & {
  imap?: ServerInput<NonNullable<MailboxSettings['imap']>> | null;
  smtp?: ServerInput<ServerSettings> | null;
};

export class ConfigureMailbox {
  constructor(
    /** Undefined: create. */
    readonly mailboxId: string | undefined,
    readonly input: MailboxInput | 'remove',
    readonly ctx: CommandContext,
  ) {}
}

/**
 * Mailbox configuration. A password never reaches the event: it goes to the secret store first and
 * the event records its reference. A replaced password's old secret is deleted after the append.
 */
@CommandHandler(ConfigureMailbox)
export class ConfigureMailboxHandler implements ICommandHandler<ConfigureMailbox> {
  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
    private readonly directory: MailboxDirectory,
    @Inject(SECRET_STORE) private readonly secrets: SecretStore,
  ) {}

  async execute({ mailboxId, input, ctx }: ConfigureMailbox): Promise<{ id: string; outcome: CommandOutcome<unknown> }> {
    const id = mailboxId ?? newId();
    const stored: string[] = [];
    try {
      // Secrets are stored once, before the command (whose retries must not store them again).
      const known = mailboxId ? await this.directory.get(mailboxId) : undefined;
      const changes: { -readonly [K in keyof MailboxChanges]: MailboxChanges[K] } = input === 'remove' ? {} : { ...withoutServers(input) };
      if (input !== 'remove' && input.imap !== undefined) {
        changes.imap = input.imap === null ? null : { ...withoutPassword(input.imap), secretRef: await this.secretFor(input.imap, known?.settings.imap ?? null, stored) };
      }
      if (input !== 'remove' && input.smtp !== undefined) {
        changes.smtp = input.smtp === null ? null : { ...withoutPassword(input.smtp), secretRef: await this.secretFor(input.smtp, known?.settings.smtp ?? null, stored) };
      }
      let replaced: string[] = [];
      const outcome = await this.runner.run(ctx, { streamId: Streams.mailbox(id), decider: mailboxDecider }, async (uow, mailbox) => {
        const metadata = commandMetadata(ctx);
        const current = mailbox.state.kind === 'existing' && !mailbox.state.removed ? mailbox.state.settings : null;
        let command: MailboxCommand;
        if (input === 'remove') {
          command = { type: 'RemoveMailbox', data: {}, metadata };
        } else {
          await this.requireFreeAddresses(id, changes.address ?? current?.address, changes.aliases ?? current?.aliases ?? []);
          command = current
            ? { type: 'UpdateMailbox', data: { changes }, metadata }
            : { type: 'CreateMailbox', data: { mailboxId: id, settings: changes as MailboxSettingsInput }, metadata };
        }
        const events = mailboxDecider.decide(command, mailbox.state, await this.catalog.current());
        uow.append(mailbox, mailboxDecider, events);
        await reserveAddresses(uow, ctx, id, current, events);
        const kept = new Set(events.flatMap((e) => (e.type === 'MailboxRemoved' ? [] : [e.data.settings.imap?.secretRef, e.data.settings.smtp?.secretRef])));
        replaced = events.length === 0 ? [] : [current?.imap?.secretRef, current?.smtp?.secretRef].filter((ref): ref is string => !!ref && ref.startsWith('secret:') && !kept.has(ref));
        return { id };
      });
      this.directory.forget();
      for (const ref of replaced) await this.secrets.delete(ref);
      return { id, outcome };
    } catch (error) {
      // Nothing refers to what this failed command stored.
      for (const ref of stored) await this.secrets.delete(ref);
      throw error;
    }
  }

  /** The new password's reference, the given reference, or (neither given) the current one. */
  private async secretFor(input: ServerInput<ServerSettings>, current: ServerSettings | null, stored: string[]): Promise<string> {
    if (typeof input.password === 'string' && input.password.length > 0) {
      const ref = await this.secrets.put(input.password);
      stored.push(ref);
      return ref;
    }
    if (input.secretRef) return input.secretRef;
    // An edit that leaves the password out keeps it, as long as the server is the same.
    if (current && current.host === input.host && current.user === input.user) return current.secretRef;
    return '';
  }

  private async requireFreeAddresses(id: string, address: string | undefined, aliases: readonly string[]): Promise<void> {
    const wanted = [address, ...aliases].filter((a): a is string => !!a).map((a) => a.trim().toLowerCase());
    for (const other of await this.directory.all()) {
      if (other.id === id) continue;
      const taken = wanted.find((a) => a === other.settings.address || other.settings.aliases.includes(a));
      if (taken) throw conflict('mailbox-address-in-use', `${taken} already belongs to mailbox "${other.settings.name}"`);
    }
  }
}

const addressesOf = (settings: MailboxSettings): string[] => [settings.address, ...settings.aliases];

/**
 * Claims every address the mailbox has after the change and releases those it gave up, in the same
 * append as the mailbox's event: two mailboxes configured at once cannot both take an address (the
 * directory check above only names the mailbox that has it). Claiming an address held already is a
 * no-op, and claiming all of them also reserves those of a mailbox configured before reservations.
 */
const reserveAddresses = async (uow: UnitOfWork, ctx: CommandContext, mailboxId: string, before: MailboxSettings | null, events: readonly MailboxEvent[]) => {
  const last = events[events.length - 1];
  if (!last) return;
  const after = last.type === 'MailboxRemoved' ? [] : addressesOf(last.data.settings);
  const given = before ? addressesOf(before).filter((address) => !after.includes(address)) : [];
  const commands: Omit<MailboxAddressCommand, 'metadata'>[] = [
    ...after.map((address) => ({ type: 'ClaimMailboxAddress' as const, data: { address, mailboxId } })),
    ...given.map((address) => ({ type: 'ReleaseMailboxAddress' as const, data: { address, mailboxId } })),
  ];
  for (const command of commands) {
    const claim = await uow.load({ streamId: Streams.mailboxAddress(command.data.address), decider: mailboxAddressDecider });
    uow.append(claim, mailboxAddressDecider, mailboxAddressDecider.decide({ ...command, metadata: commandMetadata(ctx) } as MailboxAddressCommand, claim.state, undefined));
  }
};

const withoutPassword = <T extends { password?: string }>(server: T): Omit<T, 'password'> => {
  const { password: _password, ...rest } = server;
  return rest;
};

const withoutServers = (input: MailboxInput): MailboxChanges => {
  const { imap: _imap, smtp: _smtp, ...rest } = input;
  return rest;
};

import type { Command } from '../shared/message';
import type { AutoReplySettings, MailboxSettings } from './mailbox.settings';

/** Everything but name and address may be left out (defaults: no IMAP, server SMTP, no auto-reply, contacts created, 60 s). */
export type MailboxSettingsInput = Pick<MailboxSettings, 'name' | 'address'> & Partial<Omit<MailboxSettings, 'name' | 'address'>>;

export type CreateMailbox = Command<'CreateMailbox', { mailboxId: string; settings: MailboxSettingsInput }>;
/** Given fields replace the current ones (a given `imap` or `smtp` replaces the whole block; `autoReply` fields merge). */
export type MailboxChanges = Partial<Omit<MailboxSettings, 'autoReply'>> & { autoReply?: Partial<AutoReplySettings> };
export type UpdateMailbox = Command<'UpdateMailbox', { changes: MailboxChanges }>;
/** The mailbox stops receiving; its requests and history stay. */
export type RemoveMailbox = Command<'RemoveMailbox', Record<string, never>>;

export type MailboxCommand = CreateMailbox | UpdateMailbox | RemoveMailbox;

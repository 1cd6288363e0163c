import type { Event } from '../shared/message';
import type { MailboxSettings } from './mailbox.settings';

/** Stream `mailbox-<id>`. Each event carries the complete settings, so the fold is a replacement. */
export type MailboxCreated = Event<'MailboxCreated', { mailboxId: string; settings: MailboxSettings }>;
export type MailboxUpdated = Event<'MailboxUpdated', { mailboxId: string; settings: MailboxSettings; changed: string[] }>;
export type MailboxRemoved = Event<'MailboxRemoved', { mailboxId: string }>;

export type MailboxEvent = MailboxCreated | MailboxUpdated | MailboxRemoved;

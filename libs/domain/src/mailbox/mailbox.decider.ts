import type { Catalog } from '../catalog/catalog';
import { requireAdmin } from '../catalog/rules';
import type { Decider } from '../shared/decider';
import { isEmailAddress, normalizeEmail } from '../shared/email';
import { assertNever, conflict, invalid, notFound } from '../shared/errors';
import type { MailboxChanges, MailboxCommand } from './mailbox.commands';
import type { MailboxEvent } from './mailbox.events';
import { DEFAULT_AUTO_REPLY, type AutoReplySettings, type ImapSettings, type MailboxSettings, type ServerSettings } from './mailbox.settings';

export type MailboxState =
  | { readonly kind: 'none' }
  | { readonly kind: 'existing'; readonly id: string; readonly settings: MailboxSettings; readonly removed: boolean };

export const initialMailboxState = (): MailboxState => ({ kind: 'none' });

export const evolveMailbox = (state: MailboxState, event: MailboxEvent): MailboxState => {
  switch (event.type) {
    case 'MailboxCreated':
      return { kind: 'existing', id: event.data.mailboxId, settings: event.data.settings, removed: false };
    case 'MailboxUpdated':
      return state.kind === 'existing' ? { ...state, settings: event.data.settings } : state;
    case 'MailboxRemoved':
      return state.kind === 'existing' ? { ...state, removed: true } : state;
    default:
      return assertNever(event);
  }
};

const TLS_MODES = ['implicit', 'starttls', 'none'];
/** A reference, never a secret: `secret:<id>` (the secret store) or `env:<NAME>` (the server's environment). */
const SECRET_REF = /^(secret:[A-Za-z0-9-]{1,100}|env:[A-Z_][A-Z0-9_]{0,100})$/;

const address = (raw: unknown, field: string): string => {
  const normalised = normalizeEmail(typeof raw === 'string' ? raw : '');
  if (!isEmailAddress(normalised)) throw invalid('invalid-address', `${field}: "${String(raw)}" is not an email address`);
  return normalised;
};

const text = (raw: unknown, field: string, max = 1000): string => {
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (value.length === 0) throw invalid('mailbox-field-required', `${field} is required`);
  if (value.length > max) throw invalid('mailbox-field-too-long', `${field} has at most ${max} characters`);
  return value;
};

const server = <T extends ServerSettings>(raw: T | null | undefined, field: string, extra: (raw: T) => Omit<T, keyof ServerSettings>): T | null => {
  if (raw === null || raw === undefined) return null;
  const port = raw.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid('invalid-port', `${field}.port must be 1 to 65535`);
  if (!TLS_MODES.includes(raw.tls)) throw invalid('invalid-tls', `${field}.tls must be one of ${TLS_MODES.join(', ')}`);
  if (typeof raw.secretRef !== 'string' || !SECRET_REF.test(raw.secretRef)) {
    // Whatever else it is, it must not reach the permanent log: it could be the password itself.
    throw invalid('secret-not-a-reference', `${field}: the password is kept in the secret store; only its reference (secret:… or env:…) is recorded`);
  }
  return { host: text(raw.host, `${field}.host`, 255), port, tls: raw.tls, user: text(raw.user, `${field}.user`, 255), secretRef: raw.secretRef, ...extra(raw) } as T;
};

const autoReplyOf = (raw: Partial<AutoReplySettings> | undefined, current: AutoReplySettings): AutoReplySettings => {
  const merged = { ...current, ...(raw ?? {}) };
  return {
    enabled: merged.enabled === true,
    subject: text(merged.subject, 'autoReply.subject', 300),
    body: text(merged.body, 'autoReply.body', 20_000),
    onFollowUps: merged.onFollowUps === true,
  };
};

/** The settings, checked and normalised; references to the catalog must exist. */
export const checkSettings = (raw: MailboxChanges, current: MailboxSettings | null, catalog: Catalog): MailboxSettings => {
  const { autoReply: _autoReply, ...rest } = raw;
  const merged: Partial<Omit<MailboxSettings, 'autoReply'>> = { ...(current ?? {}), ...rest };
  const mainAddress = address(merged.address, 'address');
  const aliases = [...new Set((merged.aliases ?? []).map((alias, i) => address(alias, `aliases[${i}]`)))].filter((alias) => alias !== mainAddress);
  const categoryId = merged.categoryId ?? null;
  if (categoryId !== null && !catalog.categories[categoryId]) throw invalid('unknown-category', `There is no category "${categoryId}"`);
  const priorityId = merged.priorityId ?? null;
  if (priorityId !== null && !catalog.priorities[priorityId]) throw invalid('unknown-priority', `There is no priority "${priorityId}"`);
  const pollIntervalSeconds = merged.pollIntervalSeconds ?? 60;
  if (!Number.isInteger(pollIntervalSeconds) || pollIntervalSeconds < 1 || pollIntervalSeconds > 86_400) {
    throw invalid('invalid-poll-interval', 'pollIntervalSeconds must be 1 to 86400');
  }
  return {
    name: text(merged.name, 'name', 200),
    address: mainAddress,
    aliases,
    imap: server<ImapSettings>(merged.imap, 'imap', (imap) => ({ folder: text(imap.folder ?? 'INBOX', 'imap.folder', 255) })),
    smtp: server<ServerSettings>(merged.smtp, 'smtp', () => ({})),
    categoryId,
    priorityId,
    autoReply: autoReplyOf(raw.autoReply, current?.autoReply ?? DEFAULT_AUTO_REPLY),
    createContacts: merged.createContacts ?? true,
    pollIntervalSeconds,
    enabled: merged.enabled ?? true,
  };
};

const decide = (command: MailboxCommand, state: MailboxState, catalog: Catalog): MailboxEvent[] => {
  requireAdmin(command.metadata);
  switch (command.type) {
    case 'CreateMailbox': {
      if (state.kind === 'existing') throw conflict('mailbox-exists', `Mailbox ${state.settings.address} exists already`);
      return [{ type: 'MailboxCreated', data: { mailboxId: command.data.mailboxId, settings: checkSettings(command.data.settings, null, catalog) } }];
    }
    case 'UpdateMailbox': {
      const current = existing(state);
      const settings = checkSettings(command.data.changes, current.settings, catalog);
      const changed = (Object.keys(settings) as (keyof MailboxSettings)[]).filter((key) => JSON.stringify(settings[key]) !== JSON.stringify(current.settings[key]));
      return changed.length === 0 ? [] : [{ type: 'MailboxUpdated', data: { mailboxId: current.id, settings, changed } }];
    }
    case 'RemoveMailbox': {
      const current = existing(state);
      return current.removed ? [] : [{ type: 'MailboxRemoved', data: { mailboxId: current.id } }];
    }
    default:
      return assertNever(command);
  }
};

const existing = (state: MailboxState) => {
  if (state.kind === 'none' || state.removed) throw notFound('unknown-mailbox', 'There is no such mailbox');
  return state;
};

/** Stream `mailbox-<id>`: where one mailbox's mail comes from, what its requests default to, how it answers. */
export const mailboxDecider: Decider<MailboxCommand, MailboxEvent, MailboxState, Catalog> = {
  initialState: initialMailboxState,
  decide,
  evolve: evolveMailbox,
};

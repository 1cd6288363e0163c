import { ada, bob } from '../testing/actors';
import { commandsFrom } from '../testing/metadata';
import { eachRuleIsReportedAs } from '../testing/rule-kind';
import { DeciderSpecification } from '../testing/specification';
import { testCatalog } from '../request/request.fixtures';
import type { Actor } from '../shared/message';
import type { CreateMailbox, MailboxCommand, MailboxSettingsInput, RemoveMailbox, UpdateMailbox } from './mailbox.commands';
import { mailboxDecider, type MailboxState } from './mailbox.decider';
import type { Catalog } from '../catalog/catalog';
import type { MailboxEvent } from './mailbox.events';
import { DEFAULT_AUTO_REPLY, type MailboxSettings } from './mailbox.settings';

const { given } = DeciderSpecification.for(mailboxDecider, testCatalog);
const { command } = commandsFrom(ada);

const IMAP = { host: 'imap.helpdesk.test', port: 993, tls: 'implicit' as const, user: 'support', secretRef: 'secret:0192-abc', folder: 'INBOX' };

const create = (settings: Partial<MailboxSettingsInput> = {}, actor?: Actor): MailboxCommand =>
  command<CreateMailbox>('CreateMailbox', { mailboxId: 'mbx-1', settings: { name: 'Support', address: 'support@helpdesk.test', ...settings } }, actor);
const update = (changes: UpdateMailbox['data']['changes'], actor?: Actor) => command<UpdateMailbox>('UpdateMailbox', { changes }, actor);
const remove = (): MailboxCommand => command<RemoveMailbox>('RemoveMailbox', {});

const settings = (fields: Partial<MailboxSettings> = {}): MailboxSettings => ({
  name: 'Support',
  address: 'support@helpdesk.test',
  aliases: [],
  imap: null,
  smtp: null,
  categoryId: null,
  priorityId: null,
  autoReply: DEFAULT_AUTO_REPLY,
  createContacts: true,
  pollIntervalSeconds: 60,
  enabled: true,
  ...fields,
});
const created = (fields: Partial<MailboxSettings> = {}): MailboxEvent => ({ type: 'MailboxCreated', data: { mailboxId: 'mbx-1', settings: settings(fields) } });
const updated = (fields: Partial<MailboxSettings>, changed: string[]): MailboxEvent => ({
  type: 'MailboxUpdated',
  data: { mailboxId: 'mbx-1', settings: settings(fields), changed },
});

describe('mailbox decider', () => {
  describe('CreateMailbox', () => {
    it('creates a mailbox with the defaults', () => given().when(create()).then([created()]));

    it('normalises the addresses and drops an alias that is the address', () =>
      given()
        .when(create({ address: ' Support@Helpdesk.TEST', aliases: ['Help@helpdesk.test', 'support@helpdesk.test', 'help@helpdesk.test'] }))
        .then([created({ aliases: ['help@helpdesk.test'] })]));

    it('records IMAP settings with a secret reference', () => given().when(create({ imap: IMAP })).then([created({ imap: IMAP })]));

    it('never records a password in place of a reference', () =>
      given().when(create({ imap: { ...IMAP, secretRef: 'hunter2' } })).thenThrows('secret-not-a-reference'));

    it('takes a reference to an environment variable', () =>
      given().when(create({ imap: { ...IMAP, secretRef: 'env:SUPPORT_IMAP_PASSWORD' } })).then([created({ imap: { ...IMAP, secretRef: 'env:SUPPORT_IMAP_PASSWORD' } })]));

    it('files requests under an existing category and priority', () =>
      given().when(create({ categoryId: 'invoicing', priorityId: 'urgent' })).then([created({ categoryId: 'invoicing', priorityId: 'urgent' })]));

    it('refuses an unknown category', () => given().when(create({ categoryId: 'nope' })).thenThrows('unknown-category'));
    it('refuses an address that is not one', () => given().when(create({ address: 'support' })).thenThrows('invalid-address'));
    it('refuses a port out of range', () => given().when(create({ imap: { ...IMAP, port: 70000 } })).thenThrows('invalid-port'));
    it('refuses a poll interval of zero', () => given().when(create({ pollIntervalSeconds: 0 })).thenThrows('invalid-poll-interval'));
    it('refuses an agent', () => given().when(create({}, bob)).thenThrows('admin-only'));
    it('refuses to create it twice', () => given(created()).when(create()).thenThrows('mailbox-exists'));
  });

  describe('UpdateMailbox', () => {
    it('switches the auto-reply on, keeping the template', () =>
      given(created()).when(update({ autoReply: { enabled: true } })).then([updated({ autoReply: { ...DEFAULT_AUTO_REPLY, enabled: true } }, ['autoReply'])]));

    it('switches contact creation off', () => given(created()).when(update({ createContacts: false })).then([updated({ createContacts: false }, ['createContacts'])]));

    it('does nothing when nothing changes', () => given(created()).when(update({ name: ' Support ' })).thenNothingHappens());

    it('refuses a removed mailbox', () => given(created(), { type: 'MailboxRemoved', data: { mailboxId: 'mbx-1' } }).when(update({ name: 'X' })).thenThrows('unknown-mailbox'));
  });

  describe('RemoveMailbox', () => {
    it('removes it', () => given(created()).when(remove()).then([{ type: 'MailboxRemoved', data: { mailboxId: 'mbx-1' } }]));
    it('refuses one that does not exist', () => given().when(remove()).thenThrows('unknown-mailbox'));
  });

  describe('how each rule is reported', () =>
    eachRuleIsReportedAs<MailboxCommand, MailboxEvent, MailboxState, Catalog>(mailboxDecider, [
      ['admin-only', 'forbidden', [], create({}, bob)],
      ['mailbox-exists', 'conflict', [created()], create()],
      ['unknown-mailbox', 'not-found', [], remove()],
      ['secret-not-a-reference', 'invalid', [], create({ imap: { ...IMAP, secretRef: 'pw' } })],
      ['invalid-address', 'invalid', [], create({ address: 'x' })],
    ]));
});

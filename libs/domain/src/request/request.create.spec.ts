import {
  alice,
  audrey,
  bob,
  catalogWith,
  create,
  created,
  customerMessage,
  dave,
  ENQUIRY,
  given,
  minutesAfter,
  noted,
  NOW,
  replied,
  system,
  TOMORROW,
  YESTERDAY,
  zed,
} from './request.fixtures';

describe('CreateRequest', () => {
  it('records the request with the catalog defaults and the enquiry as its first message', () =>
    given().when(create()).then([created(), customerMessage()]));

  it('records who created it', () =>
    given()
      .when(create({ actor: bob }))
      .then([created({ createdBy: 'bob' }), customerMessage({ recordedBy: 'bob' })]));

  it('records the channel it came by', () =>
    given()
      .when(create({ channel: 'web' }))
      .then([created({ channel: 'web' }), customerMessage({ channel: 'web' })]));

  describe('title', () => {
    it('trims it', () => given().when(create({ title: '  Printer on fire  ' })).then([created(), customerMessage()]));

    it('requires one', () => given().when(create({ title: '   ' })).thenThrows('title-required'));

    it('takes 200 characters', () =>
      given()
        .when(create({ title: 'x'.repeat(200) }))
        .then([created({ title: 'x'.repeat(200) }), customerMessage()]));

    it('refuses more than 200 characters', () => given().when(create({ title: 'x'.repeat(201) })).thenThrows('title-too-long'));
  });

  describe('contacts', () => {
    it('keeps their order, the first being the main contact', () =>
      given()
        .when(create({ contactIds: ['contact-2', 'contact-1'] }))
        .then([created({ contactIds: ['contact-2', 'contact-1'] }), customerMessage({ contactId: 'contact-2' })]));

    it('requires at least one', () => given().when(create({ contactIds: [] })).thenThrows('contact-required'));

    it('refuses the same contact twice', () =>
      given().when(create({ contactIds: ['contact-1', 'contact-1'] })).thenThrows('duplicate-contact'));
  });

  describe('category and priority', () => {
    it('takes the chosen category', () =>
      given().when(create({ categoryId: 'invoicing' })).then([created({ categoryId: 'invoicing' }), customerMessage()]));

    it('refuses an unknown category', () => given().when(create({ categoryId: 'nope' })).thenThrows('unknown-category'));

    it('refuses to guess a category when the catalog has no default', () =>
      given().withContext(catalogWith({ defaultCategoryId: null })).when(create()).thenThrows('unknown-category'));

    it('sets the deadline from the chosen priority', () =>
      given()
        .when(create({ priorityId: 'urgent' }))
        .then([created({ priorityId: 'urgent', deadline: minutesAfter(NOW, 60) }), customerMessage()]));

    it('has no deadline when the priority has none', () =>
      given()
        .when(create({ priorityId: 'someday' }))
        .then([created({ priorityId: 'someday', deadline: null }), customerMessage()]));

    it('refuses an unknown priority', () => given().when(create({ priorityId: 'nope' })).thenThrows('unknown-priority'));
  });

  describe('owner', () => {
    it('is unassigned by default', () => given().when(create({ ownerId: null })).then([created({ ownerId: null }), customerMessage()]));

    it('can be an agent', () => given().when(create({ ownerId: 'bob' })).then([created({ ownerId: 'bob' }), customerMessage()]));

    it('can be an administrator', () =>
      given().when(create({ ownerId: 'carol' })).then([created({ ownerId: 'carol' }), customerMessage()]));

    it('refuses someone not in the catalog', () => given().when(create({ ownerId: zed.id })).thenThrows('unknown-agent'));

    it('refuses an inactive agent', () => given().when(create({ ownerId: dave.id })).thenThrows('agent-inactive'));

    it('refuses an auditor', () => given().when(create({ ownerId: audrey.id })).thenThrows('agent-cannot-own'));
  });

  describe('status', () => {
    it('can start closed', () =>
      given()
        .when(create({ statusId: 'solved' }))
        .then([created({ statusId: 'solved', baseStatus: 'closed' }), customerMessage()]));

    it('can start postponed until a later time', () =>
      given()
        .when(create({ statusId: 'on-hold', postponedUntil: TOMORROW }))
        .then([created({ statusId: 'on-hold', baseStatus: 'postponed', postponedUntil: TOMORROW }), customerMessage()]));

    it('refuses an unknown status', () => given().when(create({ statusId: 'nope' })).thenThrows('unknown-status'));

    it('refuses the deleted status', () => given().when(create({ statusId: 'deleted' })).thenThrows('status-not-selectable'));

    it('refuses the merged status', () => given().when(create({ statusId: 'merged' })).thenThrows('status-not-selectable'));

    it('refuses a postponed status without a time', () =>
      given().when(create({ statusId: 'postponed' })).thenThrows('postpone-until-required'));

    it('refuses a postponed status until a time in the past', () =>
      given().when(create({ statusId: 'postponed', postponedUntil: YESTERDAY })).thenThrows('postpone-in-past'));

    it('refuses a postponed status until now', () =>
      given().when(create({ statusId: 'postponed', postponedUntil: NOW })).thenThrows('postpone-in-past'));

    it('refuses something that is not a time', () =>
      given().when(create({ statusId: 'postponed', postponedUntil: 'next tuesday' })).thenThrows('invalid-time'));

    it('refuses a postpone time with a status that is not postponed', () =>
      given().when(create({ statusId: 'new', postponedUntil: TOMORROW })).thenThrows('postpone-until-unexpected'));
  });

  describe('tags and access level', () => {
    it('trims, lower-cases and de-duplicates tags', () =>
      given()
        .when(create({ tags: [' VIP ', 'printer', 'vip'] }))
        .then([created({ tags: ['vip', 'printer'] }), customerMessage()]));

    it('refuses an empty tag', () => given().when(create({ tags: ['vip', '  '] })).thenThrows('invalid-tag'));

    it('refuses a tag longer than 50 characters', () => given().when(create({ tags: ['x'.repeat(51)] })).thenThrows('invalid-tag'));

    it('can be internal', () =>
      given().when(create({ accessLevel: 'internal' })).then([created({ accessLevel: 'internal' }), customerMessage()]));
  });

  describe('first message', () => {
    it('trims the text', () => given().when(create({ message: { body: `  ${ENQUIRY}\n` } })).then([created(), customerMessage()]));

    it('requires some text', () => given().when(create({ message: { body: ' \n ' } })).thenThrows('message-body-required'));

    it('records an imported enquiry as typed in by nobody', () =>
      given()
        .when(create({ actor: system, channel: 'email' }))
        .then([
          created({ createdBy: 'system', channel: 'email' }),
          customerMessage({ recordedBy: null, channel: 'email' }),
        ]));

    it('can keep the enquiry internal', () =>
      given()
        .when(create({ message: { accessLevel: 'internal' } }))
        .then([created(), customerMessage({ accessLevel: 'internal' })]));

    it('is sent to the To addresses when there are some', () =>
      given()
        .when(create({ message: { body: 'We will replace it', to: ['jane@customer.example'], cc: ['boss@customer.example'] } }))
        .then([
          created(),
          replied({ messageId: 'msg-1', body: 'We will replace it', to: ['jane@customer.example'], cc: ['boss@customer.example'] }),
        ]));

    it('normalises the addresses', () =>
      given()
        .when(create({ message: { body: 'Hello', to: ['  Jane@Customer.Example '] } }))
        .then([created(), replied({ messageId: 'msg-1', body: 'Hello', to: ['jane@customer.example'] })]));

    it('refuses an address that is not one', () =>
      given().when(create({ message: { to: ['jane at customer'] } })).thenThrows('invalid-address'));

    it('refuses a message to be sent without a To address', () =>
      given().when(create({ message: { kind: 'outbound', cc: ['boss@customer.example'] } })).thenThrows('recipient-required'));

    it('refuses recipients on an enquiry, which is never sent', () =>
      given().when(create({ message: { kind: 'customer', to: ['jane@customer.example'] } })).thenThrows('recipients-not-allowed'));

    it('can be an internal note', () =>
      given()
        .when(create({ message: { kind: 'note', body: 'Customer called, will send photos' } }))
        .then([created(), noted({ messageId: 'msg-1', body: 'Customer called, will send photos' })]));

    it('writes the note as the actor', () =>
      given()
        .when(create({ actor: alice, message: { kind: 'note', body: 'Noted' } }))
        .then([created(), noted({ messageId: 'msg-1', body: 'Noted', authorId: 'alice' })]));
  });

  it('uses the catalog it is given', () =>
    given()
      .withContext(catalogWith({ defaultPriorityId: 'urgent' }))
      .when(create())
      .then([created({ priorityId: 'urgent', deadline: minutesAfter(NOW, 60) }), customerMessage()]));
});

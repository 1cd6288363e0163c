import {
  accept,
  accepted,
  alice,
  assign,
  assigned,
  audrey,
  bob,
  carol,
  catalogWith,
  closed,
  dave,
  given,
  noted,
  opened,
  postponed,
  system,
  transfer,
  transferred,
  zed,
} from './request.fixtures';

describe('AcceptRequest', () => {
  it('makes the actor the owner, in the accept status', () =>
    given(opened()).when(accept({ actor: alice })).then([accepted({ ownerId: 'alice' })]));

  it('lets an administrator accept', () =>
    given(opened()).when(accept({ actor: carol })).then([accepted({ ownerId: 'carol' })]));

  it('opens a postponed request', () =>
    given(opened(), postponed()).when(accept()).then([accepted({ statusId: 'in-progress', baseStatus: 'open' })]));

  it('moves its own request to the accept status', () =>
    given(opened(), assigned({ ownerId: 'alice' }))
      .when(accept({ actor: alice }))
      .then([accepted({ ownerId: 'alice', previousOwnerId: 'alice' })]));

  it('does nothing when the actor already owns it in the accept status', () =>
    given(opened(), accepted({ ownerId: 'alice' })).when(accept({ actor: alice })).thenNothingHappens());

  it('falls back to the default open status when no accept status is configured', () =>
    given(opened())
      .withContext(catalogWith({ acceptStatusId: null }))
      .when(accept())
      .then([accepted({ statusId: 'new' })]));

  it('falls back to the default open status when the accept status is not an open one', () =>
    given(opened())
      .withContext(catalogWith({ acceptStatusId: 'solved' }))
      .when(accept())
      .then([accepted({ statusId: 'new' })]));

  it('refuses a closed request', () => given(opened(), closed()).when(accept()).thenThrows('request-closed'));

  it('refuses a request owned by a colleague', () =>
    given(opened(), assigned({ ownerId: 'bob' })).when(accept({ actor: alice })).thenThrows('request-owned-by-another'));

  it('leaves exactly one owner when two agents accept at once', () =>
    given(opened(), accepted({ ownerId: 'alice' })).when(accept({ actor: bob })).thenThrows('request-owned-by-another'));

  it('refuses the platform, which cannot own requests', () =>
    given(opened()).when(accept({ actor: system })).thenThrows('agent-cannot-own'));

  it('refuses an inactive agent', () => given(opened()).when(accept({ actor: dave })).thenThrows('agent-cannot-own'));

  it('refuses someone not in the catalog', () => given(opened()).when(accept({ actor: zed })).thenThrows('agent-cannot-own'));

  it('refuses an auditor', () => given(opened()).when(accept({ actor: audrey })).thenThrows('read-only-role'));
});

describe('AssignRequest', () => {
  it('gives the request to a colleague', () => given(opened()).when(assign({ ownerId: 'bob' })).then([assigned({ ownerId: 'bob' })]));

  it('puts it back in the unassigned queue', () =>
    given(opened(), assigned({ ownerId: 'bob' }))
      .when(assign({ ownerId: null }))
      .then([assigned({ ownerId: null, previousOwnerId: 'bob' })]));

  it('does nothing when it already has that owner', () =>
    given(opened(), assigned({ ownerId: 'bob' })).when(assign({ ownerId: 'bob' })).thenNothingHappens());

  it('does nothing when unassigning an unassigned request', () => given(opened()).when(assign({ ownerId: null })).thenNothingHappens());

  it('works on a closed request', () => given(opened(), closed()).when(assign({ ownerId: 'bob' })).then([assigned()]));

  it('works on a postponed request', () => given(opened(), postponed()).when(assign({ ownerId: 'bob' })).then([assigned()]));

  it('refuses someone not in the catalog', () => given(opened()).when(assign({ ownerId: 'zed' })).thenThrows('unknown-agent'));

  it('refuses an inactive agent', () => given(opened()).when(assign({ ownerId: 'dave' })).thenThrows('agent-inactive'));

  it('refuses a reporter as owner', () => given(opened()).when(assign({ ownerId: 'rory' })).thenThrows('agent-cannot-own'));
});

describe('TransferRequest', () => {
  it('hands the request to a colleague with a note', () =>
    given(opened())
      .when(transfer({ ownerId: 'bob', note: 'Can you check the invoice?' }))
      .then([transferred({ ownerId: 'bob' }), noted({ messageId: 'msg-note', body: 'Can you check the invoice?' })]));

  it('hands it to the queue of another category', () =>
    given(opened(), assigned({ ownerId: 'alice' }))
      .when(transfer({ ownerId: null, categoryId: 'invoicing', note: 'For invoicing' }))
      .then([
        transferred({ ownerId: null, previousOwnerId: 'alice', categoryId: 'invoicing' }),
        noted({ messageId: 'msg-note', body: 'For invoicing' }),
      ]));

  it('may keep the owner while changing the category', () =>
    given(opened(), assigned({ ownerId: 'bob' }))
      .when(transfer({ ownerId: 'bob', categoryId: 'invoicing', note: 'Moving' }))
      .then([
        transferred({ ownerId: 'bob', previousOwnerId: 'bob', categoryId: 'invoicing' }),
        noted({ messageId: 'msg-note', body: 'Moving' }),
      ]));

  it('trims the note', () =>
    given(opened())
      .when(transfer({ note: '  Please look  ' }))
      .then([transferred(), noted({ messageId: 'msg-note', body: 'Please look' })]));

  it('requires a note', () => given(opened()).when(transfer({ note: '  ' })).thenThrows('transfer-note-required'));

  it('requires an owner or a category', () =>
    given(opened()).when(transfer({ ownerId: null })).thenThrows('transfer-needs-owner-or-category'));

  it('refuses a transfer to the current owner', () =>
    given(opened(), assigned({ ownerId: 'bob' })).when(transfer({ ownerId: 'bob' })).thenThrows('transfer-to-current-owner'));

  it('refuses a transfer to the current owner and category', () =>
    given(opened(), assigned({ ownerId: 'bob' }))
      .when(transfer({ ownerId: 'bob', categoryId: 'general' }))
      .thenThrows('transfer-to-current-owner'));

  it('refuses a closed request', () => given(opened(), closed()).when(transfer()).thenThrows('request-closed'));

  it('refuses an unknown category', () =>
    given(opened()).when(transfer({ ownerId: null, categoryId: 'nope' })).thenThrows('unknown-category'));

  it('refuses an owner not in the catalog', () => given(opened()).when(transfer({ ownerId: 'zed' })).thenThrows('unknown-agent'));

  it('refuses an inactive owner', () => given(opened()).when(transfer({ ownerId: 'dave' })).thenThrows('agent-inactive'));
});

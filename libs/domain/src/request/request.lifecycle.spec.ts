import {
  activate,
  activated,
  alice,
  carol,
  catalogWith,
  catalogWithout,
  changeStatus,
  close,
  closed,
  deleted,
  deleteRequest,
  given,
  LATER,
  NEXT_WEEK,
  NOW,
  opened,
  postpone,
  postponed,
  reopen,
  reopened,
  restore,
  restored,
  statusChanged,
  TOMORROW,
  YESTERDAY,
} from './request.fixtures';

describe('CloseRequest', () => {
  it('closes with the default closed status', () => given(opened()).when(close()).then([closed()]));

  it('closes with the chosen closed status', () =>
    given(opened()).when(close({ statusId: 'solved' })).then([closed({ statusId: 'solved' })]));

  it('closes a postponed request', () =>
    given(opened(), postponed()).when(close()).then([closed({ previousStatusId: 'postponed' })]));

  it('refuses a closed request', () => given(opened(), closed()).when(close()).thenThrows('request-already-closed'));

  it('refuses an unknown status', () => given(opened()).when(close({ statusId: 'nope' })).thenThrows('unknown-status'));

  it('refuses a status that is not closed', () => given(opened()).when(close({ statusId: 'waiting' })).thenThrows('status-not-closed'));

  it('refuses to guess when the configuration has no default closed status', () =>
    given(opened())
      .withContext(catalogWith({ defaultStatusIds: { open: 'new', postponed: 'postponed', deleted: 'deleted', merged: 'merged' } }))
      .when(close())
      .thenThrows('unknown-status'));
});

describe('ReopenRequest', () => {
  it('reopens with the default open status', () => given(opened(), closed()).when(reopen()).then([reopened()]));

  it('reopens with the chosen open status', () =>
    given(opened(), closed({ statusId: 'solved' }))
      .when(reopen({ statusId: 'waiting' }))
      .then([reopened({ statusId: 'waiting', previousStatusId: 'solved' })]));

  it('opens a postponed request', () =>
    given(opened(), postponed()).when(reopen()).then([reopened({ previousStatusId: 'postponed' })]));

  it('refuses an open request', () => given(opened()).when(reopen()).thenThrows('request-not-closed'));

  it('refuses a status that is not open', () =>
    given(opened(), closed()).when(reopen({ statusId: 'solved' })).thenThrows('status-not-open'));

  it('refuses an unknown status', () => given(opened(), closed()).when(reopen({ statusId: 'nope' })).thenThrows('unknown-status'));
});

describe('PostponeRequest', () => {
  it('postpones with the default postponed status', () =>
    given(opened()).when(postpone({ until: TOMORROW })).then([postponed({ until: TOMORROW })]));

  it('postpones with the chosen postponed status', () =>
    given(opened()).when(postpone({ statusId: 'on-hold' })).then([postponed({ statusId: 'on-hold' })]));

  it('postpones a closed request', () =>
    given(opened(), closed()).when(postpone()).then([postponed({ previousStatusId: 'closed' })]));

  it('moves the time of a postponed request', () =>
    given(opened(), postponed({ until: TOMORROW }))
      .when(postpone({ until: NEXT_WEEK }))
      .then([postponed({ until: NEXT_WEEK, previousStatusId: 'postponed' })]));

  it('stores the time in one form', () =>
    given(opened())
      .when(postpone({ until: '2026-03-03T10:00:00+01:00' }))
      .then([postponed({ until: '2026-03-03T09:00:00.000Z' })]));

  it('does nothing when status and time are unchanged', () =>
    given(opened(), postponed({ until: TOMORROW })).when(postpone({ until: TOMORROW })).thenNothingHappens());

  it('refuses a time in the past', () => given(opened()).when(postpone({ until: YESTERDAY })).thenThrows('postpone-in-past'));

  it('refuses now', () => given(opened()).when(postpone({ until: NOW })).thenThrows('postpone-in-past'));

  it('refuses something that is not a time', () => given(opened()).when(postpone({ until: 'soon' })).thenThrows('invalid-time'));

  it('refuses a status that is not postponed', () =>
    given(opened()).when(postpone({ statusId: 'waiting' })).thenThrows('status-not-postponed'));

  it('refuses an unknown status', () => given(opened()).when(postpone({ statusId: 'nope' })).thenThrows('unknown-status'));
});

describe('ActivateRequest', () => {
  it('opens a postponed request whose time has come', () =>
    given(opened(), postponed({ until: LATER })).when(activate({ at: TOMORROW })).then([activated()]));

  it('opens it at exactly the postponed time', () =>
    given(opened(), postponed({ until: LATER })).when(activate({ at: LATER })).then([activated()]));

  it('remembers the postponed status it left', () =>
    given(opened(), postponed({ statusId: 'on-hold', until: LATER }))
      .when(activate({ at: TOMORROW }))
      .then([activated({ previousStatusId: 'on-hold' })]));

  it('does nothing before the time', () =>
    given(opened(), postponed({ until: TOMORROW })).when(activate({ at: LATER })).thenNothingHappens());

  it('does nothing when the request is no longer postponed', () =>
    given(opened(), postponed({ until: LATER }), reopened({ previousStatusId: 'postponed' }))
      .when(activate({ at: TOMORROW }))
      .thenNothingHappens());
});

describe('DeleteRequest', () => {
  it('lets an administrator delete a request', () => given(opened()).when(deleteRequest({ actor: carol })).then([deleted()]));

  it('remembers the status it had', () =>
    given(opened(), closed({ statusId: 'solved' }))
      .when(deleteRequest({ actor: carol }))
      .then([deleted({ previousStatusId: 'solved' })]));

  it('refuses an agent', () => given(opened()).when(deleteRequest({ actor: alice })).thenThrows('admin-only'));
});

describe('RestoreRequest', () => {
  it('brings the request back to the status it had', () =>
    given(opened(), closed({ statusId: 'solved' }), deleted({ previousStatusId: 'solved' }))
      .when(restore({ actor: carol }))
      .then([restored({ statusId: 'solved', baseStatus: 'closed' })]));

  it('brings it back to the default open status when that status is gone', () =>
    given(opened(), closed({ statusId: 'solved' }), deleted({ previousStatusId: 'solved' }))
      .withContext(catalogWithout('solved'))
      .when(restore({ actor: carol }))
      .then([restored({ statusId: 'new', baseStatus: 'open' })]));

  it('refuses an agent', () => given(opened(), deleted()).when(restore({ actor: alice })).thenThrows('admin-only'));

  it('refuses a request that is not deleted', () => given(opened()).when(restore({ actor: carol })).thenThrows('request-not-deleted'));
});

describe('ChangeStatus', () => {
  it('moves between two open statuses', () => given(opened()).when(changeStatus({ statusId: 'waiting' })).then([statusChanged()]));

  it('moves between two closed statuses', () =>
    given(opened(), closed())
      .when(changeStatus({ statusId: 'solved' }))
      .then([statusChanged({ statusId: 'solved', baseStatus: 'closed', previousStatusId: 'closed' })]));

  it('closes an open request', () => given(opened()).when(changeStatus({ statusId: 'solved' })).then([closed({ statusId: 'solved' })]));

  it('closes a postponed request', () =>
    given(opened(), postponed())
      .when(changeStatus({ statusId: 'closed' }))
      .then([closed({ previousStatusId: 'postponed' })]));

  it('reopens a closed request', () =>
    given(opened(), closed())
      .when(changeStatus({ statusId: 'waiting' }))
      .then([reopened({ statusId: 'waiting' })]));

  it('reopens a postponed request', () =>
    given(opened(), postponed())
      .when(changeStatus({ statusId: 'new' }))
      .then([reopened({ previousStatusId: 'postponed' })]));

  it('postpones with a time', () =>
    given(opened())
      .when(changeStatus({ statusId: 'on-hold', postponedUntil: TOMORROW }))
      .then([postponed({ statusId: 'on-hold' })]));

  it('moves between two postponed statuses', () =>
    given(opened(), postponed())
      .when(changeStatus({ statusId: 'on-hold', postponedUntil: NEXT_WEEK }))
      .then([postponed({ statusId: 'on-hold', until: NEXT_WEEK, previousStatusId: 'postponed' })]));

  it('does nothing when the status is the same', () =>
    given(opened(), closed()).when(changeStatus({ statusId: 'closed' })).thenNothingHappens());

  it('does nothing when the postponed status is the same and no time is given', () =>
    given(opened(), postponed()).when(changeStatus({ statusId: 'postponed' })).thenNothingHappens());

  it('refuses a postponed status without a time', () =>
    given(opened()).when(changeStatus({ statusId: 'on-hold' })).thenThrows('postpone-until-required'));

  it('refuses a postponed status until a past time', () =>
    given(opened()).when(changeStatus({ statusId: 'on-hold', postponedUntil: YESTERDAY })).thenThrows('postpone-in-past'));

  it('refuses a time with a status that is not postponed', () =>
    given(opened()).when(changeStatus({ statusId: 'waiting', postponedUntil: TOMORROW })).thenThrows('postpone-until-unexpected'));

  it('refuses an unknown status', () => given(opened()).when(changeStatus({ statusId: 'nope' })).thenThrows('unknown-status'));

  it('refuses the deleted status', () =>
    given(opened()).when(changeStatus({ statusId: 'deleted' })).thenThrows('status-not-selectable'));

  it('refuses the merged status', () =>
    given(opened()).when(changeStatus({ statusId: 'merged' })).thenThrows('status-not-selectable'));
});

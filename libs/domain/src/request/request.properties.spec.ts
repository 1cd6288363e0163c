import {
  accessLevelChanged,
  addContact,
  addTag,
  categoryChanged,
  changeAccessLevel,
  changeCategory,
  changePriority,
  closed,
  contactAdded,
  contactRemoved,
  contactsReordered,
  created,
  customerMessage,
  given,
  LATER,
  minutesAfter,
  NOW,
  opened,
  postponed,
  priorityChanged,
  removeContact,
  removeTag,
  reorderContacts,
  retitle,
  retitled,
  statusChanged,
  tagAdded,
  tagRemoved,
  TITLE,
  TOMORROW,
  NEXT_WEEK,
  update,
} from './request.fixtures';

describe('ChangePriority', () => {
  it('recomputes the deadline from the creation of the request', () =>
    given(opened())
      .when(changePriority({ priorityId: 'urgent', at: LATER }))
      .then([priorityChanged({ priorityId: 'urgent', deadline: minutesAfter(NOW, 60) })]));

  it('drops the deadline for a priority without one', () =>
    given(opened()).when(changePriority({ priorityId: 'someday' })).then([priorityChanged({ priorityId: 'someday', deadline: null })]));

  it('does nothing when the priority is the same', () =>
    given(opened()).when(changePriority({ priorityId: 'normal' })).thenNothingHappens());

  it('refuses an unknown priority', () => given(opened()).when(changePriority({ priorityId: 'nope' })).thenThrows('unknown-priority'));
});

describe('ChangeCategory', () => {
  it('moves the request to another category', () =>
    given(opened()).when(changeCategory({ categoryId: 'invoicing' })).then([categoryChanged()]));

  it('does nothing when the category is the same', () =>
    given(opened()).when(changeCategory({ categoryId: 'general' })).thenNothingHappens());

  it('refuses an unknown category', () => given(opened()).when(changeCategory({ categoryId: 'nope' })).thenThrows('unknown-category'));
});

describe('RetitleRequest', () => {
  it('trims the new title', () => given(opened()).when(retitle({ title: ' Printer smoking ' })).then([retitled()]));

  it('does nothing when the title is the same', () => given(opened()).when(retitle({ title: ` ${TITLE}` })).thenNothingHappens());

  it('requires a title', () => given(opened()).when(retitle({ title: '' })).thenThrows('title-required'));

  it('refuses more than 200 characters', () => given(opened()).when(retitle({ title: 'x'.repeat(201) })).thenThrows('title-too-long'));
});

describe('ChangeAccessLevel', () => {
  it('makes the request internal', () => given(opened()).when(changeAccessLevel({ accessLevel: 'internal' })).then([accessLevelChanged()]));

  it('does nothing when the level is the same', () =>
    given(opened()).when(changeAccessLevel({ accessLevel: 'external' })).thenNothingHappens());
});

describe('AddTag and RemoveTag', () => {
  it('adds a normalised tag', () => given(opened()).when(addTag({ tag: ' VIP ' })).then([tagAdded('vip')]));

  it('does nothing when the tag is there', () => given(opened(), tagAdded('vip')).when(addTag({ tag: 'Vip' })).thenNothingHappens());

  it('refuses an empty tag', () => given(opened()).when(addTag({ tag: ' ' })).thenThrows('invalid-tag'));

  it('refuses a tag longer than 50 characters', () => given(opened()).when(addTag({ tag: 'x'.repeat(51) })).thenThrows('invalid-tag'));

  it('removes a tag however it is written', () =>
    given(opened(), tagAdded('vip')).when(removeTag({ tag: 'VIP' })).then([tagRemoved('vip')]));

  it('does nothing when the tag is not there', () => given(opened()).when(removeTag({ tag: 'vip' })).thenNothingHappens());

  it('refuses to remove an empty tag', () => given(opened()).when(removeTag({ tag: '' })).thenThrows('invalid-tag'));
});

describe('UpdateRequest', () => {
  it('decides every part, in order: title, category, priority, access level, tags, status', () =>
    given(opened(), tagAdded('printer'))
      .when(
        update({
          statusId: 'waiting',
          tags: ['printer', 'vip'],
          accessLevel: 'internal',
          priorityId: 'urgent',
          categoryId: 'invoicing',
          title: 'Printer smoking',
        }),
      )
      .then([retitled(), categoryChanged(), priorityChanged(), accessLevelChanged(), tagAdded('vip'), statusChanged()]));

  it('removes dropped tags before adding new ones', () =>
    given(opened(), tagAdded('printer'), tagAdded('urgent'), tagAdded('vip'))
      .when(update({ tags: ['Scanner', 'vip', 'fax'] }))
      .then([tagRemoved('printer'), tagRemoved('urgent'), tagAdded('scanner'), tagAdded('fax')]));

  it('decides only what changed', () =>
    given(opened())
      .when(update({ title: TITLE, categoryId: 'general', priorityId: 'urgent', accessLevel: 'external', tags: [] }))
      .then([priorityChanged()]));

  it('does nothing when nothing is given', () => given(opened()).when(update({})).thenNothingHappens());

  it('does nothing when nothing changes', () =>
    given(opened(), tagAdded('vip'))
      .when(update({ title: TITLE, statusId: 'new', tags: ['VIP'], priorityId: 'normal' }))
      .thenNothingHappens());

  it('postpones with the given time', () =>
    given(opened())
      .when(update({ statusId: 'on-hold', postponedUntil: TOMORROW }))
      .then([postponed({ statusId: 'on-hold', until: TOMORROW })]));

  it('closes the request', () => given(opened()).when(update({ statusId: 'solved' })).then([closed({ statusId: 'solved' })]));

  it('moves the time of a postponed request when only a time is given', () =>
    given(opened(), postponed())
      .when(update({ postponedUntil: NEXT_WEEK }))
      .then([postponed({ until: NEXT_WEEK, previousStatusId: 'postponed' })]));

  it('refuses a time alone for a request that is not postponed', () =>
    given(opened()).when(update({ postponedUntil: TOMORROW })).thenThrows('postpone-until-unexpected'));

  it('decides nothing when one part is refused', () =>
    given(opened()).when(update({ title: 'Printer smoking', categoryId: 'nope' })).thenThrows('unknown-category'));

  it('refuses a bad status after good parts', () =>
    given(opened()).when(update({ title: 'Printer smoking', statusId: 'deleted' })).thenThrows('status-not-selectable'));

  it('refuses a bad tag', () => given(opened()).when(update({ tags: ['ok', ''] })).thenThrows('invalid-tag'));
});

describe('AddContact', () => {
  it('adds a contact at the end', () =>
    given(opened()).when(addContact({ contactId: 'contact-2' })).then([contactAdded({ contactId: 'contact-2', position: 1 })]));

  it('adds a contact as the main contact', () =>
    given(opened()).when(addContact({ contactId: 'contact-2', position: 0 })).then([contactAdded({ position: 0 })]));

  it('puts a position past the end at the end', () =>
    given(opened()).when(addContact({ contactId: 'contact-2', position: 7 })).then([contactAdded({ position: 1 })]));

  it('puts a negative position at the start', () =>
    given(opened()).when(addContact({ contactId: 'contact-2', position: -3 })).then([contactAdded({ position: 0 })]));

  it('does nothing when the contact is there', () =>
    given(opened()).when(addContact({ contactId: 'contact-1' })).thenNothingHappens());
});

describe('RemoveContact', () => {
  const twoContacts = () => [created({ contactIds: ['contact-1', 'contact-2'] }), customerMessage()];

  it('removes a contact', () => given(twoContacts()).when(removeContact({ contactId: 'contact-2' })).then([contactRemoved()]));

  it('refuses a contact that is not on the request', () =>
    given(twoContacts()).when(removeContact({ contactId: 'contact-9' })).thenThrows('contact-not-on-request'));

  it('refuses to remove the only contact', () =>
    given(opened()).when(removeContact({ contactId: 'contact-1' })).thenThrows('request-needs-a-contact'));
});

describe('ReorderContacts', () => {
  const threeContacts = () => [created({ contactIds: ['contact-1', 'contact-2', 'contact-3'] }), customerMessage()];

  it('puts the contacts in the new order', () =>
    given(threeContacts())
      .when(reorderContacts({ contactIds: ['contact-3', 'contact-1', 'contact-2'] }))
      .then([contactsReordered(['contact-3', 'contact-1', 'contact-2'])]));

  it('does nothing when the order is the same', () =>
    given(threeContacts()).when(reorderContacts({ contactIds: ['contact-1', 'contact-2', 'contact-3'] })).thenNothingHappens());

  it('refuses a list that leaves one out', () =>
    given(threeContacts()).when(reorderContacts({ contactIds: ['contact-2', 'contact-1'] })).thenThrows('contacts-mismatch'));

  it('refuses a list with a stranger', () =>
    given(threeContacts())
      .when(reorderContacts({ contactIds: ['contact-2', 'contact-1', 'contact-9'] }))
      .thenThrows('contacts-mismatch'));

  it('refuses a list with a contact twice', () =>
    given(threeContacts())
      .when(reorderContacts({ contactIds: ['contact-2', 'contact-1', 'contact-1'] }))
      .thenThrows('contacts-mismatch'));
});

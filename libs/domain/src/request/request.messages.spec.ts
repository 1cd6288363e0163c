import {
  addNote,
  alice,
  bob,
  carol,
  closed,
  created,
  customerMessage,
  edited,
  editMessage,
  ENQUIRY,
  flag,
  flagged,
  forward,
  forwarded,
  given,
  LATER,
  messageAccessLevelChanged,
  noted,
  opened,
  openedWithNote,
  postponed,
  replied,
  reply,
  setMessageAccessLevel,
  system,
  unflag,
  unflagged,
} from './request.fixtures';

describe('AddInternalNote', () => {
  it('adds the note as the actor', () =>
    given(opened()).when(addNote({ body: 'Called back, no answer', actor: bob })).then([noted({ authorId: 'bob' })]));

  it('trims the text', () => given(opened()).when(addNote({ body: '  Called back, no answer \n' })).then([noted()]));

  it('requires some text', () => given(opened()).when(addNote({ body: '' })).thenThrows('message-body-required'));

  it('leaves a closed request closed', () => given(opened(), closed()).when(addNote()).then([noted()]));
});

describe('ReplyToContact', () => {
  it('records the reply to send', () => given(opened()).when(reply()).then([replied()]));

  it('can be internal', () => given(opened()).when(reply({ accessLevel: 'internal' })).then([replied({ accessLevel: 'internal' })]));

  it('copies Cc and Bcc, normalised', () =>
    given(opened())
      .when(reply({ to: ['Jane@Customer.Example'], cc: [' boss@customer.example'], bcc: ['audit@helpdesk.test '] }))
      .then([replied({ cc: ['boss@customer.example'], bcc: ['audit@helpdesk.test'] })]));

  it('requires some text', () => given(opened()).when(reply({ body: '  ' })).thenThrows('message-body-required'));

  it('requires a To address', () => given(opened()).when(reply({ to: [] })).thenThrows('recipient-required'));

  it('refuses an address that is not one', () =>
    given(opened()).when(reply({ cc: ['boss@customer'] })).thenThrows('invalid-address'));

  it('leaves a closed request closed', () => given(opened(), closed()).when(reply()).then([replied()]));

  it('closes the request after the reply when asked', () =>
    given(opened()).when(reply({ closeAfterReply: true })).then([replied(), closed()]));

  it('closes it with the chosen closed status', () =>
    given(opened())
      .when(reply({ closeAfterReply: true, closeStatusId: 'solved' }))
      .then([replied(), closed({ statusId: 'solved' })]));

  it('closes a postponed request after the reply', () =>
    given(opened(), postponed())
      .when(reply({ closeAfterReply: true }))
      .then([replied(), closed({ previousStatusId: 'postponed' })]));

  it('does not close a closed request again', () =>
    given(opened(), closed()).when(reply({ closeAfterReply: true })).then([replied()]));

  it('refuses to close with a status that is not closed', () =>
    given(opened()).when(reply({ closeAfterReply: true, closeStatusId: 'waiting' })).thenThrows('status-not-closed'));

  it('refuses to close with an unknown status', () =>
    given(opened()).when(reply({ closeAfterReply: true, closeStatusId: 'nope' })).thenThrows('unknown-status'));

  describe('with attachments', () => {
    const upload = { blob: 'a'.repeat(64), filename: ' invoice-1042.pdf ', contentType: 'Application/PDF', size: 5120, contentId: null, inline: false };
    const sent = { ...upload, filename: 'invoice-1042.pdf', contentType: 'application/pdf' };

    it('records the files to send with it', () =>
      given(opened()).when(reply({ attachments: [upload] })).then([replied({ attachments: [sent] })]));

    it('records none when there are none', () => given(opened()).when(reply({ attachments: [] })).then([replied()]));

    it('refuses a reference that is not an upload', () =>
      given(opened()).when(reply({ attachments: [{ ...upload, blob: '../etc/passwd' }] })).thenThrows('invalid-attachment'));

    it('refuses a file without a name or with a bad type', () => {
      given(opened()).when(reply({ attachments: [{ ...upload, filename: '  ' }] })).thenThrows('invalid-attachment');
      given(opened()).when(reply({ attachments: [{ ...upload, contentType: 'pdf' }] })).thenThrows('invalid-attachment');
    });

    it('takes at most 20', () =>
      given(opened()).when(reply({ attachments: Array.from({ length: 21 }, () => upload) })).thenThrows('too-many-attachments'));
  });
});

describe('ForwardRequest', () => {
  it('forwards every message by default', () =>
    given(openedWithNote()).when(forward()).then([forwarded({ forwardedMessageIds: ['msg-1', 'msg-2'] })]));

  it('forwards the chosen messages, in the order of the request', () =>
    given(openedWithNote(), replied({ messageId: 'msg-3' }))
      .when(forward({ messageIds: ['msg-3', 'msg-1', 'msg-3'] }))
      .then([forwarded({ forwardedMessageIds: ['msg-1', 'msg-3'] })]));

  it('may go without a note', () => given(opened()).when(forward({ note: '  ' })).then([forwarded({ note: '' })]));

  it('requires a To address', () => given(opened()).when(forward({ to: [] })).thenThrows('recipient-required'));

  it('refuses an address that is not one', () =>
    given(opened()).when(forward({ to: ['supplier'] })).thenThrows('invalid-address'));

  it('refuses a message the request does not have', () =>
    given(opened()).when(forward({ messageIds: ['msg-9'] })).thenThrows('unknown-message'));
});

describe('EditMessage', () => {
  const withAlicesNote = () => openedWithNote();

  it('lets the author edit their message, as a new version', () =>
    given(withAlicesNote())
      .when(editMessage({ messageId: 'msg-2', body: 'Called back twice', actor: alice, at: LATER }))
      .then([edited({ messageId: 'msg-2', body: 'Called back twice', editedBy: 'alice', at: LATER })]));

  it('numbers each further version', () =>
    given(withAlicesNote(), edited({ messageId: 'msg-2', version: 2, body: 'Called back twice' }))
      .when(editMessage({ messageId: 'msg-2', body: 'Called back three times' }))
      .then([edited({ messageId: 'msg-2', version: 3, body: 'Called back three times' })]));

  it('trims the text', () =>
    given(withAlicesNote())
      .when(editMessage({ messageId: 'msg-2', body: ' Called back twice ' }))
      .then([edited({ messageId: 'msg-2', body: 'Called back twice' })]));

  it('lets an administrator edit the enquiry of a contact', () =>
    given(opened())
      .when(editMessage({ messageId: 'msg-1', body: 'My printer is smoking', actor: carol }))
      .then([edited({ messageId: 'msg-1', editedBy: 'carol' })]));

  it('lets an administrator edit a colleague’s message', () =>
    given(withAlicesNote())
      .when(editMessage({ messageId: 'msg-2', body: 'Fixed typo', actor: carol }))
      .then([edited({ messageId: 'msg-2', body: 'Fixed typo', editedBy: 'carol' })]));

  it('refuses an agent editing a colleague’s message', () =>
    given(withAlicesNote()).when(editMessage({ messageId: 'msg-2', actor: bob })).thenThrows('not-message-author'));

  it('refuses an agent editing the enquiry of a contact', () =>
    given(opened()).when(editMessage({ messageId: 'msg-1', actor: alice })).thenThrows('not-message-author'));

  it('refuses the platform editing a contact’s message', () =>
    given(opened()).when(editMessage({ messageId: 'msg-1', actor: system })).thenThrows('not-message-author'));

  it('does nothing when the text is the latest version', () =>
    given(opened(), edited({ body: 'My printer is smoking' }))
      .when(editMessage({ body: 'My printer is smoking', actor: carol }))
      .thenNothingHappens());

  it('edits back to an earlier version as a new version', () =>
    given(opened(), edited({ body: 'My printer is smoking', editedBy: 'carol' }))
      .when(editMessage({ body: ENQUIRY, actor: carol }))
      .then([edited({ version: 3, body: ENQUIRY, editedBy: 'carol' })]));

  it('requires some text', () =>
    given(withAlicesNote()).when(editMessage({ messageId: 'msg-2', body: ' ' })).thenThrows('message-body-required'));

  it('refuses a message the request does not have', () =>
    given(opened()).when(editMessage({ messageId: 'msg-9', actor: carol })).thenThrows('message-not-found'));
});

describe('SetMessageAccessLevel', () => {
  it('lets the author change it', () =>
    given(openedWithNote(), replied({ messageId: 'msg-3' }))
      .when(setMessageAccessLevel({ messageId: 'msg-3', accessLevel: 'internal', actor: alice }))
      .then([messageAccessLevelChanged({ messageId: 'msg-3', accessLevel: 'internal' })]));

  it('lets an administrator change any message', () =>
    given(opened())
      .when(setMessageAccessLevel({ messageId: 'msg-1', accessLevel: 'internal', actor: carol }))
      .then([messageAccessLevelChanged({ messageId: 'msg-1' })]));

  it('refuses someone who is neither', () =>
    given(opened(), replied()).when(setMessageAccessLevel({ messageId: 'msg-2', actor: bob })).thenThrows('not-message-author'));

  it('does nothing when it already has that level', () =>
    given(opened(), replied({ accessLevel: 'internal' }))
      .when(setMessageAccessLevel({ messageId: 'msg-2', accessLevel: 'internal' }))
      .thenNothingHappens());

  it('refuses a message the request does not have', () =>
    given(opened()).when(setMessageAccessLevel({ messageId: 'msg-9', actor: carol })).thenThrows('message-not-found'));
});

describe('FlagMessage and UnflagMessage', () => {
  it('flags a message', () => given(opened()).when(flag({ messageId: 'msg-1', actor: bob })).then([flagged()]));

  it('does nothing when it is flagged already', () => given(opened(), flagged()).when(flag()).thenNothingHappens());

  it('refuses to flag a message the request does not have', () =>
    given(opened()).when(flag({ messageId: 'msg-9' })).thenThrows('message-not-found'));

  it('unflags a message', () => given(opened(), flagged()).when(unflag({ actor: bob })).then([unflagged()]));

  it('does nothing when it is not flagged', () => given(opened(), flagged(), unflagged()).when(unflag()).thenNothingHappens());

  it('refuses to unflag a message the request does not have', () =>
    given(opened()).when(unflag({ messageId: 'msg-9' })).thenThrows('message-not-found'));

  it('flags a message on a closed request', () => given(created(), customerMessage(), closed()).when(flag()).then([flagged()]));
});

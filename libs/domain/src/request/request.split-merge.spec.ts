import {
  catalogWithout,
  closed,
  contactRemoved,
  created,
  createSplit,
  edited,
  flagged,
  given,
  joinMerged,
  merged,
  mergedJoined,
  mergeInto,
  mergeUndone,
  messagesMovedIn,
  NOW,
  noteSnapshot,
  opened,
  openedWithNote,
  OTHER,
  postponed,
  REQUEST,
  replied,
  replySnapshot,
  requestSplit,
  snapshot,
  split,
  THIRD,
  TOMORROW,
  undoMerge,
  unmerge,
  unmerged,
} from './request.fixtures';

describe('SplitRequest (on the original)', () => {
  it('moves the chosen messages out, whole', () =>
    given(openedWithNote()).when(split({ messageIds: ['msg-2'] })).then([requestSplit({ messages: [noteSnapshot()] })]));

  it('moves them in the order of the request', () =>
    given(openedWithNote(), replied({ messageId: 'msg-3' }))
      .when(split({ messageIds: ['msg-3', 'msg-2'] }))
      .then([requestSplit({ messages: [noteSnapshot(), replySnapshot({ messageId: 'msg-3' })] })]));

  it('takes every version and the flag along', () =>
    given(openedWithNote(), edited({ messageId: 'msg-2', body: 'Called back twice' }), flagged({ messageId: 'msg-2' }))
      .when(split({ messageIds: ['msg-2'] }))
      .then([
        requestSplit({
          messages: [
            noteSnapshot({
              flagged: true,
              versions: [
                { version: 1, body: 'Called back, no answer', at: NOW, by: 'alice' },
                { version: 2, body: 'Called back twice', at: NOW, by: 'alice' },
              ],
            }),
          ],
        }),
      ]));

  it('names each message once', () =>
    given(openedWithNote()).when(split({ messageIds: ['msg-2', 'msg-2'] })).then([requestSplit({ messages: [noteSnapshot()] })]));

  it('leaves the status of the original as it was by default', () =>
    given(openedWithNote(), postponed())
      .when(split())
      .then([requestSplit({ statusId: 'postponed', baseStatus: 'postponed', previousStatusId: 'postponed' })]));

  it('gives the original the chosen status', () =>
    given(openedWithNote())
      .when(split({ originalStatusId: 'solved' }))
      .then([requestSplit({ statusId: 'solved', baseStatus: 'closed' })]));

  it('needs messages', () => given(openedWithNote()).when(split({ messageIds: [] })).thenThrows('split-needs-messages'));

  it('refuses a message the request does not have', () =>
    given(openedWithNote()).when(split({ messageIds: ['msg-2', 'msg-9'] })).thenThrows('unknown-message'));

  it('refuses to move every message', () =>
    given(openedWithNote()).when(split({ messageIds: ['msg-1', 'msg-2', 'msg-1'] })).thenThrows('split-would-empty-request'));

  it('refuses an unknown status for the original', () =>
    given(openedWithNote()).when(split({ originalStatusId: 'nope' })).thenThrows('unknown-status'));

  it('refuses a postponed status for the original', () =>
    given(openedWithNote()).when(split({ originalStatusId: 'on-hold' })).thenThrows('status-not-selectable'));
});

describe('CreateSplitRequest (on the new request)', () => {
  const splitOff = created({
    requestId: OTHER.requestId,
    number: OTHER.number,
    title: 'Scanner jams',
    channel: 'api',
    splitFrom: REQUEST,
  });
  const movedMessage = snapshot({ messageId: 'msg-2', body: 'And the scanner jams', originRequestId: REQUEST.requestId });

  it('starts with the messages of the original, which record where they came from', () =>
    given().when(createSplit()).then([splitOff, messagesMovedIn({ messages: [movedMessage] })]));

  it('keeps an origin further back', () =>
    given()
      .when(createSplit({ messages: [{ ...movedMessage, originRequestId: 'req-0' }] }))
      .then([splitOff, messagesMovedIn({ messages: [{ ...movedMessage, originRequestId: 'req-0' }] })]));

  it('takes the chosen properties', () =>
    given()
      .when(
        createSplit({
          categoryId: 'invoicing',
          priorityId: 'someday',
          ownerId: 'bob',
          statusId: 'on-hold',
          postponedUntil: TOMORROW,
          tags: ['Scanner'],
          accessLevel: 'internal',
        }),
      )
      .then([
        created({
          ...splitOff.data,
          categoryId: 'invoicing',
          priorityId: 'someday',
          deadline: null,
          ownerId: 'bob',
          statusId: 'on-hold',
          baseStatus: 'postponed',
          postponedUntil: TOMORROW,
          tags: ['scanner'],
          accessLevel: 'internal',
        }),
        messagesMovedIn({ messages: [movedMessage] }),
      ]));

  it('needs messages', () => given().when(createSplit({ messages: [] })).thenThrows('split-needs-messages'));

  it('needs a title', () => given().when(createSplit({ title: ' ' })).thenThrows('title-required'));

  it('needs a contact', () => given().when(createSplit({ contactIds: [] })).thenThrows('contact-required'));

  it('refuses an unknown category', () => given().when(createSplit({ categoryId: 'nope' })).thenThrows('unknown-category'));

  it('refuses an unknown priority', () => given().when(createSplit({ priorityId: 'nope' })).thenThrows('unknown-priority'));

  it('refuses an inactive owner', () => given().when(createSplit({ ownerId: 'dave' })).thenThrows('agent-inactive'));

  it('refuses the merged status', () => given().when(createSplit({ statusId: 'merged' })).thenThrows('status-not-selectable'));

  it('refuses a postponed status without a time', () =>
    given().when(createSplit({ statusId: 'on-hold' })).thenThrows('postpone-until-required'));

  it('refuses an empty tag', () => given().when(createSplit({ tags: [''] })).thenThrows('invalid-tag'));
});

describe('MergeIntoRequest (on a source)', () => {
  it('hands every message, as it is, and its contacts to the target', () =>
    given(openedWithNote(), flagged())
      .when(mergeInto({ target: OTHER }))
      .then([merged({ messages: [snapshot({ flagged: true }), noteSnapshot()], contactIds: ['contact-1'] })]));

  it('remembers the status it had', () =>
    given(opened(), closed({ statusId: 'solved' })).when(mergeInto()).then([merged({ previousStatusId: 'solved' })]));

  it('refuses to merge a request into itself', () =>
    given(opened()).when(mergeInto({ target: REQUEST })).thenThrows('merge-into-self'));
});

describe('JoinMergedRequest (on the target)', () => {
  const fromOther = snapshot({ messageId: 'msg-b1', body: 'Printer still on fire', contactId: 'contact-2' });

  it('takes in the messages, which record where they came from, and the new contacts', () =>
    given(opened())
      .when(joinMerged({ source: OTHER, messages: [fromOther], contactIds: ['contact-2'] }))
      .then([mergedJoined({ messages: [{ ...fromOther, originRequestId: OTHER.requestId }], addedContactIds: ['contact-2'] })]));

  it('adds only the contacts it lacks, in their order', () =>
    given(opened())
      .when(joinMerged({ contactIds: ['contact-3', 'contact-1', 'contact-2'] }))
      .then([mergedJoined({ addedContactIds: ['contact-3', 'contact-2'] })]));

  it('keeps an origin further back', () =>
    given(opened())
      .when(joinMerged({ messages: [{ ...fromOther, originRequestId: 'req-0' }] }))
      .then([mergedJoined({ messages: [{ ...fromOther, originRequestId: 'req-0' }] })]));

  it('takes a merge into a closed request', () => given(opened(), closed()).when(joinMerged()).then([mergedJoined()]));

  it('takes the same request again after an unmerge', () =>
    given(opened(), mergedJoined(), unmerged({ messages: mergedJoined().data.messages, removedContactIds: ['contact-2'] }))
      .when(joinMerged())
      .then([mergedJoined()]));

  it('refuses to take in itself', () => given(opened()).when(joinMerged({ source: REQUEST })).thenThrows('merge-into-self'));

  it('refuses a request merged here already', () =>
    given(opened(), mergedJoined()).when(joinMerged()).thenThrows('already-merged-here'));
});

describe('UnmergeRequest (on the target)', () => {
  const b1 = snapshot({ messageId: 'msg-b1', body: 'Printer still on fire', contactId: 'contact-2', originRequestId: OTHER.requestId });
  const b2 = snapshot({ messageId: 'msg-b2', body: 'Hello?', contactId: 'contact-2', originRequestId: OTHER.requestId });

  it('gives back exactly what the merge brought', () =>
    given(opened(), mergedJoined({ messages: [b1], addedContactIds: ['contact-2'] }))
      .when(unmerge({ sourceId: OTHER.requestId }))
      .then([unmerged({ source: OTHER, messages: [b1], removedContactIds: ['contact-2'] })]));

  it('gives the messages back as they are now', () =>
    given(
      opened(),
      mergedJoined({ messages: [b1] }),
      edited({ messageId: 'msg-b1', body: 'Printer still burning', editedBy: 'carol' }),
      flagged({ messageId: 'msg-b1' }),
    )
      .when(unmerge())
      .then([
        unmerged({
          messages: [
            {
              ...b1,
              flagged: true,
              versions: [...b1.versions, { version: 2, body: 'Printer still burning', at: NOW, by: 'carol' }],
            },
          ],
          removedContactIds: ['contact-2'],
        }),
      ]));

  it('leaves out messages that left the target since', () =>
    given(opened(), mergedJoined({ messages: [b1, b2] }), requestSplit({ newRequest: THIRD, messages: [b2] }))
      .when(unmerge())
      .then([unmerged({ messages: [b1], removedContactIds: ['contact-2'] })]));

  it('leaves out contacts that were removed since', () =>
    given(
      opened(),
      mergedJoined({ messages: [b1], addedContactIds: ['contact-2', 'contact-3'] }),
      contactRemoved({ contactId: 'contact-3' }),
    )
      .when(unmerge())
      .then([unmerged({ messages: [b1], removedContactIds: ['contact-2'] })]));

  it('keeps a contact when the target would have none left', () =>
    given(
      opened(),
      mergedJoined({ messages: [b1], addedContactIds: ['contact-2', 'contact-3'] }),
      contactRemoved({ contactId: 'contact-1' }),
    )
      .when(unmerge())
      .then([unmerged({ messages: [b1], removedContactIds: ['contact-3'] })]));

  it('gives back only the named source', () =>
    given(
      opened(),
      mergedJoined({ messages: [b1], addedContactIds: ['contact-2'] }),
      mergedJoined({ source: THIRD, messages: [{ ...b2, originRequestId: THIRD.requestId }], addedContactIds: ['contact-3'] }),
    )
      .when(unmerge({ sourceId: THIRD.requestId }))
      .then([unmerged({ source: THIRD, messages: [{ ...b2, originRequestId: THIRD.requestId }], removedContactIds: ['contact-3'] })]));

  it('refuses a request that was never merged here', () => given(opened()).when(unmerge()).thenThrows('request-not-merged'));

  it('refuses a request unmerged already', () =>
    given(opened(), mergedJoined({ messages: [b1] }), unmerged({ messages: [b1], removedContactIds: ['contact-2'] }))
      .when(unmerge())
      .thenThrows('request-not-merged'));
});

describe('UndoMerge (on the source)', () => {
  it('brings the source back to the status it had, with its messages as they came back', () =>
    given(opened(), merged())
      .when(undoMerge({ target: OTHER, messages: [snapshot({ flagged: true })] }))
      .then([mergeUndone({ messages: [snapshot({ flagged: true })] })]));

  it('brings back a closed status', () =>
    given(opened(), closed({ statusId: 'solved' }), merged({ previousStatusId: 'solved' }))
      .when(undoMerge())
      .then([mergeUndone({ statusId: 'solved', baseStatus: 'closed' })]));

  it('uses the default open status when the old one is gone', () =>
    given(opened(), closed({ statusId: 'solved' }), merged({ previousStatusId: 'solved' }))
      .withContext(catalogWithout('solved'))
      .when(undoMerge())
      .then([mergeUndone({ statusId: 'new', baseStatus: 'open' })]));

  it('forgets an origin that is the source itself', () =>
    given(opened(), merged())
      .when(undoMerge({ messages: [snapshot({ originRequestId: REQUEST.requestId })] }))
      .then([mergeUndone({ messages: [snapshot({ originRequestId: null })] })]));

  it('refuses a request that is not merged', () => given(opened()).when(undoMerge()).thenThrows('request-not-merged'));

  it('refuses a target the request was not merged into', () =>
    given(opened(), merged({ target: OTHER })).when(undoMerge({ target: THIRD })).thenThrows('request-not-merged'));
});

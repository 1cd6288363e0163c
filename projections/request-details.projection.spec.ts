import { evolveRequest, initialRequestState, type RequestEvent } from '@helpdesk/domain';
import { requestDetails } from './request-details.projection';
import {
  accepted,
  at,
  closed,
  deleted,
  edited,
  ENQUIRY,
  flagged,
  forwarded,
  log,
  messageAccessLevelChanged,
  noted,
  OTHER,
  postponed,
  replied,
  REQ,
  restored,
  T,
  TITLE,
  unflagged,
  type Step,
} from './testing/events';
import { projectOne, versionsOf } from './testing/project';
import { mergedIn, OLLE_EDITED, OLLE_ENQUIRY, phonedIn, SCANNER_QUESTION, SPLIT_TITLE, splitOff, unmergedAgain } from './testing/scenarios';

const detailsOf = (steps: readonly Step[], id = REQ.requestId) => projectOne(requestDetails, log(steps), id);

const petrasEnquiry = {
  messageId: 'm-1',
  kind: 'customer',
  versions: [{ version: 1, body: ENQUIRY, at: T(0), by: 'alice' }],
  accessLevel: 'external',
  flagged: false,
  authorId: null,
  contactId: 'petra',
  channel: 'phone',
  createdAt: T(0),
  to: [],
  cc: [],
  bcc: [],
  originRequestId: null,
  flaggedAt: null,
  flaggedBy: null,
};

describe('request-details', () => {
  it('holds the whole request from its creation and first message', () =>
    expect(detailsOf(phonedIn)).toStrictEqual({
      id: 'req-1',
      number: 1042,
      title: TITLE,
      contactIds: ['petra'],
      categoryId: 'general',
      priorityId: 'normal',
      ownerId: null,
      statusId: 'new',
      baseStatus: 'open',
      postponedUntil: null,
      tags: [],
      accessLevel: 'external',
      channel: 'phone',
      createdAt: T(0),
      deadline: T(480),
      messages: [petrasEnquiry],
      statusBeforeDelete: null,
      mergedInto: null,
      statusBeforeMerge: null,
      mergedSources: [],
      splitFrom: null,
      splitInto: [],
      createdBy: 'alice',
      updatedAt: T(0),
      closedAt: null,
      messageCount: 1,
      lastMessageAt: T(0),
      flaggedCount: 0,
      lastFlaggedAt: null,
      _position: 2,
    }));

  it('shows a reply with its recipients, a note and a forward as internal', () => {
    const { messages } = detailsOf([
      ...phonedIn,
      at(30, replied({ cc: ['olle@acme.test'] }), 'bob'),
      at(60, noted(), 'bob'),
      at(90, forwarded(), 'bob'),
    ]);
    expect(messages.slice(1)).toStrictEqual([
      {
        messageId: 'm-2',
        kind: 'reply',
        versions: [{ version: 1, body: 'Hi Petra, we are sending a technician this afternoon.', at: T(30), by: 'bob' }],
        accessLevel: 'external',
        flagged: false,
        authorId: 'bob',
        contactId: null,
        channel: 'email',
        createdAt: T(30),
        to: ['petra@acme.test'],
        cc: ['olle@acme.test'],
        bcc: [],
        originRequestId: null,
        flaggedAt: null,
        flaggedBy: null,
      },
      expect.objectContaining({ messageId: 'm-3', kind: 'note', accessLevel: 'internal', authorId: 'bob', channel: 'api' }),
      expect.objectContaining({
        messageId: 'm-4',
        kind: 'forward',
        accessLevel: 'internal',
        versions: [{ version: 1, body: 'Please quote a replacement fuser for an LX-400.', at: T(90), by: 'bob' }],
        to: ['parts@supplier.test'],
      }),
    ]);
  });

  it('keeps every version of an edited message, and its new access level', () =>
    expect(detailsOf([...phonedIn, at(120, edited(), 'carol'), at(130, messageAccessLevelChanged(), 'carol')]).messages).toStrictEqual([
      {
        ...petrasEnquiry,
        accessLevel: 'internal',
        versions: [
          { version: 1, body: ENQUIRY, at: T(0), by: 'alice' },
          { version: 2, body: 'The printer on floor 3 jams on every job.', at: T(120), by: 'carol' },
        ],
      },
    ]));

  it('says when and by whom a message was flagged, and forgets it when unflagged', () => {
    expect(detailsOf([...phonedIn, at(10, flagged(), 'bob')])).toMatchObject({
      messages: [{ ...petrasEnquiry, flagged: true, flaggedAt: T(10), flaggedBy: 'bob' }],
      flaggedCount: 1,
      lastFlaggedAt: T(10),
    });
    expect(detailsOf([...phonedIn, at(10, flagged(), 'bob'), at(20, unflagged(), 'bob')])).toMatchObject({
      messages: [petrasEnquiry],
      flaggedCount: 0,
      lastFlaggedAt: null,
    });
  });

  it('remembers the status a delete replaced, until the restore', () => {
    const deletedOne = [...phonedIn, at(10, accepted(), 'bob'), at(20, deleted(), 'carol')];
    expect(detailsOf(deletedOne)).toMatchObject({ baseStatus: 'deleted', statusBeforeDelete: 'in-progress', updatedAt: T(20) });
    expect(detailsOf([...deletedOne, at(30, restored(), 'carol')])).toMatchObject({ baseStatus: 'open', statusId: 'in-progress', statusBeforeDelete: null });
  });

  it('knows when it was closed and until when it is postponed', () => {
    expect(detailsOf([...phonedIn, at(100, closed({ previousStatusId: 'new' }), 'bob')])).toMatchObject({ closedAt: T(100) });
    expect(detailsOf([...phonedIn, at(100, postponed({ previousStatusId: 'new' }), 'bob')])).toMatchObject({ closedAt: null, postponedUntil: T(3 * 24 * 60) });
  });

  it('shows the original after a split: what it kept and where the rest went', () =>
    expect(detailsOf(splitOff)).toMatchObject({
      messages: [petrasEnquiry],
      splitInto: [OTHER],
      statusId: 'in-progress',
      messageCount: 1,
      flaggedCount: 0,
    }));

  it('shows the split-off request with the moved message, its origin and its flag', () =>
    expect(detailsOf(splitOff, OTHER.requestId)).toMatchObject({
      title: SPLIT_TITLE,
      splitFrom: REQ,
      messages: [
        {
          ...petrasEnquiry,
          messageId: 'm-6',
          versions: [{ version: 1, body: SCANNER_QUESTION, at: T(40), by: 'alice' }],
          createdAt: T(40),
          flagged: true,
          originRequestId: 'req-1',
          flaggedAt: T(50),
          flaggedBy: null,
        },
      ],
      messageCount: 1,
      flaggedCount: 1,
    }));

  describe('merge', () => {
    it('shows the target with the source, its messages and contacts', () =>
      expect(detailsOf(mergedIn)).toMatchObject({
        contactIds: ['petra', 'olle'],
        mergedSources: [{ requestId: 'req-2', number: 1043, messageIds: ['m-20'], addedContactIds: ['olle'] }],
        messages: [petrasEnquiry, { messageId: 'm-20', originRequestId: 'req-2', flagged: true, flaggedAt: T(100), flaggedBy: null }],
        messageCount: 2,
        flaggedCount: 1,
        lastFlaggedAt: T(100),
      }));

    it('keeps the source as a record pointing at the target, counting none of its messages', () =>
      expect(detailsOf(mergedIn, OTHER.requestId)).toMatchObject({
        baseStatus: 'merged',
        mergedInto: REQ,
        statusBeforeMerge: 'new',
        messages: [{ messageId: 'm-20', flagged: true, flaggedAt: T(15), flaggedBy: 'bob' }],
        messageCount: 0,
        flaggedCount: 0,
        lastFlaggedAt: null,
      }));

    it('unmerges: the target is as before the merge', () =>
      expect(detailsOf([...mergedIn, ...unmergedAgain({ edited: true })])).toMatchObject({
        contactIds: ['petra'],
        mergedSources: [],
        messages: [petrasEnquiry],
        messageCount: 1,
        flaggedCount: 0,
        updatedAt: T(200),
      }));

    it('unmerges: the source gets its message back as edited on the target, with its flag as it was', () =>
      expect(detailsOf([...mergedIn, ...unmergedAgain({ edited: true })], OTHER.requestId)).toMatchObject({
        baseStatus: 'open',
        statusId: 'new',
        mergedInto: null,
        statusBeforeMerge: null,
        messages: [
          {
            messageId: 'm-20',
            versions: [
              { version: 1, body: OLLE_ENQUIRY, at: T(5), by: null },
              { version: 2, body: OLLE_EDITED, at: T(150), by: 'carol' },
            ],
            originRequestId: null,
            flagged: true,
            flaggedAt: T(15),
            flaggedBy: 'bob',
          },
        ],
        messageCount: 1,
        flaggedCount: 1,
        lastFlaggedAt: T(15),
      }));
  });

  it('holds exactly the write-side state, whatever happened', () => {
    const steps = [...mergedIn, at(110, replied({ messageId: 'm-8', at: T(110) }), 'bob'), at(120, flagged({ messageId: 'm-8' }), 'bob'), ...unmergedAgain()];
    const events = log(steps);
    const stateOf = (requestId: string) =>
      events
        .filter((e) => e.data.requestId === requestId)
        .reduce((s, e) => evolveRequest(s, { type: e.type, data: e.data } as RequestEvent), initialRequestState());
    for (const requestId of [REQ.requestId, OTHER.requestId]) {
      const { kind: _kind, ...state } = stateOf(requestId) as Extract<ReturnType<typeof stateOf>, { kind: 'existing' }>;
      const document = projectOne(requestDetails, events, requestId);
      expect(document).toMatchObject({ ...state, messages: state.messages.map((m) => expect.objectContaining(m)) });
    }
  });

  it('touches only the message an event is about', () => {
    const [, one, two, flaggedTwo, closedOne] = versionsOf(
      requestDetails,
      log([...phonedIn, at(30, replied(), 'bob'), at(40, flagged({ messageId: 'm-2' }), 'bob'), at(50, closed({ previousStatusId: 'new' }), 'bob')]),
      REQ.requestId,
    );
    expect(two!.messages[0]).toBe(one!.messages[0]);
    expect(flaggedTwo!.messages[0]).toBe(two!.messages[0]);
    expect(flaggedTwo!.messages[1]).toMatchObject({ messageId: 'm-2', flagged: true, flaggedAt: T(40), flaggedBy: 'bob' });
    expect(closedOne!.messages).toBe(flaggedTwo!.messages);
    expect(closedOne).toMatchObject({ messageCount: 2, flaggedCount: 1, lastFlaggedAt: T(40), closedAt: T(50) });
  });
});

import type { RequestCommand } from './request.commands';
import { requestDecider } from './request.decider';
import type { RequestEvent } from './request.events';
import {
  accept,
  accepted,
  accessLevelChanged,
  activated,
  addNote,
  alice,
  bob,
  carol,
  categoryChanged,
  closed,
  contactAdded,
  contactsReordered,
  create,
  created,
  createSplit,
  customerMessage,
  deleted,
  edited,
  editMessage,
  flag,
  flagged,
  forwarded,
  joinMerged,
  merged,
  mergedJoined,
  mergeInto,
  mergeUndone,
  messageAccessLevelChanged,
  messagesMovedIn,
  noted,
  NOW,
  OTHER,
  postponed,
  priorityChanged,
  replied,
  REQUEST,
  requestSplit,
  restored,
  retitled,
  snapshot,
  split,
  stateAfter,
  tagAdded,
  tagRemoved,
  testCatalog,
  THIRD,
  TOMORROW,
  transferred,
  undoMerge,
  unmerge,
  unmerged,
  minutesAfter,
} from './request.fixtures';
import type { ExistingRequest, RequestState } from './request.state';

const existing = (state: RequestState): ExistingRequest => {
  expect(state.kind).toBe('existing');
  return state as ExistingRequest;
};

const messageIds = (state: ExistingRequest) => state.messages.map((m) => m.messageId);

describe('evolveRequest', () => {
  const FOURTH = { requestId: 'req-4', number: 1045 };
  const fromFourth = snapshot({ messageId: 'msg-d1', body: 'Also the fax', contactId: 'contact-6', originRequestId: 'req-4' });
  const fromOther = snapshot({ messageId: 'msg-b1', body: 'Printer still on fire', contactId: 'contact-5', originRequestId: 'req-2' });

  /** A request's whole life: messages, edits, properties, a split, two merges and an unmerge, delete and restore. */
  const longHistory: RequestEvent[] = [
    created({ tags: ['printer'] }),
    customerMessage(),
    accepted(),
    noted(),
    replied({ messageId: 'msg-3' }),
    edited({ messageId: 'msg-2', version: 2, body: 'Called back twice' }),
    flagged({ messageId: 'msg-3' }),
    messageAccessLevelChanged({ messageId: 'msg-3', accessLevel: 'internal' }),
    forwarded({ messageId: 'msg-4', forwardedMessageIds: ['msg-1'] }),
    retitled(),
    priorityChanged(),
    categoryChanged(),
    accessLevelChanged(),
    tagAdded('vip'),
    tagRemoved('printer'),
    contactAdded({ contactId: 'contact-2', position: 0 }),
    contactsReordered(['contact-1', 'contact-2']),
    requestSplit({
      newRequest: THIRD,
      messages: [snapshot({ messageId: 'msg-4' })],
      statusId: 'in-progress',
      previousStatusId: 'in-progress',
    }),
    mergedJoined({ source: OTHER, messages: [fromOther], addedContactIds: ['contact-5'] }),
    mergedJoined({ source: FOURTH, messages: [fromFourth], addedContactIds: ['contact-6'] }),
    unmerged({ source: OTHER, messages: [fromOther], removedContactIds: ['contact-5'] }),
    postponed({ until: TOMORROW, previousStatusId: 'in-progress' }),
    activated(),
    closed({ statusId: 'solved' }),
    deleted({ previousStatusId: 'solved' }),
    restored({ statusId: 'solved', baseStatus: 'closed' }),
    transferred({ ownerId: 'bob', previousOwnerId: 'alice', categoryId: 'general', previousCategoryId: 'invoicing' }),
    noted({ messageId: 'msg-note', body: 'Over to you, Bob' }),
  ];

  it('starts with no request', () => expect(stateAfter().kind).toBe('none'));

  it('ignores events before the request exists', () => expect(stateAfter(noted()).kind).toBe('none'));

  describe('after a long history', () => {
    const state = () => existing(stateAfter(longHistory));

    it('has the last title, owner, category, priority, deadline and access level', () =>
      expect(state()).toMatchObject({
        title: 'Printer smoking',
        ownerId: 'bob',
        categoryId: 'general',
        priorityId: 'urgent',
        deadline: minutesAfter(NOW, 60),
        accessLevel: 'internal',
      }));

    it('is in the status it was restored to, no longer postponed or deleted', () =>
      expect(state()).toMatchObject({ statusId: 'solved', baseStatus: 'closed', postponedUntil: null, statusBeforeDelete: null }));

    it('has the tags and contacts as last changed', () =>
      expect(state()).toMatchObject({ tags: ['vip'], contactIds: ['contact-1', 'contact-2', 'contact-6'] }));

    it('keeps its own messages and those of the merge still in force, without the split-off ones', () =>
      expect(messageIds(state())).toEqual(['msg-1', 'msg-2', 'msg-3', 'msg-d1', 'msg-note']));

    it('keeps every version of an edited message', () =>
      expect(state().messages[1]?.versions.map((v) => v.body)).toEqual(['Called back, no answer', 'Called back twice']));

    it('keeps flags and access levels of messages', () =>
      expect(state().messages[2]).toMatchObject({ kind: 'reply', flagged: true, accessLevel: 'internal', authorId: 'alice' }));

    it('remembers where it was split to and which merges are in force', () =>
      expect(state()).toMatchObject({
        splitInto: [THIRD],
        mergedSources: [{ ...FOURTH, messageIds: ['msg-d1'], addedContactIds: ['contact-6'] }],
      }));
  });

  describe('messages', () => {
    it('records an enquiry as from its contact, typed in by the agent', () =>
      expect(existing(stateAfter(created(), customerMessage())).messages).toEqual([
        snapshot({ messageId: 'msg-1', kind: 'customer', by: 'alice', contactId: 'contact-1', authorId: null, channel: 'phone' }),
      ]));

    it('records a reply with its recipients and author', () =>
      expect(existing(stateAfter(created(), replied())).messages[0]).toMatchObject({
        kind: 'reply',
        authorId: 'alice',
        to: ['jane@customer.example'],
        versions: [{ version: 1, body: 'A technician is on the way', at: NOW, by: 'alice' }],
      }));

    it('keeps notes and forwards internal', () =>
      expect(existing(stateAfter(created(), noted(), forwarded())).messages.map((m) => [m.kind, m.accessLevel])).toEqual([
        ['note', 'internal'],
        ['forward', 'internal'],
      ]));
  });

  describe('status', () => {
    it('forgets the postpone time when accepted', () =>
      expect(existing(stateAfter(created(), postponed(), accepted()))).toMatchObject({ baseStatus: 'open', postponedUntil: null }));

    it('remembers the status before a delete', () =>
      expect(existing(stateAfter(created(), closed(), deleted({ previousStatusId: 'closed' })))).toMatchObject({
        baseStatus: 'deleted',
        statusBeforeDelete: 'closed',
      }));
  });

  describe('a merged source', () => {
    const history = [created(), customerMessage(), postponed(), merged({ previousStatusId: 'postponed' })];

    it('points at its target and remembers its status', () =>
      expect(existing(stateAfter(history))).toMatchObject({
        baseStatus: 'merged',
        mergedInto: OTHER,
        statusBeforeMerge: 'postponed',
      }));

    it('is itself again after an undo, with the messages it got back', () =>
      expect(
        existing(
          stateAfter(
            history,
            mergeUndone({ statusId: 'postponed', baseStatus: 'postponed', messages: [snapshot({ flagged: true })] }),
          ),
        ),
      ).toMatchObject({
        statusId: 'postponed',
        postponedUntil: TOMORROW,
        mergedInto: null,
        statusBeforeMerge: null,
        messages: [snapshot({ flagged: true })],
      }));
  });

  it('starts a split-off request with the moved messages', () =>
    expect(
      existing(stateAfter(created({ requestId: 'req-2', splitFrom: REQUEST }), messagesMovedIn({ messages: [snapshot()] }))),
    ).toMatchObject({ splitFrom: REQUEST, messages: [snapshot()] }));
});

/**
 * The decider and evolve together, across streams, as the process managers chain them: what one
 * stream decides is what the other is told.
 */
describe('split and merge across requests', () => {
  type Streams = Record<string, RequestEvent[]>;

  const run = (streams: Streams, requestId: string, command: RequestCommand): readonly RequestEvent[] => {
    const history = (streams[requestId] ??= []);
    const events = requestDecider.decide(command, stateAfter(history), testCatalog);
    history.push(...events);
    return events;
  };

  const only = <T extends RequestEvent['type']>(events: readonly RequestEvent[], type: T) => {
    const event = events.find((e) => e.type === type);
    if (!event) throw new Error(`no ${type} in ${events.map((e) => e.type).join(', ')}`);
    return event as Extract<RequestEvent, { type: T }>;
  };

  const scenario = () => {
    const streams: Streams = {};
    run(streams, REQUEST.requestId, create());
    run(streams, REQUEST.requestId, accept({ actor: alice }));
    run(streams, REQUEST.requestId, addNote({ messageId: 'msg-2', body: 'The scanner jams too' }));
    run(streams, REQUEST.requestId, addNote({ messageId: 'msg-3', body: 'Ordered toner' }));
    const splitEvent = only(run(streams, REQUEST.requestId, split({ newRequest: THIRD, messageIds: ['msg-2'] })), 'RequestSplit');
    run(
      streams,
      THIRD.requestId,
      createSplit({ ...THIRD, from: REQUEST, messages: splitEvent.data.messages, title: 'Scanner jams' }),
    );

    run(
      streams,
      OTHER.requestId,
      create({ ...OTHER, contactIds: ['contact-2'], message: { messageId: 'msg-b1', body: 'Me too' } }),
    );
    const mergeEvent = only(run(streams, OTHER.requestId, mergeInto({ target: REQUEST })), 'RequestMerged');
    run(
      streams,
      REQUEST.requestId,
      joinMerged({ source: OTHER, messages: mergeEvent.data.messages, contactIds: mergeEvent.data.contactIds }),
    );
    run(streams, REQUEST.requestId, editMessage({ messageId: 'msg-b1', body: 'Me too (printer on floor 2)', actor: carol }));
    run(streams, REQUEST.requestId, flag({ messageId: 'msg-b1', actor: bob }));
    return streams;
  };

  it('moves the chosen message to the new request, which knows where it came from', () => {
    const streams = scenario();
    expect(messageIds(existing(stateAfter(streams[REQUEST.requestId] ?? [])))).not.toContain('msg-2');
    expect(existing(stateAfter(streams[THIRD.requestId] ?? []))).toMatchObject({
      splitFrom: REQUEST,
      messages: [{ messageId: 'msg-2', kind: 'note', originRequestId: REQUEST.requestId }],
    });
  });

  it('gathers the merged messages and contacts on the target', () => {
    const target = existing(stateAfter(scenario()[REQUEST.requestId] ?? []));
    expect(messageIds(target)).toEqual(['msg-1', 'msg-3', 'msg-b1']);
    expect(target.contactIds).toEqual(['contact-1', 'contact-2']);
  });

  it('gives the source back its messages, with what happened to them meanwhile, and its own status', () => {
    const streams = scenario();
    const unmergeEvent = only(run(streams, REQUEST.requestId, unmerge({ sourceId: OTHER.requestId })), 'RequestUnmerged');
    run(streams, OTHER.requestId, undoMerge({ target: REQUEST, messages: unmergeEvent.data.messages }));

    const target = existing(stateAfter(streams[REQUEST.requestId] ?? []));
    expect(messageIds(target)).toEqual(['msg-1', 'msg-3']);
    expect(target.contactIds).toEqual(['contact-1']);

    const source = existing(stateAfter(streams[OTHER.requestId] ?? []));
    expect(source).toMatchObject({ statusId: 'new', baseStatus: 'open', mergedInto: null });
    expect(source.messages).toEqual([
      expect.objectContaining({
        messageId: 'msg-b1',
        flagged: true,
        originRequestId: null,
        versions: [
          expect.objectContaining({ body: 'Me too' }),
          expect.objectContaining({ version: 2, body: 'Me too (printer on floor 2)' }),
        ],
      }),
    ]);
  });
});

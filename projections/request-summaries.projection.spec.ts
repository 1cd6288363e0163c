import { NO_DEADLINE, requestSummaries } from './request-summaries.projection';
import {
  accepted,
  accessLevelChanged,
  activated,
  assigned,
  at,
  categoryChanged,
  closed,
  contactAdded,
  contactRemoved,
  contactsReordered,
  customerMessage,
  deleted,
  edited,
  flagged,
  forwarded,
  log,
  messageAccessLevelChanged,
  noted,
  OTHER,
  postponed,
  priorityChanged,
  reopened,
  replied,
  REQ,
  restored,
  retitled,
  statusChanged,
  T,
  TITLE,
  tagAdded,
  tagRemoved,
  transferred,
  unflagged,
  type Step,
} from './testing/events';
import { expectReplaySafe, projectOne, versionsOf } from './testing/project';
import { mergedIn, phonedIn, splitOff, unmergedAgain } from './testing/scenarios';

const summaryOf = (steps: readonly Step[], id = REQ.requestId) => projectOne(requestSummaries, log(steps), id);

describe('request-summaries', () => {
  it('starts a request from RequestCreated and its first message', () =>
    expect(summaryOf(phonedIn)).toStrictEqual({
      id: 'req-1',
      number: 1042,
      title: TITLE,
      statusId: 'new',
      baseStatus: 'open',
      ownerId: null,
      categoryId: 'general',
      priorityId: 'normal',
      accessLevel: 'external',
      channel: 'phone',
      tags: [],
      contactIds: ['petra'],
      deadline: T(480),
      queueDeadline: T(480),
      _deadlineDay: T(480).slice(0, 10),
      postponedUntil: null,
      createdAt: T(0),
      updatedAt: T(0),
      closedAt: null,
      messageCount: 1,
      lastMessageAt: T(0),
      flaggedCount: 0,
      lastFlaggedAt: null,
      mergedInto: null,
      splitFrom: null,
      createdBy: 'alice',
      _ledger: [{ messageId: 'm-1', kind: 'customer', createdAt: T(0), flaggedAt: null, flaggedBy: null, away: false, excerpt: null }],
      _position: 2,
    }));

  it('has no document for events of a request it never saw created', () =>
    expect(expectReplaySafe(requestSummaries, log([at(5, accepted()), at(6, customerMessage())])).size).toBe(0));

  describe('ownership', () => {
    it('records who accepted it, with the accept status', () =>
      expect(summaryOf([...phonedIn, at(10, accepted(), 'bob')])).toMatchObject({
        ownerId: 'bob',
        statusId: 'in-progress',
        baseStatus: 'open',
        updatedAt: T(10),
      }));

    it('follows assignment, back to unassigned too', () => {
      expect(summaryOf([...phonedIn, at(10, assigned({ ownerId: 'carol' }), 'carol')])).toMatchObject({ ownerId: 'carol', statusId: 'new' });
      expect(
        summaryOf([...phonedIn, at(10, assigned({ ownerId: 'carol' }), 'carol'), at(20, assigned({ ownerId: null, previousOwnerId: 'carol' }), 'carol')]),
      ).toMatchObject({ ownerId: null, updatedAt: T(20) });
    });

    it('moves owner and category on a transfer, and counts its note', () =>
      expect(
        summaryOf([
          ...phonedIn,
          at(10, accepted(), 'bob'),
          at(20, transferred(), 'bob'),
          at(20, noted({ messageId: 'm-5', body: 'Carol, this is an invoicing question.', at: T(20) }), 'bob'),
        ]),
      ).toMatchObject({ ownerId: 'carol', categoryId: 'invoicing', messageCount: 2, lastMessageAt: T(20), updatedAt: T(20) }));
  });

  describe('messages', () => {
    it('counts customer messages, replies, notes and forwards, and knows the last one', () =>
      expect(
        summaryOf([
          ...phonedIn,
          at(30, replied(), 'bob'),
          at(60, noted(), 'bob'),
          at(90, forwarded(), 'bob'),
          at(95, customerMessage({ messageId: 'm-7', body: 'Thanks!', at: T(95), recordedBy: null, channel: 'email' }), 'system'),
        ]),
      ).toMatchObject({ messageCount: 5, lastMessageAt: T(95), updatedAt: T(95) }));

    it('counts a message once even when its event comes twice under different positions', () =>
      expect(summaryOf([...phonedIn, at(1, customerMessage())])).toMatchObject({ messageCount: 1, _position: 3 }));

    it('keeps counts on edits and access level changes, but they are changes', () =>
      expect(summaryOf([...phonedIn, at(30, replied(), 'bob'), at(120, edited(), 'carol'), at(130, messageAccessLevelChanged(), 'carol')])).toMatchObject({
        messageCount: 2,
        lastMessageAt: T(30),
        updatedAt: T(130),
      }));
  });

  describe('flags', () => {
    const twoMessages = [...phonedIn, at(30, replied(), 'bob')];

    it('counts flagged messages and knows the last flag', () =>
      expect(summaryOf([...twoMessages, at(40, flagged(), 'bob'), at(50, flagged({ messageId: 'm-2' }), 'carol')])).toMatchObject({
        flaggedCount: 2,
        lastFlaggedAt: T(50),
      }));

    it('falls back to the earlier flag when the last is removed, and to null when none is left', () => {
      const flaggedTwice = [...twoMessages, at(40, flagged(), 'bob'), at(50, flagged({ messageId: 'm-2' }), 'carol')];
      expect(summaryOf([...flaggedTwice, at(60, unflagged({ messageId: 'm-2' }), 'carol')])).toMatchObject({ flaggedCount: 1, lastFlaggedAt: T(40) });
      expect(summaryOf([...flaggedTwice, at(60, unflagged({ messageId: 'm-2' })), at(70, unflagged())])).toMatchObject({
        flaggedCount: 0,
        lastFlaggedAt: null,
        updatedAt: T(70),
      });
    });

    it('keeps the first flag time when a flagged message is flagged again', () =>
      expect(summaryOf([...twoMessages, at(40, flagged(), 'bob'), at(45, flagged(), 'carol')])).toMatchObject({ flaggedCount: 1, lastFlaggedAt: T(40) }));
  });

  describe('status', () => {
    const accepted10 = [...phonedIn, at(10, accepted(), 'bob')];

    it('is closed from the close on', () =>
      expect(summaryOf([...accepted10, at(100, closed(), 'bob')])).toMatchObject({ statusId: 'closed', baseStatus: 'closed', closedAt: T(100), updatedAt: T(100) }));

    it('keeps closedAt through a change between closed statuses', () =>
      expect(
        summaryOf([...accepted10, at(100, closed(), 'bob'), at(110, statusChanged({ statusId: 'solved', baseStatus: 'closed', previousStatusId: 'closed' }), 'bob')]),
      ).toMatchObject({ statusId: 'solved', closedAt: T(100), updatedAt: T(110) }));

    it('clears closedAt on reopen, and closes anew later', () => {
      expect(summaryOf([...accepted10, at(100, closed(), 'bob'), at(200, reopened(), 'bob')])).toMatchObject({ baseStatus: 'open', closedAt: null });
      expect(summaryOf([...accepted10, at(100, closed(), 'bob'), at(200, reopened(), 'bob'), at(300, closed(), 'bob')])).toMatchObject({ closedAt: T(300) });
    });

    it('changes status within open', () =>
      expect(summaryOf([...accepted10, at(20, statusChanged(), 'bob')])).toMatchObject({ statusId: 'waiting', baseStatus: 'open' }));

    it('is postponed until a time, and open again when activated', () => {
      expect(summaryOf([...accepted10, at(20, postponed(), 'bob')])).toMatchObject({ baseStatus: 'postponed', statusId: 'postponed', postponedUntil: T(3 * 24 * 60) });
      expect(summaryOf([...accepted10, at(20, postponed(), 'bob'), at(3 * 24 * 60, activated(), 'system')])).toMatchObject({
        baseStatus: 'open',
        statusId: 'new',
        postponedUntil: null,
        updatedAt: T(3 * 24 * 60),
      });
    });

    it('is deleted and restored', () => {
      expect(summaryOf([...accepted10, at(20, deleted(), 'carol')])).toMatchObject({ baseStatus: 'deleted', statusId: 'deleted', updatedAt: T(20) });
      expect(summaryOf([...accepted10, at(20, deleted(), 'carol'), at(30, restored(), 'carol')])).toMatchObject({
        baseStatus: 'open',
        statusId: 'in-progress',
        updatedAt: T(30),
      });
    });

    it('is closed from a restore to a closed status', () =>
      expect(
        summaryOf([
          ...accepted10,
          at(100, closed(), 'bob'),
          at(110, deleted({ previousStatusId: 'closed' }), 'carol'),
          at(120, restored({ statusId: 'closed', baseStatus: 'closed' }), 'carol'),
        ]),
      ).toMatchObject({ baseStatus: 'closed', closedAt: T(120) }));
  });

  describe('properties', () => {
    it('takes the new priority with its deadline', () =>
      expect(summaryOf([...phonedIn, at(10, priorityChanged())])).toMatchObject({ priorityId: 'urgent', deadline: T(60) }));

    it('may lose its deadline with a priority that has none, and then queues after every request that has one', () =>
      expect(summaryOf([...phonedIn, at(10, priorityChanged({ priorityId: 'someday', deadline: null }))])).toMatchObject({
        deadline: null,
        queueDeadline: NO_DEADLINE,
      }));

    it('keeps the UTC day of its deadline for the deadline-passed count, none without a deadline', () => {
      expect(summaryOf([...phonedIn, at(10, priorityChanged())])._deadlineDay).toBe(T(60).slice(0, 10));
      expect(summaryOf([...phonedIn, at(10, priorityChanged({ priorityId: 'someday', deadline: null }))])._deadlineDay).toBeNull();
    });

    it('queues by its deadline', () =>
      expect(summaryOf([...phonedIn, at(10, priorityChanged())])).toMatchObject({ queueDeadline: T(60) }));

    it('changes category, title and access level', () =>
      expect(summaryOf([...phonedIn, at(10, categoryChanged()), at(11, retitled()), at(12, accessLevelChanged())])).toMatchObject({
        categoryId: 'invoicing',
        title: 'LX-400 fuser worn out',
        accessLevel: 'internal',
        updatedAt: T(12),
      }));

    it('adds tags once each, in order, and removes them', () =>
      expect(
        summaryOf([
          ...phonedIn,
          at(10, tagAdded('printer')),
          at(11, tagAdded('floor-3')),
          at(12, tagAdded('printer')),
          at(13, tagAdded('hardware')),
          at(14, tagRemoved('floor-3')),
        ]),
      ).toMatchObject({ tags: ['printer', 'hardware'] }));

    it('keeps contacts in order: added at a place, removed, reordered (the first is the main one)', () => {
      expect(summaryOf([...phonedIn, at(10, contactAdded('olle', 0)), at(11, contactAdded('stina', 2))])).toMatchObject({ contactIds: ['olle', 'petra', 'stina'] });
      expect(summaryOf([...phonedIn, at(10, contactAdded('olle', 1)), at(11, contactRemoved('petra'))])).toMatchObject({ contactIds: ['olle'] });
      expect(summaryOf([...phonedIn, at(10, contactAdded('olle', 1)), at(11, contactsReordered(['olle', 'petra']))])).toMatchObject({
        contactIds: ['olle', 'petra'],
        updatedAt: T(11),
      });
    });
  });

  describe('split', () => {
    it('leaves the original with the messages it kept, and without their flags', () =>
      expect(summaryOf(splitOff)).toMatchObject({
        statusId: 'in-progress',
        messageCount: 1,
        lastMessageAt: T(0),
        flaggedCount: 0,
        lastFlaggedAt: null,
        updatedAt: T(50),
      }));

    it('starts the new request from the original, with the moved messages and their flags', () =>
      expect(summaryOf(splitOff, OTHER.requestId)).toMatchObject({
        id: 'req-2',
        number: 1043,
        splitFrom: REQ,
        createdBy: 'bob',
        createdAt: T(50),
        messageCount: 1,
        lastMessageAt: T(40),
        flaggedCount: 1,
        // The snapshot carries the flag but not its time: the new request holds it from the move.
        lastFlaggedAt: T(50),
      }));
  });

  describe('merge', () => {
    it('gives the target the source messages, their flags and contacts', () =>
      expect(summaryOf(mergedIn)).toMatchObject({
        contactIds: ['petra', 'olle'],
        messageCount: 2,
        lastMessageAt: T(5),
        flaggedCount: 1,
        lastFlaggedAt: T(100),
        updatedAt: T(100),
      }));

    it('leaves the source as a tombstone pointing at the target, counting nothing', () =>
      expect(summaryOf(mergedIn, OTHER.requestId)).toMatchObject({
        statusId: 'merged',
        baseStatus: 'merged',
        mergedInto: REQ,
        contactIds: ['olle'],
        messageCount: 0,
        lastMessageAt: null,
        flaggedCount: 0,
        lastFlaggedAt: null,
      }));

    it('takes back from the target what the merge brought on unmerge', () =>
      expect(summaryOf([...mergedIn, ...unmergedAgain()])).toMatchObject({
        contactIds: ['petra'],
        messageCount: 1,
        lastMessageAt: T(0),
        flaggedCount: 0,
        lastFlaggedAt: null,
        updatedAt: T(200),
      }));

    it('gives the source back its status, messages and flag (with its first flag time) on unmerge', () =>
      expect(summaryOf([...mergedIn, ...unmergedAgain()], OTHER.requestId)).toMatchObject({
        statusId: 'new',
        baseStatus: 'open',
        mergedInto: null,
        messageCount: 1,
        lastMessageAt: T(5),
        flaggedCount: 1,
        lastFlaggedAt: T(15),
        _ledger: [expect.objectContaining({ messageId: 'm-20', flaggedAt: T(15), flaggedBy: 'bob', away: false })],
      }));

    it('brings back no flag when it was taken off on the target meanwhile', () =>
      expect(summaryOf([...mergedIn, ...unmergedAgain({ flagged: false })], OTHER.requestId)).toMatchObject({ flaggedCount: 0, lastFlaggedAt: null }));
  });

  it('keeps what an event does not change: the ledger on a status change, the earlier entries on a new message', () => {
    const steps = [...phonedIn, at(10, accepted(), 'bob'), at(30, replied(), 'bob')];
    const [, withMessage, acceptedOne, withReply] = versionsOf(requestSummaries, log(steps), REQ.requestId);
    expect(acceptedOne!._ledger).toBe(withMessage!._ledger);
    expect(withReply!._ledger[0]).toBe(acceptedOne!._ledger[0]);
    expect(withReply!.tags).toBe(acceptedOne!.tags);
    expect(withReply).toMatchObject({ messageCount: 2, lastMessageAt: T(30), updatedAt: T(30) });
  });

  describe('declarations', () => {
    it('keeps exact counts for the dashboard tiles and the list totals', () =>
      expect(requestSummaries.counters).toEqual(
        expect.arrayContaining([
          { name: 'by_base_owner_category', fields: ['baseStatus', 'ownerId', 'categoryId'] },
          { name: 'by_base_status_category', fields: ['baseStatus', 'statusId', 'categoryId'] },
          { name: 'by_tag_base_category', fields: ['tags', 'baseStatus', 'categoryId'] },
          { name: 'by_base_deadline_day_category', fields: ['baseStatus', '_deadlineDay', 'categoryId'] },
        ]),
      ));

    it('lists by category and by base status, most recently changed first', () => {
      expect(requestSummaries.indexes).toContainEqual({ name: 'by_category_updated', fields: ['categoryId', 'updatedAt'] });
      expect(requestSummaries.indexes).toContainEqual({ name: 'by_base_updated', fields: ['baseStatus', 'updatedAt'] });
    });
  });
});

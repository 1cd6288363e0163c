import { flaggedMessages } from './flagged-messages.projection';
import { excerptOf } from './support/message-ledger';
import {
  at,
  categoryChanged,
  closed,
  customerMessage,
  edited,
  ENQUIRY,
  flagged,
  log,
  noted,
  OTHER,
  replied,
  REQ,
  retitled,
  T,
  TITLE,
  transferred,
  unflagged,
  type Step,
} from './testing/events';
import { expectReplaySafe, projectOne, versionsOf } from './testing/project';
import { mergedIn, OLLE_EDITED, OLLE_ENQUIRY, phonedIn, SCANNER_QUESTION, SPLIT_TITLE, splitOff, unmergedAgain } from './testing/scenarios';

const flagsOf = (steps: readonly Step[], id = REQ.requestId) => projectOne(flaggedMessages, log(steps), id);

const REPLY = 'Hi Petra, we are sending a technician this afternoon.';

describe('flagged-messages', () => {
  it('knows every request from its creation, with nothing flagged yet', () =>
    expect(flagsOf(phonedIn)).toStrictEqual({
      requestId: 'req-1',
      number: 1042,
      title: TITLE,
      categoryId: 'general',
      baseStatus: 'open',
      flagged: [],
      flaggedCount: 0,
      lastFlaggedAt: null,
      _ledger: [{ messageId: 'm-1', kind: 'customer', createdAt: T(0), flaggedAt: null, flaggedBy: null, away: false, excerpt: ENQUIRY }],
      _position: 2,
    }));

  it('lists a flagged message with an excerpt, when and by whom', () =>
    expect(flagsOf([...phonedIn, at(30, replied(), 'bob'), at(40, flagged({ messageId: 'm-2' }), 'carol')])).toMatchObject({
      flagged: [{ messageId: 'm-2', excerpt: REPLY, kind: 'reply', flaggedAt: T(40), flaggedBy: 'carol' }],
      flaggedCount: 1,
      lastFlaggedAt: T(40),
    }));

  it('lists flagged messages in message order, with the latest flag time', () =>
    expect(
      flagsOf([...phonedIn, at(30, replied(), 'bob'), at(60, noted(), 'bob'), at(70, flagged({ messageId: 'm-3' }), 'bob'), at(80, flagged(), 'bob')]),
    ).toMatchObject({
      flagged: [
        { messageId: 'm-1', kind: 'customer', flaggedAt: T(80) },
        { messageId: 'm-3', kind: 'note', excerpt: 'Fuser unit is worn, order a new one.', flaggedAt: T(70) },
      ],
      flaggedCount: 2,
      lastFlaggedAt: T(80),
    }));

  it('drops an unflagged message; lastFlaggedAt is null once none is left', () => {
    const both = [...phonedIn, at(30, replied(), 'bob'), at(40, flagged(), 'bob'), at(50, flagged({ messageId: 'm-2' }), 'bob')];
    const oneLeft = [...both, at(60, unflagged({ messageId: 'm-2' }), 'bob')];
    expect(flagsOf(oneLeft)).toMatchObject({ flagged: [{ messageId: 'm-1' }], flaggedCount: 1, lastFlaggedAt: T(40) });
    expect(flagsOf([...oneLeft, at(70, unflagged(), 'bob')])).toMatchObject({ flagged: [], flaggedCount: 0, lastFlaggedAt: null });
  });

  it('cuts a long text to an excerpt of about 200 characters', () => {
    const long = `${'The paper tray makes a grinding noise. '.repeat(10)}\n\nRegards, Petra`;
    const {
      flagged: [entry],
    } = flagsOf([...phonedIn, at(5, customerMessage({ messageId: 'm-9', body: long, at: T(5) })), at(6, flagged({ messageId: 'm-9' }), 'bob')]);
    expect(entry?.excerpt).toBe(excerptOf(long));
    expect(entry?.excerpt.length).toBeLessThanOrEqual(200);
    expect(entry?.excerpt).toMatch(/^The paper tray makes a grinding noise\. The paper tray.*…$/);
  });

  it('keeps the excerpt on the latest text, edited before or after the flag', () => {
    const fixed = 'The printer on floor 3 jams on every job.';
    expect(flagsOf([...phonedIn, at(10, flagged(), 'bob'), at(120, edited({ body: fixed }), 'carol')]).flagged).toMatchObject([{ excerpt: fixed, flaggedAt: T(10) }]);
    expect(flagsOf([...phonedIn, at(120, edited({ body: fixed }), 'carol'), at(130, flagged(), 'bob')]).flagged).toMatchObject([{ excerpt: fixed, flaggedAt: T(130) }]);
  });

  it('keeps title, category and status current for the list', () =>
    expect(
      flagsOf([...phonedIn, at(10, flagged(), 'bob'), at(20, retitled()), at(30, categoryChanged()), at(100, closed({ previousStatusId: 'new' }), 'bob')]),
    ).toMatchObject({
      title: 'LX-400 fuser worn out',
      categoryId: 'invoicing',
      baseStatus: 'closed',
      flaggedCount: 1,
    }));

  it('follows a transfer to another category', () =>
    expect(flagsOf([...phonedIn, at(10, transferred(), 'bob')])).toMatchObject({ categoryId: 'invoicing' }));

  it('lets flags leave with the messages a split takes, to the new request', () => {
    const documents = expectReplaySafe(flaggedMessages, log(splitOff));
    expect(documents.get(REQ.requestId)).toMatchObject({ flagged: [], flaggedCount: 0, lastFlaggedAt: null });
    expect(documents.get(OTHER.requestId)).toMatchObject({
      requestId: 'req-2',
      number: 1043,
      title: SPLIT_TITLE,
      // Who flagged it is not in the snapshot; it counts as flagged here from its arrival.
      flagged: [{ messageId: 'm-6', excerpt: SCANNER_QUESTION, kind: 'customer', flaggedAt: T(50), flaggedBy: null }],
      flaggedCount: 1,
      lastFlaggedAt: T(50),
    });
  });

  it('moves flags to the target with a merge; the source shows none', () => {
    const documents = expectReplaySafe(flaggedMessages, log(mergedIn));
    expect(documents.get(REQ.requestId)).toMatchObject({
      flagged: [{ messageId: 'm-20', excerpt: OLLE_ENQUIRY, flaggedAt: T(100), flaggedBy: null }],
      flaggedCount: 1,
      lastFlaggedAt: T(100),
    });
    expect(documents.get(OTHER.requestId)).toMatchObject({ baseStatus: 'merged', flagged: [], flaggedCount: 0, lastFlaggedAt: null });
  });

  it('brings flags back with an unmerge, with the time and author they had, and the text as edited', () => {
    const documents = expectReplaySafe(flaggedMessages, log([...mergedIn, ...unmergedAgain({ edited: true })]));
    expect(documents.get(REQ.requestId)).toMatchObject({ flagged: [], flaggedCount: 0, lastFlaggedAt: null });
    expect(documents.get(OTHER.requestId)).toMatchObject({
      baseStatus: 'open',
      flagged: [{ messageId: 'm-20', excerpt: OLLE_EDITED, kind: 'customer', flaggedAt: T(15), flaggedBy: 'bob' }],
      flaggedCount: 1,
      lastFlaggedAt: T(15),
    });
  });

  it('brings no flag back when it was taken off on the target meanwhile', () =>
    expect(flagsOf([...mergedIn, ...unmergedAgain({ flagged: false })], OTHER.requestId)).toMatchObject({ flagged: [], lastFlaggedAt: null }));

  it('keeps its list as it is while unflagged messages come in', () => {
    const steps = [...phonedIn, at(10, flagged(), 'bob'), at(30, replied(), 'bob'), at(60, noted(), 'bob')];
    const [flaggedOne, withReply, withNote] = versionsOf(flaggedMessages, log(steps), REQ.requestId).slice(-3);
    expect(withReply!.flagged).toBe(flaggedOne!.flagged);
    expect(withNote!.flagged).toBe(flaggedOne!.flagged);
    expect(withNote!._ledger[0]).toBe(flaggedOne!._ledger[0]);
  });
});

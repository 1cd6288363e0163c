import { requestSearch } from './request-search.projection';
import {
  accessLevelChanged,
  at,
  categoryChanged,
  closed,
  contactAdded,
  deleted,
  edited,
  ENQUIRY,
  flagged,
  forwarded,
  log,
  noted,
  OTHER,
  replied,
  REQ,
  retitled,
  T,
  TITLE,
  tagAdded,
  tagRemoved,
  transferred,
  type Step,
} from './testing/events';
import { expectReplaySafe, projectOne, versionsOf } from './testing/project';
import { mergedIn, OLLE_EDITED, OLLE_ENQUIRY, phonedIn, SCANNER_QUESTION, splitOff, unmergedAgain } from './testing/scenarios';

const searchOf = (steps: readonly Step[], id = REQ.requestId) => projectOne(requestSearch, log(steps), id);

const REPLY = 'Hi Petra, we are sending a technician this afternoon.';

describe('request-search', () => {
  it('indexes a new request by title, tags and its first message', () =>
    expect(searchOf(phonedIn)).toStrictEqual({
      id: 'req-1',
      number: 1042,
      title: TITLE,
      tags: [],
      contactIds: ['petra'],
      categoryId: 'general',
      baseStatus: 'open',
      accessLevel: 'external',
      bodies: [ENQUIRY],
      messageIds: ['m-1'],
      updatedAt: T(0),
      _position: 2,
    }));

  it('declares its text fields and the filters it is queried by', () => {
    expect(requestSearch.text).toEqual({ fields: ['title', 'tags', 'bodies'] });
    expect(requestSearch.indexes).toContainEqual({ name: 'by_category_updated', fields: ['categoryId', 'updatedAt'] });
  });

  it('adds the text of replies, notes and forwards in order', () =>
    expect(searchOf([...phonedIn, at(30, replied(), 'bob'), at(60, noted(), 'bob'), at(90, forwarded(), 'bob')]).bodies).toStrictEqual([
      ENQUIRY,
      REPLY,
      'Fuser unit is worn, order a new one.',
      'Please quote a replacement fuser for an LX-400.',
    ]));

  it('searches the latest version of an edited message only', () =>
    expect(searchOf([...phonedIn, at(30, replied(), 'bob'), at(120, edited(), 'carol')]).bodies).toStrictEqual([
      'The printer on floor 3 jams on every job.',
      REPLY,
    ]));

  it('follows the title, tags, category, access level and status', () =>
    expect(
      searchOf([
        ...phonedIn,
        at(10, retitled()),
        at(11, tagAdded('printer')),
        at(12, tagAdded('lx-400')),
        at(13, tagRemoved('printer')),
        at(14, categoryChanged()),
        at(15, accessLevelChanged()),
        at(16, contactAdded('olle', 1)),
        at(100, closed({ previousStatusId: 'new' }), 'bob'),
      ]),
    ).toMatchObject({
      title: 'LX-400 fuser worn out',
      tags: ['lx-400'],
      categoryId: 'invoicing',
      accessLevel: 'internal',
      contactIds: ['petra', 'olle'],
      baseStatus: 'closed',
      updatedAt: T(100),
    }));

  it('moves to the category a transfer names', () => expect(searchOf([...phonedIn, at(10, transferred(), 'bob')])).toMatchObject({ categoryId: 'invoicing' }));

  it('knows a deleted request, for the caller to leave out', () =>
    expect(searchOf([...phonedIn, at(10, deleted(), 'carol')])).toMatchObject({ baseStatus: 'deleted' }));

  it('counts a flag as a change without changing any text', () =>
    expect(searchOf([...phonedIn, at(10, flagged(), 'bob')])).toMatchObject({ bodies: [ENQUIRY], updatedAt: T(10) }));

  it('moves text with a split: off the original, onto the new request', () => {
    const documents = expectReplaySafe(requestSearch, log(splitOff));
    expect(documents.get(REQ.requestId)).toMatchObject({ bodies: [ENQUIRY], messageIds: ['m-1'] });
    expect(documents.get(OTHER.requestId)).toMatchObject({ number: 1043, bodies: [SCANNER_QUESTION], messageIds: ['m-6'] });
  });

  it('moves text with a merge: the target is found by the source text, the source by none', () => {
    const documents = expectReplaySafe(requestSearch, log(mergedIn));
    expect(documents.get(REQ.requestId)).toMatchObject({ bodies: [ENQUIRY, OLLE_ENQUIRY], contactIds: ['petra', 'olle'] });
    expect(documents.get(OTHER.requestId)).toMatchObject({ baseStatus: 'merged', bodies: [], messageIds: [] });
  });

  it('moves text back with an unmerge, as edited on the target', () => {
    const documents = expectReplaySafe(requestSearch, log([...mergedIn, ...unmergedAgain({ edited: true })]));
    expect(documents.get(REQ.requestId)).toMatchObject({ bodies: [ENQUIRY], contactIds: ['petra'] });
    expect(documents.get(OTHER.requestId)).toMatchObject({ baseStatus: 'open', bodies: [OLLE_EDITED], messageIds: ['m-20'] });
  });

  it('keeps its texts as they are on events that change none', () => {
    const [withMessage, flaggedOne, closedOne] = versionsOf(
      requestSearch,
      log([...phonedIn, at(10, flagged(), 'bob'), at(100, closed({ previousStatusId: 'new' }), 'bob')]),
      REQ.requestId,
    ).slice(-3);
    expect(flaggedOne!.bodies).toBe(withMessage!.bodies);
    expect(closedOne!.messageIds).toBe(withMessage!.messageIds);
  });
});

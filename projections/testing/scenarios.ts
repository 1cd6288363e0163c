/**
 * The stories several projection specs tell, as steps: a phoned-in request, a split of it, a merge
 * into it and the undo of that merge. Each side of a split or merge is its own stream; the steps
 * are in the order the process manager appends them.
 */
import { at, created, customerMessage, flagged, joined, merged, mergeUndone, movedIn, OTHER, REQ, snapshot, split, T, unmerged, type Step } from './events';

/** #1042, phoned in by Petra at T0 and taken down by Alice: one customer message, m-1. */
export const phonedIn: readonly Step[] = [at(0, created()), at(0, customerMessage())];

// ---- split ----------------------------------------------------------------------------------------

export const SCANNER_QUESTION = 'Also: the scanner next to it sends blank pages to my inbox.';
export const SPLIT_TITLE = 'Scanner on floor 3 sends blank pages';

/** m-6 on #1042, the second question, as it leaves flagged. */
export const scannerQuestion = (originRequestId: string | null = null) =>
  snapshot({ messageId: 'm-6', body: SCANNER_QUESTION, createdAt: T(40), flagged: true, originRequestId });

/** Petra adds a second question (m-6, T40), Bob flags it (T45), and at T50 it is split off into #1043. */
export const splitOff: readonly Step[] = [
  ...phonedIn,
  at(40, customerMessage({ messageId: 'm-6', body: SCANNER_QUESTION, at: T(40) })),
  at(45, flagged({ messageId: 'm-6' }), 'bob'),
  at(50, split({ messages: [scannerQuestion()], statusId: 'in-progress', baseStatus: 'open', previousStatusId: 'new' }), 'bob'),
  at(
    50,
    created({ requestId: OTHER.requestId, number: OTHER.number, title: SPLIT_TITLE, createdAt: T(50), createdBy: 'bob', deadline: T(50 + 480), splitFrom: REQ }),
    'bob',
  ),
  at(50, movedIn({ messages: [scannerQuestion(REQ.requestId)] }), 'bob'),
];

// ---- merge and unmerge ---------------------------------------------------------------------------

export const OLLE_ENQUIRY = 'The printer on floor 3 is jamming again, same as last week.';
export const OLLE_EDITED = 'The LX-400 on floor 3 is jamming again.';

/** m-20, #1043's only message, written by Olle; `flagged` as it travels. */
export const olleMessage = (options: { originRequestId?: string | null; flagged?: boolean; edited?: boolean } = {}) =>
  snapshot({
    messageId: 'm-20',
    body: OLLE_ENQUIRY,
    contactId: 'olle',
    channel: 'email',
    createdAt: T(5),
    flagged: options.flagged ?? true,
    originRequestId: options.originRequestId ?? null,
    versions: [
      // Imported from mail: nobody typed it in.
      { version: 1, body: OLLE_ENQUIRY, at: T(5), by: null },
      ...(options.edited ? [{ version: 2, body: OLLE_EDITED, at: T(150), by: 'carol' }] : []),
    ],
  });

/** #1043 by Olle at T5 (m-20), flagged by Bob at T15. */
export const olleRequest: readonly Step[] = [
  at(5, created({ requestId: OTHER.requestId, number: OTHER.number, title: 'Printer jams again', contactIds: ['olle'], createdAt: T(5), deadline: T(485) })),
  at(5, customerMessage({ requestId: OTHER.requestId, messageId: 'm-20', body: OLLE_ENQUIRY, contactId: 'olle', at: T(5), recordedBy: null, channel: 'email' })),
  at(15, flagged({ requestId: OTHER.requestId, messageId: 'm-20' }), 'bob'),
];


/** At T100 Bob merges #1043 into #1042: m-20 and Olle join #1042. */
export const mergedIn: readonly Step[] = [
  ...phonedIn,
  ...olleRequest,
  at(100, merged({ messages: [olleMessage()], contactIds: ['olle'], previousStatusId: 'new' }), 'bob'),
  at(100, joined({ messages: [olleMessage({ originRequestId: OTHER.requestId })], addedContactIds: ['olle'] }), 'bob'),
];

/** At T200 Carol undoes it: m-20 (edited meanwhile, still flagged) and Olle go back to #1043. */
export const unmergedAgain = (options: { edited?: boolean; flagged?: boolean } = {}): readonly Step[] => [
  at(200, unmerged({ messages: [olleMessage({ originRequestId: OTHER.requestId, ...options })], removedContactIds: ['olle'] }), 'carol'),
  at(200, mergeUndone({ messages: [olleMessage(options)], statusId: 'new', baseStatus: 'open' }), 'carol'),
];

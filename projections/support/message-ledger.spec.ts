import type { RequestEvent } from '@helpdesk/domain';
import { customerMessage, edited, flagged, joined, merged, mergeUndone, movedIn, noted, replied, snapshot, split, T, unflagged, unmerged } from '../testing/events';
import { EXCERPT_LENGTH, evolveFacts, evolveLedger, excerptOf, messageFacts, NO_FACTS, type LedgerEntry, type LedgerOptions } from './message-ledger';

/** The definition: the whole text folded and trimmed, cut with an ellipsis when longer than an excerpt. */
const plainExcerpt = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= EXCERPT_LENGTH ? flat : `${flat.slice(0, EXCERPT_LENGTH - 1).trimEnd()}…`;
};

describe('excerptOf', () => {
  const word = 'jam ';
  it.each([
    ['a short text', 'The printer jams.'],
    ['an empty one', ''],
    ['only whitespace', ' \n\t '.repeat(300)],
    ['whitespace around a short text', '\n\n   Hello,\n\n  the printer   jams.  \n'],
    ...[199, 200, 201, 202, 203, 204, 205, 401, 402, 403, 1000].map((n) => [`${n} characters of single-spaced words`, word.repeat(n).slice(0, n)] as [string, string]),
    ['a long word with no space', 'x'.repeat(5000)],
    ['a whitespace run across the first cut', `${'a'.repeat(195)}${' '.repeat(20)}${'b'.repeat(300)}`],
    ['a whitespace run from the first cut to beyond the next', `${'a'.repeat(150)}${'\n'.repeat(700)}${'b'.repeat(300)}`],
    ['a start that folds short', `${'\n\n'.repeat(400)}Dear support, ${'the printer jams again '.repeat(40)}`],
    ['a long mail', `Hello,\r\n\r\n${'The paper tray makes a grinding noise.\r\n'.repeat(5000)}\r\nRegards, Petra`],
    ['unicode whitespace', `${'a\u00a0b\u2028c\u3000d '.repeat(60)}`],
    ['a space where it is cut', `${'a'.repeat(198)} ${'b'.repeat(30)}`],
  ])('folds %s as the whole text would be', (_name, text) => expect(excerptOf(text)).toBe(plainExcerpt(text)));
});

describe('message ledger', () => {
  const options = (minute: number, actorId = 'bob'): LedgerOptions => ({ at: T(minute), actorId, excerpts: true });
  const steps: [number, RequestEvent][] = [
    [0, customerMessage()],
    [30, replied()],
    [40, flagged({ messageId: 'm-2' })],
    [45, flagged({ messageId: 'm-2' })],
    [50, noted()],
    [55, flagged()],
    [60, unflagged({ messageId: 'm-2' })],
    [70, edited()],
    [80, movedIn({ requestId: 'req-1', messages: [snapshot({ messageId: 'm-9', flagged: true, createdAt: T(75) })] })],
    [80, customerMessage()],
    [90, split({ messages: [snapshot({ messageId: 'm-3' })] })],
    [100, joined({ messages: [snapshot({ messageId: 'm-20', flagged: true, createdAt: T(5) })] })],
    [110, merged({ requestId: 'req-1', messages: [snapshot({ messageId: 'm-1' }), snapshot({ messageId: 'm-9' })] })],
    [120, mergeUndone({ requestId: 'req-1', messages: [snapshot({ messageId: 'm-1', flagged: true }), snapshot({ messageId: 'm-9', flagged: true })] })],
    [130, unmerged({ messages: [snapshot({ messageId: 'm-20' })] })],
  ];

  it('counts on from each event as counting the whole ledger anew would', () => {
    let ledger: readonly LedgerEntry[] = [];
    let facts = NO_FACTS;
    for (const [minute, event] of steps) {
      const next = evolveLedger(ledger, event, options(minute));
      facts = evolveFacts(facts, ledger, next, event);
      ledger = next;
      expect([event.type, facts]).toEqual([event.type, messageFacts(ledger)]);
    }
    // Home again with the flag times they had before they left (m-1 at T55, m-9 since its arrival at T80).
    expect(facts).toMatchObject({ messageCount: 2, flaggedCount: 2, lastFlaggedAt: T(80) });
  });

  it('shares what an event does not change, and changes nothing it is not about', () => {
    const two = [customerMessage(), replied()].reduce<readonly LedgerEntry[]>((l, e) => evolveLedger(l, e, options(0)), []);
    const flaggedOne = evolveLedger(two, flagged({ messageId: 'm-2' }), options(40));
    expect(flaggedOne[0]).toBe(two[0]);
    expect(evolveLedger(flaggedOne, flagged({ messageId: 'm-2' }), options(45, 'carol'))).toBe(flaggedOne);
    expect(evolveLedger(two, unflagged(), options(50))).toBe(two);
    expect(evolveLedger(two, flagged({ messageId: 'm-404' }), options(50))).toBe(two);
    expect(evolveLedger(two, customerMessage(), options(60))).toBe(two);
    expect(evolveLedger(two, edited({ messageId: 'm-2', body: 'Hi Petra, we are sending a technician this afternoon.' }), options(70))).toBe(two);
  });
});

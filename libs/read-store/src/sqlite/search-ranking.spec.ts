import { MARK_CLOSE, MARK_OPEN, rankCandidates, snippetOf } from './search-ranking';

/** "a [b] c" -> highlight()'s marks around b. */
const marked = (text: string) => text.replaceAll('[', MARK_OPEN).replaceAll(']', MARK_CLOSE);

describe('rankCandidates', () => {
  it('weighs the fields in their declared order: a match in the first field beats one in the last', () => {
    const ranked = rankCandidates(
      [
        { rid: 1, h0: 'other title', h1: marked('about the [printer]') },
        { rid: 2, h0: marked('[printer] broken'), h1: 'something else here' },
      ],
      2,
    );
    expect(ranked.map((r) => r.rid)).toEqual([2, 1]);
  });

  it('counts more matches higher, with diminishing returns, and favours short fields', () => {
    const ranked = rankCandidates(
      [
        { rid: 1, h0: marked('[printer] and a long text that goes on and on about many other things entirely') },
        { rid: 2, h0: marked('[printer] [printer] [printer] and a long text that goes on about many other things') },
        { rid: 3, h0: marked('[printer] jam') },
      ],
      1,
    );
    const score = (rid: number) => ranked.find((r) => r.rid === rid)!.score;
    expect(score(2)).toBeGreaterThan(score(1));
    expect(score(2) / score(1)).toBeLessThan(3);
    expect(score(3)).toBeGreaterThan(score(1));
    expect(ranked[ranked.length - 1]!.rid).toBe(1);
  });

  it('orders equal scores by rowid and keeps the best field for the snippet', () => {
    const ranked = rankCandidates(
      [
        { rid: 9, h0: marked('[a]'), h1: null },
        { rid: 4, h0: marked('[a]'), h1: marked('[a] [a] b') },
        { rid: 5, h0: marked('[a]'), h1: null },
      ],
      2,
    );
    expect(ranked.map((r) => r.rid)).toEqual([4, 5, 9]);
    expect(ranked[0]!.marked).toBe(marked('[a] [a] b'));
    expect(ranked[1]!.score).toBe(ranked[2]!.score);
  });
});

describe('snippetOf', () => {
  it('marks the matches with « » and shows the whole of a short text', () => {
    expect(snippetOf(marked('the [printer] is broken'))).toBe('the «printer» is broken');
  });

  it('cuts a long text around its densest matches, with … where it cut', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    words[20] = marked('[invoice]');
    words[22] = marked('[invoice]');
    const snippet = snippetOf(words.join(' '));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.match(/«invoice»/g)).toHaveLength(2);
    expect(snippet.replace(/…/g, '').split(' ')).toHaveLength(12);
  });

  it('keeps the marks balanced when the window cuts a marked phrase', () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`);
    words[0] = `${MARK_OPEN}w0`;
    words[13] = `w13${MARK_CLOSE}`;
    const snippet = snippetOf(words.join(' '));
    expect(snippet.split('«').length).toBe(snippet.split('»').length);
  });

  it('is empty for an empty text', () => {
    expect(snippetOf('')).toBe('');
  });
});

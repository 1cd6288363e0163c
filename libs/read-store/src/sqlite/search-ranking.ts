/*
 * Ranking and snippets for the SQLite text search, computed from FTS5's highlight() of each candidate: the text of
 * every text field with each match between MARK_OPEN and MARK_CLOSE.
 *
 * Why not FTS5's bm25(): to weigh a term it counts the rows holding it, a walk of the term's whole doclist on
 * every query, and sorting by it scores every match. With 5,000,000 messages a common word then costs hundreds of
 * milliseconds. The search instead takes the newest matches (a walk of the doclist from its end, stopped at the
 * cap) and ranks those here with bm25's term-frequency part (per field, saturating, normalised by length). Every
 * candidate holds every term, so the part left out (how rare each term is) reorders little among them.
 */

export const MARK_OPEN = '\u0001';
export const MARK_CLOSE = '\u0002';

/** A candidate as the search query returns it: its rowid, and per text field the highlighted text (or null). */
export interface CandidateRow {
  readonly rid: number;
  readonly [field: `h${number}`]: string | null;
}

export interface RankedCandidate {
  readonly rid: number;
  readonly score: number;
  /** The field with the best matches, for the snippet. */
  readonly marked: string;
}

const K1 = 1.2;
const B = 0.75;
const SNIPPET_WORDS = 12;

/**
 * Best first (ties: lower rowid first, as the cursor expects). `fields` is the number of text fields, in order
 * of weight: the first counts `fields` times, the last once (as the declared field order promises).
 */
export function rankCandidates(rows: readonly CandidateRow[], fields: number): RankedCandidate[] {
  const counted = rows.map((row) => {
    const perField = Array.from({ length: fields }, (_, i) => {
      const text = row[`h${i}`] ?? '';
      return { text, matches: countOf(text, MARK_OPEN), length: text.length };
    });
    return { rid: row.rid, perField };
  });
  const averageLength = Array.from({ length: fields }, (_, i) => {
    const total = counted.reduce((sum, c) => sum + c.perField[i]!.length, 0);
    return Math.max(1, total / Math.max(1, counted.length));
  });
  const ranked = counted.map(({ rid, perField }) => {
    let score = 0;
    let best = perField[0]!;
    perField.forEach((field, i) => {
      if (field.matches === 0) return;
      const norm = 1 - B + (B * field.length) / averageLength[i]!;
      score += (fields - i) * ((field.matches * (K1 + 1)) / (field.matches + K1 * norm));
      if (field.matches > best.matches) best = field;
    });
    // Rounded: a score travels in a cursor as JSON and must compare equal when it comes back.
    return { rid, score: Math.round(score * 1e6) / 1e6, marked: best.text };
  });
  return ranked.sort((a, b) => b.score - a.score || a.rid - b.rid);
}

/**
 * A fragment of about SNIPPET_WORDS words around the densest matches, matches between « and », "…" where text
 * was cut.
 */
export function snippetOf(marked: string): string {
  const words = marked.split(/\s+/u).filter((w) => w !== '');
  if (words.length === 0) return '';
  let start = 0;
  let bestHits = -1;
  for (let s = 0; s <= Math.max(0, words.length - SNIPPET_WORDS); s += 1) {
    let hits = 0;
    for (let i = s; i < Math.min(words.length, s + SNIPPET_WORDS); i += 1) if (words[i]!.includes(MARK_OPEN)) hits += 1;
    if (hits > bestHits) {
      bestHits = hits;
      start = s;
    }
  }
  const end = Math.min(words.length, start + SNIPPET_WORDS);
  let text = words.slice(start, end).join(' ');
  // A marked phrase cut by the window keeps its marks balanced.
  const firstClose = text.indexOf(MARK_CLOSE);
  if (firstClose >= 0 && (text.indexOf(MARK_OPEN) < 0 || firstClose < text.indexOf(MARK_OPEN))) text = MARK_OPEN + text;
  if (countOf(text, MARK_OPEN) > countOf(text, MARK_CLOSE)) text += MARK_CLOSE;
  text = text.replaceAll(MARK_OPEN, '«').replaceAll(MARK_CLOSE, '»');
  return `${start > 0 ? '…' : ''}${text}${end < words.length ? '…' : ''}`;
}

const countOf = (text: string, mark: string): number => {
  let n = 0;
  for (let i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + 1)) n += 1;
  return n;
};

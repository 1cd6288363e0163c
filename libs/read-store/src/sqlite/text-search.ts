import { Filter, UnindexedQueryError } from '../document-store.port';
import { CollectionInfo } from './catalog';
import { queryShape } from './cursor';
import { normaliseFilter } from './filters';
import { PlannedQuery, residualOnDocuments } from './query-planner';
import { sqlName } from './sql-names';

const MAX_TERMS = 16;
/** A term FTS5's unicode61 tokenizer keeps something of (letters or digits); the rest is punctuation. */
const WORDY = /[\p{L}\p{N}]/u;

/**
 * A user's query as an FTS5 expression that cannot be a syntax error: every whitespace-separated term becomes
 * a quoted string (FTS5's own tokenizer then splits `foo-bar` into a phrase), so `AND`, `NEAR(`, `-x`, `a*`
 * and stray quotes are just text. Terms are ANDed; the last one is a prefix, for search-as-you-type. Case and
 * diacritics are folded by the tokenizer on both sides. Undefined when nothing searchable is left.
 */
export function matchExpression(query: string, { lastAsPrefix = true }: { lastAsPrefix?: boolean } = {}): string | undefined {
  if (typeof query !== 'string') throw new TypeError('A search query is a string');
  const terms = query
    .normalize('NFC')
    .split(/\s+/u)
    .filter((t) => WORDY.test(t))
    .slice(0, MAX_TERMS);
  if (terms.length === 0) return undefined;
  return terms.map((t, i) => `"${t.replace(/"/g, '""')}"${lastAsPrefix && i === terms.length - 1 ? '*' : ''}`).join(' ');
}

/** How many matches a search ranks: the newest ones (see search-ranking.ts). */
export const SEARCH_CANDIDATES = 200;

export interface SearchPlan {
  readonly shape: string;
  /** The number of text fields (highlight columns h0, h1, ... of the candidates). */
  readonly fields: number;
  /**
   * Selects rid (the FTS rowid, the document's rowid) and, per text field i, h<i>: its text with the matches
   * marked (search-ranking.ts), for the newest `candidates` matching documents that pass the filter. The FTS
   * index is walked from its newest row down and stops at the cap; no document is read unless a filter needs it.
   */
  readonly candidates: PlannedQuery;
  /**
   * The same with the last term taken as a whole word. Run first: a prefix makes FTS5 merge the doclists of every
   * word it starts (tens of milliseconds for a short one in a large index), while one word's doclist is walked
   * from its end and left at the cap. When the whole word alone fills the candidates, they are the answer.
   */
  readonly exactCandidates: PlannedQuery;
}

export function planSearch(info: CollectionInfo, query: string, filter: Filter | undefined, candidates = SEARCH_CANDIDATES): SearchPlan | undefined {
  const fields = info.stored.text?.fields;
  if (!fields) throw new UnindexedQueryError(info.name, 'the collection declares no text fields');
  const conditions = normaliseFilter(filter);
  const match = matchExpression(query);
  const exact = matchExpression(query, { lastAsPrefix: false });
  if (match === undefined || exact === undefined) return undefined;
  if (!Number.isSafeInteger(candidates) || candidates < 1) throw new TypeError('candidates is a positive integer');
  const fts = sqlName.text(info.name);
  const docs = sqlName.documents(info.name);
  const marked = fields.map((_, i) => `highlight(${fts}, ${i}, char(1), char(2)) AS h${i}`).join(', ');
  const residual = residualOnDocuments(info, conditions);
  // CROSS JOIN keeps the FTS table the outer loop, so its rowid order (newest first) drives the walk.
  const from = residual.length === 0 ? fts : `${fts} CROSS JOIN ${docs} AS d ON d.rowid = ${fts}.rowid`;
  const where = [`${fts} MATCH ?`, ...residual.map((p) => `(${p.sql})`)].join(' AND ');
  const sql = `SELECT ${fts}.rowid AS rid, ${marked} FROM ${from} WHERE ${where} ORDER BY ${fts}.rowid DESC LIMIT ${candidates}`;
  const params = residual.flatMap((p) => p.params);
  return {
    shape: queryShape(['search', info.name, match, conditions]),
    fields: fields.length,
    candidates: { sql, params: [match, ...params] },
    exactCandidates: { sql, params: [exact, ...params] },
  };
}

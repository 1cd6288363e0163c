import { Filter, UnindexedQueryError } from '../document-store.port';
import { CollectionInfo } from './catalog';
import { CursorKeys, queryShape } from './cursor';
import { normaliseFilter, SqlPart } from './filters';
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
export function matchExpression(query: string): string | undefined {
  if (typeof query !== 'string') throw new TypeError('A search query is a string');
  const terms = query
    .normalize('NFC')
    .split(/\s+/u)
    .filter((t) => WORDY.test(t))
    .slice(0, MAX_TERMS);
  if (terms.length === 0) return undefined;
  return terms.map((t, i) => `"${t.replace(/"/g, '""')}"${i === terms.length - 1 ? '*' : ''}`).join(' ');
}

export interface SearchPlan {
  readonly shape: string;
  /**
   * Selects id, doc, rid (the FTS rowid, the document's rowid) and score (higher is better), best first, ties
   * by rid. A cursor is (score, rid): the rowid of a document never changes while it exists, and ordering
   * by it lets the best page be picked from the FTS index alone, before any document is read.
   */
  build(after: CursorKeys | undefined, limit: number): PlannedQuery;
  /** Selects rid and snippet for the rowids given as a JSON array (?2) of the same match (?1). */
  readonly snippets: string;
  readonly match: string;
}

export function planSearch(info: CollectionInfo, query: string, filter: Filter | undefined): SearchPlan | undefined {
  const fields = info.stored.text?.fields;
  if (!fields) throw new UnindexedQueryError(info.name, 'the collection declares no text fields');
  const conditions = normaliseFilter(filter);
  const match = matchExpression(query);
  if (match === undefined) return undefined;
  const fts = sqlName.text(info.name);
  const docs = sqlName.documents(info.name);
  // bm25 weights by field order: the first field counts n times, the last once. bm25 is lower-is-better.
  const weights = fields.map((_, i) => (fields.length - i).toFixed(1)).join(', ');
  const hits = `SELECT rowid AS rid, -bm25(${fts}, ${weights}) AS score FROM ${fts} WHERE ${fts} MATCH ?`;
  const residual = residualOnDocuments(info, conditions);
  const order = 'ORDER BY h.score DESC, h.rid ASC';
  return {
    shape: queryShape(['search', info.name, match, conditions]),
    match,
    build(after, limit) {
      const page: SqlPart[] = after
        ? [{ sql: 'h.score < ? OR (h.score = ? AND h.rid > ?)', params: [after[0], after[0], after[1]] }]
        : [];
      const where = (parts: readonly SqlPart[]): string =>
        parts.length === 0 ? '' : ` WHERE ${parts.map((p) => `(${p.sql})`).join(' AND ')}`;
      const params = (parts: readonly SqlPart[]): unknown[] => parts.flatMap((p) => p.params);
      if (residual.length === 0) {
        // Rank and cut in the FTS index, then read only the page's documents.
        const sql =
          `SELECT d.id AS id, d.doc AS doc, h.rid AS rid, h.score AS score FROM ` +
          `(SELECT * FROM (${hits}) AS h${where(page)} ${order} LIMIT ?) AS h ` +
          `CROSS JOIN ${docs} AS d ON d.rowid = h.rid ${order}`;
        return { sql, params: [match, ...params(page), limit] };
      }
      // A filter is on the documents: every match is read to test it.
      const parts = [...residual, ...page];
      const sql =
        `SELECT d.id AS id, d.doc AS doc, h.rid AS rid, h.score AS score FROM (${hits}) AS h ` +
        `CROSS JOIN ${docs} AS d ON d.rowid = h.rid${where(parts)} ${order} LIMIT ?`;
      return { sql, params: [match, ...params(parts), limit] };
    },
    // Snippets cost far more than ranking: made for the page only, by rowid, within the same match.
    snippets:
      `SELECT rowid AS rid, snippet(${fts}, -1, '«', '»', '…', 12) AS snippet FROM ${fts} ` +
      `WHERE ${fts} MATCH ? AND rowid IN (SELECT value FROM json_each(?))`,
  };
}

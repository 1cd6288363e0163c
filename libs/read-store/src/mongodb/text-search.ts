import type { Document } from 'mongodb';
import { Filter, UnindexedQueryError } from '../document-store.port';
import { CursorKeys, queryShape } from './cursor';
import { CollectionInfo, prefixKey } from './definitions';
import { filterToMongo, normaliseFilter } from './filters';
import { TEXT_KEYS } from './names';

/*
 * Full-text search on MongoDB's text index, with what it lacks made up for:
 *
 * - MongoDB ORs the terms of `$search`; the port ANDs them. `"a" "b"` (phrases) would AND them, but a phrase
 *   matches as a substring ("miss" would find "Missing"). So every stored document also carries `x.w`, its text's
 *   distinct words, normalised (see `normalise`), and a search adds `x.w: { $all: [every term but the last] }`:
 *   the text index finds the candidates (any document with all the terms has at least one of them), the
 *   condition keeps those with all of them.
 * - MongoDB has no prefix search; the port's last term is a prefix (search as you type). Every stored document
 *   carries, per text field i, `x.p<i>`: the prefixes of its words (up to PREFIX_MAX characters), in the text
 *   index too, at a tenth of the field's weight. The last term is then found by the text index whether it is a
 *   whole word or the beginning of one, and `x.w: { $regex: '^term' }` keeps the documents where it is (exactly
 *   so, for a term longer than PREFIX_MAX, which the text index finds by its first PREFIX_MAX characters).
 *   The cost: each distinct word of a document is stored with up to PREFIX_MAX prefixes.
 * - Case and diacritics: the text index (version 3, default_language 'none') folds both, in documents and
 *   queries; `normalise` folds them the same way (NFD, combining marks removed, lower case) for `x.w`, `x.p*` and
 *   the terms, so that all three agree.
 * - Any input is text: terms are runs of letters and digits, so quotes, '-', operators and punctuation never
 *   reach `$search` as syntax (MongoDB would read `-x` as a negation and `"` as a phrase).
 * - Snippets: MongoDB has none. They are made here from the page's documents (buildSnippet).
 *
 * Ranking is MongoDB's textScore: per document (no corpus statistics), weighted by field order.
 */

/** The most terms a query uses (the rest is ignored), as in the SQLite adapter. */
const MAX_TERMS = 16;
/** Prefixes are stored up to this length; a longer last term is found by its first PREFIX_MAX characters. */
export const PREFIX_MAX = 10;
/** Words of a snippet. */
const SNIPPET_WORDS = 12;

/** A run of letters and digits (with their combining marks) in a text. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
const MARKS = /\p{M}/gu;

/** Case and diacritics folded: 'Crème' -> 'creme'. */
export function normalise(word: string): string {
  return word.normalize('NFD').replace(MARKS, '').toLowerCase();
}

export interface Word {
  readonly start: number;
  readonly end: number;
  /** The word normalised. */
  readonly key: string;
}

/** The words of a text with their positions (for snippets) and normalised forms; words of marks alone are left out. */
export function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORD)) {
    const key = normalise(match[0]);
    if (key.length > 0) words.push({ start: match.index, end: match.index + match[0].length, key });
  }
  return words;
}

/** The strings of a text field: a string, or the strings of an array; else none. */
export function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** What a stored document carries for search (as `x`): its words, and per text field their prefixes. */
export function textKeys(document: Readonly<Record<string, unknown>>, fields: readonly string[]): Document {
  const all = new Set<string>();
  const keys: Document = {};
  fields.forEach((field, i) => {
    const prefixes = new Set<string>();
    for (const text of textsOf(document[field])) {
      for (const { key } of wordsOf(text)) {
        all.add(key);
        const longest = Math.min(key.length - 1, PREFIX_MAX);
        for (let n = 1; n <= longest; n += 1) prefixes.add(key.slice(0, n));
      }
    }
    keys[prefixKey(i)] = [...prefixes].join(' ');
  });
  return { w: [...all], ...keys };
}

export interface SearchTerms {
  /** Terms matched as whole words. */
  readonly exact: readonly string[];
  /** The last term: matched as the beginning of a word. */
  readonly prefix: string;
}

/** A user's query as terms, whatever it holds (undefined: nothing searchable). */
export function searchTerms(query: string): SearchTerms | undefined {
  if (typeof query !== 'string') throw new TypeError('A search query is a string');
  const words = wordsOf(query.normalize('NFC'))
    .map((w) => w.key)
    .slice(0, MAX_TERMS);
  if (words.length === 0) return undefined;
  const prefix = words[words.length - 1];
  return { exact: [...new Set(words.slice(0, -1))], prefix };
}

/** `$search`: every term, the last one also by its stored prefix when it is longer than those. */
export function searchString(terms: SearchTerms): string {
  const all = [...terms.exact, terms.prefix];
  if (terms.prefix.length > PREFIX_MAX) all.push(terms.prefix.slice(0, PREFIX_MAX));
  return [...new Set(all)].join(' ');
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the text index's candidates must also satisfy: every whole term, and a word beginning with the last. */
export function termsFilter(terms: SearchTerms): Document[] {
  const path = `${TEXT_KEYS}.w`;
  return [
    ...(terms.exact.length > 0 ? [{ [path]: { $all: [...terms.exact] } }] : []),
    { [path]: { $regex: `^${escapeRegex(terms.prefix)}` } },
  ];
}

export interface SearchPlan {
  readonly shape: string;
  readonly terms: SearchTerms;
  /** Best first, ties by id; each result { _id, d, s: score }; `limit` of them after the cursor's (score, id). */
  pipeline(after: CursorKeys | undefined, limit: number): Document[];
}

/** The search, or undefined when the query holds nothing searchable (no result). */
export function planSearch(info: CollectionInfo, query: string, filter: Filter | undefined): SearchPlan | undefined {
  if (!info.definition.text) throw new UnindexedQueryError(info.name, 'the collection declares no text fields');
  const conditions = normaliseFilter(filter);
  const terms = searchTerms(query);
  if (terms === undefined) return undefined;
  const filters = [...termsFilter(terms), ...(conditions.length > 0 ? [filterToMongo(conditions, (f) => info.holds(f))] : [])];
  return {
    shape: queryShape(['search', info.name, terms, conditions]),
    terms,
    pipeline(after, limit) {
      const page =
        after === undefined ? [] : [{ $match: { $or: [{ s: { $lt: after[0] } }, { s: after[0], _id: { $gt: after[1] } }] } }];
      return [
        // $text must be in the first stage, at the top level; it can only be answered by the text index.
        { $match: { $text: { $search: searchString(terms) }, $and: filters } },
        { $project: { _id: 1, d: 1, s: { $meta: 'textScore' } } },
        ...page,
        { $sort: { s: -1, _id: 1 } },
        { $limit: limit },
      ];
    },
  };
}

/**
 * A fragment of the best-matching text of a document with its matches between « and »: of the strings of its
 * text fields (in order of weight), the one with the most distinct terms found (then the most matches), cut
 * to the SNIPPET_WORDS words holding the most matches, '…' where it was cut.
 */
export function buildSnippet(document: Readonly<Record<string, unknown>>, fields: readonly string[], terms: SearchTerms): string {
  const exact = new Set(terms.exact);
  const matches = (key: string): string | undefined =>
    exact.has(key) ? key : key.startsWith(terms.prefix) ? `^${terms.prefix}` : undefined;
  let best: { text: string; words: Word[]; hits: boolean[]; score: [number, number] } | undefined;
  for (const field of fields) {
    for (const text of textsOf(document[field])) {
      const words = wordsOf(text);
      if (words.length === 0) continue;
      const found = words.map((w) => matches(w.key));
      const score: [number, number] = [new Set(found.filter((f) => f !== undefined)).size, found.filter((f) => f !== undefined).length];
      if (!best || score[0] > best.score[0] || (score[0] === best.score[0] && score[1] > best.score[1])) {
        best = { text, words, hits: found.map((f) => f !== undefined), score };
      }
    }
  }
  if (!best) return '';
  const { text, words, hits } = best;
  // The window of SNIPPET_WORDS words with the most matches (the earliest of equals).
  let start = 0;
  let bestCount = -1;
  for (let s = 0; s <= Math.max(0, words.length - SNIPPET_WORDS); s += 1) {
    const count = hits.slice(s, s + SNIPPET_WORDS).filter(Boolean).length;
    if (count > bestCount) {
      bestCount = count;
      start = s;
    }
  }
  const end = Math.min(words.length, start + SNIPPET_WORDS);
  let snippet = start > 0 ? '…' : '';
  let at = start > 0 ? words[start].start : 0;
  for (let i = start; i < end; i += 1) {
    const word = words[i];
    snippet += text.slice(at, word.start);
    snippet += hits[i] ? `«${text.slice(word.start, word.end)}»` : text.slice(word.start, word.end);
    at = word.end;
  }
  snippet += end < words.length ? '…' : text.slice(at);
  return snippet;
}

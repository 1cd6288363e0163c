import { SortKey, UnindexedQueryError } from './document-store.port';
import { assertField, type Condition, isEquality, isMembership, isRangeOnly } from './port-rules';

/*
 * Which declared index serves a query: the port's rule, the same for every adapter (each then writes the
 * query its own way, SQL with INDEXED BY or a MongoDB hint).
 *
 * An index (f0 .. fn) serves equality or `in` on a prefix f0 .. fp-1, then a range and/or the sort on fp (and
 * further sort keys on fp+1 ...). Other conditions are tested on what that index range yields. A multikey
 * index (one of its fields holds arrays) serves only when its array field is in the equality prefix:
 * otherwise a document would come once per element.
 */

export type Direction = 'asc' | 'desc';

export interface IndexCandidate<I extends { readonly fields: readonly string[] }> {
  readonly index: I;
  /** Its place among the collection's indexes: the earlier declared wins a tie. */
  readonly position: number;
  /** Conditions on fields[0 .. prefix-1] all have values (equality or in). */
  readonly prefix: number;
  /** A bound-only condition on fields[prefix]. */
  readonly range?: Condition;
  /** The index's field that holds arrays, if any. */
  readonly multikey?: string;
}

/** What each declared index could do for these conditions. */
export function indexCandidates<I extends { readonly fields: readonly string[] }>(
  indexes: readonly I[],
  multikeyOf: (index: I) => string | undefined,
  byField: ReadonlyMap<string, Condition>,
): IndexCandidate<I>[] {
  return indexes.map((index, position) => {
    const multikey = multikeyOf(index);
    let prefix = 0;
    while (prefix < index.fields.length && byField.get(index.fields[prefix]!)?.values !== undefined) prefix += 1;
    const next = index.fields[prefix];
    const condition = next === undefined ? undefined : byField.get(next);
    const range = isRangeOnly(condition) && next !== multikey ? condition : undefined;
    return { index, position, prefix, ...(range ? { range } : {}), ...(multikey !== undefined ? { multikey } : {}) };
  });
}

export interface FindChoice<I extends { readonly fields: readonly string[] }> {
  /** The sort as given, checked. */
  readonly given: readonly SortKey[];
  /** The sort keys that order the page (those held constant by an equality dropped). */
  readonly order: readonly SortKey[];
  readonly direction: Direction;
  /** Undefined: no filter and no sort, the whole collection in id order. */
  readonly candidate: IndexCandidate<I> | undefined;
}

/** The index a find walks, or UnindexedQueryError. */
export function chooseForFind<I extends { readonly fields: readonly string[] }>(
  collection: string,
  candidates: readonly IndexCandidate<I>[],
  conditions: readonly Condition[],
  byField: ReadonlyMap<string, Condition>,
  sort: readonly SortKey[] | undefined,
): FindChoice<I> {
  const given = validateSort(sort);
  const direction: Direction = given.length > 0 ? given[given.length - 1]!.direction : 'asc';
  // Sorting by a field held constant by an equality changes nothing: it is dropped before matching indexes.
  const order = given.filter((k) => !isEquality(byField.get(k.field)));
  if (order.some((k) => k.direction !== direction)) {
    throw new UnindexedQueryError(collection, `${describeQuery(conditions, given)}: mixed sort directions`);
  }
  const best = bestOf(candidates, (candidate) => {
    const { index, prefix, range, multikey } = candidate;
    if (multikey !== undefined && index.fields.indexOf(multikey) >= prefix) return undefined;
    const sortServed = order.every((k, i) => index.fields[prefix + i] === k.field);
    if (!sortServed || (prefix === 0 && !range && order.length === 0)) return undefined;
    const inPrefix = index.fields.slice(0, prefix).some((f) => isMembership(byField.get(f)));
    const needsSort = inPrefix || (order.length === 0 && prefix < index.fields.length);
    return [prefix + (range ? 1 : 0), -seeks(candidate, byField), needsSort ? 0 : 1, -index.fields.length, -candidate.position];
  });
  if (!best && (conditions.length > 0 || order.length > 0)) throw new UnindexedQueryError(collection, describeQuery(conditions, given));
  return { given, order, direction, candidate: best };
}

/** The index range that finds the documents matching every condition, or UnindexedQueryError. */
export function chooseForCount<I extends { readonly fields: readonly string[] }>(
  collection: string,
  candidates: readonly IndexCandidate<I>[],
  conditions: readonly Condition[],
  byField: ReadonlyMap<string, Condition>,
): IndexCandidate<I> {
  const best = bestOf(candidates, (candidate) => {
    const { index, prefix, range, multikey } = candidate;
    if (multikey !== undefined && index.fields.indexOf(multikey) >= prefix) return undefined;
    if (prefix === 0 && !range) return undefined;
    return [prefix + (range ? 1 : 0), -seeks(candidate, byField), -index.fields.length, -candidate.position];
  });
  if (!best) throw new UnindexedQueryError(collection, describeQuery(conditions, []));
  return best;
}

/**
 * The index a count grouped by `field` walks (the filter not naming `field` when it holds arrays: see the
 * adapters), or UnindexedQueryError. The index must also be usable for the field grouped: an array field
 * only through an index multikey on it, whose elements are then the groups.
 */
export function chooseForCountBy<I extends { readonly fields: readonly string[] }>(
  collection: string,
  candidates: readonly IndexCandidate<I>[],
  conditions: readonly Condition[],
  byField: ReadonlyMap<string, Condition>,
  field: string,
  arrayField: boolean,
): IndexCandidate<I> {
  const best = bestOf(candidates, (candidate) => {
    const { index, prefix, range, multikey } = candidate;
    const grouped = index.fields[prefix] === field;
    if (arrayField && multikey !== field) return undefined;
    // Unconstrained, an array field yields an entry per element: fine only when those elements are the groups.
    const perElement = grouped && multikey === field;
    if (multikey !== undefined && index.fields.indexOf(multikey) >= prefix && !perElement) return undefined;
    if (prefix === 0 && !range && !grouped) return undefined;
    return [prefix + (range ? 1 : 0), -seeks(candidate, byField), grouped ? 1 : 0, index.fields.includes(field) ? 1 : 0, -index.fields.length];
  });
  if (!best) throw new UnindexedQueryError(collection, `${describeQuery(conditions, [])}, counted by ${field}`);
  return best;
}

export function validateSort(sort: readonly SortKey[] | undefined): SortKey[] {
  if (sort === undefined) return [];
  if (!Array.isArray(sort)) throw new TypeError('sort must be an array of { field, direction }');
  const seen = new Set<string>();
  return sort.map((key: SortKey) => {
    assertField(key?.field);
    if (key.direction !== 'asc' && key.direction !== 'desc') {
      throw new TypeError(`sort on ${key.field}: direction must be 'asc' or 'desc'`);
    }
    if (seen.has(key.field)) throw new TypeError(`sort names ${key.field} twice`);
    seen.add(key.field);
    return { field: key.field, direction: key.direction };
  });
}

/** What a refused query asked for, for its error message. */
export function describeQuery(conditions: readonly Condition[], sort: readonly SortKey[]): string {
  const filter = conditions.length === 0 ? 'no filter' : `filter on ${conditions.map((c) => c.field).join(', ')}`;
  const order = sort.length === 0 ? '' : `, sort by ${sort.map((k) => `${k.field} ${k.direction}`).join(', ')}`;
  return filter + order;
}

/** The candidate with the highest score (compared element by element); undefined scores are unfit. */
function bestOf<C>(candidates: readonly C[], score: (candidate: C) => number[] | undefined): C | undefined {
  let best: { candidate: C; score: number[] } | undefined;
  for (const candidate of candidates) {
    const s = score(candidate);
    if (s && (!best || compareScores(s, best.score) > 0)) best = { candidate, score: s };
  }
  return best?.candidate;
}

/**
 * How many index ranges the prefix makes the store walk (the product of its `in` list sizes). Without
 * statistics this is the best guess at selectivity between two indexes with prefixes of the same length:
 * `contactIds in [two ids]` narrows more than `status in [every status]`.
 */
function seeks(candidate: IndexCandidate<{ readonly fields: readonly string[] }>, byField: ReadonlyMap<string, Condition>): number {
  return candidate.index.fields.slice(0, candidate.prefix).reduce((n, f) => n * Math.max(1, byField.get(f)?.values?.length ?? 1), 1);
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

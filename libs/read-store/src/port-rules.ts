import type { CollectionDefinition, Filter, RangeFilter, Scalar } from './document-store.port';

/*
 * What the DocumentStore port accepts, whatever the adapter: names, fields, filters and collection definitions.
 * Both adapters validate with these, so a caller gets the same answer (or the same TypeError) from either.
 */

/** Collection, index and counter names: portable to MongoDB, and never needing escapes in a quoted SQLite identifier. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Top-level document fields (`_position` included). Nested paths are not indexable through the port. */
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function assertName(kind: 'collection' | 'index' | 'counter', name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new TypeError(`A ${kind} name must match ${NAME.source}, got ${JSON.stringify(name)}`);
  }
}

export function assertField(field: unknown): asserts field is string {
  if (typeof field !== 'string' || !FIELD.test(field)) {
    throw new TypeError(`A field must be a top-level name matching ${FIELD.source}, got ${JSON.stringify(field)}`);
  }
}

// ---- documents and checkpoints -----------------------------------------------------------------------------

/** Positions are the event store's: a bigint that fits a signed 64-bit integer (SQLite INTEGER, BSON Long). */
export const MAX_POSITION = (1n << 63n) - 1n;

export function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) throw new TypeError('A document id is a non-empty string');
}

export function assertCheckpointName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('A checkpoint name is a non-empty string');
}

export function assertPosition(name: string, position: unknown): asserts position is bigint {
  if (typeof position !== 'bigint' || position < 0n || position > MAX_POSITION) {
    throw new TypeError(`Checkpoint ${name}: a position is a bigint from 0n to 2^63-1, got ${String(position)}`);
  }
}

// ---- filters ----------------------------------------------------------------------------------------------

export interface Bound {
  readonly value: string | number;
  readonly inclusive: boolean;
}

/** One field's part of a filter, normalised. */
export interface Condition {
  readonly field: string;
  /** Equality (one value) or membership (any number, none included); undefined when only bounded. */
  readonly values?: readonly Scalar[];
  readonly lower?: Bound;
  readonly upper?: Bound;
}

/** Equality on one value: the field is constant over the result (and sorting by it changes nothing). */
export const isEquality = (c: Condition | undefined): boolean => c?.values?.length === 1;
export const isMembership = (c: Condition | undefined): boolean => c?.values !== undefined && c.values.length !== 1;
export const isRangeOnly = (c: Condition | undefined): boolean =>
  c !== undefined && c.values === undefined && (c.lower !== undefined || c.upper !== undefined);

const RANGE_KEYS = new Set(['eq', 'in', 'gt', 'gte', 'lt', 'lte']);

/**
 * Validates a filter and returns its conditions in field order (so equal filters give equal query shapes).
 * Throws TypeError on anything the port does not describe, rather than guessing (`{ gtee: 1 }`, `{ in: 'a' }`).
 */
export function normaliseFilter(filter: Filter | undefined): Condition[] {
  if (filter === undefined) return [];
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new TypeError('A filter must be an object of field -> value or range');
  }
  return Object.keys(filter)
    .sort()
    .map((field) => {
      assertField(field);
      const value = filter[field];
      if (typeof value === 'object' && value !== null) return rangeCondition(field, value);
      return { field, values: [scalar(field, value)] };
    });
}

function rangeCondition(field: string, range: RangeFilter): Condition {
  if (Array.isArray(range)) throw new TypeError(`Filter on ${field}: use { in: [...] } to match any of several values`);
  const keys = Object.keys(range);
  const unknown = keys.filter((k) => !RANGE_KEYS.has(k));
  if (unknown.length > 0 || keys.length === 0) {
    throw new TypeError(`Filter on ${field}: expected some of eq, in, gt, gte, lt, lte, got {${keys.join(', ')}}`);
  }
  if (range.eq !== undefined && range.in !== undefined) throw new TypeError(`Filter on ${field}: both eq and in`);
  if (range.gt !== undefined && range.gte !== undefined) throw new TypeError(`Filter on ${field}: both gt and gte`);
  if (range.lt !== undefined && range.lte !== undefined) throw new TypeError(`Filter on ${field}: both lt and lte`);
  let values: Scalar[] | undefined;
  if (range.eq !== undefined) values = [scalar(field, range.eq)];
  if (range.in !== undefined) {
    if (!Array.isArray(range.in)) throw new TypeError(`Filter on ${field}: in must be an array`);
    values = [...new Set(range.in.map((v) => scalar(field, v)))];
  }
  const lower = bound(field, range.gt, range.gte);
  const upper = bound(field, range.lt, range.lte);
  if (lower && upper && typeof lower.value !== typeof upper.value) {
    throw new TypeError(`Filter on ${field}: a range is between two strings or two numbers`);
  }
  return {
    field,
    ...(values !== undefined ? { values } : {}),
    ...(lower !== undefined ? { lower } : {}),
    ...(upper !== undefined ? { upper } : {}),
  };
}

function bound(field: string, exclusive: Scalar | undefined, inclusive: Scalar | undefined): Bound | undefined {
  // Not `??`: `{ gt: null }` is a bound that is not one, refused rather than ignored.
  const value = exclusive !== undefined ? exclusive : inclusive;
  if (value === undefined) return undefined;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    return { value, inclusive: exclusive === undefined };
  }
  throw new TypeError(`Filter on ${field}: a range bound must be a string or a finite number, got ${String(value)}`);
}

function scalar(field: string, value: unknown): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(`Filter on ${field}: ${String(value)} is not a string, finite number, boolean or null`);
}

// ---- collection definitions -------------------------------------------------------------------------------

/** An index or a counter as declared: a name and its fields, in order. */
export interface FieldList {
  readonly name: string;
  readonly fields: readonly string[];
}

/** A definition as validated (and copied: callers may reuse their objects). */
export interface ValidDefinition {
  readonly name: string;
  readonly indexes: FieldList[];
  readonly counters: FieldList[];
  readonly text?: { readonly fields: readonly string[] };
}

const MAX_INDEX_FIELDS = 8;
/** MongoDB text index weights go up to 99,999 (weights count down from the number of fields). */
const MAX_TEXT_FIELDS = 1000;

export function validateDefinition(definition: CollectionDefinition): ValidDefinition {
  if (typeof definition !== 'object' || definition === null) throw new TypeError('A collection definition is an object');
  assertName('collection', definition.name);
  if (!Array.isArray(definition.indexes)) throw new TypeError(`${definition.name}: indexes must be an array`);
  const indexes = validateFieldLists(definition.name, 'index', definition.indexes);
  if (definition.counters !== undefined && !Array.isArray(definition.counters)) {
    throw new TypeError(`${definition.name}: counters must be an array`);
  }
  const counters = validateFieldLists(definition.name, 'counter', definition.counters ?? []);
  if (definition.text === undefined) return { name: definition.name, indexes, counters };
  const fields = definition.text?.fields;
  if (!Array.isArray(fields) || fields.length === 0) throw new TypeError(`${definition.name}: text needs fields`);
  if (fields.length > MAX_TEXT_FIELDS) throw new TypeError(`${definition.name}: at most ${MAX_TEXT_FIELDS} text fields`);
  fields.forEach((f) => assertField(f));
  if (new Set(fields).size !== fields.length) throw new TypeError(`${definition.name}: text repeats a field`);
  return { name: definition.name, indexes, counters, text: { fields: [...fields] } };
}

function validateFieldLists(collection: string, kind: 'index' | 'counter', lists: readonly FieldList[]): FieldList[] {
  const names = new Set<string>();
  return lists.map((list) => {
    assertName(kind, list?.name);
    if (names.has(list.name)) throw new TypeError(`${collection}: two ${kind === 'index' ? 'indexes' : 'counters'} are called ${list.name}`);
    names.add(list.name);
    const fields = list.fields;
    if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_INDEX_FIELDS) {
      throw new TypeError(`${collection}.${list.name}: ${kind === 'index' ? 'an index' : 'a counter'} has 1 to ${MAX_INDEX_FIELDS} fields`);
    }
    fields.forEach((f) => assertField(f));
    if (new Set(fields).size !== fields.length) throw new TypeError(`${collection}.${list.name} repeats a field`);
    return { name: list.name, fields: [...fields] };
  });
}

export const sameFields = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  (a === undefined && b === undefined) ||
  (a !== undefined && b !== undefined && a.length === b.length && a.every((f, i) => f === b[i]));

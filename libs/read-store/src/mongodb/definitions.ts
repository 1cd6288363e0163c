import type { IndexDescription } from 'mongodb';
import { CollectionDefinition } from '../document-store.port';
import type { Holds } from './filters';
import { sameFields, validateDefinition as validatePortDefinition, type FieldList } from '../port-rules';
import { fieldPath, mongoName, TEXT_KEYS } from './names';

export type { FieldList };

/** A collection definition as the registry stores it (validated, copied). */
export interface Definition {
  readonly indexes: readonly FieldList[];
  readonly counters: readonly FieldList[];
  readonly text?: { readonly fields: readonly string[] };
}

/** A collection's entry in the registry (`read_store.collections`). */
export interface RegistryEntry {
  readonly _id: string;
  /** What is built (or, while `bulk`, what completeBulkLoad will build). */
  readonly definition: Definition;
  /** Created with `bulkLoad` and not completed: only its documents (and _id index) exist. */
  readonly bulk: boolean;
  /**
   * Fields of its indexes and counters found holding an array in some document (they never go back: MongoDB's
   * multikey flag does not either). An index or counter naming one of them is multikey on it.
   */
  readonly arrays: readonly string[];
}

/** A collection's entry with what queries and writes derive from it. */
export class CollectionInfo {
  readonly name: string;
  readonly definition: Definition;
  readonly bulk: boolean;
  readonly arrayFields: ReadonlySet<string>;
  /** Fields of indexes and counters not known to hold arrays yet: a write looks at them (see MongoDocumentWriter). */
  readonly watchedFields: readonly string[];
  /** Fields of the declared indexes. */
  readonly indexedFields: ReadonlySet<string>;
  /** Fields of the declared indexes and counters: writes look at what they hold. */
  readonly namedFields: ReadonlySet<string>;

  constructor(readonly entry: RegistryEntry) {
    this.name = entry._id;
    this.definition = entry.definition;
    this.bulk = entry.bulk;
    this.arrayFields = new Set(entry.arrays);
    this.indexedFields = new Set(entry.definition.indexes.flatMap((i) => i.fields));
    const named = new Set([...entry.definition.indexes, ...entry.definition.counters].flatMap((s) => s.fields));
    this.namedFields = named;
    this.watchedFields = [...named].filter((f) => !this.arrayFields.has(f));
  }

  /** What a field is known to hold (see filters.ts). */
  holds(field: string): Holds {
    if (this.arrayFields.has(field)) return 'array';
    return this.namedFields.has(field) ? 'scalar' : 'unknown';
  }

  get indexes(): readonly FieldList[] {
    return this.definition.indexes;
  }

  get counters(): readonly FieldList[] {
    return this.definition.counters;
  }

  /** The field of an index or counter holding arrays, if any (at most one: see parallelArrays). */
  multikeyOf(structure: FieldList): string | undefined {
    return structure.fields.find((f) => this.arrayFields.has(f));
  }
}

/** Validates a definition from a caller (the port's rules); the store keeps a copy. */
export function validateDefinition(definition: CollectionDefinition): { name: string; definition: Definition } {
  const { name, indexes, counters, text } = validatePortDefinition(definition);
  return { name, definition: { indexes, counters, ...(text ? { text } : {}) } };
}

export { sameFields };

const sameLists = (x: readonly FieldList[], y: readonly FieldList[]): boolean =>
  x.length === y.length && x.every((s, i) => s.name === y[i].name && sameFields(s.fields, y[i].fields));

/** Same names and fields, in the same order. */
export function sameDefinition(a: Definition, b: Definition): boolean {
  return sameLists(a.indexes, b.indexes) && sameLists(a.counters, b.counters) && sameFields(a.text?.fields, b.text?.fields);
}

/** What bringing a built collection from `current` to `wanted` takes (`current` undefined: nothing is built). */
export interface DefinitionChange {
  readonly dropIndexes: readonly FieldList[];
  readonly createIndexes: readonly FieldList[];
  readonly dropCounters: readonly FieldList[];
  readonly buildCounters: readonly FieldList[];
  /** The text keys of every document are recomputed and the text index rebuilt (or dropped). */
  readonly text: 'keep' | 'rebuild';
  /** Fields newly named by an index or counter: the documents already stored are looked at for arrays. */
  readonly newlyWatched: readonly string[];
}

export function planDefinitionChange(current: Definition | undefined, wanted: Definition): DefinitionChange {
  const before = current ?? { indexes: [], counters: [] };
  const kept = (list: readonly FieldList[], s: FieldList): boolean => list.some((x) => x.name === s.name && sameFields(x.fields, s.fields));
  const watched = (d: Definition): Set<string> => new Set([...d.indexes, ...d.counters].flatMap((s) => s.fields));
  const old = watched(before);
  return {
    dropIndexes: before.indexes.filter((i) => !kept(wanted.indexes, i)),
    createIndexes: wanted.indexes.filter((i) => !kept(before.indexes, i)),
    dropCounters: before.counters.filter((c) => !kept(wanted.counters, c)),
    buildCounters: wanted.counters.filter((c) => !kept(before.counters, c)),
    text: sameFields(before.text?.fields, wanted.text?.fields) ? 'keep' : 'rebuild',
    newlyWatched: [...watched(wanted)].filter((f) => !old.has(f)),
  };
}

export const parallelArrays = (collection: string, structure: FieldList, fields: readonly string[]): TypeError =>
  new TypeError(
    `${collection}.${structure.name}: fields ${fields.join(' and ')} both hold arrays; an index or counter can be multikey on one field only`,
  );

/** Refuses a definition whose index or counter names two fields known to hold arrays ("parallel arrays"). */
export function assertNoParallelArrays(collection: string, definition: Definition, arrays: ReadonlySet<string>): void {
  for (const structure of [...definition.indexes, ...definition.counters]) {
    const held = structure.fields.filter((f) => arrays.has(f));
    if (held.length > 1) throw parallelArrays(collection, structure, held);
  }
}

/**
 * A declared index as MongoDB builds it: its fields under `d`, then _id, all ascending. Walked forwards or
 * backwards it serves equality on a prefix, a range and the sort on the next field, the id last (find's keyset
 * order). MongoDB makes it multikey by itself when a document holds an array in one of its fields.
 */
export function indexSpec(index: FieldList): IndexDescription {
  const key: Record<string, 1> = {};
  for (const field of index.fields) key[fieldPath(field)] = 1;
  key._id = 1;
  return { key, name: mongoName.index(index.name) };
}

/** The text keys of text field i (see text-search.ts): its words' prefixes. */
export const prefixKey = (i: number): string => `p${i}`;

/**
 * The collection's one text index: the declared fields (whole words) and their prefixes (text-search.ts), weighted
 * by order like the SQLite adapter's bm25 weights (first field n, last 1), a whole word 10 times a prefix.
 *
 * `default_language: 'none'`: no stemming and no stop words, in any language (the port promises neither). Text
 * index version 3 (the default) folds case and diacritics. MongoDB reads a document's (and embedded document's)
 * language from the field `language_override` names, `language` by default: renamed to a name no read model uses,
 * so a projection's own `language` field ('fr', 'klingon') never switches the index to stemming nor fails a write
 * with "language override unsupported".
 */
export function textIndexSpec(fields: readonly string[]): IndexDescription {
  const key: Record<string, 'text'> = {};
  const weights: Record<string, number> = {};
  fields.forEach((field, i) => {
    key[fieldPath(field)] = 'text';
    weights[fieldPath(field)] = (fields.length - i) * 10;
  });
  fields.forEach((_, i) => {
    const path = `${TEXT_KEYS}.${prefixKey(i)}`;
    key[path] = 'text';
    weights[path] = fields.length - i;
  });
  return {
    key,
    name: mongoName.textIndex,
    weights,
    default_language: 'none',
    language_override: 'read-store-language',
  };
}

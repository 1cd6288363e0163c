import type { MongoClient } from 'mongodb';
import { wordsOf } from '../text-search';
import { aggregate, compareValues, matches, sortDocuments, Stored, valueAt } from './mongo-semantics';

/*
 * An in-memory MODEL of the part of the MongoDB driver and server the store uses: collections, indexes (by
 * name, for `hint`), find / countDocuments / aggregate with the operators and stages the adapter writes, bulk
 * writes, and sessions whose transactions work on a copy committed at the end (or dropped).
 *
 * It is NOT MongoDB and proves nothing about MongoDB: it runs the store's own logic (definitions, DDL order,
 * transactions, write sequencing, bulk loads, catalog, cursors) through the contract's scenarios against the
 * semantics in mongo-semantics.ts. Only the live contract run (MONGODB_URL) proves the adapter on a server.
 * The text score is a rough imitation of MongoDB's (weight x (0.5 + 0.5 x count / words)).
 */

type Doc = Record<string, unknown>;
interface IndexSpec {
  readonly name: string;
  readonly key: Record<string, unknown>;
  readonly weights?: Record<string, number>;
  readonly [option: string]: unknown;
}
interface CollectionData {
  docs: Map<string, Doc>;
  indexes: IndexSpec[];
}
type State = Map<string, CollectionData>;

class ModelError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

const keyOf = (id: unknown): string => JSON.stringify(id);

/** A copy of a stored value as the driver would deserialise it (Long stays a Long). */
function copy<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value !== null && typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, copy(v)])) as T;
  }
  return value;
}

function project(document: Doc, projection: Record<string, unknown> | undefined): Doc {
  if (!projection) return copy(document);
  const out: Doc = { _id: copy(document._id) };
  for (const path of Object.keys(projection)) {
    if (path === '_id') continue;
    const value = valueAt(document, path);
    if (typeof value === 'symbol') {
      // Missing: the parents still appear (MongoDB projects { d: {} } for a missing d.status).
      const [head] = path.split('.');
      if (path.includes('.') && document[head] !== undefined) out[head] ??= {};
      continue;
    }
    const parts = path.split('.');
    let target = out;
    for (const part of parts.slice(0, -1)) target = (target[part] ??= {}) as Doc;
    target[parts[parts.length - 1]] = copy(value);
  }
  return out;
}

class ModelCursor<T> {
  constructor(private readonly load: () => T[]) {}
  async toArray(): Promise<T[]> {
    return this.load();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (const item of this.load()) yield item;
  }
}

class ModelSession {
  state: State | undefined;
  constructor(private readonly client: ModelMongoClient) {}

  inTransaction(): boolean {
    return this.state !== undefined;
  }

  async withTransaction<T>(fn: (session: ModelSession) => Promise<T>): Promise<T> {
    // A copy of every collection (documents are replaced, never changed in place, so a shallow copy suffices).
    this.state = new Map([...this.client.state].map(([name, data]) => [name, { docs: new Map(data.docs), indexes: data.indexes }]));
    try {
      const result = await fn(this);
      this.client.state = this.state;
      return result;
    } finally {
      this.state = undefined;
    }
  }

  async endSession(): Promise<void> {}
}

interface Options {
  readonly session?: ModelSession;
  readonly projection?: Record<string, unknown>;
  readonly sort?: Record<string, number>;
  readonly limit?: number;
  readonly hint?: string;
  readonly upsert?: boolean;
}

class ModelCollection {
  constructor(
    private readonly client: ModelMongoClient,
    private readonly name: string,
  ) {}

  private state(options?: Options): State {
    return options?.session?.state ?? this.client.state;
  }

  private data(options?: Options, create = false): CollectionData | undefined {
    const state = this.state(options);
    let data = state.get(this.name);
    if (!data && create) state.set(this.name, (data = { docs: new Map(), indexes: [{ name: '_id_', key: { _id: 1 } }] }));
    return data;
  }

  private checkHint(options?: Options): void {
    if (options?.hint === undefined) return;
    const data = this.data(options);
    if (data && !data.indexes.some((i) => i.name === options.hint)) {
      throw new ModelError(`hint provided does not correspond to an existing index: ${options.hint}`, 2);
    }
  }

  private all(options?: Options): Doc[] {
    return [...(this.data(options)?.docs.values() ?? [])];
  }

  find(filter: Doc, options?: Options): ModelCursor<Doc> {
    return new ModelCursor(() => {
      this.checkHint(options);
      const found = sortDocuments(this.all(options).filter((d) => matches(d as Stored, filter)), options?.sort);
      return found.slice(0, options?.limit || undefined).map((d) => project(d, options?.projection));
    });
  }

  async findOne(filter: Doc, options?: Options): Promise<Doc | null> {
    const [found] = await this.find(filter, { ...options, limit: 1 }).toArray();
    return found ?? null;
  }

  async countDocuments(filter: Doc, options?: Options): Promise<number> {
    this.checkHint(options);
    return this.all(options).filter((d) => matches(d as Stored, filter)).length;
  }

  async insertOne(document: Doc, options?: Options): Promise<void> {
    const data = this.data(options, true)!;
    if (data.docs.has(keyOf(document._id))) throw new ModelError('E11000 duplicate key', 11000);
    data.docs.set(keyOf(document._id), copy(document));
  }

  async replaceOne(filter: Doc, replacement: Doc, options?: Options): Promise<void> {
    await this.bulkWrite([{ replaceOne: { filter, replacement, upsert: options?.upsert } }], options);
  }

  async deleteOne(filter: Doc, options?: Options): Promise<void> {
    const data = this.data(options);
    const found = this.all(options).find((d) => matches(d as Stored, filter));
    if (data && found) data.docs.delete(keyOf(found._id));
  }

  async deleteMany(filter: Doc, options?: Options): Promise<void> {
    const data = this.data(options);
    for (const found of this.all(options).filter((d) => matches(d as Stored, filter))) data?.docs.delete(keyOf(found._id));
  }

  async bulkWrite(operations: readonly Doc[], options?: Options): Promise<void> {
    const data = this.data(options, true)!;
    for (const operation of operations) {
      const [kind, spec] = Object.entries(operation)[0] as [string, Doc];
      const filter = spec.filter as Doc;
      const existing = this.all(options).find((d) => matches(d as Stored, filter));
      if (kind === 'deleteOne') {
        if (existing) data.docs.delete(keyOf(existing._id));
      } else if (kind === 'replaceOne') {
        const replacement = copy(spec.replacement as Doc);
        if (existing) data.docs.set(keyOf(existing._id), { ...replacement, _id: existing._id });
        else if (spec.upsert) data.docs.set(keyOf(filter._id ?? replacement._id), { _id: filter._id ?? replacement._id, ...replacement });
      } else if (kind === 'updateOne') {
        const update = spec.update as Record<string, Doc>;
        if (!existing && !spec.upsert) continue;
        const document: Doc = existing ? copy(existing) : { _id: copy(filter._id), ...copy(update.$setOnInsert ?? {}) };
        for (const [field, by] of Object.entries(update.$inc ?? {})) document[field] = ((document[field] as number) ?? 0) + (by as number);
        for (const [field, value] of Object.entries(update.$set ?? {})) document[field] = copy(value);
        for (const field of Object.keys(update.$unset ?? {})) delete document[field];
        for (const [field, { $each }] of Object.entries((update.$addToSet ?? {}) as Record<string, { $each: unknown[] }>)) {
          const values = [...((document[field] as unknown[]) ?? [])];
          for (const value of $each) if (!values.some((v) => compareValues(v, value) === 0)) values.push(value);
          document[field] = values;
        }
        data.docs.set(keyOf(document._id), document);
      } else {
        throw new Error(`The model does not write ${kind}`);
      }
    }
  }

  aggregate<T = Doc>(pipeline: readonly Doc[], options?: Options): ModelCursor<T> {
    return new ModelCursor(() => {
      this.checkHint(options);
      return this.runPipeline(pipeline, options) as T[];
    });
  }

  private runPipeline(pipeline: readonly Doc[], options?: Options): Doc[] {
    return aggregate(this.all(options).map(copy), pipeline, {
      textScorer: (search) => {
        const text = this.data(options)?.indexes.find((i) => i.weights);
        if (!text) throw new ModelError('text index required for $text query', 27);
        return (document) => textScore(document, text.weights!, search.split(' '));
      },
      merge: (into, documents) => {
        new ModelCollection(this.client, into).bulkWrite(
          documents.map((d) => ({ replaceOne: { filter: { _id: d._id }, replacement: d, upsert: true } })),
          options,
        );
      },
    });
  }

  listIndexes(): ModelCursor<Doc> {
    return new ModelCursor(() => {
      const data = this.data();
      if (!data) throw new ModelError(`ns does not exist: ${this.name}`, 26);
      return data.indexes.map((i) => (i.weights ? { ...i, key: { _fts: 'text', _ftsx: 1 } } : { ...i }));
    });
  }

  async createIndexes(specs: readonly IndexSpec[]): Promise<void> {
    const data = this.data(undefined, true)!;
    for (const spec of specs) {
      const existing = data.indexes.find((i) => i.name === spec.name);
      if (existing && JSON.stringify(existing) !== JSON.stringify(spec)) throw new ModelError(`index ${spec.name} exists with other options`, 85);
      if (spec.weights && data.indexes.some((i) => i.weights && i.name !== spec.name)) throw new ModelError('only one text index', 85);
      if (!existing) data.indexes.push({ ...spec });
    }
  }

  async createIndex(key: Record<string, unknown>, options: { name: string }): Promise<void> {
    await this.createIndexes([{ key, name: options.name }]);
  }

  async dropIndex(name: string): Promise<void> {
    const data = this.data();
    if (!data) throw new ModelError(`ns not found ${this.name}`, 26);
    if (!data.indexes.some((i) => i.name === name)) throw new ModelError(`index not found with name [${name}]`, 27);
    data.indexes = data.indexes.filter((i) => i.name !== name);
  }
}

/** Rough textScore: per indexed path, weight x (0.5 + 0.5 x matches / words) for each term found. */
function textScore(document: Doc, weights: Record<string, number>, terms: readonly string[]): number {
  let score = 0;
  for (const [path, weight] of Object.entries(weights)) {
    const value = valueAt(document, path);
    const strings = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    for (const text of strings) {
      const words = wordsOf(text).map((w) => w.key);
      for (const term of terms) {
        const count = words.filter((w) => w === term).length;
        if (count > 0) score += weight * (0.5 + (0.5 * count) / words.length);
      }
    }
  }
  return score;
}

class ModelDb {
  constructor(private readonly client: ModelMongoClient) {}

  collection(name: string): ModelCollection {
    return new ModelCollection(this.client, name);
  }

  listCollections(): ModelCursor<{ name: string }> {
    return new ModelCursor(() => [...this.client.state.keys()].map((name) => ({ name })));
  }

  /** `hello`: a replica set member (transactions run). */
  async command(command: Doc): Promise<Doc> {
    if (!('hello' in command)) throw new Error(`The model does not run ${Object.keys(command)[0]}`);
    return { isWritablePrimary: true, setName: 'model' };
  }

  async createCollection(name: string): Promise<void> {
    if (this.client.state.has(name)) throw new ModelError(`Collection ${name} already exists`, 48);
    this.client.state.set(name, { docs: new Map(), indexes: [{ name: '_id_', key: { _id: 1 } }] });
  }

  async dropCollection(name: string): Promise<boolean> {
    if (!this.client.state.has(name)) throw new ModelError('ns not found', 26);
    this.client.state.delete(name);
    return true;
  }
}

export class ModelMongoClient {
  state: State = new Map();
  closed = false;

  db(): ModelDb {
    return new ModelDb(this);
  }

  startSession(): ModelSession {
    return new ModelSession(this);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Typed as the driver's client, for the store's `client` option. */
  asClient(): MongoClient {
    return this as unknown as MongoClient;
  }
}

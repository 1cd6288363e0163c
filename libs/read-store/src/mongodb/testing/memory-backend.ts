import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { StoredDocument, WriterBackend } from '../mongo-document-writer';
import { CounterRowDocument, Row } from '../names';

/**
 * A WriterBackend over plain maps, applying the bulk operations the writer sends as MongoDB would (replace,
 * delete, $inc / $setOnInsert / $set / $addToSet with upsert). For unit tests of the writer: what it reads and
 * writes, and when; not of MongoDB.
 */
export class MemoryBackend implements WriterBackend {
  readonly collections = new Map<string, Map<string, Record<string, unknown>>>();
  /** Every call, in order: for asserting when the writer talks to the server. */
  readonly calls: string[] = [];

  collection(name: string): Map<string, Record<string, unknown>> {
    let collection = this.collections.get(name);
    if (!collection) this.collections.set(name, (collection = new Map()));
    return collection;
  }

  documents(name: string): Record<string, unknown>[] {
    return [...this.collection(name).values()];
  }

  async findDocuments(collection: string, ids: readonly string[]): Promise<StoredDocument[]> {
    this.calls.push(`find ${collection} ${ids.join(',')}`);
    return ids.flatMap((id) => {
      const found = this.collection(collection).get(JSON.stringify(id));
      return found ? [structuredClone(found) as unknown as StoredDocument] : [];
    });
  }

  async bulkWrite(collection: string, operations: AnyBulkWriteOperation<Row>[] | AnyBulkWriteOperation<CounterRowDocument>[]): Promise<void> {
    this.calls.push(`write ${collection} ${operations.length}`);
    const target = this.collection(collection);
    for (const operation of operations as AnyBulkWriteOperation<Document>[]) {
      if ('replaceOne' in operation) {
        target.set(JSON.stringify(operation.replaceOne.filter._id), structuredClone(operation.replaceOne.replacement));
      } else if ('deleteOne' in operation) {
        target.delete(JSON.stringify(operation.deleteOne.filter._id));
      } else if ('updateOne' in operation) {
        const { filter, update, upsert } = operation.updateOne as { filter: Document; update: Document; upsert?: boolean };
        const key = JSON.stringify(filter._id);
        const found = target.get(key);
        if (!found && !upsert) continue;
        const document: Record<string, unknown> = found ?? { _id: filter._id, ...(update.$setOnInsert ?? {}) };
        for (const [field, by] of Object.entries((update.$inc ?? {}) as Record<string, number>)) document[field] = ((document[field] as number) ?? 0) + by;
        for (const [field, value] of Object.entries((update.$set ?? {}) as Record<string, unknown>)) document[field] = value;
        for (const [field, { $each }] of Object.entries((update.$addToSet ?? {}) as Record<string, { $each: unknown[] }>)) {
          const set = new Set([...((document[field] as unknown[]) ?? []), ...$each]);
          document[field] = [...set];
        }
        target.set(key, document);
      } else {
        throw new Error(`MemoryBackend does not apply ${Object.keys(operation)[0]}`);
      }
    }
  }

  async readCheckpoints(names: readonly string[]): Promise<Map<string, bigint>> {
    this.calls.push(`checkpoints ${names.join(',')}`);
    const found = new Map<string, bigint>();
    for (const name of names) {
      const stored = this.collection('read_store.checkpoints').get(JSON.stringify(name));
      if (stored) found.set(name, BigInt((stored.position as { toString(): string }).toString()));
    }
    return found;
  }
}

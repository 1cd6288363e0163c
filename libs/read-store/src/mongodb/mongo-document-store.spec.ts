import { afterAll, describe, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { describeDocumentStoreContract } from '../contract/document-store.contract';
import { MongoDocumentStore } from './mongo-document-store';

/**
 * The port's contract against a real MongoDB replica set (transactions need one), e.g.
 *   MONGODB_URL='mongodb://localhost:27017/?replicaSet=rs0' npx jest libs/read-store/src/mongodb
 * The server may hold other data: the suite works in its own database (MONGODB_DATABASE, or a fresh one dropped
 * at the end) under fresh collection and checkpoint names.
 * Without MONGODB_URL the suite is reported as one skipped test saying so: nothing here fakes a server.
 */
const url = process.env.MONGODB_URL;

if (url) {
  const database = process.env.MONGODB_DATABASE ?? `read_store_contract_${randomUUID().slice(0, 8)}`;
  describeDocumentStoreContract('MongoDocumentStore', async () => {
    const store = new MongoDocumentStore({ url, database });
    return { store, dispose: () => store.close() };
  });
  afterAll(async () => {
    if (process.env.MONGODB_DATABASE) return;
    const { MongoClient } = await import('mongodb');
    const client = new MongoClient(url);
    try {
      await client.db(database).dropDatabase();
    } finally {
      await client.close();
    }
  });
} else {
  // Jest's console output lists no test of a file whose tests are all skipped (reporters such as --json do);
  // this line says why in the run's output too.
  process.stderr.write('MongoDB contract suite SKIPPED: MONGODB_URL is not set (no replica set to run it against)\n');
  describe('DocumentStore contract: MongoDocumentStore', () => {
    it.skip('SKIPPED: no MongoDB server (set MONGODB_URL, e.g. mongodb://localhost:27017/?replicaSet=rs0, to run the contract suite)', () => undefined);
  });
}

import { describeDocumentStoreContract } from '../contract/document-store.contract';
import { MongoDocumentStore } from './mongo-document-store';
import { ModelMongoClient } from './testing/memory-mongo';

/**
 * The contract's scenarios run through the store's own logic over an in-memory MODEL of MongoDB
 * (testing/memory-mongo.ts): definitions, DDL order, transactions, write sequencing, bulk loads, cursors, counters.
 * This is NOT the contract run against MongoDB and proves nothing about MongoDB itself: that is
 * mongo-document-store.spec.ts, with MONGODB_URL.
 */
describeDocumentStoreContract('MongoDocumentStore over an in-memory MODEL of MongoDB (not a server; see mongo-document-store.spec.ts)', async () => {
  const client = new ModelMongoClient();
  const store = new MongoDocumentStore({ client: client.asClient(), database: 'model' });
  return { store, dispose: () => store.close() };
});

export * from './document-store.port';
export { SqliteDocumentStore, MAX_PAGE, MAX_SCAN } from './sqlite/sqlite-document-store';
export type { SqliteDocumentStoreOptions } from './sqlite/sqlite-document-store';
export type { SqliteSynchronous } from './sqlite/read-store-database';
// The contract suite (./contract/document-store.contract) is not exported here: it imports jest, which
// production code must not load. Adapter specs import it by path.
export * from './runner';
// MongoDB: importing these loads nothing of the `mongodb` driver; it is required when a MongoDocumentStore is
// constructed.
export { MongoDocumentStore, MONGO_MAX_PAGE, MONGO_MAX_SCAN } from './mongodb/mongo-document-store';
export type { MongoDocumentStoreOptions, MongoWriteBatch, CheckpointFencing } from './mongodb/mongo-document-store';

export * from './event-store.port';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export type { GroupCommitStats } from './sqlite/group-commit';
// The contract suite (./contract/event-store.contract) is not exported here: it imports jest, which
// production code must not load. Adapter specs import it by path.
// KurrentDB: importing these loads nothing of @kurrent/kurrentdb-client (nor its native bridge); the client is
// required when a KurrentDbEventStore is constructed.
export { KurrentDbEventStore } from './kurrentdb/kurrentdb-event-store';
export type { KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
export type { EventIdUniqueness } from './kurrentdb/kurrentdb-writer';
export type { ResubscribePolicy } from './kurrentdb/backoff';
export type { ResubscribeInfo } from './kurrentdb/kurrentdb-subscription';
export { UnsupportedServerError } from './kurrentdb/errors';

export * from './event-store.port';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export type { GroupCommitStats } from './sqlite/group-commit';
// The contract suite (./contract/event-store.contract) is not exported here: it imports jest, which
// production code must not load. Adapter specs import it by path.

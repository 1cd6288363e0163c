export * from './checkpoints';
export * from './event-store.context';
export * from './event-store.transport';

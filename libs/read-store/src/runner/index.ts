export * from './batch-applier';
export * from './bulk-applier';
export * from './projection-registry';
export * from './projection-runner';
export * from './projection-rebuilder';
export * from './projection-verifier';
export * from './projected-event';
export * from './checkpoint-progress';

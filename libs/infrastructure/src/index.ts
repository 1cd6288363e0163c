export * from './config';
export * from './infrastructure.module';
export * from './stores';
export * from './launch';

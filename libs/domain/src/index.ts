export * from './shared/message';
export * from './shared/errors';
export * from './shared/decider';
export * from './catalog/catalog';
export * from './request/request.events';
export * from './request/request.commands';
export * from './request/request.state';

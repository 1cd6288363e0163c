export * from './http.module';
export * from './setup';
export * from './errors/problem';
export * from './errors/problem.filter';

export * from './http.module';
export * from './setup';
export * from './errors/problem';
export * from './errors/problem.filter';
export * from './create-http-app';
export * from './health/health.controller';

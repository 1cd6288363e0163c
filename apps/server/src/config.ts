import { resolve } from 'node:path';

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStore: 'sqlite';
  /** fsync on every commit (FULL) unless someone knowingly trades durability for speed (NORMAL). */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  readonly bodyLimitBytes: number;
  readonly bootstrapAdminToken: string | undefined;
  readonly logFormat: 'json' | 'text';
}

export class ConfigError extends Error {}

const integer = (name: string, value: string | undefined, fallback: number, min: number, max: number): number => {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  return parsed;
};

const oneOf = <T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T => {
  if (value === undefined || value === '') return fallback;
  if (!allowed.includes(value as T)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
};

/** Configuration comes from the environment, is checked once at start-up, and fails with the reason. */
export const loadConfig = (env: NodeJS.ProcessEnv): ServerConfig => {
  const token = env['BOOTSTRAP_ADMIN_TOKEN'];
  if (token !== undefined && token !== '' && token.length < 24) throw new ConfigError('BOOTSTRAP_ADMIN_TOKEN must be at least 24 characters');
  return {
    port: integer('PORT', env['PORT'], 3000, 0, 65535),
    host: env['HOST'] || '127.0.0.1',
    dataDir: resolve(env['DATA_DIR'] || './data'),
    eventStore: oneOf('EVENT_STORE', env['EVENT_STORE'], ['sqlite'] as const, 'sqlite'),
    sqliteSynchronous: oneOf('SQLITE_SYNCHRONOUS', env['SQLITE_SYNCHRONOUS'], ['FULL', 'NORMAL'] as const, 'FULL'),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', env['BODY_LIMIT_BYTES'], 1024 * 1024, 1024, 64 * 1024 * 1024),
    bootstrapAdminToken: token || undefined,
    logFormat: oneOf('LOG_FORMAT', env['LOG_FORMAT'], ['json', 'text'] as const, 'json'),
  };
};

import { resolve } from 'node:path';

/** Where events live: the embedded SQLite file, or a KurrentDB / EventStoreDB server. */
export type EventStoreConfig = { readonly kind: 'sqlite' } | { readonly kind: 'kurrentdb'; readonly url: string };
/** Where read models live: the embedded SQLite file, or a MongoDB replica set. */
export type ReadStoreConfig = { readonly kind: 'sqlite' } | { readonly kind: 'mongodb'; readonly url: string; readonly database: string };

export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly eventStore: EventStoreConfig;
  readonly readStore: ReadStoreConfig;
  /** How long a start-up waits for the stores to answer before it gives up with the reason. */
  readonly connectTimeoutMs: number;
  /** fsync on every commit (FULL) unless someone knowingly trades durability for speed (NORMAL). */
  readonly sqliteSynchronous: 'FULL' | 'NORMAL';
  readonly bodyLimitBytes: number;
  readonly bootstrapAdminToken: string | undefined;
  readonly logFormat: 'json' | 'text';
  /** The embedded server's projector on a worker thread of its own (true) or on the API's thread. */
  readonly projectorThread: boolean;
  readonly mail: MailServerConfig;
}

/** The mail channel (README, Email). SMTP_PASSWORD and SECRETS_KEY are secrets: never logged, never returned. */
export interface MailServerConfig {
  readonly enabled: boolean;
  readonly smtp: { host: string; port: number; tls: 'implicit' | 'starttls' | 'none'; user: string | null; password: string | null } | null;
  readonly outboxDir: string;
  readonly defaultFrom: string;
  readonly maxMessageBytes: number;
  readonly maxAttachmentBytes: number;
  readonly autoReplyLimit: number;
  readonly autoReplyWindowMinutes: number;
  readonly autoReplyMaxAgeHours: number;
  readonly sendMaxAttempts: number;
  readonly sendBackoffSeconds: number;
  readonly sendMaxBackoffSeconds: number;
  readonly secretsKey: string | undefined;
  readonly allowInvalidCertificates: boolean;
  /** Where raw messages and attachments go: one SQLite file (group commit) or one fsync'd file each. */
  readonly blobStore: 'sqlite' | 'files';
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

const flag = (name: string, value: string | undefined, fallback: boolean): boolean => {
  if (value === undefined || value === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
};

const MIB = 1024 * 1024;

const loadMailConfig = (env: NodeJS.ProcessEnv, dataDir: string): MailServerConfig => {
  const host = env['SMTP_HOST'];
  const port = integer('SMTP_PORT', env['SMTP_PORT'], 587, 1, 65535);
  const key = env['SECRETS_KEY'];
  if (key !== undefined && key !== '' && !/^[0-9a-f]{64}$/i.test(key) && Buffer.from(key, 'base64').length !== 32) {
    throw new ConfigError('SECRETS_KEY must be 32 bytes, as 64 hex digits or base64');
  }
  const from = env['MAIL_FROM'] || 'helpdesk@localhost.localdomain';
  if (!/^[^@\s]+@[^@\s]+$/.test(from)) throw new ConfigError(`MAIL_FROM must be an email address, got "${from}"`);
  return {
    enabled: flag('MAIL_ENABLED', env['MAIL_ENABLED'], true),
    smtp: host
      ? {
          host,
          port,
          tls: oneOf('SMTP_TLS', env['SMTP_TLS'], ['implicit', 'starttls', 'none'] as const, port === 465 ? 'implicit' : 'starttls'),
          user: env['SMTP_USER'] || null,
          password: env['SMTP_PASSWORD'] || null,
        }
      : null,
    outboxDir: resolve(env['MAIL_OUTBOX_DIR'] || resolve(dataDir, 'outbox')),
    defaultFrom: from.toLowerCase(),
    maxMessageBytes: integer('MAIL_MAX_MESSAGE_BYTES', env['MAIL_MAX_MESSAGE_BYTES'], 25 * MIB, 1024, 1024 * MIB),
    maxAttachmentBytes: integer('MAIL_MAX_ATTACHMENT_BYTES', env['MAIL_MAX_ATTACHMENT_BYTES'], 10 * MIB, 1024, 1024 * MIB),
    autoReplyLimit: integer('MAIL_AUTO_REPLY_LIMIT', env['MAIL_AUTO_REPLY_LIMIT'], 5, 0, 1000),
    autoReplyWindowMinutes: integer('MAIL_AUTO_REPLY_WINDOW_MINUTES', env['MAIL_AUTO_REPLY_WINDOW_MINUTES'], 60, 1, 7 * 24 * 60),
    autoReplyMaxAgeHours: integer('MAIL_AUTO_REPLY_MAX_AGE_HOURS', env['MAIL_AUTO_REPLY_MAX_AGE_HOURS'], 24, 1, 24 * 365),
    sendMaxAttempts: integer('MAIL_SEND_MAX_ATTEMPTS', env['MAIL_SEND_MAX_ATTEMPTS'], 8, 1, 100),
    sendBackoffSeconds: integer('MAIL_SEND_BACKOFF_SECONDS', env['MAIL_SEND_BACKOFF_SECONDS'], 30, 1, 86_400),
    sendMaxBackoffSeconds: integer('MAIL_SEND_MAX_BACKOFF_SECONDS', env['MAIL_SEND_MAX_BACKOFF_SECONDS'], 3600, 1, 7 * 86_400),
    secretsKey: key || undefined,
    allowInvalidCertificates: flag('MAIL_TLS_ALLOW_INVALID', env['MAIL_TLS_ALLOW_INVALID'], false),
    blobStore: oneOf('MAIL_BLOB_STORE', env['MAIL_BLOB_STORE'], ['sqlite', 'files'] as const, 'sqlite'),
  };
};

const KURRENT_SCHEMES = ['kurrentdb', 'kurrent', 'kdb', 'esdb', 'kurrentdb+discover', 'kurrent+discover', 'kdb+discover', 'esdb+discover'];

/** A connection string that parses and names the right kind of server, or a ConfigError saying why not. */
const connectionString = (name: string, value: string | undefined, schemes: readonly string[], example: string): string => {
  if (value === undefined || value === '') throw new ConfigError(`${name} is required (e.g. ${example})`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: "${value}" (e.g. ${example})`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) throw new ConfigError(`${name} must start with ${schemes.map((s) => `${s}://`).join(' or ')}, got "${scheme}://" (e.g. ${example})`);
  if (!url.host) throw new ConfigError(`${name} names no host: "${value}" (e.g. ${example})`);
  return value;
};

const eventStoreConfig = (env: NodeJS.ProcessEnv): EventStoreConfig => {
  const kind = oneOf('EVENT_STORE', env['EVENT_STORE'], ['sqlite', 'kurrentdb'] as const, 'sqlite');
  if (kind === 'sqlite') return { kind };
  return { kind, url: connectionString('KURRENTDB_URL', env['KURRENTDB_URL'], KURRENT_SCHEMES, 'kurrentdb://localhost:2113?tls=false') };
};

const readStoreConfig = (env: NodeJS.ProcessEnv): ReadStoreConfig => {
  const kind = oneOf('READ_STORE', env['READ_STORE'], ['sqlite', 'mongodb'] as const, 'sqlite');
  if (kind === 'sqlite') return { kind };
  const url = connectionString('MONGODB_URL', env['MONGODB_URL'], ['mongodb', 'mongodb+srv'], 'mongodb://localhost:27017/?replicaSet=rs0');
  const database = env['MONGODB_DATABASE'] || 'helpdesk';
  if (!/^[A-Za-z0-9_-]{1,63}$/.test(database)) throw new ConfigError(`MONGODB_DATABASE must be 1-63 letters, digits, _ or -, got "${database}"`);
  return { kind, url, database };
};

/**
 * The body limits of a process that serves the API: JSON bodies up to BODY_LIMIT_BYTES, and a raw mail
 * (POST /api/mail/inbound) up to the largest mail taken in, with room for the headers an MTA adds.
 */
export const apiBodyLimits = (config: ServerConfig) => ({
  bodyLimitBytes: config.bodyLimitBytes,
  rawMessageLimitBytes: config.mail.maxMessageBytes + 64 * 1024,
});

/** Configuration comes from the environment, is checked once at start-up, and fails with the reason. */
export const loadConfig = (env: NodeJS.ProcessEnv): ServerConfig => {
  const token = env['BOOTSTRAP_ADMIN_TOKEN'];
  if (token !== undefined && token !== '' && token.length < 24) throw new ConfigError('BOOTSTRAP_ADMIN_TOKEN must be at least 24 characters');
  const dataDir = resolve(env['DATA_DIR'] || './data');
  return {
    port: integer('PORT', env['PORT'], 3000, 0, 65535),
    host: env['HOST'] || '127.0.0.1',
    dataDir,
    eventStore: eventStoreConfig(env),
    readStore: readStoreConfig(env),
    connectTimeoutMs: integer('CONNECT_TIMEOUT_MS', env['CONNECT_TIMEOUT_MS'], 10_000, 100, 300_000),
    sqliteSynchronous: oneOf('SQLITE_SYNCHRONOUS', env['SQLITE_SYNCHRONOUS'], ['FULL', 'NORMAL'] as const, 'FULL'),
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', env['BODY_LIMIT_BYTES'], 1024 * 1024, 1024, 64 * 1024 * 1024),
    bootstrapAdminToken: token || undefined,
    logFormat: oneOf('LOG_FORMAT', env['LOG_FORMAT'], ['json', 'text'] as const, 'json'),
    projectorThread: flag('PROJECTOR_THREAD', env['PROJECTOR_THREAD'], true),
    mail: loadMailConfig(env, dataDir),
  };
};

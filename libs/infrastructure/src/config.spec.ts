import { ConfigError, loadConfig } from './config';
import { redact } from './stores';

const load = (env: Record<string, string>) => loadConfig(env);
const refused = (env: Record<string, string>) => {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('configuration from the environment', () => {
  it('defaults to the embedded SQLite stores on port 3000', () => {
    const config = load({});
    expect(config.eventStore).toEqual({ kind: 'sqlite' });
    expect(config.readStore).toEqual({ kind: 'sqlite' });
    expect(config.port).toBe(3000);
    expect(config.sqliteSynchronous).toBe('FULL');
    expect(config.projectorThread).toBe(true);
  });

  it('runs the embedded projector on the API thread when asked; refuses a value that is not a yes or a no', () => {
    expect(load({ PROJECTOR_THREAD: 'false' }).projectorThread).toBe(false);
    expect(refused({ PROJECTOR_THREAD: 'sometimes' })).toContain('PROJECTOR_THREAD must be true or false');
  });

  it.each(['kurrentdb://localhost:2113?tls=false', 'kurrentdb+discover://a,b,c:2113', 'esdb://es:2113?tls=false', 'kdb://h:1'])('accepts the KurrentDB connection string %s', (url) => {
    expect(load({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: url }).eventStore).toEqual({ kind: 'kurrentdb', url });
  });

  it('refuses a KurrentDB store without a URL, with a wrong scheme, or unparseable', () => {
    expect(refused({ EVENT_STORE: 'kurrentdb' })).toContain('KURRENTDB_URL is required');
    expect(refused({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'http://es:2113' })).toContain('must start with kurrentdb://');
    expect(refused({ EVENT_STORE: 'kurrentdb', KURRENTDB_URL: 'not a url' })).toContain('not a valid URL');
  });

  it('accepts MongoDB with a database name (default helpdesk)', () => {
    expect(load({ READ_STORE: 'mongodb', MONGODB_URL: 'mongodb://m:27017/?replicaSet=rs0' }).readStore).toEqual({
      kind: 'mongodb',
      url: 'mongodb://m:27017/?replicaSet=rs0',
      database: 'helpdesk',
    });
    expect(load({ READ_STORE: 'mongodb', MONGODB_URL: 'mongodb+srv://cluster.example.net', MONGODB_DATABASE: 'desk_2' }).readStore).toMatchObject({ database: 'desk_2' });
  });

  it('refuses MongoDB without a URL, with a wrong scheme, or a bad database name', () => {
    expect(refused({ READ_STORE: 'mongodb' })).toContain('MONGODB_URL is required');
    expect(refused({ READ_STORE: 'mongodb', MONGODB_URL: 'postgres://x' })).toContain('must start with mongodb://');
    expect(refused({ READ_STORE: 'mongodb', MONGODB_URL: 'mongodb://m', MONGODB_DATABASE: 'a/b' })).toContain('MONGODB_DATABASE');
  });

  it('refuses unknown store kinds and out-of-range numbers, naming the variable', () => {
    expect(refused({ EVENT_STORE: 'postgres' })).toContain('EVENT_STORE must be one of sqlite, kurrentdb');
    expect(refused({ READ_STORE: 'redis' })).toContain('READ_STORE must be one of sqlite, mongodb');
    expect(refused({ PORT: '70000' })).toContain('PORT');
    expect(refused({ CONNECT_TIMEOUT_MS: '5' })).toContain('CONNECT_TIMEOUT_MS');
    expect(refused({ BOOTSTRAP_ADMIN_TOKEN: 'short' })).toContain('at least 24 characters');
  });

  it('shows connection strings without their credentials', () => {
    expect(redact('mongodb://user:pass@m:27017/?replicaSet=rs0')).toBe('mongodb://***@m:27017/?replicaSet=rs0');
    expect(redact('kurrentdb://admin:changeit@es:2113')).toBe('kurrentdb://***@es:2113');
    expect(redact('kurrentdb://es:2113?tls=false')).toBe('kurrentdb://es:2113?tls=false');
  });
});

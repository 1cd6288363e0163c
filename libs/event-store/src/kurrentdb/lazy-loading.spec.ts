import { describe, expect, it, jest } from '@jest/globals';

/**
 * `@helpdesk/event-store` must be importable where there is no KurrentDB (SQLite mode, tests): importing it
 * must not load `@kurrent/kurrentdb-client`, whose entry point loads the native `@kurrent/bridge` addon.
 * Each test gets a fresh module registry in which those two modules are replaced by recorders.
 */
describe('lazy loading of the KurrentDB client', () => {
  function freshRegistry() {
    const loaded: string[] = [];
    const dispose = jest.fn(async () => undefined);
    const connectionString = jest.fn((_connectionString: string) => ({ dispose }));
    jest.doMock('@kurrent/kurrentdb-client', () => {
      loaded.push('@kurrent/kurrentdb-client');
      return { KurrentDBClient: { connectionString } };
    });
    jest.doMock('@kurrent/bridge', () => {
      loaded.push('@kurrent/bridge');
      return {};
    });
    return { loaded, connectionString, dispose };
  }

  it('importing the package index loads neither the client nor the native bridge', () => {
    jest.isolateModules(() => {
      const { loaded } = freshRegistry();
      const index = require('../index') as typeof import('../index');
      expect(typeof index.KurrentDbEventStore).toBe('function');
      expect(typeof index.UnsupportedServerError).toBe('function');
      expect(loaded).toEqual([]);
    });
  });

  it('constructing a KurrentDbEventStore loads the client and connects with the connection string', async () => {
    let closed: Promise<void> | undefined;
    jest.isolateModules(() => {
      const { loaded, connectionString, dispose } = freshRegistry();
      const { KurrentDbEventStore } = require('../index') as typeof import('../index');
      const store = new KurrentDbEventStore('kurrentdb://localhost:2113?tls=false');
      expect(loaded).toEqual(['@kurrent/kurrentdb-client']);
      expect(connectionString).toHaveBeenCalledWith('kurrentdb://localhost:2113?tls=false');
      closed = store.close().then(() => expect(dispose).toHaveBeenCalledTimes(1));
    });
    await closed;
  });

  it('a store given a client (tests) never loads the client package', () => {
    jest.isolateModules(() => {
      const { loaded } = freshRegistry();
      const { KurrentDbEventStore } = require('../index') as typeof import('../index');
      new KurrentDbEventStore({ connectionString: 'unused', client: {} as never });
      expect(loaded).toEqual([]);
    });
  });
});

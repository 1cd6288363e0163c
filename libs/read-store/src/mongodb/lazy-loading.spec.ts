import { describe, expect, it, jest } from '@jest/globals';

/**
 * `@helpdesk/read-store` must be importable where there is no MongoDB (SQLite mode, tests): importing it must not
 * load the `mongodb` driver. Each test gets a fresh module registry in which the driver is replaced by a recorder.
 */
describe('lazy loading of the MongoDB driver', () => {
  function freshRegistry() {
    const loaded: string[] = [];
    const close = jest.fn(async () => undefined);
    const db = jest.fn((_name: string, _options?: unknown) => ({}));
    const MongoClient = jest.fn(function (this: Record<string, unknown>, _url: string, _options?: unknown) {
      this.db = db;
      this.close = close;
    });
    jest.doMock('mongodb', () => {
      loaded.push('mongodb');
      return { MongoClient, Long: {} };
    });
    return { loaded, MongoClient, db, close };
  }

  it('importing the package index does not load the driver', () => {
    jest.isolateModules(() => {
      const { loaded } = freshRegistry();
      const index = require('../index') as typeof import('../index');
      expect(typeof index.MongoDocumentStore).toBe('function');
      expect(typeof index.CheckpointConflictError).toBe('function');
      expect(loaded).toEqual([]);
    });
  });

  it('constructing a MongoDocumentStore loads the driver, makes a client (not connected yet), and close() closes it', async () => {
    let closed: Promise<void> | undefined;
    jest.isolateModules(() => {
      const { loaded, MongoClient, db, close } = freshRegistry();
      const { MongoDocumentStore } = require('../index') as typeof import('../index');
      const store = new MongoDocumentStore('mongodb://localhost:27017/?replicaSet=rs0', 'helpdesk');
      expect(loaded).toEqual(['mongodb']);
      expect(MongoClient).toHaveBeenCalledWith('mongodb://localhost:27017/?replicaSet=rs0', undefined);
      expect(db).toHaveBeenCalledWith('helpdesk', { writeConcern: { w: 'majority' } });
      closed = store.close().then(() => expect(close).toHaveBeenCalledTimes(1));
    });
    await closed;
  });
});

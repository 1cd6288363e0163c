import { afterEach, beforeEach, describe } from '@jest/globals';
import { DocumentStore } from '../document-store.port';
import { bulkLoadContract } from './bulk-load.contract';
import { countContract } from './count.contract';
import { countersContract } from './counters.contract';
import { documentsContract } from './documents.contract';
import { findContract } from './find.contract';
import { searchContract } from './search.contract';
import { transactionContract } from './transaction.contract';
import { writeContract } from './write.contract';

export interface OpenedDocumentStore {
  readonly store: DocumentStore;
  /** Closes the store and removes whatever `open` created. */
  readonly dispose: () => Promise<void>;
}

/**
 * The behaviour every DocumentStore adapter must have, as one jest suite. It tests the port only: `open` may
 * give a fresh store per test (SQLite) or a connection to a shared server that already holds data
 * (MongoDB); each test makes its own collections and checkpoints under fresh names, and never assumes the
 * store is empty or that nobody else writes to it.
 *
 * Jest is imported here, so production code must not import this file: adapter specs import it by path.
 */
export function describeDocumentStoreContract(name: string, open: () => Promise<OpenedDocumentStore>): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let opened: OpenedDocumentStore | undefined;
    const store = (): DocumentStore => {
      if (!opened) throw new Error('The store is not open');
      return opened.store;
    };

    beforeEach(async () => {
      opened = await open();
    });
    afterEach(async () => {
      await opened?.dispose();
      opened = undefined;
    });

    describe('documents and collections', () => documentsContract(store));
    describe('find', () => findContract(store));
    describe('count', () => countContract(store));
    describe('counters', () => countersContract(store));
    describe('bulk load', () => bulkLoadContract(store));
    describe('text search', () => searchContract(store));
    describe('transactions and checkpoints', () => transactionContract(store));
    describe('write', () => writeContract(store));
  });
}

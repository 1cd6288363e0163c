import { afterEach, beforeEach, describe } from '@jest/globals';
import { EventStore } from '../event-store.port';
import { appendManyContract } from './append-many.contract';
import { appendContract } from './append.contract';
import { concurrencyContract } from './concurrency.contract';
import { expectedRevisionContract } from './expected-revision.contract';
import { idempotencyContract } from './idempotency.contract';
import { readContract } from './read.contract';
import { subscribeContract } from './subscribe.contract';

export interface OpenedEventStore {
  readonly store: EventStore;
  /** Closes the store and removes whatever `open` created. */
  readonly dispose: () => Promise<void>;
}

/**
 * The behaviour every EventStore adapter must have, as one jest suite. It tests the port only: `open` may
 * give a fresh store per test (SQLite) or a connection to a shared server that already holds data
 * (KurrentDB); each test uses its own streams, categories and event types, and never assumes the log is
 * empty or that nobody else writes to it.
 *
 * Jest is imported here, so production code must not import this file: adapter specs import it by path.
 */
export function describeEventStoreContract(name: string, open: () => Promise<OpenedEventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let opened: OpenedEventStore | undefined;
    const store = (): EventStore => {
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

    describe('append and readStream', () => appendContract(store));
    describe('expected revision', () => expectedRevisionContract(store));
    describe('reads', () => readContract(store));
    describe('idempotency by event id', () => idempotencyContract(store));
    describe('appendMany', () => appendManyContract(store));
    describe('concurrency', () => concurrencyContract(store));
    describe('subscribe', () => subscribeContract(store));
  });
}

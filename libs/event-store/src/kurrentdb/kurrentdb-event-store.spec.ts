import { describe, it } from '@jest/globals';
import { describeEventStoreContract } from '../contract/event-store.contract';
import { KurrentDbEventStore } from './kurrentdb-event-store';

/**
 * The port's contract against a real KurrentDB server, e.g.
 *   KURRENTDB_URL='kurrentdb://localhost:2113?tls=false' npx jest libs/event-store/src/kurrentdb
 * The server may hold other data and other writers: the suite uses fresh streams, categories and types.
 * Default options ('store' event-id uniqueness) need KurrentDB 25.1 or later.
 * Without KURRENTDB_URL the suite is reported as one skipped test saying so: nothing here fakes a server.
 */
const url = process.env.KURRENTDB_URL;

if (url) {
  describeEventStoreContract('KurrentDbEventStore', async () => {
    const store = new KurrentDbEventStore({ connectionString: url });
    return { store, dispose: () => store.close() };
  });
} else {
  // Jest's console output lists no test of a file whose tests are all skipped (reporters such as --json do);
  // this line says why in the run's output too.
  process.stderr.write('KurrentDB contract suite SKIPPED: KURRENTDB_URL is not set (no server to run it against)\n');
  describe('EventStore contract: KurrentDbEventStore', () => {
    it.skip('SKIPPED: no KurrentDB server (set KURRENTDB_URL, e.g. kurrentdb://localhost:2113?tls=false, to run the contract suite)', () => undefined);
  });
}

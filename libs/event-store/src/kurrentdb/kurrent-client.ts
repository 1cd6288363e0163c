import type * as Kurrent from '@kurrent/kurrentdb-client';

/**
 * The part of `@kurrent/kurrentdb-client` the adapter uses. Everything in this folder imports the client's
 * *types* only; its code (which loads the native `@kurrent/bridge` addon at require time) is loaded here, on
 * the first construction of a KurrentDbEventStore. So importing `@helpdesk/event-store` in SQLite mode, or in
 * a test, never touches the bridge.
 */
export type KurrentClientModule = typeof Kurrent;

export type KurrentClient = Pick<
  Kurrent.KurrentDBClient,
  'appendToStream' | 'multiStreamAppend' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

let loaded: KurrentClientModule | undefined;

export function loadKurrentClientModule(): KurrentClientModule {
  // A plain require on purpose: an `import` would be hoisted to module load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('@kurrent/kurrentdb-client') as KurrentClientModule;
  return loaded;
}

export function connectKurrentClient(connectionString: string): KurrentClient {
  return loadKurrentClientModule().KurrentDBClient.connectionString(connectionString);
}

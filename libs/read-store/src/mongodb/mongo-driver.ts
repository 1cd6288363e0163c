import type * as Mongo from 'mongodb';

/**
 * The `mongodb` driver, loaded on the first construction of a MongoDocumentStore. Every other file of this folder
 * imports the driver's *types* only, so importing `@helpdesk/read-store` (SQLite mode, tests) never loads it.
 */
export type MongoDriver = typeof Mongo;

let loaded: MongoDriver | undefined;

export function loadMongoDriver(): MongoDriver {
  // A plain require on purpose: an `import` would be hoisted to module load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loaded ??= require('mongodb') as MongoDriver;
  return loaded;
}

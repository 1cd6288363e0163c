/**
 * Operations on the read models, against the same DATA_DIR as the server (which may keep running):
 *
 *   npm run cli -- projections            list projections, their collections and checkpoints
 *   npm run cli -- rebuild <name…>|--all  rebuild into new collections while the old ones serve, then switch
 *   npm run cli -- verify [name…]         rebuild into a scratch store and report documents that differ
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { allProjections, type Projection } from '@helpdesk/projections';
import { ProjectionRebuilder, ProjectionRegistry, ProjectionVerifier, SqliteDocumentStore, type RebuildProgress } from '@helpdesk/read-store';
import { ConfigError, loadConfig, openDocumentStore, openEventStore, verifyStores } from '@helpdesk/infrastructure';
import { progressBar } from './progress-bar';

const usage = 'usage: cli (projections | rebuild <name…>|--all | verify [name…])';

const pick = (names: string[]): Projection[] => {
  if (names.length === 0 || names.includes('--all')) return [...allProjections];
  return names.map((name) => {
    const projection = allProjections.find((p) => p.name === name);
    if (!projection) throw new ConfigError(`No projection "${name}"; there are: ${allProjections.map((p) => p.name).join(', ')}`);
    return projection;
  });
};

const main = async (args: string[]): Promise<number> => {
  const [command, ...rest] = args;
  const config = loadConfig(process.env);
  // The stores the configuration names (SQLite under DATA_DIR, or KurrentDB / MongoDB).
  const events = openEventStore(config);
  const documents = openDocumentStore(config);
  try {
    await verifyStores(config, events, documents);
    switch (command) {
      case 'projections': {
        const registry = new ProjectionRegistry(documents);
        await registry.init();
        const head = await events.headPosition();
        for (const projection of allProjections) {
          const collection = await registry.activeCollection(projection);
          const checkpoint = await documents.checkpoint(collection);
          process.stdout.write(`${projection.name.padEnd(20)} v${projection.version}  ${collection.padEnd(32)} at ${checkpoint ?? '-'} of ${head ?? '-'}\n`);
        }
        return 0;
      }
      case 'rebuild': {
        if (rest.length === 0) throw new ConfigError('rebuild needs projection names or --all');
        const bar = progressBar(process.stderr);
        await new ProjectionRebuilder(events, documents).rebuild(pick(rest), { onProgress: (p: RebuildProgress) => bar.update(p) });
        bar.done();
        process.stdout.write('Rebuilt and switched.\n');
        return 0;
      }
      case 'verify': {
        const scratchDir = mkdtempSync(join(tmpdir(), 'helpdesk-verify-'));
        const scratch = new SqliteDocumentStore({ path: join(scratchDir, 'verify.sqlite'), synchronous: 'NORMAL' });
        try {
          const bar = progressBar(process.stderr);
          const reports = await new ProjectionVerifier(events, documents).verify(pick(rest), scratch, { onProgress: (p) => bar.update(p) });
          bar.done();
          let differences = 0;
          for (const report of reports) {
            differences += report.differences.length;
            process.stdout.write(
              `${report.projection.padEnd(20)} through ${report.through ?? '-'}: ${report.compared} compared, ${report.differences.length} different, ${report.movedOn} changed meanwhile\n`,
            );
            for (const difference of report.differences.slice(0, 20)) {
              process.stdout.write(`  ${difference.kind} ${difference.id}\n    live:    ${JSON.stringify(difference.live)}\n    rebuilt: ${JSON.stringify(difference.rebuilt)}\n`);
            }
          }
          process.stdout.write(differences === 0 ? 'No differences.\n' : `${differences} differences.\n`);
          return differences === 0 ? 0 : 2;
        } finally {
          await scratch.close();
          rmSync(scratchDir, { recursive: true, force: true });
        }
      }
      default:
        process.stderr.write(`${usage}\n`);
        return 64;
    }
  } finally {
    await documents.close();
    await events.close();
  }
};

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(error instanceof ConfigError ? 78 : 1);
  },
);

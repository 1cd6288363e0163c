import 'reflect-metadata';
import { announce, launch } from '@helpdesk/infrastructure';
import { startServer } from './server';

launch(async (config) => {
  const server = await startServer(config);
  // Shown once, on the first start, so that someone can log in; only its hash is stored.
  if (server.bootstrapAdminToken) {
    process.stdout.write(`\nBootstrap admin token (shown once, keep it safe): ${server.bootstrapAdminToken}\n\n`);
  }
  announce('Server', { url: server.url, dataDir: config.dataDir });
});

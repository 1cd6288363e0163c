import 'reflect-metadata';
import { ConfigError, loadConfig } from './config';
import { startServer } from './server';

const main = async () => {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const server = await startServer(config);
  // Shown once, on the first start, so that someone can log in; only its hash is stored.
  if (server.bootstrapAdminToken) {
    process.stdout.write(`\nBootstrap admin token (shown once, keep it safe): ${server.bootstrapAdminToken}\n\n`);
  }
  process.stdout.write(`${JSON.stringify({ level: 'log', context: 'Server', message: 'listening', url: server.url, dataDir: config.dataDir })}\n`);
};

main().catch((error) => {
  process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

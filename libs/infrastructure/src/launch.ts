import { ConfigError, loadConfig, type ServerConfig } from './config';
import { StoreUnreachable } from './stores';

/**
 * How every app starts: configuration from the environment, checked; then the app. A wrong setting
 * or an unreachable store ends the process at once with the reason and a distinct exit code (78:
 * configuration, 69: a store unavailable), never a hang.
 */
export const launch = (start: (config: ServerConfig) => Promise<void>): void => {
  let config: ServerConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  start(config).catch((error: unknown) => {
    if (error instanceof StoreUnreachable) {
      process.stderr.write(`Cannot start: ${error.message}\n`);
      process.exit(69);
    }
    process.stderr.write(`Fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
};

/** The line tests and operators wait for: this process is up, and where. */
export const announce = (what: string, details: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ level: 'log', context: what, message: 'listening', ...details })}\n`);
};

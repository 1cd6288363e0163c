import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';

export type AppName = 'server' | 'api' | 'projector' | 'mail-gateway';
const mainOf = (app: AppName) => resolve(__dirname, `../../dist/apps/${app}/src/main.js`);

export interface ServerProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly adminToken: string;
  readonly output: () => string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL: what a crash or power cut looks like to the process. */
  kill(): Promise<void>;
}

/**
 * Starts the real server (the built dist, as `npm start` runs it) on a free port with its own
 * temporary data directory. `npm test` builds before jest runs.
 */
export const startServerProcess = async (options: { dataDir?: string; env?: Record<string, string>; app?: AppName } = {}): Promise<ServerProcess> => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'helpdesk-http-'));
  const adminToken = options.env?.['BOOTSTRAP_ADMIN_TOKEN'] ?? `test_${randomBytes(24).toString('base64url')}`;
  const child = spawn(process.execPath, [mainOf(options.app ?? 'server')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: adminToken, LOG_FORMAT: 'json', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));

  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`Server did not start in 20 s:\n${output}`)), 20_000);
    const onData = () => {
      const match = /"message":"listening","url":"([^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolveUrl(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Server exited with ${code}:\n${output}`));
    });
  });

  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const cleanup = () => {
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    url,
    dataDir,
    adminToken,
    output: () => output,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      cleanup();
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
};

export type { ChildProcess };

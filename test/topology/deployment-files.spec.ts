import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@helpdesk/infrastructure';

/**
 * docker-compose.yml and the Dockerfile cannot be run here (no Docker engine), so they are checked
 * against what they must agree with: the apps that exist, the configuration the apps accept, the
 * build the Dockerfile runs, and the topology the architecture names.
 */
const root = resolve(__dirname, '../..');
// Compose resolves YAML merge keys (<<: *anchor), as YAML 1.1 defines them.
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }>; healthcheck?: { test: unknown }; volumes?: string[]; ports?: string[] }>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(resolve(root, 'Dockerfile'), 'utf8');
const packageJson = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { scripts: Record<string, string>; engines: { node: string } };
const apps = ['api', 'projector', 'mail-gateway'] as const;

/** Compose-style ${VAR:-default} / ${VAR:?message} with a test environment. */
const interpolate = (value: string, env: Record<string, string>) =>
  value.replace(/\$\{([A-Z_]+)(?::([-?])([^}]*))?\}/g, (_, name: string, kind?: string, rest?: string) => env[name] ?? (kind === '-' ? (rest ?? '') : ''));

describe('docker-compose.yml', () => {
  it('runs KurrentDB, a MongoDB replica set and the three apps', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'kurrentdb', 'mail-gateway', 'mongodb', 'projector']);
  });

  it('runs KurrentDB in insecure dev mode with projections off, with a volume and a health check', () => {
    const kurrent = compose.services['kurrentdb']!;
    expect(kurrent.image).toMatch(/^docker\.kurrent\.io\/kurrent-lts\/kurrentdb:/);
    expect(kurrent.environment).toMatchObject({ KURRENTDB_INSECURE: 'true', KURRENTDB_RUN_PROJECTIONS: 'None' });
    expect(kurrent.volumes?.[0]).toMatch(/^kurrentdb-data:/);
    expect(JSON.stringify(kurrent.healthcheck?.test)).toContain('/health/live');
  });

  it('runs MongoDB as a one-node replica set that initiates itself (transactions need one)', () => {
    const mongo = compose.services['mongodb']!;
    expect(mongo.command).toEqual(expect.arrayContaining(['--replSet', 'rs0']));
    expect(JSON.stringify(mongo.healthcheck?.test)).toContain("rs.initiate({ _id: 'rs0'");
    expect(mongo.volumes?.[0]).toMatch(/^mongodb-data:/);
  });

  it.each(apps)('%s is built from the Dockerfile and starts its own dist entry point, which the build produces', (app) => {
    const service = compose.services[app]!;
    expect(service.build).toBe('.');
    expect(service.command).toEqual(['node', `dist/apps/${app}/src/main.js`]);
    expect(existsSync(resolve(root, `apps/${app}/src/main.ts`))).toBe(true);
  });

  it.each(apps)('%s waits for healthy stores and has a health check on its own port', (app) => {
    const service = compose.services[app]!;
    expect(service.depends_on).toEqual({ kurrentdb: { condition: 'service_healthy' }, mongodb: { condition: 'service_healthy' } });
    expect(JSON.stringify(service.healthcheck?.test)).toContain('/health');
    expect(service.environment?.['PORT']).toMatch(/^\d+$/);
  });

  it.each(apps)("%s's environment is a configuration the apps accept, naming KurrentDB and MongoDB", (app) => {
    const env = Object.fromEntries(
      Object.entries(compose.services[app]!.environment ?? {}).map(([key, value]) => [key, interpolate(String(value), { BOOTSTRAP_ADMIN_TOKEN: 'a'.repeat(32) })]),
    );
    const config = loadConfig(env);
    expect(config.eventStore).toEqual({ kind: 'kurrentdb', url: 'kurrentdb://kurrentdb:2113?tls=false' });
    expect(config.readStore).toEqual({ kind: 'mongodb', url: 'mongodb://mongodb:27017/?replicaSet=rs0', database: 'helpdesk' });
    expect(config.dataDir).toBe('/data');
  });

  it('shares the mail data (raw messages, secrets, outbox) between the api and the mail gateway, and declares every volume', () => {
    expect(compose.services['api']!.volumes).toContain('mail-data:/data');
    expect(compose.services['mail-gateway']!.volumes).toContain('mail-data:/data');
    const used = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]));
    expect(Object.keys(compose.volumes).sort()).toEqual([...new Set(used)].sort());
  });

  it('requires the bootstrap admin token rather than inventing one', () => {
    expect(compose.services['api']!.environment?.['BOOTSTRAP_ADMIN_TOKEN']).toMatch(/^\$\{BOOTSTRAP_ADMIN_TOKEN:\?/);
  });
});

describe('Dockerfile', () => {
  it('builds on the Node major the project runs on', () => {
    const from = [...dockerfile.matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(from.length).toBe(2);
    expect(new Set(from)).toEqual(new Set([Number(/\d+/.exec(packageJson.engines.node)![0])]));
  });

  it('copies what the build needs, and only what exists', () => {
    const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
    for (const path of copied) expect(existsSync(resolve(root, path))).toBe(true);
    for (const needed of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'apps', 'libs', 'projections']) expect(copied).toContain(needed);
  });

  it('installs exactly what the lock file says and runs the build script the project defines', () => {
    expect(dockerfile).toMatch(/RUN npm ci\b/);
    expect(dockerfile).toMatch(/RUN npm run build\b/);
    expect(packageJson.scripts['build']).toMatch(/tsc -p tsconfig\.build\.json/);
  });

  it('gives the containers the same V8 flags as npm start', () => {
    const startFlags = /node ((?:--\S+ )*)dist\//.exec(packageJson.scripts['start']!)![1]!.trim();
    expect(startFlags).not.toBe('');
    expect(/^ENV NODE_OPTIONS=(.+)$/m.exec(dockerfile)?.[1]).toBe(startFlags);
  });

  it('runs as an unprivileged user, with /data as the volume the apps write to', () => {
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    expect(dockerfile).toMatch(/DATA_DIR=\/data/);
  });

  it('defaults to the embedded server entry point', () => {
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/apps\/server\/src\/main\.js"\]$/m);
  });
});

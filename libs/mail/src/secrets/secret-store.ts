import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { syncDirectory } from '../blobs/blob-store';

/**
 * Where IMAP and SMTP passwords live. Events only hold a reference (`secret:<id>`, or `env:<NAME>` for
 * a password the operator keeps in the server's environment): the log is permanent and auditors read it.
 */
export interface SecretStore {
  /** Stores a secret and returns its reference. */
  put(value: string): Promise<string>;
  /** The secret a reference names, or undefined. */
  resolve(ref: string): Promise<string | undefined>;
  delete(ref: string): Promise<void>;
}

export const SECRET_STORE = Symbol('SecretStore');

interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/**
 * A JSON file (mode 0600) of AES-256-GCM sealed values. The key comes from SECRETS_KEY (32 bytes, base64
 * or hex) or from a key file generated next to it with mode 0600 on the first start. Reading the data
 * directory alone does not reveal a password when the key is given through the environment.
 */
export class FileSecretStore implements SecretStore {
  private readonly key: Buffer;

  constructor(
    private readonly path: string,
    options: { key?: string; keyFile: string; env?: NodeJS.ProcessEnv },
  ) {
    this.key = options.key ? parseKey(options.key) : loadOrCreateKey(options.keyFile);
    this.env = options.env ?? process.env;
  }

  private readonly env: NodeJS.ProcessEnv;

  async put(value: string): Promise<string> {
    const id = randomUUID();
    const all = this.read();
    all[id] = this.seal(value);
    this.write(all);
    return `secret:${id}`;
  }

  async resolve(ref: string): Promise<string | undefined> {
    if (ref.startsWith('env:')) return this.env[ref.slice(4)];
    if (!ref.startsWith('secret:')) return undefined;
    const sealed = this.read()[ref.slice(7)];
    return sealed ? this.open(sealed) : undefined;
  }

  async delete(ref: string): Promise<void> {
    if (!ref.startsWith('secret:')) return;
    const all = this.read();
    if (!(ref.slice(7) in all)) return;
    delete all[ref.slice(7)];
    this.write(all);
  }

  private seal(value: string): Sealed {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  private open(sealed: Sealed): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
  }

  private read(): Record<string, Sealed> {
    return existsSync(this.path) ? (JSON.parse(readFileSync(this.path, 'utf8')) as Record<string, Sealed>) : {};
  }

  private write(all: Record<string, Sealed>): void {
    writePrivateFile(this.path, JSON.stringify(all, null, 1));
  }
}

const parseKey = (raw: string): Buffer => {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error('SECRETS_KEY must be 32 bytes, as 64 hex digits or base64');
  return key;
};

const loadOrCreateKey = (file: string): Buffer => {
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8').trim());
  const key = randomBytes(32);
  writePrivateFile(file, key.toString('hex'));
  return key;
};

/** Written whole or not at all, readable by the owner only. */
export const writePrivateFile = (path: string, content: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
  syncDirectory(dirname(path));
};

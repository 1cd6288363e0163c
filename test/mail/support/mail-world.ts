import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { openEventStore, waitFor } from '../../support/e2e-harness';
import { httpClient, type HttpClient } from '../../support/http-client';
import { startServerProcess, type ServerProcess } from '../../support/server-process';
import type { SqliteEventStore } from '@helpdesk/event-store';
import { MAIL_PASSWORD, startDovecot, startPostfix, type Dovecot, type Postfix } from './mail-servers';

/** The addresses of the stories. Local parts are Dovecot users (any domain reaches the same user). */
export const SUPPORT = 'support@helpdesk.test';
export const JANE = 'jane@customer.example';
export const EXPERT = 'expert@supplier.example';
export const DOMAINS = ['helpdesk.test', 'customer.example', 'supplier.example', 'vendor.example', 'attacker.example'];

export interface MailWorld {
  readonly dovecot: Dovecot;
  readonly postfix: Postfix;
  server: ServerProcess;
  admin: HttpClient;
  store: SqliteEventStore;
  mailboxId: string;
  /** Sends through Postfix (SMTP), as a person's mail program would; answers the Message-ID (normalised). */
  send(mail: Mail.Options): Promise<string>;
  /** Puts raw bytes into a user's folder (IMAP APPEND): for corpus mail that must arrive byte for byte. */
  append(user: string, raw: Buffer, folder?: string): Promise<void>;
  /** Every message in a user's INBOX, parsed, with its raw source. */
  inbox(user: string, folder?: string): Promise<{ uid: number; raw: Buffer; mail: ParsedMail }[]>;
  waitForInbox(user: string, count: number, what: string, timeoutMs?: number): Promise<{ uid: number; raw: Buffer; mail: ParsedMail }[]>;
  /** Receipts of the mail the server took in (GET /api/mail/received). */
  receipts(status?: string): Promise<any[]>;
  /** Waits until the server has processed `count` receipts in all. */
  waitForReceipts(count: number, what: string, timeoutMs?: number): Promise<any[]>;
  /** Restarts the server process on the same data directory (env changes apply); `crash`: SIGKILL instead of a clean stop. */
  restart(env?: Record<string, string>, options?: { crash?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export interface MailWorldOptions {
  /** Extra environment for the server. */
  readonly env?: Record<string, string>;
  /** Mailbox settings merged into the default (support@, IMAP to Dovecot, 1 s polling, acknowledgements on). */
  readonly mailbox?: Record<string, unknown>;
  readonly users?: readonly string[];
  /** The IMAP folder the mailbox reads (default INBOX). */
  readonly folder?: string;
}

export const imapClient = (dovecot: Dovecot, user: string) =>
  new ImapFlow({ host: '127.0.0.1', port: dovecot.imapPort, secure: false, doSTARTTLS: false, auth: { user, pass: MAIL_PASSWORD }, logger: false });

export const startMailWorld = async (options: MailWorldOptions = {}): Promise<MailWorld> => {
  const dovecot = await startDovecot(options.users ?? ['support', 'jane', 'expert', 'sales', 'hanako', 'francois', 'nobody']);
  const postfix = await startPostfix(dovecot.lmtpPort, DOMAINS);
  const serverEnv = {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(postfix.smtpPort),
    SMTP_TLS: 'none',
    MAIL_SEND_BACKOFF_SECONDS: '1',
    ...options.env,
  };
  // Our own data directory, so that a restart keeps it (the server process leaves a given one alone).
  const dataDir = mkdtempSync(join(tmpdir(), 'hd-mail-'));
  const server = await startServerProcess({ dataDir, env: serverEnv });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: postfix.smtpPort, secure: false, ignoreTLS: true });
  const world: MailWorld = {
    dovecot,
    postfix,
    server,
    admin: httpClient(server.url, server.adminToken),
    store: openEventStore(server.dataDir),
    mailboxId: '',
    async send(mail) {
      const info = await transport.sendMail(mail);
      return info.messageId.replace(/[<>]/g, '').toLowerCase();
    },
    async append(user, raw, folder = 'INBOX') {
      const client = imapClient(dovecot, user);
      await client.connect();
      try {
        if (folder !== 'INBOX' && !(await client.list()).some((box) => box.path === folder)) await client.mailboxCreate(folder);
        await client.append(folder, raw);
      } catch (error) {
        throw imapError(error, `APPEND to ${user}'s ${folder}`);
      } finally {
        await client.logout();
      }
    },
    async inbox(user, folder = 'INBOX') {
      const client = imapClient(dovecot, user);
      await client.connect();
      try {
        const box = await client.mailboxOpen(folder);
        if (box.exists === 0) return [];
        const out: { uid: number; raw: Buffer; mail: ParsedMail }[] = [];
        for await (const message of client.fetch('1:*', { uid: true, source: true })) out.push({ uid: message.uid, raw: message.source!, mail: await simpleParser(message.source!) });
        return out;
      } finally {
        await client.logout();
      }
    },
    async waitForInbox(user, count, what, timeoutMs = 20_000) {
      return waitFor(async () => {
        const messages = await world.inbox(user);
        return messages.length >= count ? messages : undefined;
      }, timeoutMs, `${what} (${count} message(s) in ${user}'s INBOX)\n${postfix.log().slice(-2000)}`);
    },
    async receipts(status) {
      const items: any[] = [];
      let after = 0;
      for (;;) {
        const page = await world.admin.get(`/api/mail/received?limit=500&after=${after}${status ? `&status=${status}` : ''}`).catch((error) => {
          throw new Error(`GET /api/mail/received failed (${String(error)}); the server said:\n${world.server.output().slice(-4000)}`);
        });
        if (page.status !== 200) throw new Error(`GET /api/mail/received: ${page.status} ${JSON.stringify(page.body)}`);
        items.push(...page.body.items);
        if (page.body.next === null) return items;
        after = page.body.next;
      }
    },
    async waitForReceipts(count, what, timeoutMs = 30_000) {
      return waitFor(async () => {
        const all = await world.receipts();
        const done = all.filter((r) => r.status !== 'received');
        return done.length >= count ? done : undefined;
      }, timeoutMs, `${what} (${count} processed receipts)\n${server.output().slice(-3000)}`);
    },
    async restart(env = {}, { crash = false } = {}) {
      await world.store.close();
      if (crash) await world.server.kill();
      else await world.server.stop();
      world.server = await startServerProcess({ dataDir, env: { ...serverEnv, ...env, BOOTSTRAP_ADMIN_TOKEN: world.server.adminToken } });
      world.admin = httpClient(world.server.url, world.server.adminToken);
      world.store = openEventStore(dataDir);
    },
    async stop() {
      transport.close();
      await world.store.close();
      await world.server.stop();
      rmSync(dataDir, { recursive: true, force: true });
      await postfix.stop();
      await dovecot.stop();
    },
  };
  const created = await world.admin.post('/api/mail/mailboxes', {
    name: 'Support',
    address: SUPPORT,
    imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none', user: 'support', password: MAIL_PASSWORD, folder: options.folder ?? 'INBOX' },
    pollIntervalSeconds: 1,
    autoReply: { enabled: true },
    ...options.mailbox,
  });
  if (created.status !== 201) throw new Error(`Creating the mailbox answered ${created.status}: ${JSON.stringify(created.body)}`);
  world.mailboxId = created.body.id;
  return world;
};

/** One mail world for the describe block: started in beforeAll, stopped in afterAll. */
export const useMailWorld = (options: MailWorldOptions = {}): MailWorld => {
  const world = {} as MailWorld;
  beforeAll(async () => {
    // Delegate rather than copy: a restart replaces the server, its client and the store connection.
    Object.setPrototypeOf(world, await startMailWorld(options));
  }, 60_000);
  afterAll(async () => {
    await world.stop?.();
  }, 60_000);
  return world;
};

/** An agent of the help desk, registered by the world's admin, with a token of their own. */
export const registerAgent = async (world: MailWorld, name: string): Promise<{ id: string; token: string; client: HttpClient }> => {
  const registered = await world.admin.post('/api/agents', { name, email: `${name.toLowerCase()}@agents.helpdesk.test`, role: 'agent' });
  if (registered.status !== 201) throw new Error(`POST /api/agents: ${registered.status} ${JSON.stringify(registered.body)}`);
  const issued = await world.admin.post(`/api/agents/${registered.body.id}/tokens`, { label: 'mail tests' });
  if (issued.status !== 201) throw new Error(`POST /api/agents/:id/tokens: ${issued.status} ${JSON.stringify(issued.body)}`);
  return { id: registered.body.id, token: issued.body.token, client: world.admin.as(issued.body.token) };
};

/** imapflow says only "Command failed"; the server's own words are in the error's fields. */
export const imapError = (error: unknown, what: string): Error => {
  const e = error as { message?: string; responseText?: string; serverResponseCode?: string; response?: string };
  return new Error(`${what}: ${e.message ?? String(error)}${e.serverResponseCode ? ` [${e.serverResponseCode}]` : ''}${e.responseText ? ` ${e.responseText}` : ''}`);
};

/** `<id>` for headers. */
export const bracket = (id: string) => `<${id}>`;

/**
 * Mail ingest rate, end to end: 10,000 messages of mixed sizes are put into a Dovecot mailbox (IMAP
 * APPEND), then the real server (dist, as `npm start` runs it, durable SQLite commits) is given the
 * mailbox and imports them through the whole pipeline — IMAP fetch, content-addressed blobs (fsync'd),
 * receipts, parse, classify, thread, contact lookup/creation, one command per mail — into requests.
 * The clock runs from the mailbox's creation until the last receipt is processed.
 *
 *   npm run bench:mail [-- --messages 10000]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import { startDovecot, MAIL_PASSWORD } from '../test/mail/support/mail-servers';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { httpClient } from '../test/support/http-client';
import { record } from './support/stats';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const MESSAGES = arg('messages', 10_000);
const CONNECTIONS = 4;

/** Mixed sizes as a support mailbox sees them: mostly short text, some HTML, some attachments, a few large ones. */
const makeMessage = (i: number): { raw: Buffer; kind: string } => {
  const from = `customer${i % 2000}@customer${i % 50}.example`;
  const messageId = `bench-${i}@customer${i % 50}.example`;
  // One in five answers an earlier mail of the same sender: threading by In-Reply-To.
  const replyTo = i >= 2000 && i % 5 === 0 ? `bench-${i - 2000}@customer${(i - 2000) % 50}.example` : null;
  const headers = [`From: Customer ${i % 2000} <${from}>`, 'To: support@helpdesk.test', `Subject: ${replyTo ? 'Re: ' : ''}Question ${i % 2000} about order ${1000 + (i % 7919)}`, `Message-ID: <${messageId}>`, `Date: ${new Date().toUTCString()}`, 'MIME-Version: 1.0'];
  if (replyTo) headers.push(`In-Reply-To: <${replyTo}>`, `References: <${replyTo}>`);
  const text = `Hello,\n\n${'The order did not arrive as expected and I would like to know what happened to it. '.repeat(10 + (i % 40))}\n\nRegards`;
  const roll = i % 100;
  if (roll < 70) return { kind: 'text', raw: Buffer.from(`${headers.join('\r\n')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n`) };
  const boundary = `b${i}`;
  const html = `<html><body><p>${text.replace(/\n/g, '<br>')}</p><table>${'<tr><td>item</td><td>1</td></tr>'.repeat(100 + (i % 300))}</table></body></html>`;
  const alternative = `--${boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
  if (roll < 90) return { kind: 'html', raw: Buffer.from(`${headers.join('\r\n')}\r\nContent-Type: multipart/alternative; boundary=${boundary}\r\n\r\n${alternative}--${boundary}--\r\n`) };
  const size = roll < 99 ? 100 * 1024 : 1024 * 1024;
  const attachment = randomBytes(size).toString('base64').replace(/.{76}/g, '$&\r\n');
  const raw = `${headers.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary=m${i}\r\n\r\n--m${i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}\r\n--m${i}\r\nContent-Type: application/pdf; name=scan-${i}.pdf\r\nContent-Disposition: attachment; filename=scan-${i}.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--m${i}--\r\n`;
  return { kind: size > 200_000 ? 'attachment-1MB' : 'attachment-100KB', raw: Buffer.from(raw) };
};

/** The built server, as `npm start` runs it (this file runs from dist/bench). */
const startServer = async (dataDir: string) => {
  const adminToken = `bench_${randomBytes(24).toString('base64url')}`;
  const child = spawn(process.execPath, [...(process.env['BENCH_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROFILE']] : []), resolve(__dirname, '../apps/server/src/main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, BOOTSTRAP_ADMIN_TOKEN: adminToken, LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const url = await new Promise<string>((done, fail) => {
    const timer = setInterval(() => {
      const match = /"message":"listening","url":"([^"]+)"/.exec(output);
      if (match) {
        clearInterval(timer);
        done(match[1]!);
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(timer);
      fail(new Error(`Server exited with ${code}:\n${output}`));
    });
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url,
    adminToken,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
};

const main = async () => {
  const dovecot = await startDovecot(['support']);
  const dataDir = mkdtempSync(join(tmpdir(), 'hd-bench-mail-'));
  try {
    // 1. Fill the mailbox.
    const kinds = new Map<string, number>();
    let bytes = 0;
    const loadStart = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, c) => {
        const client = new ImapFlow({ host: '127.0.0.1', port: dovecot.imapPort, secure: false, doSTARTTLS: false, auth: { user: 'support', pass: MAIL_PASSWORD }, logger: false });
        await client.connect();
        for (let i = c; i < MESSAGES; i += CONNECTIONS) {
          const { raw, kind } = makeMessage(i);
          kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
          bytes += raw.length;
          await client.append('INBOX', raw);
        }
        await client.logout();
      }),
    );
    const loadSeconds = (performance.now() - loadStart) / 1000;
    process.stderr.write(`Appended ${MESSAGES} messages (${(bytes / 2 ** 20).toFixed(0)} MiB) to Dovecot in ${loadSeconds.toFixed(1)} s\n`);

    // 2. The server imports them.
    const server = await startServer(dataDir);
    const admin = httpClient(server.url, server.adminToken);
    const mail = new Database(join(dataDir, 'mail.sqlite'), { readonly: true, fileMustExist: true });
    const processed = mail.prepare("SELECT count(*) AS n FROM mail_receipts WHERE status <> 'received'").pluck();
    const loadBefore = loadavg()[0]!;
    const started = performance.now();
    const created = await admin.post('/api/mail/mailboxes', {
      name: 'Support',
      address: 'support@helpdesk.test',
      imap: { host: '127.0.0.1', port: dovecot.imapPort, tls: 'none', user: 'support', password: MAIL_PASSWORD },
      pollIntervalSeconds: 1,
    });
    if (created.status !== 201) throw new Error(`mailbox: ${created.status} ${JSON.stringify(created.body)}`);
    let last = 0;
    for (;;) {
      const n = processed.get() as number;
      if (n !== last && n % 1000 < last % 1000) process.stderr.write(`  ${n} imported, ${(n / ((performance.now() - started) / 1000)).toFixed(0)} msg/s\n`);
      last = n;
      if (n >= MESSAGES) break;
      if (performance.now() - started > 30 * 60_000) throw new Error(`Only ${n} of ${MESSAGES} imported after 30 minutes`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const loadAfter = loadavg()[0]!;
    const outcomes = mail.prepare('SELECT status, count(*) AS n FROM mail_receipts GROUP BY status ORDER BY status').all() as { status: string; n: number }[];
    mail.close();
    await server.stop();

    const rate = MESSAGES / seconds;
    const lines = [
      `${MESSAGES.toLocaleString('en-US')} messages of mixed sizes (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}; ${(bytes / 2 ** 20).toFixed(0)} MiB in all; 2,000 senders, one in five a reply to an earlier mail) appended to a Dovecot 2.3 mailbox, then imported by the server process (\`dist\`, SQLITE_SYNCHRONOUS=FULL, each raw message durable in the blob store before its import) from the moment the mailbox was configured:`,
      '',
      '| messages | seconds | messages/s | outcomes |',
      '|---:|---:|---:|---|',
      `| ${MESSAGES.toLocaleString('en-US')} | ${seconds.toFixed(1)} | **${rate.toFixed(0)}** | ${outcomes.map((o) => `${o.status} ${o.n}`).join(', ')} |`,
      '',
      `Target: at least 300 messages/s end to end into requests — ${rate >= 300 ? 'met' : 'NOT met'}. (Filling Dovecot by IMAP APPEND over ${CONNECTIONS} connections took ${loadSeconds.toFixed(1)} s and is not counted.) The in-process projector updated the read models meanwhile. Load average (1 min) before/after: ${loadBefore.toFixed(1)} / ${loadAfter.toFixed(1)} — other work on the machine slows this figure.`,
    ];
    record('Mail ingest from Dovecot (npm run bench:mail)', lines);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await dovecot.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

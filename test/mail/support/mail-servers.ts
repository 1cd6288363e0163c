import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real mail servers for the mail tests, each in a temporary folder with its own ports: Dovecot (IMAP and
 * LMTP, from Debian's dovecot-imapd and dovecot-lmtpd) and Postfix (SMTP, relaying every domain to
 * Dovecot's LMTP). `.ci/run` installs both; without them the tests fail and say so, they never skip.
 */

const INSTALL_HINT = 'Install them as .ci/run does: apt-get install -y --no-install-recommends dovecot-imapd dovecot-lmtpd postfix';

export const requireBinary = (path: string, what: string): void => {
  if (!existsSync(path)) throw new Error(`${what} is not installed (${path} is missing). ${INSTALL_HINT}`);
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

const waitForPort = async (port: number, what: string, log: () => string, timeoutMs = 15_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`${what} did not open port ${port} in ${timeoutMs} ms:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Every user has the password `secret`; the local part of an address is the user (any domain). */
export const MAIL_PASSWORD = 'secret';

export interface Dovecot {
  readonly imapPort: number;
  readonly lmtpPort: number;
  readonly dir: string;
  log(): string;
  stop(): Promise<void>;
}

export const startDovecot = async (users: readonly string[]): Promise<Dovecot> => {
  requireBinary('/usr/sbin/dovecot', 'Dovecot');
  const dir = mkdtempSync(join(tmpdir(), 'hd-dovecot-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'state', 'mail']) mkdirSync(join(dir, sub), { recursive: true });
  chownSync(join(dir, 'mail'), 65534, 65534);
  const [imapPort, lmtpPort] = [await freePort(), await freePort()];
  writeFileSync(join(dir, 'users'), users.map((u) => `${u}:{PLAIN}${MAIL_PASSWORD}\n`).join(''));
  const config = `
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
info_log_path = ${dir}/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_login_user = dovenull
mail_uid = 65534
mail_gid = 65534
first_valid_uid = 1
mail_location = maildir:${dir}/mail/%n/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%n ${dir}/users
}
userdb {
  driver = static
  args = home=${dir}/mail/%n allow_all_users=yes
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
}
protocol lmtp {
  postmaster_address = postmaster@example.test
}
namespace inbox {
  inbox = yes
}
`;
  writeFileSync(join(dir, 'dovecot.conf'), config);
  const child: ChildProcess = spawn('/usr/sbin/dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c) => (output += c));
  child.stderr!.on('data', (c) => (output += c));
  const log = () => `${output}${existsSync(join(dir, 'dovecot.log')) ? readFileSync(join(dir, 'dovecot.log'), 'utf8') : ''}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await Promise.all([waitForPort(imapPort, 'Dovecot IMAP', log), waitForPort(lmtpPort, 'Dovecot LMTP', log)]);
  return {
    imapPort,
    lmtpPort,
    dir,
    log,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

export interface Postfix {
  readonly smtpPort: number;
  readonly dir: string;
  log(): string;
  stop(): Promise<void>;
}

/** Postfix on 127.0.0.1:<port>, delivering mail for `domains` to Dovecot's LMTP. */
export const startPostfix = async (lmtpPort: number, domains: readonly string[]): Promise<Postfix> => {
  requireBinary('/usr/sbin/postfix', 'Postfix');
  const dir = mkdtempSync(join(tmpdir(), 'hd-postfix-'));
  chmodSync(dir, 0o755);
  const smtpPort = await freePort();
  mkdirSync(join(dir, 'spool'), { recursive: true });
  mkdirSync(join(dir, 'data'), { recursive: true });
  execFileSync('chown', ['postfix:postfix', join(dir, 'data')]);
  const master = readFileSync('/usr/share/postfix/master.cf.dist', 'utf8').replace(/^smtp\s+inet\s+.*$/m, `127.0.0.1:${smtpPort} inet n - n - - smtpd`);
  writeFileSync(join(dir, 'master.cf'), master);
  writeFileSync(
    join(dir, 'main.cf'),
    `compatibility_level = 3.6
queue_directory = ${dir}/spool
data_directory = ${dir}/data
maillog_file = ${dir}/postfix.log
maillog_file_prefixes = ${dir}
myhostname = mx.example.test
mydomain = example.test
myorigin = example.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = ${domains.join(', ')}
virtual_transport = lmtp:inet:127.0.0.1:${lmtpPort}
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtputf8_enable = no
mail_owner = postfix
setgid_group = postdrop
message_size_limit = 104857600
`,
  );
  execFileSync('/usr/sbin/postconf', ['-c', dir, '-F', '*/*/chroot = n']);
  const log = () => (existsSync(join(dir, 'postfix.log')) ? readFileSync(join(dir, 'postfix.log'), 'utf8') : '');
  try {
    execFileSync('/usr/sbin/postfix', ['-c', dir, 'start'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`Postfix did not start: ${String((error as { stderr?: Buffer }).stderr ?? error)}\n${log()}`);
  }
  await waitForPort(smtpPort, 'Postfix SMTP', log);
  return {
    smtpPort,
    dir,
    log,
    async stop() {
      try {
        execFileSync('/usr/sbin/postfix', ['-c', dir, 'stop'], { stdio: 'pipe' });
      } catch {
        // already stopped
      }
      const pidFile = join(dir, 'spool', 'pid', 'master.pid');
      for (let i = 0; i < 100 && existsSync(pidFile); i++) {
        const pid = Number(readFileSync(pidFile, 'utf8').trim());
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
};


import { ImapFlow } from 'imapflow';

export interface ImapSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: 'implicit' | 'starttls' | 'none';
  readonly user: string;
  readonly password: string;
  readonly folder: string;
  readonly allowInvalidCertificates?: boolean;
}

export interface FetchedMessage {
  readonly uid: number;
  readonly source: Buffer;
}

/**
 * One IMAP connection to one folder (imapflow). New mail is read by UID above the last one imported,
 * under the folder's UIDVALIDITY; imapflow IDLEs between commands where the server supports it (NOOP
 * polling otherwise), and `onNewMail` fires when the server says the folder grew.
 */
export class ImapConnection {
  private readonly client: ImapFlow;
  private newMail: (() => void) | undefined;
  private closedListener: ((error?: Error) => void) | undefined;

  constructor(private readonly settings: ImapSettings) {
    this.client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.tls === 'implicit',
      doSTARTTLS: settings.tls === 'starttls' ? true : settings.tls === 'none' ? false : undefined,
      auth: { user: settings.user, pass: settings.password },
      logger: false,
      tls: settings.allowInvalidCertificates ? { rejectUnauthorized: false } : undefined,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      // Re-issue IDLE now and then: some servers and NATs drop quiet connections.
      maxIdleTime: 5 * 60_000,
    });
    this.client.on('exists', () => this.newMail?.());
    this.client.on('close', () => this.closedListener?.());
    this.client.on('error', (error: Error) => this.closedListener?.(error));
  }

  /** Connects and selects the folder: its UIDVALIDITY and the next UID it will give out. */
  async open(): Promise<{ uidValidity: string; uidNext: number; exists: number }> {
    await this.client.connect();
    const mailbox = await this.client.mailboxOpen(this.settings.folder);
    return { uidValidity: mailbox.uidValidity.toString(), uidNext: mailbox.uidNext, exists: mailbox.exists };
  }

  onNewMail(listener: () => void): void {
    this.newMail = listener;
  }

  onClose(listener: (error?: Error) => void): void {
    this.closedListener = listener;
  }

  get usable(): boolean {
    return this.client.usable;
  }

  /** The UIDs above `lastUid`, ascending (`N:*` also names the last message when none is above N; it is dropped). */
  async uidsAfter(lastUid: number): Promise<number[]> {
    const found = await this.client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
    return (Array.isArray(found) ? found : []).filter((uid) => uid > lastUid).sort((a, b) => a - b);
  }

  /** The raw messages with these UIDs (those still there), in UID order. */
  async fetch(uids: readonly number[]): Promise<FetchedMessage[]> {
    if (uids.length === 0) return [];
    const messages: FetchedMessage[] = [];
    for await (const message of this.client.fetch(uids.join(','), { uid: true, source: true }, { uid: true })) {
      if (message.source) messages.push({ uid: message.uid, source: message.source });
    }
    return messages.sort((a, b) => a.uid - b.uid);
  }

  async close(): Promise<void> {
    this.newMail = undefined;
    this.closedListener = undefined;
    try {
      await this.client.logout();
    } catch {
      this.client.close();
    }
  }
}

import type Database from 'better-sqlite3';
import { openSqliteFile } from './sqlite-file';
import type { FetchedBlob, MailStore, OutboxItem, OutboxStatus, Page, Receipt, ReceiptOutcome, ReceiptStatus, SyncState } from './mail-store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS mail_sync (
  mailbox_id TEXT PRIMARY KEY,
  uid_validity TEXT NOT NULL,
  last_uid INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mail_receipts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  mailbox_id TEXT,
  source TEXT NOT NULL,
  uid_validity TEXT,
  uid INTEGER,
  blob TEXT NOT NULL,
  size INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  reason_code TEXT,
  reason TEXT,
  request_id TEXT,
  request_number INTEGER,
  message_id TEXT,
  subject TEXT,
  sender TEXT,
  processed_at TEXT,
  UNIQUE (mailbox_id, uid_validity, uid)
);
CREATE INDEX IF NOT EXISTS mail_receipts_by_status ON mail_receipts (status, id);
CREATE INDEX IF NOT EXISTS mail_receipts_by_mailbox ON mail_receipts (mailbox_id, id);
CREATE TABLE IF NOT EXISTS mail_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  request_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  automatic INTEGER NOT NULL,
  recipients TEXT NOT NULL,
  subject TEXT,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error TEXT,
  created_at TEXT NOT NULL,
  sent_at TEXT,
  message_id_header TEXT,
  position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mail_outbox_due ON mail_outbox (status, next_attempt_at);
CREATE TABLE IF NOT EXISTS mail_auto_replies (
  recipient TEXT NOT NULL,
  message_id TEXT NOT NULL,
  sent_at TEXT NOT NULL,
  PRIMARY KEY (recipient, message_id)
);
CREATE INDEX IF NOT EXISTS mail_auto_replies_by_time ON mail_auto_replies (recipient, sent_at);
CREATE TABLE IF NOT EXISTS mail_checkpoints (name TEXT PRIMARY KEY, position TEXT NOT NULL);
`;

interface ReceiptRow {
  id: number;
  mailbox_id: string | null;
  source: 'imap' | 'api';
  uid_validity: string | null;
  uid: number | null;
  blob: string;
  size: number;
  received_at: string;
  status: ReceiptStatus;
  attempts: number;
  reason_code: string | null;
  reason: string | null;
  request_id: string | null;
  request_number: number | null;
  message_id: string | null;
  subject: string | null;
  sender: string | null;
  processed_at: string | null;
}

interface OutboxRow {
  seq: number;
  message_id: string;
  request_id: string;
  kind: OutboxItem['kind'];
  automatic: number;
  recipients: string;
  subject: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  message_id_header: string | null;
  position: number;
}

const receiptOf = (r: ReceiptRow): Receipt => ({
  id: r.id,
  mailboxId: r.mailbox_id,
  source: r.source,
  uidValidity: r.uid_validity,
  uid: r.uid,
  blob: r.blob,
  size: r.size,
  receivedAt: r.received_at,
  status: r.status,
  attempts: r.attempts,
  reasonCode: r.reason_code,
  reason: r.reason,
  requestId: r.request_id,
  requestNumber: r.request_number,
  messageId: r.message_id,
  subject: r.subject,
  sender: r.sender,
  processedAt: r.processed_at,
});

const outboxOf = (r: OutboxRow): OutboxItem & { seq: number } => ({
  seq: r.seq,
  messageId: r.message_id,
  requestId: r.request_id,
  kind: r.kind,
  automatic: r.automatic === 1,
  recipients: JSON.parse(r.recipients) as string[],
  subject: r.subject,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
  messageIdHeader: r.message_id_header,
  position: r.position,
});

/**
 * DATA_DIR/mail.sqlite. synchronous=FULL: a receipt must survive a crash once the UID it stands for is
 * counted as read, or that message would be skipped.
 */
export class SqliteMailStore implements MailStore {
  private readonly db: Database.Database;
  /**
   * Outcomes are written on a second connection without an fsync per commit (synchronous=NORMAL): one
   * lost in a power cut leaves its receipt 'received', it is imported again, and the import recognises
   * its own earlier work by the claim's causation id. The receipts themselves stay synchronous=FULL.
   *
   * The outbox's work list and checkpoint go there too: they are derived from the log, so what a power
   * cut takes (always the latest commits, in order) is rebuilt by following the log again from the
   * older checkpoint — and a send is checked against the delivery stream before it happens.
   */
  private readonly outcomes: Database.Database;
  private readonly statements = new Map<Database.Database, Map<string, Database.Statement>>();

  constructor(path: string) {
    this.db = openSqliteFile(path, 'FULL');
    this.db.exec(SCHEMA);
    this.outcomes = openSqliteFile(path, 'NORMAL');
  }

  /** Prepared once per connection and text: the outbox reactor runs the same few statements per event. */
  private statement(db: Database.Database, sql: string): Database.Statement {
    let cache = this.statements.get(db);
    if (!cache) this.statements.set(db, (cache = new Map()));
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  }

  syncState(mailboxId: string): SyncState | undefined {
    const row = this.statement(this.db, 'SELECT uid_validity, last_uid FROM mail_sync WHERE mailbox_id = ?').get(mailboxId) as { uid_validity: string; last_uid: number } | undefined;
    return row ? { uidValidity: row.uid_validity, lastUid: row.last_uid } : undefined;
  }

  resetSync(mailboxId: string, uidValidity: string): void {
    this.statement(this.db, 'INSERT INTO mail_sync (mailbox_id, uid_validity, last_uid, updated_at) VALUES (?, ?, 0, ?) ON CONFLICT(mailbox_id) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = 0, updated_at = excluded.updated_at')
      .run(mailboxId, uidValidity, new Date().toISOString());
  }

  recordFetched(mailboxId: string, uidValidity: string, fetched: readonly FetchedBlob[], lastUid: number, at: string): Receipt[] {
    const insert = this.statement(this.db, 
      "INSERT OR IGNORE INTO mail_receipts (mailbox_id, source, uid_validity, uid, blob, size, received_at, status) VALUES (?, 'imap', ?, ?, ?, ?, ?, 'received')",
    );
    const select = this.statement(this.db, 'SELECT * FROM mail_receipts WHERE id = ?');
    const sync = this.statement(this.db, 
      'INSERT INTO mail_sync (mailbox_id, uid_validity, last_uid, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(mailbox_id) DO UPDATE SET uid_validity = excluded.uid_validity, last_uid = max(last_uid, excluded.last_uid), updated_at = excluded.updated_at',
    );
    return this.db.transaction(() => {
      const receipts: Receipt[] = [];
      for (const item of fetched) {
        const result = insert.run(mailboxId, uidValidity, item.uid, item.blob, item.size, at);
        if (result.changes === 1) receipts.push(receiptOf(select.get(result.lastInsertRowid) as ReceiptRow));
      }
      sync.run(mailboxId, uidValidity, lastUid, at);
      return receipts;
    }).immediate();
  }

  addReceipt(input: { mailboxId: string | null; blob: string; size: number; at: string }): Receipt {
    const result = this.statement(this.db, "INSERT INTO mail_receipts (mailbox_id, source, blob, size, received_at, status) VALUES (?, 'api', ?, ?, ?, 'received')")
      .run(input.mailboxId, input.blob, input.size, input.at);
    return this.receipt(Number(result.lastInsertRowid))!;
  }

  receipt(id: number): Receipt | undefined {
    const row = this.statement(this.db, 'SELECT * FROM mail_receipts WHERE id = ?').get(id) as ReceiptRow | undefined;
    return row ? receiptOf(row) : undefined;
  }

  unprocessed(limit: number): Receipt[] {
    return (this.statement(this.db, "SELECT * FROM mail_receipts WHERE status = 'received' ORDER BY id LIMIT ?").all(limit) as ReceiptRow[]).map(receiptOf);
  }

  complete(id: number, outcome: ReceiptOutcome, at: string): Receipt {
    this.completeMany([{ id, outcome }], at);
    return this.receipt(id)!;
  }

  completeMany(items: readonly { id: number; outcome: ReceiptOutcome }[], at: string): void {
    const update = this.statement(this.outcomes, 
      `UPDATE mail_receipts SET status = ?, attempts = attempts + 1, reason_code = ?, reason = ?, request_id = ?, request_number = ?,
         message_id = coalesce(?, message_id), subject = coalesce(?, subject), sender = coalesce(?, sender), processed_at = ? WHERE id = ?`,
    );
    this.outcomes.transaction(() => {
      for (const { id, outcome } of items) {
        update.run(
          outcome.status,
          outcome.reasonCode ?? null,
          outcome.reason ?? null,
          outcome.requestId ?? null,
          outcome.requestNumber ?? null,
          outcome.messageId ?? null,
          outcome.subject ?? null,
          outcome.sender ?? null,
          at,
          id,
        );
      }
    }).immediate();
  }

  reopen(id: number): Receipt | undefined {
    this.statement(this.db, "UPDATE mail_receipts SET status = 'received' WHERE id = ?").run(id);
    return this.receipt(id);
  }

  listReceipts(filter: { status?: ReceiptStatus; mailboxId?: string; after?: number; limit: number }): Page<Receipt> {
    const where: string[] = ['id > ?'];
    const params: unknown[] = [filter.after ?? 0];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.mailboxId) {
      where.push('mailbox_id = ?');
      params.push(filter.mailboxId);
    }
    const rows = this.statement(this.db, `SELECT * FROM mail_receipts WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`).all(...params, filter.limit + 1) as ReceiptRow[];
    const items = rows.slice(0, filter.limit).map(receiptOf);
    return { items, next: rows.length > filter.limit ? items[items.length - 1]!.id : null };
  }

  countReceipts(status: ReceiptStatus): number {
    return (this.statement(this.db, 'SELECT count(*) AS n FROM mail_receipts WHERE status = ?').get(status) as { n: number }).n;
  }

  queueOutbox(item: Omit<OutboxItem, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt' | 'messageIdHeader'>): boolean {
    const result = this.statement(this.outcomes, 
        "INSERT OR IGNORE INTO mail_outbox (message_id, request_id, kind, automatic, recipients, subject, status, attempts, created_at, position) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
      )
      .run(item.messageId, item.requestId, item.kind, item.automatic ? 1 : 0, JSON.stringify(item.recipients), item.subject, item.createdAt, item.position);
    return result.changes === 1;
  }

  outboxItem(messageId: string): OutboxItem | undefined {
    const row = this.statement(this.db, 'SELECT * FROM mail_outbox WHERE message_id = ?').get(messageId) as OutboxRow | undefined;
    return row ? outboxOf(row) : undefined;
  }

  dueOutbox(now: string, limit: number): OutboxItem[] {
    return (
      this.statement(this.db, "SELECT * FROM mail_outbox WHERE (status = 'pending' OR (status = 'failed' AND next_attempt_at IS NOT NULL)) AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?")
        .all(now, limit) as OutboxRow[]
    ).map(outboxOf);
  }

  updateOutbox(messageId: string, change: Partial<Pick<OutboxItem, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt' | 'messageIdHeader'>>): void {
    const columns: Record<string, string> = {
      status: 'status',
      attempts: 'attempts',
      nextAttemptAt: 'next_attempt_at',
      lastError: 'last_error',
      sentAt: 'sent_at',
      messageIdHeader: 'message_id_header',
    };
    const entries = Object.entries(change).filter(([key]) => key in columns);
    if (entries.length === 0) return;
    this.statement(this.outcomes, `UPDATE mail_outbox SET ${entries.map(([key]) => `${columns[key]} = ?`).join(', ')} WHERE message_id = ?`).run(...entries.map(([, v]) => v ?? null), messageId);
  }

  listOutbox(filter: { status?: OutboxStatus; after?: number; limit: number }): Page<OutboxItem & { seq: number }> {
    const rows = (
      filter.status
        ? this.statement(this.db, 'SELECT * FROM mail_outbox WHERE seq > ? AND status = ? ORDER BY seq LIMIT ?').all(filter.after ?? 0, filter.status, filter.limit + 1)
        : this.statement(this.db, 'SELECT * FROM mail_outbox WHERE seq > ? ORDER BY seq LIMIT ?').all(filter.after ?? 0, filter.limit + 1)
    ) as OutboxRow[];
    const items = rows.slice(0, filter.limit).map(outboxOf);
    return { items, next: rows.length > filter.limit ? items[items.length - 1]!.seq : null };
  }

  takeAutoReplySlot(recipient: string, messageId: string, now: string, windowStart: string, limit: number): boolean {
    return this.db.transaction(() => {
      const taken = this.statement(this.db, 'SELECT 1 FROM mail_auto_replies WHERE recipient = ? AND message_id = ?').get(recipient, messageId);
      if (taken) return true;
      const { n } = this.statement(this.db, 'SELECT count(*) AS n FROM mail_auto_replies WHERE recipient = ? AND sent_at > ?').get(recipient, windowStart) as { n: number };
      if (n >= limit) return false;
      this.statement(this.db, 'INSERT INTO mail_auto_replies (recipient, message_id, sent_at) VALUES (?, ?, ?)').run(recipient, messageId, now);
      return true;
    }).immediate();
  }

  checkpoint(name: string): bigint | undefined {
    const row = this.statement(this.db, 'SELECT position FROM mail_checkpoints WHERE name = ?').get(name) as { position: string } | undefined;
    return row ? BigInt(row.position) : undefined;
  }

  saveCheckpoint(name: string, position: bigint): void {
    this.statement(this.outcomes, 'INSERT INTO mail_checkpoints (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position').run(name, position.toString());
  }

  close(): void {
    this.outcomes.close();
    this.db.close();
  }
}

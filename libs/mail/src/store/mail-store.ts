/**
 * The mail channel's own bookkeeping, next to the event store: where each IMAP mailbox's import stands
 * (UIDVALIDITY + last UID), a receipt per raw message taken in (and what became of it, dead letters
 * included), the outbox's work list, the auto-reply rate window, and the reactor's checkpoint.
 * Requests, messages and deliveries themselves are events; this is what the workers need to resume.
 */

export type ReceiptStatus = 'received' | 'created' | 'appended' | 'duplicate' | 'ignored' | 'dead';

export interface Receipt {
  readonly id: number;
  readonly mailboxId: string | null;
  readonly source: 'imap' | 'api';
  readonly uidValidity: string | null;
  readonly uid: number | null;
  readonly blob: string;
  readonly size: number;
  readonly receivedAt: string;
  readonly status: ReceiptStatus;
  readonly attempts: number;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  readonly requestId: string | null;
  readonly requestNumber: number | null;
  readonly messageId: string | null;
  readonly subject: string | null;
  readonly sender: string | null;
  readonly processedAt: string | null;
}

export interface ReceiptOutcome {
  readonly status: Exclude<ReceiptStatus, 'received'>;
  readonly reasonCode?: string | null;
  readonly reason?: string | null;
  readonly requestId?: string | null;
  readonly requestNumber?: number | null;
  readonly messageId?: string | null;
  readonly subject?: string | null;
  readonly sender?: string | null;
}

export interface SyncState {
  readonly uidValidity: string;
  readonly lastUid: number;
}

export interface FetchedBlob {
  readonly uid: number;
  readonly blob: string;
  readonly size: number;
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'suppressed';

export interface OutboxItem {
  /** Our message id on the request: one outbox item per outbound message. */
  readonly messageId: string;
  readonly requestId: string;
  readonly kind: 'reply' | 'forward' | 'acknowledgement' | 'auto-reply';
  readonly automatic: boolean;
  readonly recipients: readonly string[];
  readonly subject: string | null;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
  readonly messageIdHeader: string | null;
  /** Position of the event that queued it. */
  readonly position: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly next: number | null;
}

export interface MailStore {
  syncState(mailboxId: string): SyncState | undefined;
  /** A new UIDVALIDITY: the mailbox is read again from the start (claims keep that from duplicating anything). */
  resetSync(mailboxId: string, uidValidity: string): void;
  /** Receipts for a fetched batch and the new last UID, in one transaction. Already known UIDs are skipped. */
  recordFetched(mailboxId: string, uidValidity: string, fetched: readonly FetchedBlob[], lastUid: number, at: string): Receipt[];
  addReceipt(input: { mailboxId: string | null; blob: string; size: number; at: string }): Receipt;
  receipt(id: number): Receipt | undefined;
  /** Receipts not yet processed (after a crash), oldest first. */
  unprocessed(limit: number): Receipt[];
  complete(id: number, outcome: ReceiptOutcome, at: string): Receipt;
  /** Several outcomes in one transaction. */
  completeMany(items: readonly { id: number; outcome: ReceiptOutcome }[], at: string): void;
  /** For a retry: counts the attempt and marks it received again. */
  reopen(id: number): Receipt | undefined;
  listReceipts(filter: { status?: ReceiptStatus; mailboxId?: string; after?: number; limit: number }): Page<Receipt>;
  countReceipts(status: ReceiptStatus): number;

  queueOutbox(item: Omit<OutboxItem, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt' | 'messageIdHeader'>): boolean;
  outboxItem(messageId: string): OutboxItem | undefined;
  /** Pending or failed items whose next attempt is due, oldest first. */
  dueOutbox(now: string, limit: number): OutboxItem[];
  updateOutbox(messageId: string, change: Partial<Pick<OutboxItem, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt' | 'messageIdHeader'>>): void;
  listOutbox(filter: { status?: OutboxStatus; after?: number; limit: number }): Page<OutboxItem & { seq: number }>;
  /**
   * Takes one of `limit` automatic-mail slots for the address in the window ending at `now`; false when
   * they are all taken. Atomic, so two workers cannot both take the last one.
   */
  takeAutoReplySlot(recipient: string, messageId: string, now: string, windowStart: string, limit: number): boolean;

  checkpoint(name: string): bigint | undefined;
  saveCheckpoint(name: string, position: bigint): void;
  close(): void;
}

export const MAIL_STORE = Symbol('MailStore');

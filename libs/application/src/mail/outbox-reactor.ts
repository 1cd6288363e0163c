import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import {
  deliveryDecider,
  messageIdClaimDecider,
  signatureDecider,
  SYSTEM_ACTOR,
  type AttachmentRef,
  type DeliveryCommand,
  type DeliveryState,
  type ExistingRequest,
  type MessageState,
  type RequestEvent,
} from '@helpdesk/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent, type Subscription } from '@helpdesk/event-store';
import {
  baseSubject,
  BLOB_STORE,
  domainOf,
  EmlFileSender,
  MAIL_STORE,
  ourMessageId,
  replySubject,
  SECRET_STORE,
  SendFailure,
  SmtpMailSender,
  subjectTag,
  type BlobStore,
  type MailSender,
  type MailStore,
  type OutboundMail,
  type OutboxItem,
  type SecretStore,
  type SmtpSettings,
} from '@helpdesk/mail';
import { CatalogService } from '../catalog/catalog.service';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner, type StreamTarget } from '../event-sourcing/command-runner';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { Clock } from '../support/clock';
import { newId } from '../support/ids';
import { Streams } from '../support/streams';
import { MAIL_CONFIG, type MailConfig } from './mail-config';
import { MailboxDirectory, type Mailbox } from './mailbox-directory';
import { ThreadResolver } from './thread-resolver';

const QUEUEING = ['ReplyAdded', 'RequestForwarded', 'AutoReplyQueued'];
const RECORDING = ['EmailSent', 'EmailSendFailed', 'EmailSuppressed'];
/** The events the outbox follows (for a transport that feeds it: see the mail gateway app). */
export const OUTBOX_EVENT_TYPES: readonly string[] = [...QUEUEING, ...RECORDING];
export const OUTBOX_CHECKPOINT = 'outbox';
const DELIVERY: StreamTarget<DeliveryState> = { streamId: '', decider: deliveryDecider };
const CHECKPOINT = OUTBOX_CHECKPOINT;
/** Mail the outbox first hears of this late (history from before the mail channel existed) is not sent. */
const MAX_QUEUE_AGE_MS = 72 * 3600_000;
const MAX_REFERENCES = 20;

/**
 * Sends what the log says is to be sent: replies, forwards, acknowledgements and auto-replies. Follows
 * the event store from its checkpoint into a work list (mail.sqlite), sends with nodemailer, and records
 * each attempt as an event in the request's delivery stream (EmailSent / EmailSendFailed / EmailSuppressed;
 * see request.delivery.ts for why not on the request stream itself).
 *
 * At least once, with idempotent effects: a message's Message-ID is derived from its ids, so a resend
 * after a crash between the SMTP answer and the append carries the same Message-ID; and before sending,
 * the delivery stream is checked for an EmailSent of that message. Failures retry with exponential backoff.
 * Automatic mail is never sent to our own addresses, and at most N per address per window.
 */
@Injectable()
export class OutboxReactor implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  private subscription: Subscription | undefined;
  private following: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<string>();
  private draining: Promise<void> | undefined;
  private again = false;
  private readonly senders = new Map<string, MailSender>();
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(MAIL_STORE) private readonly store: MailStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(SECRET_STORE) private readonly secrets: SecretStore,
    @Inject(MAIL_CONFIG) private readonly config: MailConfig,
    private readonly runner: CommandRunner,
    private readonly loader: StreamLoader,
    private readonly catalog: CatalogService,
    private readonly directory: MailboxDirectory,
    private readonly threads: ThreadResolver,
    private readonly clock: Clock,
  ) {}

  /**
   * Starts sending. With `follow` (the embedded server) the outbox follows the log itself; without it
   * (the mail gateway) a transport delivers the events to `receive` and keeps the checkpoint.
   */
  start(tickMs = 1000, { follow = true }: { follow?: boolean } = {}): void {
    if (this.subscription || this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), tickMs);
    this.timer.unref();
    if (!follow) return;
    const subscription = this.events.subscribe({
      fromPosition: this.store.checkpoint(CHECKPOINT),
      filter: { streamCategories: ['request', 'delivery'], eventTypes: [...QUEUEING, ...RECORDING] },
    });
    this.subscription = subscription;
    this.following = (async () => {
      try {
        for await (const event of subscription) {
          this.receive(event);
          this.store.saveCheckpoint(CHECKPOINT, event.position);
        }
      } catch (error) {
        if (!this.stopped) this.logger.error(`The outbox stopped following the log: ${String(error)}`);
      }
    })();
  }

  /** One event of the log: queue what it asks to send, or record what became of a send. Idempotent. */
  receive(event: RecordedEvent): void {
    this.apply(event);
    if (QUEUEING.includes(event.type)) this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.subscription?.close();
    await this.following;
    this.subscription = undefined;
    await this.draining;
    for (const sender of this.senders.values()) sender.close();
    this.senders.clear();
  }

  /** Before the stores close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Sends what is due now (also called by the timer and after each queued message). */
  kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.logger.error(`Outbox run failed: ${String(error)}`);
      } finally {
        this.draining = undefined;
      }
    })();
  }

  /** POST /mail/outbox/:id/retry: a failed (or given-up) message is tried again now. */
  retryNow(messageId: string): OutboxItem | undefined {
    const item = this.store.outboxItem(messageId);
    if (!item || item.status === 'sent') return item;
    this.store.updateOutbox(messageId, { status: 'failed', nextAttemptAt: this.clock.now().toISOString() });
    this.kick();
    return this.store.outboxItem(messageId);
  }

  private apply(event: RecordedEvent): void {
    const e = { type: event.type, data: event.data } as RequestEvent;
    const at = String(event.metadata['occurredAt'] ?? event.recordedAt);
    const tooOld = this.clock.now().getTime() - Date.parse(at) > MAX_QUEUE_AGE_MS;
    const queue = (item: Omit<OutboxItem, 'status' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'sentAt' | 'messageIdHeader'>) => {
      if (this.store.queueOutbox(item) && tooOld) {
        this.store.updateOutbox(item.messageId, { status: 'suppressed', lastError: 'Older than 72 hours when the outbox first saw it; not sent' });
      }
    };
    const position = Number(event.position);
    switch (e.type) {
      case 'ReplyAdded':
        return queue({ messageId: e.data.messageId, requestId: e.data.requestId, kind: 'reply', automatic: false, recipients: [...e.data.to, ...e.data.cc, ...e.data.bcc], subject: null, createdAt: at, position });
      case 'RequestForwarded':
        return queue({ messageId: e.data.messageId, requestId: e.data.requestId, kind: 'forward', automatic: false, recipients: [...e.data.to, ...e.data.cc, ...e.data.bcc], subject: null, createdAt: at, position });
      case 'AutoReplyQueued':
        return queue({ messageId: e.data.messageId, requestId: e.data.requestId, kind: e.data.kind, automatic: true, recipients: e.data.to, subject: e.data.subject, createdAt: at, position });
      case 'EmailSent':
        return this.store.updateOutbox(e.data.messageId, { status: 'sent', attempts: e.data.attempt, sentAt: e.data.at, messageIdHeader: e.data.messageIdHeader, nextAttemptAt: null, lastError: null });
      case 'EmailSendFailed':
        if (this.store.outboxItem(e.data.messageId)?.status === 'sent') return;
        return this.store.updateOutbox(e.data.messageId, { status: 'failed', attempts: e.data.attempt, nextAttemptAt: e.data.nextAttemptAt, lastError: e.data.error });
      case 'EmailSuppressed':
        return this.store.updateOutbox(e.data.messageId, { status: 'suppressed', nextAttemptAt: null, lastError: e.data.reason });
      default:
        return;
    }
  }

  private async drain(): Promise<void> {
    for (;;) {
      const due = this.store.dueOutbox(this.clock.now().toISOString(), 50).filter((item) => !this.inFlight.has(item.messageId));
      if (due.length === 0 || this.stopped) return;
      await Promise.all(
        chunk(due, 4).map(async (items) => {
          for (const item of items) await this.deliverSafely(item);
        }),
      );
    }
  }

  private async deliverSafely(item: OutboxItem): Promise<void> {
    this.inFlight.add(item.messageId);
    try {
      await this.deliver(item);
    } catch (error) {
      // Not a send failure (those are recorded): try again shortly, visibly.
      this.logger.error(`Outbox item ${item.messageId} on request ${item.requestId}: ${error instanceof Error ? error.message : String(error)}`);
      this.store.updateOutbox(item.messageId, { status: 'failed', lastError: `Internal: ${String(error)}`, nextAttemptAt: new Date(this.clock.now().getTime() + 30_000).toISOString() });
    } finally {
      this.inFlight.delete(item.messageId);
    }
  }

  private async deliver(item: OutboxItem): Promise<void> {
    const requestId = (await this.threads.whereIs(item.requestId, item.messageId)) ?? item.requestId;
    const request = await this.threads.request(requestId);
    const message = request?.messages.find((m) => m.messageId === item.messageId);
    if (!request || !message) {
      this.store.updateOutbox(item.messageId, { status: 'failed', nextAttemptAt: null, lastError: 'The message is no longer on any request' });
      return;
    }
    // Idempotent effect: the log already says it went out (or bounced, or was held back).
    const delivered = (await this.loader.load(Streams.delivery(request.id), deliveryDecider)).state.messages[item.messageId];
    if (delivered?.status === 'sent' || (message.email?.direction === 'outbound' && message.email.status === 'bounced')) {
      this.store.updateOutbox(item.messageId, { status: 'sent', nextAttemptAt: null });
      return;
    }
    if (delivered?.status === 'suppressed') {
      this.store.updateOutbox(item.messageId, { status: 'suppressed', nextAttemptAt: null });
      return;
    }
    const mailbox = await this.mailboxFor(request);
    if (item.automatic) {
      const reason = await this.automaticRefusal(item, message);
      if (reason) {
        await this.record(request.id, { type: 'SuppressEmail', data: { messageId: item.messageId, reason } });
        this.store.updateOutbox(item.messageId, { status: 'suppressed', nextAttemptAt: null, lastError: reason });
        this.logger.warn(`Automatic mail ${item.messageId} not sent: ${reason}`);
        return;
      }
    }

    const mail = await this.compose(item, request, message, mailbox, (await this.loader.load(Streams.delivery(request.id), deliveryDecider)).state);
    const attempt = item.attempts + 1;
    try {
      const result = await (await this.senderFor(mailbox)).send(mail);
      await this.record(request.id, { type: 'RecordEmailSent', data: { messageId: item.messageId, attempt, messageIdHeader: mail.messageId, recipients: result.accepted } }, { sentMessageId: mail.messageId });
      this.store.updateOutbox(item.messageId, { status: 'sent', attempts: attempt, sentAt: this.clock.now().toISOString(), messageIdHeader: mail.messageId, nextAttemptAt: null, lastError: null });
    } catch (error) {
      if (!(error instanceof SendFailure)) throw error;
      const giveUp = error.permanent || attempt >= this.config.send.maxAttempts;
      const delay = Math.min(this.config.send.maxBackoffSeconds, this.config.send.backoffSeconds * 2 ** (attempt - 1));
      const now = this.clock.now();
      const nextAttemptAt = giveUp ? null : new Date(now.getTime() + delay * 1000).toISOString();
      await this.record(request.id, { type: 'RecordEmailSendFailed', data: { messageId: item.messageId, attempt, error: error.message, permanent: error.permanent, nextAttemptAt } }, { now });
      this.store.updateOutbox(item.messageId, { status: 'failed', attempts: attempt, nextAttemptAt, lastError: error.message });
      this.logger.warn(`Sending ${item.messageId} failed (attempt ${attempt}${giveUp ? ', giving up' : `, next at ${nextAttemptAt}`}): ${error.message}`);
    }
  }

  /** RFC 3834 and the loop backstop: never to ourselves, never more than N per address per window. */
  private async automaticRefusal(item: OutboxItem, message: MessageState): Promise<string | null> {
    const own = await this.directory.ownAddresses();
    const recipients = [...message.to];
    const ours = recipients.find((r) => own.has(r));
    if (ours) return `${ours} is one of our own addresses`;
    const daemon = recipients.find((r) => /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)(\+.*)?@/i.test(r));
    if (daemon) return `${daemon} does not read mail`;
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - this.config.autoReplyWindowMinutes * 60_000).toISOString();
    for (const recipient of recipients) {
      if (!this.store.takeAutoReplySlot(recipient, item.messageId, now.toISOString(), windowStart, this.config.autoReplyLimit)) {
        return `Auto-reply limit: ${this.config.autoReplyLimit} automatic mails to ${recipient} within ${this.config.autoReplyWindowMinutes} minutes`;
      }
    }
    return null;
  }

  private async compose(item: OutboxItem, request: ExistingRequest, message: MessageState, mailbox: Mailbox | undefined, delivery: DeliveryState): Promise<OutboundMail> {
    const fromAddress = mailbox?.settings.address ?? this.config.defaultFrom;
    const mailboxName = mailbox?.settings.name ?? 'Help desk';
    const catalog = await this.catalog.current();
    const author = message.authorId ? catalog.agents[message.authorId] : undefined;
    const firstMail = request.messages.find((m) => m.email?.direction === 'inbound')?.email;
    const threadSubject = (firstMail?.direction === 'inbound' ? firstMail.subject : '') || request.title;
    const index = request.messages.findIndex((m) => m.messageId === message.messageId);
    const before = request.messages.slice(0, index);
    const signature = message.authorId ? (await this.loader.load(Streams.signature(message.authorId), signatureDecider)).state.text : '';
    const sign = (text: string) => (signature ? `${text}\n\n-- \n${signature}` : text);
    const body = message.versions[message.versions.length - 1]?.body ?? '';

    let subject: string;
    let text: string;
    let inReplyTo: string | null = null;
    let references: string[] = [];
    let attachments: OutboundMail['attachments'] = [];
    if (message.kind === 'forward') {
      subject = `Fwd: ${baseSubject(threadSubject) || request.title} ${subjectTag(request.number)}`;
      const forwarded = await this.forwardedMessages(request, item.messageId);
      text = sign(body) + forwarded.map((m) => `\n\n---------- Forwarded message ----------\n${quoteHeader(m)}\n\n${m.versions[m.versions.length - 1]?.body ?? ''}`).join('');
      attachments = await this.attachmentsOf(forwarded);
    } else {
      subject = message.kind === 'automatic' ? (item.subject ?? replySubject(threadSubject, request.number)) : replySubject(threadSubject, request.number);
      text = message.kind === 'automatic' ? body : sign(body);
      attachments = await this.files(message.attachments ?? []);
      const parent = [...before].reverse().find((m) => m.email?.direction === 'inbound' && m.kind === 'customer') ?? [...before].reverse().find((m) => m.email?.direction === 'inbound');
      // Our earlier mail on this thread (not forwards: those went to someone else), as it was sent.
      const sentBefore = before
        .filter((m) => m.kind === 'reply' || m.kind === 'automatic')
        .map((m) => delivery.messages[m.messageId]?.messageIdHeader)
        .filter((id): id is string => typeof id === 'string');
      if (parent?.email?.direction === 'inbound') {
        inReplyTo = parent.email.messageIdHeader;
        references = [...parent.email.references, parent.email.messageIdHeader];
      } else if (sentBefore.length > 0) {
        inReplyTo = sentBefore[sentBefore.length - 1]!;
      }
      const firstInbound = request.messages.find((m) => m.email?.direction === 'inbound');
      references = dedupe([...(firstInbound?.email?.direction === 'inbound' ? [firstInbound.email.messageIdHeader] : []), ...references, ...sentBefore]).filter((id) => !id.endsWith('@helpdesk.invalid'));
      if (references.length > MAX_REFERENCES) references = [references[0]!, ...references.slice(-(MAX_REFERENCES - 1))];
      if (inReplyTo?.endsWith('@helpdesk.invalid')) inReplyTo = null;
    }
    return {
      from: { name: message.kind === 'automatic' || !author ? mailboxName : `${author.name} (${mailboxName})`, address: fromAddress },
      to: message.to,
      cc: message.cc,
      bcc: message.bcc,
      subject,
      text,
      messageId: ourMessageId(item.requestId, item.messageId, domainOf(fromAddress)),
      inReplyTo,
      references,
      automatic: message.kind === 'automatic',
      loopToken: this.config.loopToken,
      attachments,
    };
  }

  /** The messages a forward took along, as they are now. */
  private async forwardedMessages(request: ExistingRequest, forwardId: string): Promise<MessageState[]> {
    const events = await this.events.readStream(Streams.request(request.id));
    const forward = events.find((e) => e.type === 'RequestForwarded' && e.data.messageId === forwardId);
    const ids: string[] = forward ? forward.data.forwardedMessageIds : [];
    return request.messages.filter((m) => ids.includes(m.messageId));
  }

  /** What forwarded messages carried: the files of the mail they came as, and those sent with replies. */
  private async attachmentsOf(messages: readonly MessageState[]): Promise<OutboundMail['attachments']> {
    const refs = messages.flatMap((m) => [...(m.email?.direction === 'inbound' ? m.email.attachments : []), ...(m.attachments ?? [])]);
    return this.files(refs);
  }

  /**
   * The bytes of the files. A reply's uploads were checked when it was accepted and blobs are never deleted,
   * so a missing one means a damaged store: the send fails (and is retried, and shows in the outbox) rather
   * than going out without it.
   */
  private async files(refs: readonly AttachmentRef[]): Promise<OutboundMail['attachments']> {
    const out: { filename: string; contentType: string; content: Buffer; cid?: string }[] = [];
    for (const a of refs) {
      const content = await this.blobs.get(a.blob);
      if (!content) throw new Error(`Attachment ${a.filename} (${a.blob}) is missing from the blob store`);
      out.push({ filename: a.filename, contentType: a.contentType, content, ...(a.contentId ? { cid: a.contentId } : {}) });
    }
    return out;
  }

  /** The mailbox the request's mail came to last; else the one filing into its category; else the first. */
  private async mailboxFor(request: ExistingRequest): Promise<Mailbox | undefined> {
    const mailboxes = (await this.directory.all()).filter((m) => m.settings.enabled);
    const last = [...request.messages].reverse().find((m) => m.email?.direction === 'inbound');
    const mailboxId = last?.email?.direction === 'inbound' ? last.email.mailboxId : undefined;
    return (await this.directory.get(mailboxId ?? '')) ?? mailboxes.find((m) => m.settings.categoryId === request.categoryId) ?? mailboxes[0];
  }

  private async senderFor(mailbox: Mailbox | undefined): Promise<MailSender> {
    const smtp = mailbox?.settings.smtp;
    const key = smtp ? `${mailbox!.id}:${mailbox!.revision}` : this.config.smtp ? 'server' : 'eml';
    const known = this.senders.get(key);
    if (known) return known;
    let sender: MailSender;
    if (smtp) {
      const password = await this.secrets.resolve(smtp.secretRef);
      const settings: SmtpSettings = { host: smtp.host, port: smtp.port, tls: smtp.tls, user: smtp.user, password: password ?? null, allowInvalidCertificates: this.config.allowInvalidCertificates };
      sender = new SmtpMailSender(settings);
    } else if (this.config.smtp) {
      sender = new SmtpMailSender(this.config.smtp);
    } else {
      sender = new EmlFileSender(this.config.outboxDir);
    }
    this.senders.set(key, sender);
    return sender;
  }

  /** Appends the delivery event to the request's delivery stream (and, once sent, the claim of its Message-ID). */
  /** `now` is passed when the caller has already derived a time from it (the next attempt), so the event agrees with itself. */
  private async record(requestId: string, input: Omit<DeliveryCommand, 'metadata'>, options: { sentMessageId?: string; now?: Date } = {}): Promise<void> {
    const { sentMessageId, now = this.clock.now() } = options;
    const ctx: CommandContext = { actor: SYSTEM_ACTOR, channel: 'email', correlationId: newId(), now };
    await this.runner.run(ctx, { ...DELIVERY, streamId: Streams.delivery(requestId) }, async (uow, delivery) => {
      const request = await this.threads.request(requestId);
      if (!request) throw new Error(`No request ${requestId}`);
      uow.append(delivery, deliveryDecider, deliveryDecider.decide({ ...input, metadata: commandMetadata(ctx) } as DeliveryCommand, delivery.state, request));
      if (sentMessageId) {
        const key = sentMessageId.toLowerCase();
        const claim = await uow.load({ streamId: Streams.messageId(key), decider: messageIdClaimDecider });
        uow.append(
          claim,
          messageIdClaimDecider,
          messageIdClaimDecider.decide(
            { type: 'ClaimMessageId', data: { key, mailboxId: null, direction: 'outbound', requestId, messageId: input.data.messageId }, metadata: commandMetadata(ctx) },
            claim.state,
            undefined,
          ),
        );
      }
    });
  }
}

const chunk = <T>(items: readonly T[], parts: number): T[][] => {
  const out: T[][] = Array.from({ length: parts }, () => []);
  items.forEach((item, i) => out[i % parts]!.push(item));
  return out.filter((c) => c.length > 0);
};

const dedupe = (ids: readonly string[]): string[] => [...new Set(ids)];

const quoteHeader = (m: MessageState): string => {
  const email = m.email?.direction === 'inbound' ? m.email : undefined;
  const lines = [
    email ? `From: ${email.fromName ? `${email.fromName} <${email.from}>` : email.from}` : null,
    `Date: ${m.createdAt}`,
    email ? `Subject: ${email.subject}` : null,
    email && email.to.length > 0 ? `To: ${email.to.join(', ')}` : m.to.length > 0 ? `To: ${m.to.join(', ')}` : null,
  ];
  return lines.filter((l): l is string => l !== null).join('\n');
};


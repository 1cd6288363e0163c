import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  claimOf,
  contactDecider,
  contactEmailDecider,
  emailDestination,
  mayAutoReply,
  messageIdClaimDecider,
  requestDecider,
  RuleViolation,
  SYSTEM_ACTOR,
  type AttachmentRef,
  type AutoReplyDraft,
  type BounceFacts,
  type EmailClassification,
  type ExistingRequest,
  type InboundEmailFacts,
  type ReceiveEmail,
  type RequestState,
  type RequestRef,
} from '@helpdesk/domain';
import {
  BLOB_STORE,
  classify,
  MAIL_STORE,
  parseEmail,
  parseOurMessageId,
  peekHeaders,
  subjectTag,
  taggedNumber,
  UnprocessableMail,
  type BlobStore,
  type Classification,
  type MailStore,
  type ParsedEmail,
  type Receipt,
  type ReceiptOutcome,
} from '@helpdesk/mail';
import { EVENT_STORE, type EventStore } from '@helpdesk/event-store';
import { CatalogService } from '../catalog/catalog.service';
import { ContactDirectory } from '../contacts/contact-directory';
import { ApplicationError } from '../errors';
import { commandMetadata, type CommandContext } from '../event-sourcing/command-context';
import { CommandRunner, type UnitOfWork } from '../event-sourcing/command-runner';
import { StreamLoader } from '../event-sourcing/stream-loader';
import { RequestNumbers } from '../requests/request-numbers';
import { requestTarget } from '../requests/request-target';
import { Clock } from '../support/clock';
import { newId } from '../support/ids';
import { Streams } from '../support/streams';
import { MAIL_CONFIG, type MailConfig } from './mail-config';
import { MailboxDirectory, type Mailbox } from './mailbox-directory';
import { isForwardRecipient, ThreadResolver } from './thread-resolver';

export interface IngestOutcome {
  readonly receiptId: number;
  readonly status: ReceiptOutcome['status'];
  readonly requestId: string | null;
  readonly number: number | null;
  readonly reasonCode: string | null;
  readonly reason: string | null;
  /** Global position of what the import wrote, for read-your-writes. */
  readonly position: number | null;
}

interface Prepared {
  readonly receipt: Receipt;
  readonly mailbox: Mailbox;
  readonly mail: ParsedEmail;
  readonly classification: Classification;
}

type Done = { readonly done: ReceiptOutcome };

/** A batch parsed and classified, ready to import. */
export type PreparedBatch = readonly (Prepared | (Done & { receipt: Receipt }))[];

const TRANSIENT_RETRIES = 3;

/**
 * One raw message in, exactly one outcome out (ARCHITECTURE §7):
 *   stored (content-addressed, fsync'd) and receipted before anything else →
 *   parsed → classified → threaded → one command (a new request, or a message on a request; an ignored
 *   mail is still claimed) appended atomically with its Message-ID claim and, for an unknown sender, the
 *   new contact → the receipt records the outcome.
 * What cannot be imported becomes a dead letter with its reason and can be retried after a fix.
 */
@Injectable()
export class InboundMailPipeline {
  private readonly logger = new Logger('MailImport');

  constructor(
    private readonly runner: CommandRunner,
    private readonly catalog: CatalogService,
    private readonly numbers: RequestNumbers,
    private readonly contacts: ContactDirectory,
    private readonly directory: MailboxDirectory,
    private readonly threads: ThreadResolver,
    private readonly loader: StreamLoader,
    private readonly clock: Clock,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(MAIL_STORE) private readonly store: MailStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(MAIL_CONFIG) private readonly config: MailConfig,
  ) {}

  /** POST /mail/inbound: the raw message through the same pipeline. `mailboxId` null: found from the recipients. */
  async accept(raw: Buffer, mailboxId: string | null): Promise<IngestOutcome> {
    const { hash, size } = await this.blobs.put(raw);
    const receipt = this.store.addReceipt({ mailboxId, blob: hash, size, at: this.clock.now().toISOString() });
    const [outcome] = await this.processBatch([receipt]);
    return outcome!;
  }

  /** A dead letter (or any receipt) again, after a fix. */
  async retry(receiptId: number): Promise<IngestOutcome | undefined> {
    const receipt = this.store.reopen(receiptId);
    if (!receipt) return undefined;
    const [outcome] = await this.processBatch([receipt]);
    return outcome;
  }

  /** Receipts a crash left unprocessed (not those this process is importing right now). */
  async sweep(): Promise<number> {
    let total = 0;
    for (let after = 0; ; ) {
      const pending = this.store.unprocessed(200).filter((r) => r.id > after);
      if (pending.length === 0) return total;
      after = pending[pending.length - 1]!.id;
      const idle = pending.filter((r) => !this.inFlight.has(r.id));
      if (idle.length > 0) await this.processBatch(idle);
      total += idle.length;
      if (idle.length === 0 && pending.length < 200) return total;
    }
  }

  /** Receipts being imported by this process. */
  private readonly inFlight = new Set<number>();

  /**
   * A batch in arrival order, as concurrently as threading allows: a mail that refers to another mail of
   * the same batch (or repeats its Message-ID) waits for it, so a reply never overtakes its original
   * (zammad#4524) however the IMAP server ordered them.
   */
  async processBatch(receipts: readonly Receipt[], concurrency = 32): Promise<IngestOutcome[]> {
    return this.importBatch(await this.prepareBatch(receipts), concurrency);
  }

  /** Parse and classify (no threading yet): may run while the previous batch is imported. */
  prepareBatch(receipts: readonly Receipt[], raws?: ReadonlyMap<string, Buffer>): Promise<PreparedBatch> {
    for (const r of receipts) this.inFlight.add(r.id);
    const prepared = Promise.all(receipts.map((r) => this.prepare(r, raws?.get(r.blob))));
    // Left unprocessed by a failure: the sweep may take them again.
    prepared.catch(() => receipts.forEach((r) => this.inFlight.delete(r.id)));
    return prepared;
  }

  /** Thread and import a prepared batch; batches must be imported in arrival order. */
  async importBatch(prepared: PreparedBatch, concurrency = 32): Promise<IngestOutcome[]> {
    try {
      return await this.importInOrder(prepared, concurrency);
    } finally {
      for (const p of prepared) this.inFlight.delete(p.receipt.id);
    }
  }

  private async importInOrder(prepared: PreparedBatch, concurrency: number): Promise<IngestOutcome[]> {
    const byMessageId = new Map<string, number>();
    prepared.forEach((p, i) => {
      if ('mail' in p && !byMessageId.has(p.mail.messageId)) byMessageId.set(p.mail.messageId, i);
    });
    const levels = prepared.map(() => 0);
    const depsOf = (i: number): number[] => {
      const p = prepared[i]!;
      if (!('mail' in p)) return [];
      const ids = [p.mail.messageId, ...(p.mail.inReplyTo ? [p.mail.inReplyTo] : []), ...p.mail.references];
      return ids.map((id) => byMessageId.get(id)).filter((j): j is number => j !== undefined && j !== i);
    };
    // Levels by depth of reference, cycles broken (mail cannot really refer to a later reply of its own).
    const visiting = new Set<number>();
    const level = (i: number): number => {
      if (levels[i]! > 0 || visiting.has(i)) return levels[i]!;
      visiting.add(i);
      levels[i] = 1 + Math.max(0, ...depsOf(i).map((j) => (visiting.has(j) ? 0 : level(j))));
      visiting.delete(i);
      return levels[i]!;
    };
    prepared.forEach((_, i) => level(i));

    const outcomes: IngestOutcome[] = new Array(prepared.length);
    const maxLevel = Math.max(0, ...levels);
    for (let l = 1; l <= maxLevel; l++) {
      const indexes = prepared.map((_, i) => i).filter((i) => levels[i] === l);
      const finished: { id: number; outcome: ReceiptOutcome & { position?: bigint } }[] = [];
      await runLimited(indexes, concurrency, async (i) => {
        const outcome = await this.outcomeOf(prepared[i]!);
        finished.push({ id: prepared[i]!.receipt.id, outcome });
        outcomes[i] = ingestOutcome(prepared[i]!.receipt.id, outcome);
      });
      // One transaction per step; the events are already durable (see SqliteMailStore.completeMany).
      this.store.completeMany(
        finished.map(({ id, outcome: { position: _position, ...outcome } }) => ({ id, outcome })),
        this.clock.now().toISOString(),
      );
      for (const { id, outcome } of finished) {
        if (outcome.status === 'dead') this.logger.warn(`Mail receipt ${id} is a dead letter: ${outcome.reasonCode}: ${outcome.reason}`);
      }
    }
    return outcomes;
  }

  /** `known`: the raw bytes when the caller still has them (just stored); otherwise read from the blob store. */
  private async prepare(receipt: Receipt, known?: Buffer): Promise<Prepared | (Done & { receipt: Receipt })> {
    let raw: Buffer | undefined;
    try {
      raw = known ?? (await this.blobs.get(receipt.blob));
      if (!raw) return { receipt, done: dead('blob-missing', `The stored message ${receipt.blob} is missing from the blob store`) };
      const mail = await parseEmail(raw, this.config.limits);
      const mailbox = receipt.mailboxId ? await this.directory.get(receipt.mailboxId) : await this.mailboxFor(mail);
      if (!mailbox) {
        return { receipt, done: dead('no-mailbox', receipt.mailboxId ? `Mailbox ${receipt.mailboxId} does not exist (any more)` : 'None of the recipients is the address of a mailbox') };
      }
      const classification = classify(mail, { ownAddresses: await this.directory.ownAddresses(), loopToken: this.config.loopToken });
      return { receipt, mailbox, mail, classification };
    } catch (error) {
      if (error instanceof UnprocessableMail) {
        const facts = raw ? await peekHeaders(raw) : { messageId: null, subject: null, from: null };
        return { receipt, done: { ...dead(error.code, error.message), messageId: facts.messageId, subject: facts.subject, sender: facts.from } };
      }
      throw error;
    }
  }

  private async outcomeOf(p: Prepared | (Done & { receipt: Receipt })): Promise<ReceiptOutcome & { position?: bigint }> {
    return 'done' in p ? p.done : this.importWithRetries(p);
  }

  private async importWithRetries(p: Prepared): Promise<ReceiptOutcome & { position?: bigint }> {
    const facts = { messageId: p.mail.messageId, subject: p.mail.subject.slice(0, 300), sender: p.mail.from?.address ?? null };
    for (let attempt = 1; ; attempt++) {
      try {
        return { ...facts, ...(await this.import(p)) };
      } catch (error) {
        if (error instanceof RuleViolation || error instanceof ApplicationError) return { ...facts, ...dead(error instanceof RuleViolation ? error.code : error.code, error.message) };
        if (attempt >= TRANSIENT_RETRIES) {
          return { ...facts, ...dead('processing-failed', `Import failed ${attempt} times: ${error instanceof Error ? error.message : String(error)}`) };
        }
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private async import({ receipt, mailbox, mail, classification }: Prepared): Promise<ReceiptOutcome & { position?: bigint }> {
    const ctx: CommandContext = { actor: SYSTEM_ACTOR, channel: 'email', correlationId: newId(), causationId: `mail-receipt-${receipt.id}`, now: this.clock.now() };
    const sender = mail.from;
    const key = mail.messageId;

    const seen = claimOf((await this.loader.load(Streams.messageId(key), messageIdClaimDecider)).state, mailbox.id, 'inbound');
    if (seen) return this.seenBefore(receipt, key, mailbox, seen.requestId);

    if (classification === 'own') return this.ignore(ctx, key, mailbox, 'own-mail', 'Our own mail came back (a loop): it is not imported');
    if (!sender) throw new UnprocessableMail('no-sender', 'The mail has no From address to link or answer');

    const knownContact = await this.contacts.findByEmail(sender.address);
    const match = await this.threads.resolve(mail, mailbox.id, knownContact);
    let target = match.kind === 'request' ? await this.threads.request(match.requestId) : undefined;
    if (!target && (classification === 'bounce' || classification === 'auto-reply')) {
      return this.ignore(
        ctx,
        key,
        mailbox,
        classification === 'bounce' ? 'unmatched-bounce' : 'unmatched-auto-reply',
        classification === 'bounce' ? 'A bounce that names none of our mail' : 'An automatic answer to none of our mail',
      );
    }
    const role: 'contact' | 'external' = classification === 'bounce' || (target && isForwardRecipient(target, sender.address, knownContact)) ? 'external' : 'contact';
    let followUpOf: RequestRef | null = null;
    if (target && emailDestination(target, await this.catalog.current(), role) === 'follow-up-request') {
      followUpOf = { requestId: target.id, number: target.number };
      target = undefined;
    }

    const attachments: AttachmentRef[] = [];
    for (const a of mail.attachments) {
      const { hash } = await this.blobs.put(a.content);
      attachments.push({ blob: hash, filename: a.filename, contentType: a.contentType, size: a.size, contentId: a.contentId, inline: a.inline });
    }
    const email: InboundEmailFacts = {
      direction: 'inbound',
      mailboxId: mailbox.id,
      messageIdHeader: key,
      inReplyTo: mail.inReplyTo,
      references: mail.references,
      subject: mail.subject,
      from: sender.address,
      fromName: sender.name,
      to: mail.to.map((a) => a.address),
      cc: mail.cc.map((a) => a.address),
      html: mail.html,
      attachments,
      rawBlob: receipt.blob,
      classification: classification as EmailClassification,
      bounce: classification === 'bounce' ? this.bounceFacts(mail, target) : null,
    };

    const requestId = target?.id ?? newId();
    const messageId = newId();
    const outcome = await this.runner.run<RequestState, { duplicate?: string | null; number: number; created: boolean }>(ctx, requestTarget(requestId), async (uow, request) => {
      const claim = await uow.load({ streamId: Streams.messageId(key), decider: messageIdClaimDecider });
      const already = claimOf(claim.state, mailbox.id, 'inbound');
      if (already) return { duplicate: already.requestId, number: 0, created: false };

      const contactId = await this.contactFor(uow, ctx, sender.address, sender.name, mailbox, classification);
      const catalog = await this.catalog.current();
      const creating = request.state.kind === 'none';
      const command = (number: number | undefined): ReceiveEmail => ({
        type: 'ReceiveEmail',
        data: {
          requestId,
          messageId,
          body: mail.text || (mail.html ? '(HTML only)' : ''),
          role,
          contactId,
          email,
          ...(creating ? { number, categoryId: mailbox.settings.categoryId ?? undefined, priorityId: mailbox.settings.priorityId ?? undefined, followUpOf } : {}),
          autoReply: number === undefined ? null : this.autoReplyDraft(mailbox, mail, classification, role, creating, number, sender.address, sender.name),
        },
        metadata: commandMetadata(ctx),
      });
      let number = creating ? 0 : (request.state as ExistingRequest).number;
      if (creating) {
        requestDecider.decide(command(0), request.state, catalog); // refuse bad input before a number is spent on it
        number = await this.numbers.reserve(requestId);
      }
      const events = requestDecider.decide(command(number), request.state, catalog);
      uow.append(request, requestDecider, events);
      uow.append(
        claim,
        messageIdClaimDecider,
        messageIdClaimDecider.decide(
          { type: 'ClaimMessageId', data: { key, mailboxId: mailbox.id, direction: 'inbound', requestId, messageId: events.length > 0 ? messageId : null }, metadata: commandMetadata(ctx) },
          claim.state,
          undefined,
        ),
      );
      return { number, created: creating };
    });
    const result = outcome.result!;
    if (result.duplicate !== undefined) return this.seenBefore(receipt, key, mailbox, result.duplicate);
    return {
      status: result.created ? 'created' : 'appended',
      requestId,
      requestNumber: result.number,
      reasonCode: followUpOf ? 'follow-up' : match.kind === 'request' ? `threaded-by-${match.via}` : null,
      reason: followUpOf ? `Request #${followUpOf.number} takes no more mail in its status; #${result.number} follows it up` : null,
      position: outcome.position,
    };
  }

  /**
   * The mail's claim exists. Usually a duplicate; but if this very receipt made the claim (its outcome
   * was lost in a crash before it was written), the outcome is what that import did.
   */
  private async seenBefore(receipt: Receipt, key: string, mailbox: Mailbox, requestId: string | null): Promise<ReceiptOutcome & { position?: bigint }> {
    const causation = `mail-receipt-${receipt.id}`;
    const claims = await this.events.readStream(Streams.messageId(key));
    const mine = claims.find((e) => e.data?.mailboxId === mailbox.id && e.metadata['causationId'] === causation);
    const number = await this.numberOf(requestId);
    if (mine && requestId) {
      const [first] = await this.events.readStream(Streams.request(requestId), { maxCount: 1 });
      return { status: first?.metadata['causationId'] === causation ? 'created' : 'appended', requestId, requestNumber: number, position: mine.position };
    }
    if (mine) return { status: 'ignored', reasonCode: 'ignored-before', reason: 'Ignored when it was first imported', position: mine.position };
    return { status: 'duplicate', requestId, requestNumber: number, reason: 'This mail was imported before (same mailbox and Message-ID)' };
  }

  /** The sender's contact; a new one (in the same append) when the mailbox creates contacts. Looked up inside the unit of work, so a retry sees a contact a concurrent import just made. */
  private async contactFor(uow: UnitOfWork, ctx: CommandContext, address: string, name: string | null, mailbox: Mailbox, classification: Classification): Promise<string | null> {
    const claim = await uow.load({ streamId: Streams.contactEmail(address), decider: contactEmailDecider });
    if (claim.state.holderId) return claim.state.holderId;
    if (!mailbox.settings.createContacts || classification === 'bounce') return null;
    const contactId = newId();
    const contact = await uow.load({ streamId: Streams.contact(contactId), decider: contactDecider });
    const metadata = commandMetadata(ctx);
    uow.append(contact, contactDecider, contactDecider.decide({ type: 'CreateContact', data: { contactId, name: name || address.split('@')[0]!, emails: [address] }, metadata }, contact.state, undefined));
    uow.append(claim, contactEmailDecider, contactEmailDecider.decide({ type: 'ClaimContactEmail', data: { email: address, contactId }, metadata }, claim.state, undefined));
    return contactId;
  }

  private autoReplyDraft(
    mailbox: Mailbox,
    mail: ParsedEmail,
    classification: Classification,
    role: 'contact' | 'external',
    creating: boolean,
    number: number,
    to: string,
    name: string | null,
  ): AutoReplyDraft | null {
    const settings = mailbox.settings.autoReply;
    if (!settings.enabled || role !== 'contact' || classification === 'own' || !mayAutoReply(classification)) return null;
    if (!creating && !settings.onFollowUps) return null;
    // A newly connected mailbox full of old mail must not answer all of it (requests-domain §4.1).
    if (mail.date && Date.parse(mail.date) < this.clock.now().getTime() - this.config.autoReplyMaxAgeHours * 3600_000) return null;
    const vars: Record<string, string> = { number: String(number), title: mail.subject || '(no subject)', subject: mail.subject || '(no subject)', name: name ?? to, mailbox: mailbox.settings.name };
    let subject = render(settings.subject, vars);
    if (taggedNumber(subject) !== number) subject = `${subject} ${subjectTag(number)}`;
    return { messageId: newId(), kind: creating ? 'acknowledgement' : 'auto-reply', to: [to], subject, body: render(settings.body, vars) };
  }

  private bounceFacts(mail: ParsedEmail, target: ExistingRequest | undefined): BounceFacts {
    const report = mail.deliveryReport;
    const ours = report?.originalMessageId ? parseOurMessageId(report.originalMessageId) : null;
    const messageId = ours && target?.messages.some((m) => m.messageId === ours.messageId) ? ours.messageId : null;
    return { messageId, recipients: report?.recipients ?? [], status: report?.status ?? null, permanent: (report?.status ?? '5').startsWith('5') };
  }

  /** An ignored mail is claimed too: it is not looked at again, and the log says it was seen. */
  private async ignore(ctx: CommandContext, key: string, mailbox: Mailbox, code: string, reason: string): Promise<ReceiptOutcome & { position?: bigint }> {
    const outcome = await this.runner.run(ctx, { streamId: Streams.messageId(key), decider: messageIdClaimDecider }, (uow, claim) => {
      uow.append(
        claim,
        messageIdClaimDecider,
        messageIdClaimDecider.decide(
          { type: 'ClaimMessageId', data: { key, mailboxId: mailbox.id, direction: 'inbound', requestId: null, messageId: null }, metadata: commandMetadata(ctx) },
          claim.state,
          undefined,
        ),
      );
    });
    return { status: 'ignored', reasonCode: code, reason, position: outcome.position };
  }

  /** For mail that came through POST /mail/inbound without a mailbox: the first recipient that is one. */
  private async mailboxFor(mail: ParsedEmail): Promise<Mailbox | undefined> {
    const envelope = ['delivered-to', 'x-original-to', 'envelope-to'].map((h) => mail.headers.get(h)).filter((v): v is string => !!v);
    const candidates = [...envelope.map((v) => v.replace(/[<>]/g, '').trim()), ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)];
    for (const address of candidates) {
      const mailbox = await this.directory.byAddress(address);
      if (mailbox) return mailbox;
    }
    return undefined;
  }

  private async numberOf(requestId: string | null): Promise<number | null> {
    if (!requestId) return null;
    return (await this.threads.request(requestId))?.number ?? null;
  }
}

const dead = (code: string, reason: string): ReceiptOutcome => ({ status: 'dead', reasonCode: code, reason });

const ingestOutcome = (receiptId: number, outcome: ReceiptOutcome & { position?: bigint }): IngestOutcome => ({
  receiptId,
  status: outcome.status,
  requestId: outcome.requestId ?? null,
  number: outcome.requestNumber ?? null,
  reasonCode: outcome.reasonCode ?? null,
  reason: outcome.reason ?? null,
  position: outcome.position === undefined ? null : Number(outcome.position),
});

const render = (template: string, vars: Record<string, string>): string => template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);

/** Runs `work` over the items, at most `limit` at a time. */
export const runLimited = async <T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> => {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
};

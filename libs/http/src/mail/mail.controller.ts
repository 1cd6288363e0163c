import { BadRequestException, Body, Controller, Delete, Get, Header, HttpCode, Inject, NotFoundException, Param, Patch, PayloadTooLargeException, Post, Put, Query, Req, StreamableFile } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { signatureDecider, type Actor, type MailboxSettings } from '@helpdesk/domain';
import {
  ConfigureMailbox,
  DecideOnStream,
  GetRequestQuery,
  InboundMailPipeline,
  MailboxDirectory,
  MailboxPollers,
  Streams,
  OutboxReactor,
  MAIL_CONFIG,
  Signatures,
  toResponse,
  type CommandContext,
  type CommandOutcome,
  type Mailbox,
  type MailboxInput,
  type MailConfig,
} from '@helpdesk/application';
import { BLOB_STORE, MAIL_STORE, type BlobStore, type MailStore, type Receipt } from '@helpdesk/mail';
import { Roles } from '../auth/roles.decorator';
import { CommandCtx, CurrentActor } from '../context/command-context.decorator';
import { contentDisposition } from '../support/content-disposition';
import { dropUndefined } from '../support/drop-undefined';
import { AttachmentUploadQueryDto, CreateMailboxDto, InboundQueryDto, OutboxListDto, ReceiptListDto, SignatureDto, UpdateMailboxDto } from './mail.dto';

/** A mailbox as the API shows it: every setting but the passwords (only whether one is set, and its reference). */
const mailboxView = ({ id, revision, settings }: Mailbox) => ({
  id,
  revision,
  ...settings,
  imap: settings.imap ? { ...settings.imap, passwordSet: settings.imap.secretRef.length > 0 } : null,
  smtp: settings.smtp ? { ...settings.smtp, passwordSet: settings.smtp.secretRef.length > 0 } : null,
});

const receiptView = (r: Receipt) => ({
  id: r.id,
  mailboxId: r.mailboxId,
  source: r.source,
  uidValidity: r.uidValidity,
  uid: r.uid,
  rawBlob: r.blob,
  size: r.size,
  receivedAt: r.receivedAt,
  status: r.status,
  attempts: r.attempts,
  reasonCode: r.reasonCode,
  reason: r.reason,
  requestId: r.requestId,
  requestNumber: r.requestNumber,
  messageId: r.messageId,
  subject: r.subject,
  from: r.sender,
  processedAt: r.processedAt,
});

/** The email channel: mailboxes, inbound mail (pipe/webhook), dead letters, the outbox, signatures, blobs. */
@ApiTags('mail')
@ApiBearerAuth()
@Controller('mail')
export class MailController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly directory: MailboxDirectory,
    private readonly pipeline: InboundMailPipeline,
    private readonly pollers: MailboxPollers,
    private readonly outbox: OutboxReactor,
    private readonly signatures: Signatures,
    @Inject(MAIL_STORE) private readonly store: MailStore,
    @Inject(BLOB_STORE) private readonly blobs: BlobStore,
    @Inject(MAIL_CONFIG) private readonly config: MailConfig,
  ) {}

  // ---- mailboxes -----------------------------------------------------------------------------

  @Get('mailboxes')
  @Roles('admin', 'agent')
  async mailboxes() {
    return (await this.directory.all()).map(mailboxView);
  }

  @Post('mailboxes')
  @Roles('admin')
  @ApiOperation({ summary: 'Configure a mailbox (IMAP in, SMTP out, defaults, auto-reply); passwords go to the secret store' })
  createMailbox(@Body() body: CreateMailboxDto, @CommandCtx() ctx: CommandContext) {
    return this.configure(undefined, toInput(body), ctx);
  }

  @Get('mailboxes/:id')
  @Roles('admin', 'agent')
  async mailbox(@Param('id') id: string) {
    const mailbox = await this.directory.get(id);
    if (!mailbox) throw new NotFoundException(`No mailbox ${id}`);
    return mailboxView(mailbox);
  }

  @Patch('mailboxes/:id')
  @Roles('admin')
  async updateMailbox(@Param('id') id: string, @Body() body: UpdateMailboxDto, @CommandCtx() ctx: CommandContext) {
    await this.mustExist(id);
    const input = toInput(body);
    if (Object.keys(input).length === 0) throw new BadRequestException({ code: 'empty-update', message: 'Give at least one setting to change' });
    return this.configure(id, input, ctx);
  }

  @Delete('mailboxes/:id')
  @Roles('admin')
  async removeMailbox(@Param('id') id: string, @CommandCtx() ctx: CommandContext) {
    await this.mustExist(id);
    return this.configure(id, 'remove', ctx);
  }

  @Get('mailboxes/:id/status')
  @Roles('admin')
  @ApiOperation({ summary: 'The IMAP poller: connected, UIDVALIDITY, last UID, last sync, last error' })
  async status(@Param('id') id: string) {
    await this.mustExist(id);
    return this.pollers.status().find((s) => s.mailboxId === id) ?? { mailboxId: id, connected: false, polling: false };
  }

  // ---- inbound -----------------------------------------------------------------------------

  @Post('inbound')
  @HttpCode(200)
  @Roles('admin')
  @ApiConsumes('message/rfc822', 'application/octet-stream')
  @ApiOperation({ summary: 'A raw RFC 822 message (an MTA pipe, a webhook), through the same import as IMAP mail' })
  async inbound(@Req() request: FastifyRequest, @Query() query: InboundQueryDto) {
    const raw = request.body;
    if (!Buffer.isBuffer(raw) || raw.length === 0) {
      throw new BadRequestException({ code: 'raw-message-required', message: 'Send the raw message as the body, with Content-Type: message/rfc822' });
    }
    let mailboxId: string | null = null;
    if (query.mailbox) {
      const mailbox = (await this.directory.get(query.mailbox)) ?? (await this.directory.byAddress(query.mailbox));
      if (!mailbox) throw new NotFoundException(`No mailbox ${query.mailbox}`);
      mailboxId = mailbox.id;
    }
    return this.pipeline.accept(raw, mailboxId);
  }

  @Get('received')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: 'Every mail taken in and what became of it (created, appended, duplicate, ignored, dead)' })
  received(@Query() query: ReceiptListDto) {
    const page = this.store.listReceipts({ status: query.status, mailboxId: query.mailbox, after: query.after, limit: query.limit ?? 50 });
    return { items: page.items.map(receiptView), next: page.next };
  }

  @Get('dead-letters')
  @Roles('admin')
  @ApiOperation({ summary: 'Mail that could not be imported, with the reason; retry after a fix' })
  deadLetters(@Query() query: ReceiptListDto) {
    const page = this.store.listReceipts({ status: 'dead', mailboxId: query.mailbox, after: query.after, limit: query.limit ?? 50 });
    return { items: page.items.map(receiptView), next: page.next, total: this.store.countReceipts('dead') };
  }

  @Get('dead-letters/:id')
  @Roles('admin')
  deadLetter(@Param('id') id: string) {
    const receipt = this.store.receipt(Number(id));
    if (!receipt || receipt.status !== 'dead') throw new NotFoundException(`No dead letter ${id}`);
    return receiptView(receipt);
  }

  @Post('dead-letters/:id/retry')
  @HttpCode(200)
  @Roles('admin')
  async retry(@Param('id') id: string) {
    const receipt = this.store.receipt(Number(id));
    if (!receipt || receipt.status !== 'dead') throw new NotFoundException(`No dead letter ${id}`);
    return this.pipeline.retry(receipt.id);
  }

  // ---- outbound ----------------------------------------------------------------------------

  @Get('outbox')
  @Roles('admin', 'auditor')
  @ApiOperation({ summary: "Outbound mail of every request: pending, sent, failed (with the next attempt), suppressed; an agent sees a message's delivery on its request" })
  outboxList(@Query() query: OutboxListDto) {
    return this.store.listOutbox({ status: query.status, after: query.after, limit: query.limit ?? 50 });
  }

  @Post('outbox/:messageId/retry')
  @HttpCode(200)
  @Roles('admin', 'agent')
  async retryOutbound(@CurrentActor() actor: Actor, @Param('messageId') messageId: string) {
    const queued = this.store.outboxItem(messageId);
    if (!queued) throw new NotFoundException(`No outbound message ${messageId}`);
    await this.queries.execute(new GetRequestQuery(actor, queued.requestId)); // category access: 404 when hidden
    return this.outbox.retryNow(messageId);
  }

  @Get('signature')
  @Roles('admin', 'agent')
  async signature(@CurrentActor() actor: Actor) {
    return { agentId: actor.id, text: await this.signatures.of(actor.id) };
  }

  @Put('signature')
  @Roles('admin', 'agent')
  async setSignature(@CurrentActor() actor: Actor, @Body() body: SignatureDto, @CommandCtx() ctx: CommandContext) {
    const outcome: CommandOutcome<unknown, { id: string }> = await this.commands.execute(
      new DecideOnStream(Streams.signature(actor.id), signatureDecider, { type: 'SetEmailSignature', data: { agentId: actor.id, text: body.text } }, ctx, undefined, { id: actor.id }),
    );
    return toResponse(actor.id, outcome);
  }

  // ---- blobs ----------------------------------------------------------------------------------

  @Post('attachments')
  @HttpCode(201)
  @Roles('admin', 'agent')
  @ApiConsumes('application/octet-stream')
  @ApiOperation({ summary: 'Upload a file to send with a reply: the bytes as the body; answers the reference to put in the reply\'s attachments' })
  async uploadAttachment(@Req() request: FastifyRequest, @Query() query: AttachmentUploadQueryDto) {
    const bytes = request.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0) {
      throw new BadRequestException({ code: 'file-required', message: 'Send the file as the body, with Content-Type: application/octet-stream' });
    }
    const limit = this.config.limits.maxAttachmentBytes;
    if (bytes.length > limit) throw new PayloadTooLargeException(`An attachment has at most ${limit} bytes (this one has ${bytes.length})`);
    const { hash, size } = await this.blobs.put(bytes);
    return { blob: hash, filename: query.filename, contentType: query.contentType.toLowerCase(), size };
  }

  @Get('blobs/:hash')
  @Roles('admin', 'auditor')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Content-Security-Policy', "default-src 'none'; sandbox")
  @ApiOperation({ summary: 'Any stored blob by its sha256 (a dead letter as received, for instance), for those who see every category; agents read files through GET /api/requests/{ref}/files/{blob}' })
  async blob(@Param('hash') hash: string, @Query('filename') filename: string | undefined) {
    const bytes = await this.blobs.get(hash.toLowerCase());
    if (!bytes) throw new NotFoundException(`No blob ${hash}`);
    return new StreamableFile(bytes, { type: 'application/octet-stream', disposition: contentDisposition('attachment', filename ?? `${hash}.bin`), length: bytes.length });
  }

  private async mustExist(id: string): Promise<void> {
    if (!(await this.directory.get(id))) throw new NotFoundException(`No mailbox ${id}`);
  }

  private async configure(id: string | undefined, input: MailboxInput | 'remove', ctx: CommandContext) {
    const { id: mailboxId, outcome } = await this.commands.execute(new ConfigureMailbox(id, input, ctx));
    return toResponse(mailboxId, outcome);
  }
}

const toInput = (body: UpdateMailboxDto): MailboxInput => {
  const input = dropUndefined({ ...body }) as Record<string, unknown>;
  if (body.imap) input['imap'] = dropUndefined({ ...body.imap, folder: body.imap.folder ?? 'INBOX' });
  if (body.smtp) input['smtp'] = dropUndefined({ ...body.smtp });
  if (body.autoReply) input['autoReply'] = dropUndefined({ ...body.autoReply }) as Partial<MailboxSettings['autoReply']>;
  return input as MailboxInput;
};

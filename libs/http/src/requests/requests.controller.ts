import { BadRequestException, Body, Controller, Delete, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AddContactToRequest,
  CreateRequestCommand,
  DecideOnRequest,
  MergeRequestsCommand,
  ReplyToContactCommand,
  RequestLocator,
  SplitRequestCommand,
  UnmergeRequestCommand,
  newId,
  type CommandContext,
  type CommandResponse,
  type RequestCommandInput,
  type SplitResponse,
} from '@helpdesk/application';
import { Roles, WRITERS } from '../auth/roles.decorator';
import { CommandCtx } from '../context/command-context.decorator';
import {
  AddContactDto,
  AssignDto,
  CreateRequestDto,
  ForwardDto,
  MergeDto,
  MessageVersionDto,
  NoteDto,
  PostponeDto,
  ReorderContactsDto,
  ReplyDto,
  SplitDto,
  StatusChoiceDto,
  TagDto,
  TransferDto,
  UnmergeDto,
  UpdateMessageDto,
  UpdateRequestDto,
} from './request.dto';
import { dropUndefined } from '../support/drop-undefined';


/** One route per request command. `:ref` is a request id or number. Every answer is `{ id, number, revision, position }`. */
@ApiTags('requests')
@ApiBearerAuth()
@Roles(...WRITERS)
@Controller('requests')
export class RequestsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly locator: RequestLocator,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register a request (phone call, web form, API)' })
  create(@Body() body: CreateRequestDto, @CommandCtx() ctx: CommandContext): Promise<CommandResponse> {
    const { channel, message, ...rest } = body;
    return this.commands.execute(
      new CreateRequestCommand({ ...dropUndefined(rest), channel: channel ?? 'api', message: dropUndefined({ ...message }) }, ctx),
    );
  }

  @Post(':ref/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take ownership (status becomes the configured "on accept" status)' })
  accept(@Param('ref') ref: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'AcceptRequest', data: {} }, ctx);
  }

  @Post(':ref/assign')
  @HttpCode(200)
  assign(@Param('ref') ref: string, @Body() body: AssignDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'AssignRequest', data: { ownerId: body.ownerId } }, ctx);
  }

  @Post(':ref/transfer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Ask a colleague: new owner (or unassigned in a new category) with an internal note' })
  transfer(@Param('ref') ref: string, @Body() body: TransferDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(
      ref,
      { type: 'TransferRequest', data: dropUndefined({ ownerId: body.ownerId ?? null, categoryId: body.categoryId, note: body.note, noteMessageId: newId() }) },
      ctx,
    );
  }

  @Post(':ref/notes')
  @HttpCode(200)
  addNote(@Param('ref') ref: string, @Body() body: NoteDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'AddInternalNote', data: { messageId: newId(), body: body.body } }, ctx);
  }

  @Post(':ref/replies')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reply to the contact (default To: the main contact); optionally close' })
  async reply(@Param('ref') ref: string, @Body() body: ReplyDto, @CommandCtx() ctx: CommandContext): Promise<CommandResponse> {
    const id = await this.locator.locate(ref);
    return this.commands.execute(new ReplyToContactCommand(id, dropUndefined({ ...body, messageId: newId() }), ctx));
  }

  @Post(':ref/forwards')
  @HttpCode(200)
  @ApiOperation({ summary: 'Forward to external addresses; the customer is not copied' })
  forward(@Param('ref') ref: string, @Body() body: ForwardDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'ForwardRequest', data: dropUndefined({ ...body, to: body.to ?? [], note: body.note ?? '', messageId: newId() }) }, ctx);
  }

  @Post(':ref/split')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move chosen messages to a new request; both link to each other' })
  async split(@Param('ref') ref: string, @Body() body: SplitDto, @CommandCtx() ctx: CommandContext): Promise<SplitResponse> {
    const id = await this.locator.locate(ref);
    return this.commands.execute(new SplitRequestCommand(id, dropUndefined({ ...body }), ctx));
  }

  @Post(':ref/merge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Merge other requests into this one' })
  async merge(@Param('ref') ref: string, @Body() body: MergeDto, @CommandCtx() ctx: CommandContext): Promise<CommandResponse> {
    const id = await this.locator.locate(ref);
    const sources: string[] = [];
    for (const source of body.sourceIds) sources.push(await this.locator.locate(source, { followMerges: false }));
    return this.commands.execute(new MergeRequestsCommand(id, sources, ctx));
  }

  @Post(':ref/unmerge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Undo a merge exactly: the merged request gets its messages, contacts and status back' })
  async unmerge(@Param('ref') ref: string, @Body() body: UnmergeDto, @CommandCtx() ctx: CommandContext): Promise<CommandResponse> {
    const id = await this.locator.locate(ref);
    const source = await this.locator.locate(body.sourceId, { followMerges: false });
    return this.commands.execute(new UnmergeRequestCommand(id, source, ctx));
  }

  @Post(':ref/close')
  @HttpCode(200)
  close(@Param('ref') ref: string, @Body() body: StatusChoiceDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'CloseRequest', data: dropUndefined({ ...body }) }, ctx);
  }

  @Post(':ref/reopen')
  @HttpCode(200)
  reopen(@Param('ref') ref: string, @Body() body: StatusChoiceDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'ReopenRequest', data: dropUndefined({ ...body }) }, ctx);
  }

  @Post(':ref/postpone')
  @HttpCode(200)
  @ApiOperation({ summary: 'Postpone until a time; it reopens itself when due' })
  postpone(@Param('ref') ref: string, @Body() body: PostponeDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'PostponeRequest', data: dropUndefined({ ...body }) }, ctx);
  }

  @Delete(':ref')
  @Roles('admin')
  @ApiOperation({ summary: 'Soft delete (admin only); restorable' })
  remove(@Param('ref') ref: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'DeleteRequest', data: {} }, ctx, { followMerges: false });
  }

  @Post(':ref/restore')
  @HttpCode(200)
  @Roles('admin')
  restore(@Param('ref') ref: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'RestoreRequest', data: {} }, ctx);
  }

  @Patch(':ref')
  @ApiOperation({ summary: 'Change status, priority, category, title, access level and/or tags (the complete set), atomically' })
  update(@Param('ref') ref: string, @Body() body: UpdateRequestDto, @CommandCtx() ctx: CommandContext) {
    const data = dropUndefined({ ...body });
    if (Object.keys(data).length === 0) throw new BadRequestException({ code: 'empty-update', message: 'Give at least one property to change' });
    return this.decide(ref, { type: 'UpdateRequest', data }, ctx);
  }

  @Patch(':ref/messages/:messageId')
  @ApiOperation({ summary: "Change a message's access level and/or flag" })
  updateMessage(@Param('ref') ref: string, @Param('messageId') messageId: string, @Body() body: UpdateMessageDto, @CommandCtx() ctx: CommandContext) {
    const inputs: RequestCommandInput[] = [];
    if (body.accessLevel !== undefined) inputs.push({ type: 'SetMessageAccessLevel', data: { messageId, accessLevel: body.accessLevel } });
    if (body.flagged !== undefined) inputs.push({ type: body.flagged ? 'FlagMessage' : 'UnflagMessage', data: { messageId } });
    if (inputs.length === 0) throw new BadRequestException({ code: 'empty-update', message: 'Give accessLevel and/or flagged' });
    return this.decide(ref, inputs, ctx);
  }

  @Post(':ref/messages/:messageId/versions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Edit a message: a new version is added, earlier ones are kept' })
  editMessage(@Param('ref') ref: string, @Param('messageId') messageId: string, @Body() body: MessageVersionDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'EditMessage', data: { messageId, body: body.body } }, ctx);
  }

  @Post(':ref/contacts')
  @HttpCode(200)
  async addContact(@Param('ref') ref: string, @Body() body: AddContactDto, @CommandCtx() ctx: CommandContext): Promise<CommandResponse> {
    const id = await this.locator.locate(ref);
    return this.commands.execute(new AddContactToRequest(id, dropUndefined({ ...body }), ctx));
  }

  @Delete(':ref/contacts/:contactId')
  removeContact(@Param('ref') ref: string, @Param('contactId') contactId: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'RemoveContact', data: { contactId } }, ctx);
  }

  @Put(':ref/contacts')
  @ApiOperation({ summary: 'Reorder the contacts (the first is the main contact)' })
  reorderContacts(@Param('ref') ref: string, @Body() body: ReorderContactsDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'ReorderContacts', data: { contactIds: body.contactIds } }, ctx);
  }

  @Post(':ref/tags')
  @HttpCode(200)
  addTag(@Param('ref') ref: string, @Body() body: TagDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'AddTag', data: { tag: body.tag } }, ctx);
  }

  @Delete(':ref/tags/:tag')
  removeTag(@Param('ref') ref: string, @Param('tag') tag: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(ref, { type: 'RemoveTag', data: { tag } }, ctx);
  }

  private async decide(
    ref: string,
    input: RequestCommandInput | RequestCommandInput[],
    ctx: CommandContext,
    options?: { followMerges?: boolean },
  ): Promise<CommandResponse> {
    const id = await this.locator.locate(ref, options);
    return this.commands.execute(new DecideOnRequest(id, input, ctx));
  }
}

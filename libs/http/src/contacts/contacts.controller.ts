import { BadRequestException, Body, Controller, Delete, Get, NotFoundException, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import {
  ContactDirectory,
  ExecuteContactCommand,
  toResponse,
  type CommandContext,
  type CommandOutcome,
  type ContactCommandInput,
} from '@helpdesk/application';
import { Roles, WRITERS } from '../auth/roles.decorator';
import { CommandCtx } from '../context/command-context.decorator';
import { dropUndefined } from '../support/drop-undefined';
import { ContactEmailDto, ContactQueryDto, CreateContactDto, UpdateContactDto } from './contacts.dto';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly contacts: ContactDirectory,
  ) {}

  @Post()
  @Roles(...WRITERS)
  create(@Body() body: CreateContactDto, @CommandCtx() ctx: CommandContext) {
    return this.run(undefined, { type: 'CreateContact', data: dropUndefined({ contactId: '', emails: [], ...body }) }, ctx);
  }

  @Get()
  @Roles('admin', 'agent', 'auditor')
  async findByEmail(@Query() query: ContactQueryDto) {
    if (!query.email) throw new BadRequestException({ code: 'email-required', message: 'Give ?email= to look a contact up (lists come with the read side)' });
    const contactId = await this.contacts.findByEmail(query.email);
    if (!contactId) throw new NotFoundException(`No contact has the address ${query.email}`);
    return this.get(contactId);
  }

  @Get(':id')
  @Roles('admin', 'agent', 'auditor')
  async get(@Param('id') id: string) {
    const contact = await this.contacts.get(id);
    if (contact.kind !== 'existing') throw new NotFoundException(`No contact ${id}`);
    return contact;
  }

  @Patch(':id')
  @Roles(...WRITERS)
  async update(@Param('id') id: string, @Body() body: UpdateContactDto, @CommandCtx() ctx: CommandContext) {
    const { companyId, ...rest } = dropUndefined({ ...body });
    if (companyId === undefined && Object.keys(rest).length === 0) throw new BadRequestException({ code: 'empty-update', message: 'Give name, phone and/or companyId' });
    const commands: ContactCommandInput[] = [];
    if (Object.keys(rest).length > 0) commands.push({ type: 'UpdateContact', data: rest });
    if (companyId !== undefined) commands.push({ type: 'SetContactCompany', data: { companyId } });
    return this.run(id, commands, ctx);
  }

  @Post(':id/emails')
  @Roles(...WRITERS)
  addEmail(@Param('id') id: string, @Body() body: ContactEmailDto, @CommandCtx() ctx: CommandContext) {
    return this.run(id, { type: 'AddContactEmail', data: { email: body.email } }, ctx);
  }

  @Delete(':id/emails/:email')
  @Roles(...WRITERS)
  removeEmail(@Param('id') id: string, @Param('email') email: string, @CommandCtx() ctx: CommandContext) {
    return this.run(id, { type: 'RemoveContactEmail', data: { email } }, ctx);
  }

  private async run(contactId: string | undefined, input: ContactCommandInput | ContactCommandInput[], ctx: CommandContext) {
    const { id, outcome }: { id: string; outcome: CommandOutcome<unknown> } = await this.commands.execute(new ExecuteContactCommand(contactId, input, ctx));
    return toResponse(id, outcome);
  }
}

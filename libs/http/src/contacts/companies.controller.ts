import { BadRequestException, Body, Controller, Get, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { companyDecider } from '@helpdesk/domain';
import { DecideOnStream, StreamLoader, Streams, newId, toResponse, type CommandContext, type CommandOutcome } from '@helpdesk/application';
import { Roles, WRITERS } from '../auth/roles.decorator';
import { CommandCtx } from '../context/command-context.decorator';
import { dropUndefined } from '../support/drop-undefined';
import { CreateCompanyDto, UpdateCompanyDto } from './contacts.dto';

@ApiTags('contacts')
@ApiBearerAuth()
@Controller('companies')
export class CompaniesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly loader: StreamLoader,
  ) {}

  @Post()
  @Roles(...WRITERS)
  create(@Body() body: CreateCompanyDto, @CommandCtx() ctx: CommandContext) {
    const companyId = newId();
    return this.decide(companyId, { type: 'CreateCompany', data: dropUndefined({ companyId, ...body }) }, ctx, { id: companyId });
  }

  @Get(':id')
  @Roles('admin', 'agent', 'auditor')
  async get(@Param('id') id: string) {
    const { state } = await this.loader.load(Streams.company(id), companyDecider);
    if ((state as { kind?: string }).kind !== 'existing') throw new NotFoundException(`No company ${id}`);
    return state;
  }

  @Patch(':id')
  @Roles(...WRITERS)
  update(@Param('id') id: string, @Body() body: UpdateCompanyDto, @CommandCtx() ctx: CommandContext) {
    const data = dropUndefined({ ...body });
    if (Object.keys(data).length === 0) throw new BadRequestException({ code: 'empty-update', message: 'Give name and/or domain' });
    return this.decide(id, { type: 'UpdateCompany', data }, ctx);
  }

  private async decide(companyId: string, input: { type: string; data: unknown }, ctx: CommandContext, result?: { id: string }) {
    const outcome: CommandOutcome<unknown, { id: string }> = await this.commands.execute(
      new DecideOnStream(Streams.company(companyId), companyDecider, input, ctx, undefined, result),
    );
    return toResponse(outcome.result?.id ?? companyId, outcome);
  }
}

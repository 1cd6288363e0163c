import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { agentDecider } from '@helpdesk/domain';
import {
  CatalogService,
  DecideOnStream,
  IssueAgentToken,
  Streams,
  newId,
  toResponse,
  type CommandContext,
  type CommandOutcome,
  type IssuedToken,
} from '@helpdesk/application';
import { Roles } from '../auth/roles.decorator';
import { CommandCtx } from '../context/command-context.decorator';
import { IssueTokenDto, RegisterAgentDto, UpdateAgentDto } from './admin.dto';
import { dropUndefined } from '../support/drop-undefined';


/** Users of the help desk (agents, admins, auditors, reporters) and their API tokens. Admins manage them. */
@ApiTags('agents')
@ApiBearerAuth()
@Controller('agents')
export class AgentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly catalog: CatalogService,
  ) {}

  @Get()
  @Roles('admin', 'agent', 'auditor', 'reporter')
  async list() {
    return Object.values((await this.catalog.current()).agents);
  }

  @Get(':id')
  @Roles('admin', 'agent', 'auditor', 'reporter')
  async get(@Param('id') id: string) {
    const agent = (await this.catalog.current()).agents[id];
    if (!agent) throw new NotFoundException(`No agent ${id}`);
    return agent;
  }

  @Post()
  @Roles('admin')
  async register(@Body() body: RegisterAgentDto, @CommandCtx() ctx: CommandContext) {
    const agentId = newId();
    return this.decide(agentId, { type: 'RegisterAgent', data: { agentId, ...body } }, ctx, { id: agentId });
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id') id: string, @Body() body: UpdateAgentDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'UpdateAgent', data: dropUndefined({ ...body }) }, ctx);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('admin')
  deactivate(@Param('id') id: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'DeactivateAgent', data: {} }, ctx);
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @Roles('admin')
  reactivate(@Param('id') id: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'ReactivateAgent', data: {} }, ctx);
  }

  @Post(':id/tokens')
  @Roles('admin')
  async issueToken(@Param('id') id: string, @Body() body: IssueTokenDto, @CommandCtx() ctx: CommandContext) {
    const issued: IssuedToken = await this.commands.execute(new IssueAgentToken(id, body.label ?? 'api', ctx));
    return { ...toResponse(id, issued.outcome), tokenId: issued.tokenId, token: issued.token };
  }

  /** Admins revoke anyone's tokens; every user may revoke their own (the decider checks which). */
  @Delete(':id/tokens/:tokenId')
  @Roles('admin', 'agent', 'auditor', 'reporter')
  revokeToken(@Param('id') id: string, @Param('tokenId') tokenId: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'RevokeToken', data: { tokenId } }, ctx);
  }

  private async decide(agentId: string, input: { type: string; data: unknown }, ctx: CommandContext, result?: { id: string }) {
    const outcome: CommandOutcome<unknown, { id: string }> = await this.commands.execute(
      new DecideOnStream(Streams.agent(agentId), agentDecider, input, ctx, undefined, result),
    );
    return toResponse(outcome.result?.id ?? agentId, outcome);
  }
}

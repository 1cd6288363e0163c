import { Controller, Delete, Get, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { agentDecider, type Actor } from '@helpdesk/domain';
import { CatalogService, DecideOnStream, RequestLocator, Streams, toResponse, type CommandContext, type CommandOutcome } from '@helpdesk/application';
import { Roles, WRITERS } from '../auth/roles.decorator';
import { CommandCtx, CurrentActor } from '../context/command-context.decorator';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly locator: RequestLocator,
    private readonly catalog: CatalogService,
  ) {}

  @Get()
  @Roles('admin', 'agent', 'auditor', 'reporter')
  async me(@CurrentActor() actor: Actor) {
    const agent = (await this.catalog.current()).agents[actor.id];
    return { id: actor.id, role: actor.role, name: agent?.name, email: agent?.email };
  }

  @Put('favourites/:ref')
  @Roles(...WRITERS)
  async addFavourite(@Param('ref') ref: string, @CommandCtx() ctx: CommandContext) {
    const requestId = await this.locator.locate(ref);
    return this.favourite('AddFavourite', requestId, ctx);
  }

  @Delete('favourites/:ref')
  @Roles(...WRITERS)
  async removeFavourite(@Param('ref') ref: string, @CommandCtx() ctx: CommandContext) {
    const requestId = await this.locator.locate(ref);
    return this.favourite('RemoveFavourite', requestId, ctx);
  }

  private async favourite(type: 'AddFavourite' | 'RemoveFavourite', requestId: string, ctx: CommandContext) {
    const outcome: CommandOutcome<unknown> = await this.commands.execute(
      new DecideOnStream(Streams.agent(ctx.actor.id), agentDecider, { type, data: { requestId } }, ctx),
    );
    return toResponse(requestId, outcome);
  }
}

import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { categoryDecider, priorityDecider, statusDecider, type CategoryContext, type Decider } from '@helpdesk/domain';
import { CatalogService, DecideOnStream, Streams, newId, toResponse, type CommandContext, type CommandOutcome } from '@helpdesk/application';
import { Roles } from '../auth/roles.decorator';
import { CommandCtx } from '../context/command-context.decorator';
import {
  DefineCategoryDto,
  DefinePriorityDto,
  DefineStatusDto,
  UpdateCategoryDto,
  UpdatePriorityDto,
  UpdateStatusDto,
} from './admin.dto';
import { dropUndefined } from '../support/drop-undefined';

const ANY_ROLE = ['admin', 'agent', 'auditor', 'reporter'] as const;

/** Statuses, categories and priorities each live in one configuration stream; admins change them. */
abstract class ConfigurationController {
  constructor(
    protected readonly commands: CommandBus,
    protected readonly catalog: CatalogService,
  ) {}

  protected abstract readonly streamId: string;
  protected abstract readonly decider: Decider<any, any, any, any>;

  /** `id` is what the command is about; for a replayed create, the id it made the first time. */
  protected async decide(id: string, input: { type: string; data: unknown }, ctx: CommandContext, context?: unknown) {
    const outcome: CommandOutcome<unknown, { id: string }> = await this.commands.execute(
      new DecideOnStream(this.streamId, this.decider, input, ctx, context, { id }),
    );
    return toResponse(outcome.result?.id ?? id, outcome);
  }
}

@ApiTags('configuration')
@ApiBearerAuth()
@Controller('statuses')
export class StatusesController extends ConfigurationController {
  constructor(commands: CommandBus, catalog: CatalogService) {
    super(commands, catalog);
  }

  protected readonly streamId = Streams.statuses;
  protected readonly decider = statusDecider;

  @Get()
  @Roles(...ANY_ROLE)
  async list() {
    const catalog = await this.catalog.current();
    return { statuses: Object.values(catalog.statuses), defaults: catalog.defaultStatusIds, acceptStatusId: catalog.acceptStatusId };
  }

  @Post()
  @Roles('admin')
  define(@Body() body: DefineStatusDto, @CommandCtx() ctx: CommandContext) {
    const statusId = newId();
    return this.decide(statusId, { type: 'DefineStatus', data: { statusId, ...body } }, ctx);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id') id: string, @Body() body: UpdateStatusDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'UpdateStatus', data: dropUndefined({ statusId: id, ...body }) }, ctx);
  }

  @Post(':id/default')
  @HttpCode(200)
  @Roles('admin')
  chooseDefault(@Param('id') id: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'ChooseDefaultStatus', data: { statusId: id } }, ctx);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles('admin')
  chooseAccept(@Param('id') id: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'ChooseAcceptStatus', data: { statusId: id } }, ctx);
  }
}

@ApiTags('configuration')
@ApiBearerAuth()
@Controller('categories')
export class CategoriesController extends ConfigurationController {
  constructor(commands: CommandBus, catalog: CatalogService) {
    super(commands, catalog);
  }

  protected readonly streamId = Streams.categories;
  protected readonly decider = categoryDecider;

  @Get()
  @Roles(...ANY_ROLE)
  async list() {
    const catalog = await this.catalog.current();
    return { categories: Object.values(catalog.categories), defaultCategoryId: catalog.defaultCategoryId };
  }

  @Post()
  @Roles('admin')
  async define(@Body() body: DefineCategoryDto, @CommandCtx() ctx: CommandContext) {
    const categoryId = newId();
    return this.decide(categoryId, { type: 'DefineCategory', data: dropUndefined({ categoryId, ...body }) }, ctx, await this.members());
  }

  /** Members must be agents: the decider checks them against the agents the catalog knows. */
  private async members(): Promise<CategoryContext> {
    return { agentIds: new Set(Object.keys((await this.catalog.current()).agents)) };
  }

  @Patch(':id')
  @Roles('admin')
  async update(@Param('id') id: string, @Body() body: UpdateCategoryDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'UpdateCategory', data: dropUndefined({ categoryId: id, ...body }) }, ctx, await this.members());
  }

  @Post(':id/default')
  @HttpCode(200)
  @Roles('admin')
  chooseDefault(@Param('id') id: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'ChooseDefaultCategory', data: { categoryId: id } }, ctx);
  }
}

@ApiTags('configuration')
@ApiBearerAuth()
@Controller('priorities')
export class PrioritiesController extends ConfigurationController {
  constructor(commands: CommandBus, catalog: CatalogService) {
    super(commands, catalog);
  }

  protected readonly streamId = Streams.priorities;
  protected readonly decider = priorityDecider;

  @Get()
  @Roles(...ANY_ROLE)
  async list() {
    const catalog = await this.catalog.current();
    return { priorities: Object.values(catalog.priorities), defaultPriorityId: catalog.defaultPriorityId };
  }

  @Post()
  @Roles('admin')
  define(@Body() body: DefinePriorityDto, @CommandCtx() ctx: CommandContext) {
    const priorityId = newId();
    return this.decide(priorityId, { type: 'DefinePriority', data: dropUndefined({ priorityId, ...body }) }, ctx);
  }

  @Patch(':id')
  @Roles('admin')
  update(@Param('id') id: string, @Body() body: UpdatePriorityDto, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'UpdatePriority', data: dropUndefined({ priorityId: id, ...body }) }, ctx);
  }

  @Post(':id/default')
  @HttpCode(200)
  @Roles('admin')
  chooseDefault(@Param('id') id: string, @CommandCtx() ctx: CommandContext) {
    return this.decide(id, { type: 'ChooseDefaultPriority', data: { priorityId: id } }, ctx);
  }
}

import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import { AutoLaunchRulesService, AutoLaunchRuleView, CreateAutoLaunchRuleDto, UpdateAutoLaunchRuleDto } from '#anpi/auto-launch';
import type { TenantId } from '#anpi/db';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('automatic launch: rules')
@Authenticated('admin')
@Controller('v1/auto-launch-rules')
export class AutoLaunchRulesController {
  constructor(private readonly rules: AutoLaunchRulesService) {}

  @ApiOperation({ summary: 'List the rules that launch alerts on JMA telegrams' })
  @Get()
  @ApiOkResponse({ type: [AutoLaunchRuleView] })
  list(@CurrentTenant() tenant: TenantId): Promise<AutoLaunchRuleView[]> {
    return this.rules.list(tenant);
  }

  @ApiOperation({ summary: 'Get a rule' })
  @Get(':id')
  @ApiOkResponse({ type: AutoLaunchRuleView })
  get(@CurrentTenant() tenant: TenantId, @Param('id', UuidPipe) id: string): Promise<AutoLaunchRuleView> {
    return this.rules.get(tenant, id);
  }

  @ApiOperation({ summary: 'Create a rule (audited)' })
  @Post()
  @ApiCreatedResponse({ type: AutoLaunchRuleView })
  create(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: CreateAutoLaunchRuleDto): Promise<AutoLaunchRuleView> {
    return this.rules.create(tenant, actor, dto);
  }

  @ApiOperation({ summary: 'Change a rule (audited)' })
  @Patch(':id')
  @ApiOkResponse({ type: AutoLaunchRuleView })
  update(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateAutoLaunchRuleDto,
  ): Promise<AutoLaunchRuleView> {
    return this.rules.update(tenant, actor, id, dto);
  }

  @ApiOperation({ summary: 'Delete a rule (audited)' })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.rules.remove(tenant, actor, id);
  }
}

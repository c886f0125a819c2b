import { Body, Controller, Get, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, PlatformOperator } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import { AssignPlanDto, CreatePlanDto, PlansService, PlanView, TenantPlansService, TenantPlanView, UpdatePlanDto } from '#anpi/billing';
import type { TenantId } from '#anpi/db';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('billing: plans')
@Controller()
export class PlansController {
  constructor(
    private readonly plans: PlansService,
    private readonly tenantPlans: TenantPlansService,
  ) {}

  @ApiOperation({ summary: 'List plans (platform operator)' })
  @Get('v1/plans')
  @PlatformOperator()
  @ApiOkResponse({ type: [PlanView] })
  list(): Promise<PlanView[]> {
    return this.plans.list();
  }

  @ApiOperation({ summary: 'Create a plan (platform operator)' })
  @Post('v1/plans')
  @PlatformOperator()
  @ApiCreatedResponse({ type: PlanView })
  create(@Body() dto: CreatePlanDto): Promise<PlanView> {
    return this.plans.create(dto);
  }

  @ApiOperation({ summary: 'Get a plan (platform operator)' })
  @Get('v1/plans/:id')
  @PlatformOperator()
  @ApiOkResponse({ type: PlanView })
  get(@Param('id', UuidPipe) id: string): Promise<PlanView> {
    return this.plans.get(id);
  }

  @ApiOperation({ summary: 'Rename or retire a plan (platform operator)' })
  @Patch('v1/plans/:id')
  @PlatformOperator()
  @ApiOkResponse({ type: PlanView })
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdatePlanDto): Promise<PlanView> {
    return this.plans.update(id, dto);
  }

  @ApiOperation({ summary: "Set a tenant's plan (platform operator)" })
  @Put('v1/tenants/:id/plan')
  @PlatformOperator()
  @ApiOkResponse({ type: TenantPlanView, description: 'A first plan applies from this month; a change from the first day of next month (Asia/Tokyo)' })
  assign(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() dto: AssignPlanDto): Promise<TenantPlanView> {
    return this.tenantPlans.assign(actor, id, dto.planId);
  }

  @ApiOperation({ summary: "This month's plan and any scheduled change" })
  @Get('v1/billing/plan')
  @Authenticated('admin')
  @ApiOkResponse({ type: TenantPlanView, description: "The caller's plan this month and any scheduled change" })
  own(@CurrentTenant() tenant: TenantId): Promise<TenantPlanView> {
    return this.tenantPlans.view(tenant);
  }
}

import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { CreateFirstAdminDto, PlatformOperator, UsersService, UserView } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import { asTenantId } from '#anpi/db';
import { CreateTenantDto, ListTenantsQuery, SuspendTenantDto, TenantsService, TenantView } from '#anpi/tenancy';
import { CurrentActor, UuidPipe } from '../http/params.js';

@ApiTags('platform: tenants')
@PlatformOperator()
@Controller('v1/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
  ) {}

  @ApiOperation({ summary: 'Create a tenant (platform operator)' })
  @Post()
  @ApiCreatedResponse({ type: TenantView })
  @ApiConflictResponse({ description: 'The company code is taken' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateTenantDto): Promise<TenantView> {
    return this.tenants.create(actor, dto);
  }

  @ApiOperation({ summary: 'List tenants (platform operator)' })
  @Get()
  @ApiOkResponse({ type: [TenantView] })
  list(@Query() query: ListTenantsQuery): Promise<TenantView[]> {
    return this.tenants.list(query);
  }

  @ApiOperation({ summary: 'Get a tenant (platform operator)' })
  @Get(':id')
  @ApiOkResponse({ type: TenantView })
  get(@Param('id', UuidPipe) id: string): Promise<TenantView> {
    return this.tenants.get(id);
  }

  @ApiOperation({ summary: 'Suspend a tenant, with the reason its users will see' })
  @Post(':id/suspend')
  @HttpCode(200)
  @ApiOkResponse({ type: TenantView, description: "The tenant's users are refused with 403 and the reason" })
  suspend(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() dto: SuspendTenantDto): Promise<TenantView> {
    return this.tenants.suspend(actor, id, dto);
  }

  @ApiOperation({ summary: 'Reactivate a suspended tenant' })
  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: TenantView })
  reactivate(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<TenantView> {
    return this.tenants.reactivate(actor, id);
  }

  @ApiOperation({ summary: "Create a tenant's first admin" })
  @Post(':id/admins')
  @ApiCreatedResponse({ type: UserView, description: "The tenant's first admin" })
  @ApiConflictResponse({ description: 'The tenant already has an admin' })
  createFirstAdmin(@CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() dto: CreateFirstAdminDto): Promise<UserView> {
    return this.users.createFirstAdmin(asTenantId(id), actor, dto);
  }
}

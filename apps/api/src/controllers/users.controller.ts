import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated, CreateUserDto, ListUsersQuery, SetUserDepartmentsDto, UpdateUserDto, UsersService, UserView } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('users')
@Authenticated('admin')
@Controller('v1/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @ApiOperation({ summary: 'List users' })
  @Get()
  @ApiOkResponse({ type: [UserView] })
  list(@CurrentTenant() tenant: TenantId, @Query() query: ListUsersQuery): Promise<UserView[]> {
    return this.users.list(tenant, query);
  }

  @ApiOperation({ summary: 'Create a user' })
  @Post()
  @ApiCreatedResponse({ type: UserView })
  @ApiConflictResponse({ description: 'The email is already a user of this tenant' })
  create(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<UserView> {
    return this.users.create(tenant, actor, dto);
  }

  @ApiOperation({ summary: 'Get a user' })
  @Get(':id')
  @ApiOkResponse({ type: UserView })
  get(@CurrentTenant() tenant: TenantId, @Param('id', UuidPipe) id: string): Promise<UserView> {
    return this.users.get(tenant, id);
  }

  @ApiOperation({ summary: 'Rename, change the role of, disable or reset the password of a user' })
  @Patch(':id')
  @ApiOkResponse({ type: UserView })
  @ApiConflictResponse({ description: 'Would leave the tenant without an active admin, or disable yourself' })
  update(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserView> {
    return this.users.update(tenant, actor, id, dto);
  }

  @ApiOperation({ summary: 'Set the departments a department head sees' })
  @Put(':id/departments')
  @ApiOkResponse({ type: UserView, description: 'Sets the departments a department head sees (each with its sub-departments)' })
  setDepartments(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: SetUserDepartmentsDto,
  ): Promise<UserView> {
    return this.users.setDepartments(tenant, actor, id, dto.departmentIds);
  }

  @ApiOperation({ summary: 'Delete a user' })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.users.remove(tenant, actor, id);
  }
}

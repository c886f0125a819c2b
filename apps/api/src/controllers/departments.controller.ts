import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import {
  CreateDepartmentDto,
  DeleteDepartmentQuery,
  DepartmentsService,
  DepartmentView,
  ListDepartmentsQuery,
  UpdateDepartmentDto,
  type DirectoryViewer,
} from '#anpi/directory';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';
import { Viewer } from '../http/viewer.decorator.js';

@ApiTags('directory: departments')
@Controller('v1/departments')
export class DepartmentsController {
  constructor(private readonly departments: DepartmentsService) {}

  @ApiOperation({ summary: 'List departments' })
  @Get()
  @Authenticated('admin', 'maintainer', 'department_head')
  @ApiOkResponse({ type: [DepartmentView], description: 'Parents before children. Department heads get their subtrees only.' })
  list(@Viewer() viewer: DirectoryViewer, @Query() query: ListDepartmentsQuery): Promise<DepartmentView[]> {
    return this.departments.list(viewer, query.under);
  }

  @ApiOperation({ summary: 'Get a department' })
  @Get(':id')
  @Authenticated('admin', 'maintainer', 'department_head')
  @ApiOkResponse({ type: DepartmentView })
  get(@Viewer() viewer: DirectoryViewer, @Param('id', UuidPipe) id: string): Promise<DepartmentView> {
    return this.departments.get(viewer, id);
  }

  @ApiOperation({ summary: 'Create a department' })
  @Post()
  @Authenticated('admin', 'maintainer')
  @ApiCreatedResponse({ type: DepartmentView })
  @ApiConflictResponse({ description: 'The code is taken' })
  create(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: CreateDepartmentDto): Promise<DepartmentView> {
    return this.departments.create(tenant, actor, dto);
  }

  @ApiOperation({ summary: 'Rename, recode or move a department' })
  @Patch(':id')
  @Authenticated('admin', 'maintainer')
  @ApiOkResponse({ type: DepartmentView, description: 'Rename, recode, or move (parentId; null for the top level)' })
  @ApiConflictResponse({ description: 'The move would create a cycle, or the code is taken' })
  update(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateDepartmentDto,
  ): Promise<DepartmentView> {
    return this.departments.update(tenant, actor, id, dto);
  }

  @ApiOperation({ summary: 'Delete an empty department' })
  @Delete(':id')
  @Authenticated('admin', 'maintainer')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiConflictResponse({ description: 'Has sub-departments, or members and no moveMembersTo' })
  remove(
    @CurrentTenant() tenant: TenantId,
    @CurrentActor() actor: Actor,
    @Param('id', UuidPipe) id: string,
    @Query() query: DeleteDepartmentQuery,
  ): Promise<void> {
    return this.departments.remove(tenant, actor, id, query.moveMembersTo);
  }
}

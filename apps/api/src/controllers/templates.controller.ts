import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Authenticated } from '#anpi/accounts';
import { CreateTemplateDto, TemplatesService, TemplateView, UpdateTemplateDto } from '#anpi/alerts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { CurrentActor, CurrentTenant } from '../http/params.js';

@ApiTags('alerts: templates')
@Authenticated('admin')
@Controller('v1/templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @ApiOperation({ summary: 'List templates and presets' })
  @Get()
  @ApiOkResponse({ type: [TemplateView], description: "The shipped presets (preset:earthquake, preset:storm, preset:drill), then the tenant's own" })
  list(@CurrentTenant() tenant: TenantId): Promise<TemplateView[]> {
    return this.templates.list(tenant);
  }

  @ApiOperation({ summary: 'Get a template or preset' })
  @Get(':id')
  @ApiOkResponse({ type: TemplateView })
  get(@CurrentTenant() tenant: TenantId, @Param('id') id: string): Promise<TemplateView> {
    return this.templates.get(tenant, id);
  }

  @ApiOperation({ summary: 'Create a template' })
  @Post()
  @ApiCreatedResponse({ type: TemplateView })
  create(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: CreateTemplateDto): Promise<TemplateView> {
    return this.templates.create(tenant, actor, dto);
  }

  @ApiOperation({ summary: 'Change a template' })
  @Patch(':id')
  @ApiOkResponse({ type: TemplateView })
  update(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id') id: string, @Body() dto: UpdateTemplateDto): Promise<TemplateView> {
    return this.templates.update(tenant, actor, id, dto);
  }

  @ApiOperation({ summary: 'Delete a template' })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  remove(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    return this.templates.remove(tenant, actor, id);
  }
}

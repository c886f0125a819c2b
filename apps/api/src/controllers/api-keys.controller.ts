import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { ApiKeysService, ApiKeyView, Authenticated, CreateApiKeyDto, CreatedApiKeyView } from '#anpi/accounts';
import type { Actor } from '#anpi/audit';
import type { TenantId } from '#anpi/db';
import { CurrentActor, CurrentTenant, UuidPipe } from '../http/params.js';

@ApiTags('api keys')
@Authenticated('admin')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @ApiOperation({ summary: 'List API keys' })
  @Get()
  @ApiOkResponse({ type: [ApiKeyView] })
  list(@CurrentTenant() tenant: TenantId): Promise<ApiKeyView[]> {
    return this.keys.list(tenant);
  }

  @ApiOperation({ summary: 'Create an API key (shown once)' })
  @Post()
  @ApiCreatedResponse({ type: CreatedApiKeyView, description: 'The key is in this response only' })
  create(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.keys.create(tenant, actor, dto);
  }

  @ApiOperation({ summary: 'Revoke an API key' })
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked: the key is refused from now on' })
  revoke(@CurrentTenant() tenant: TenantId, @CurrentActor() actor: Actor, @Param('id', UuidPipe) id: string): Promise<void> {
    return this.keys.revoke(tenant, actor, id);
  }
}

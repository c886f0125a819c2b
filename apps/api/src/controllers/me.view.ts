import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Role } from '#anpi/db';

export class MeView {
  @ApiProperty({ enum: ['user', 'api_key'] }) kind!: 'user' | 'api_key';
  @ApiProperty() tenantId!: string;
  @ApiPropertyOptional() userId?: string;
  @ApiPropertyOptional() apiKeyId?: string;
  @ApiProperty({ enum: ['admin', 'maintainer', 'department_head'], isArray: true }) roles!: Role[];
}

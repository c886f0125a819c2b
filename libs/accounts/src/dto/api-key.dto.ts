import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import type { ApiKey, Role } from '#anpi/db';

/** Department heads are people with departments; a key cannot be one. */
export const API_KEY_ROLES = ['admin', 'maintainer'] as const;

export class CreateApiKeyDto {
  @ApiProperty({ example: 'HR system nightly sync' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: API_KEY_ROLES, isArray: true, example: ['maintainer'] })
  @IsArray({ message: 'roles must be an array' })
  @ArrayMinSize(1, { message: 'roles must name at least one role' })
  @ArrayMaxSize(2)
  @ArrayUnique()
  @IsIn(API_KEY_ROLES, { each: true, message: 'each role must be admin or maintainer' })
  roles!: Role[];
}

export class ApiKeyView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ description: 'The first characters of the key, to tell keys apart' }) prefix!: string;
  @ApiProperty({ enum: API_KEY_ROLES, isArray: true }) roles!: Role[];
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastUsedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: Date | null;

  static from(key: ApiKey): ApiKeyView {
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      roles: key.roles,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
      revokedAt: key.revokedAt,
    };
  }
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself. Shown only in this response; store it now.' })
  key!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEnum, IsOptional, Matches } from 'class-validator';
import { TenantStatus, type Tenant } from '#anpi/db';
import { IsDisplayName, lowerTrim } from '#anpi/validation';

export class CreateTenantDto {
  @ApiProperty({ description: 'Company code (企業コード) users type at login', example: 'acme-japan' })
  @Transform(lowerTrim)
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, {
    message: 'slug must be 1-40 lower-case letters, digits or "-", not starting or ending with "-"',
  })
  slug!: string;

  @ApiProperty({ example: '株式会社アクメ' })
  @IsDisplayName('name', { max: 200 })
  name!: string;
}

export class SuspendTenantDto {
  @ApiProperty({ description: "Shown to the tenant's users in every refusal", example: 'ご契約の更新手続き中です (contract renewal pending)' })
  @IsDisplayName('reason', { max: 500 })
  reason!: string;
}

export class ListTenantsQuery {
  @ApiPropertyOptional({ enum: TenantStatus })
  @IsOptional()
  @IsEnum(TenantStatus, { message: 'status must be active or suspended' })
  status?: TenantStatus;
}

export class TenantView {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: TenantStatus }) status!: TenantStatus;
  @ApiProperty({ type: String, nullable: true }) suspendedReason!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) suspendedAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;

  static from(t: Tenant): TenantView {
    return {
      id: t.id,
      slug: t.slug,
      name: t.name,
      status: t.status,
      suspendedReason: t.suspendedReason,
      suspendedAt: t.suspendedAt,
      createdAt: t.createdAt,
    };
  }
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class TenantSettingsView {
  @ApiProperty({ description: "Maintainers (and admins) see employees' LINE display names. Off by default; LINE user ids are never shown." })
  showLineProfileToMaintainers!: boolean;
}

export class UpdateTenantSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'showLineProfileToMaintainers must be true or false' })
  showLineProfileToMaintainers?: boolean;
}

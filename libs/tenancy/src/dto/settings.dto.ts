import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class TenantSettingsView {
  @ApiProperty({ description: "Maintainers (and admins) see employees' LINE display names. Off by default; LINE user ids are never shown." })
  showLineProfileToMaintainers!: boolean;

  @ApiProperty({
    description:
      'Department heads see the emails and mobile numbers of employees in their subtrees (to phone them) and may enter proxy answers for them. Off by default.',
  })
  headsSeeContacts!: boolean;
}

export class UpdateTenantSettingsDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'showLineProfileToMaintainers must be true or false' })
  showLineProfileToMaintainers?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: 'headsSeeContacts must be true or false' })
  headsSeeContacts?: boolean;
}

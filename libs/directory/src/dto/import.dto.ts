import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { queryFlag as flag } from '#anpi/validation';

export class ImportQuery {
  @ApiPropertyOptional({ description: 'Report what would change; write nothing' })
  @IsOptional()
  @Transform(flag)
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;

  @ApiPropertyOptional({ description: 'Deactivate active employees absent from the file' })
  @IsOptional()
  @Transform(flag)
  @IsBoolean({ message: 'deactivateMissing must be true or false' })
  deactivateMissing?: boolean;

  @ApiPropertyOptional({ description: 'Create unknown department codes (top level, named from 部署名) instead of refusing them' })
  @IsOptional()
  @Transform(flag)
  @IsBoolean({ message: 'createDepartments must be true or false' })
  createDepartments?: boolean;
}

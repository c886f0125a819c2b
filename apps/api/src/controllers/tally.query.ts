import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

export class TallyQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'Narrow to this department and everything under it' })
  @IsOptional()
  @IsUUID('all', { message: 'department must be a department id (UUID)' })
  department?: string;
}

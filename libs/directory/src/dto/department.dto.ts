import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsUUID, Matches, ValidateIf } from 'class-validator';
import type { Department } from '#anpi/db';
import { IsDisplayName, foldTrim } from '#anpi/validation';
import { IsPrefecture } from '#anpi/regions';
export const CODE_PATTERN = /^[^\s,;"']{1,64}$/;
const CODE_MESSAGE = 'code must be 1-64 characters without spaces, commas, semicolons or quotes';

export class CreateDepartmentDto {
  @ApiProperty({ description: 'Unique in the tenant; HR systems key on it', example: 'SALES-1' })
  @Transform(foldTrim)
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty({ example: '営業部 第一課' })
  @IsDisplayName('name', { fold: true })
  name!: string;

  @ApiPropertyOptional({ description: 'Parent department; omit for a top-level department', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'parentId must be a department id (UUID)' })
  parentId?: string;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: '所在地の都道府県 (JIS X 0401 code 1–47, or the name): where its employees work unless they have a work prefecture of their own',
    example: 13,
  })
  @IsOptional()
  @IsPrefecture()
  prefecture?: number | null;
}

export class UpdateDepartmentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(foldTrim)
  @Matches(CODE_PATTERN, { message: CODE_MESSAGE })
  code?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsDisplayName('name', { fold: true })
  name?: string;

  @ApiPropertyOptional({ description: 'Move under this department; null moves it to the top level', format: 'uuid', nullable: true })
  @ValidateIf((o: UpdateDepartmentDto) => o.parentId !== undefined && o.parentId !== null)
  @IsUUID('all', { message: 'parentId must be a department id (UUID) or null' })
  parentId?: string | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: '所在地の都道府県 (JIS X 0401 code 1–47, or the name): where its employees work unless they have a work prefecture of their own',
    example: 13,
  })
  @IsOptional()
  @IsPrefecture()
  prefecture?: number | null;
}

export class ListDepartmentsQuery {
  @ApiPropertyOptional({ description: 'Only this department and everything under it', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'under must be a department id (UUID)' })
  under?: string;
}

export class DeleteDepartmentQuery {
  @ApiPropertyOptional({ description: 'Move the members (primary and additional) here before deleting', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'moveMembersTo must be a department id (UUID)' })
  moveMembersTo?: string;
}

export class DepartmentView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) parentId!: string | null;
  @ApiProperty({ type: [String], description: 'Ids from the top level down to this department' }) path!: string[];
  @ApiProperty({ description: '1 for a top-level department' }) depth!: number;
  @ApiProperty({ type: Number, nullable: true, description: '所在地の都道府県 (JIS X 0401)' }) prefecture!: number | null;
  @ApiPropertyOptional({ description: 'Active employees whose primary department is this one or one under it (in the list)' })
  headcount?: number;

  static from(d: Department): DepartmentView {
    return { id: d.id, code: d.code, name: d.name, parentId: d.parentId, path: d.path, depth: d.path.length, prefecture: d.prefecture };
  }
}

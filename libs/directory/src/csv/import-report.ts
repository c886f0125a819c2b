import { ApiProperty } from '@nestjs/swagger';
import type { RowError } from './row-parser.js';

export class ImportRowError {
  @ApiProperty({ description: 'Spreadsheet row: the header is row 1' }) row!: number;
  @ApiProperty({ type: String, nullable: true, description: 'The header of the column, as in the file' }) column!: string | null;
  @ApiProperty({ type: String, nullable: true }) value!: string | null;
  @ApiProperty() reason!: string;
}

export class ImportReport {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'true when the changes were written; an import with errors writes nothing' }) applied!: boolean;
  @ApiProperty({ enum: ['utf-8', 'shift_jis'] }) encoding!: string;
  @ApiProperty({ description: 'Data rows read' }) rows!: number;
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty({ description: 'With deactivateMissing: active employees absent from the file' }) deactivated!: number;
  @ApiProperty({ description: 'With createDepartments: departments created for unknown codes' }) departmentsCreated!: number;
  @ApiProperty() errorCount!: number;
  @ApiProperty({ type: [ImportRowError], description: 'The first 1,000 errors' }) errors!: RowError[];
  @ApiProperty({ type: [String], description: 'Header cells that name no known column' }) ignoredColumns!: string[];
}

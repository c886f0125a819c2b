import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

type Value = { value: unknown };

/** Trims strings; leaves anything else for the validators to refuse. */
export const trim = ({ value }: Value) => (typeof value === 'string' ? value.trim() : value);

/** Trims and lower-cases (emails, company codes). */
export const lowerTrim = ({ value }: Value) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

/** Trims and folds full-width letters and digits and half-width kana (NFKC), as Japanese input needs. */
export const foldTrim = ({ value }: Value) => (typeof value === 'string' ? value.normalize('NFKC').trim() : value);

/** "true"/"1" and "false"/"0" in a query string as booleans. */
export const queryFlag = ({ value }: Value) => (value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value);

/** A required display name: trimmed (NFKC-folded when `fold`), 1 to `max` characters. */
export function IsDisplayName(field = 'name', { max = 100, fold = false }: { max?: number; fold?: boolean } = {}) {
  return applyDecorators(
    Transform(fold ? foldTrim : trim),
    IsString({ message: `${field} must be text` }),
    MinLength(1, { message: `${field} must not be empty` }),
    MaxLength(max, { message: `${field} must be at most ${max} characters` }),
  );
}

/** limit/offset paging for list queries, up to `max` per page. */
export function PageQuery(max: number, byDefault: number) {
  class Page {
    @ApiPropertyOptional({ minimum: 1, maximum: max, default: byDefault })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: 'limit must be a whole number' })
    @Min(1, { message: 'limit must be at least 1' })
    @Max(max, { message: `limit must be at most ${max}` })
    limit?: number;

    @ApiPropertyOptional({ minimum: 0, default: 0 })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: 'offset must be a whole number' })
    @Min(0, { message: 'offset must not be negative' })
    offset?: number;
  }
  return Page;
}

/**
 * One CSV cell for Excel: quoted when it holds a comma, quote or line break, and prefixed with "'"
 * when it starts like a formula (=, +, -, @), so an opened file never runs what a user typed.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

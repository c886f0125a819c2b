import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { CODE_PATTERN } from './department.dto.js';
import { IsDisplayName, foldTrim as text, PageQuery } from '#anpi/validation';
import { AreMobileNumbers } from './mobile-numbers.validator.js';
import { IsPrefecture } from '#anpi/regions';
import { toKatakana } from '../search-terms.js';

/** Kana as every way in stores it (API, CSV import): NFKC-folded, trimmed, hiragana as katakana. */
const kanaText = ({ value }: { value: unknown }) => (typeof value === 'string' ? toKatakana(value.normalize('NFKC').trim()) : value);

const emails = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value);
export const LOCALES = ['ja', 'en'] as const;

export class CreateEmployeeDto {
  @ApiProperty({ description: '社員番号: unique in the tenant', example: 'E0001' })
  @Transform(text)
  @Matches(CODE_PATTERN, { message: 'code must be 1-64 characters without spaces, commas, semicolons or quotes' })
  code!: string;

  @ApiProperty({ example: '山田 太郎' })
  @IsDisplayName('name', { fold: true })
  name!: string;

  @ApiPropertyOptional({
    description: 'フリガナ: stored in full-width katakana whatever is typed (hiragana, half-width kana), as CSV import stores it',
    example: 'ヤマダ タロウ',
  })
  @IsOptional()
  @Transform(kanaText)
  @IsString()
  @MaxLength(100)
  kana?: string;

  @ApiPropertyOptional({ description: 'Primary department', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'departmentId must be a department id (UUID)' })
  departmentId?: string;

  @ApiPropertyOptional({ description: 'Additional departments (兼務)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each additionalDepartmentIds entry must be a department id (UUID)' })
  additionalDepartmentIds?: string[];

  @ApiPropertyOptional({ enum: LOCALES, default: 'ja' })
  @IsOptional()
  @IsIn(LOCALES, { message: 'locale must be ja or en' })
  locale?: (typeof LOCALES)[number];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description: '勤務地都道府県: JIS X 0401 code 1–47, or the name (東京都). Null: where the primary department (or its nearest ancestor with one) is',
    example: 13,
  })
  @IsOptional()
  @IsPrefecture()
  workPrefecture?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: '居住地都道府県: JIS X 0401 code 1–47, or the name (大阪府)', example: 27 })
  @IsOptional()
  @IsPrefecture()
  homePrefecture?: number | null;

  @ApiPropertyOptional({ type: [String], maxItems: 3, example: ['yamada@example.co.jp'] })
  @IsOptional()
  @Transform(emails)
  @IsArray({ message: 'emails must be an array' })
  @ArrayMaxSize(3, { message: 'emails must have at most 3 addresses' })
  @ArrayUnique({ message: 'emails must not repeat an address' })
  @IsEmail({}, { each: true, message: 'each of emails must be an email address' })
  emails?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxItems: 3,
    description: 'Japanese forms (090-1234-5678) or international (+44…); stored as E.164',
    example: ['090-1234-5678'],
  })
  @IsOptional()
  @IsArray({ message: 'mobiles must be an array' })
  @ArrayMaxSize(3, { message: 'mobiles must have at most 3 numbers' })
  @AreMobileNumbers()
  mobiles?: string[];

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'LINE WORKS ID (login id or user id) that LINE WORKS alerts go to; null: the first email, which LINE WORKS accepts as the login id',
    example: 'yamada@example.co.jp',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() || null : value))
  @ValidateIf((_, value) => value !== null)
  @Matches(/^[^\s,;]{1,100}$/, { message: 'lineworksId must be a LINE WORKS login id or user id (no spaces, up to 100 characters)' })
  lineworksId?: string | null;
}

export class UpdateEmployeeDto extends PartialType(CreateEmployeeDto) {}

export class ListEmployeesQuery extends PageQuery(500, 50) {
  @ApiPropertyOptional({ description: 'Only this department and its sub-departments (primary or additional membership)', format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'department must be a department id (UUID)' })
  department?: string;

  @ApiPropertyOptional({ enum: ['true', 'false', 'all'], default: 'true' })
  @IsOptional()
  @IsIn(['true', 'false', 'all'], { message: 'active must be true, false or all' })
  active?: 'true' | 'false' | 'all';

  @ApiPropertyOptional({ description: 'Search in name, kana (hiragana or katakana) and code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class DepartmentRef {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class LineLinkView {
  @ApiProperty({ enum: ['unlinked', 'linked', 'unreachable'] }) status!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) linkedAt!: Date | null;
  @ApiPropertyOptional({ description: 'Only when the tenant setting showLineProfileToMaintainers is on' }) displayName?: string | null;
}

/** What every role that sees an employee at all may see. */
export class EmployeeBaseView {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) kana!: string | null;
  @ApiProperty({ type: DepartmentRef, nullable: true }) department!: DepartmentRef | null;
  @ApiProperty({ type: [DepartmentRef] }) additionalDepartments!: DepartmentRef[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: Number, nullable: true, description: '勤務地都道府県 (JIS X 0401); null: as the department' }) workPrefecture!: number | null;
}

/** What admins and maintainers see. Never the LINE user id. */
export class EmailBounceView {
  @ApiProperty({ description: 'The address, lower case' }) address!: string;
  @ApiProperty({ enum: ['bounce', 'dropped'] }) event!: string;
  @ApiProperty({ description: "The mail provider's reason" }) reason!: string;
  @ApiProperty({ type: String, format: 'date-time' }) bouncedAt!: Date;
}

export class EmployeeView extends EmployeeBaseView {
  @ApiProperty({ enum: LOCALES }) locale!: string;
  @ApiProperty({ type: [String] }) emails!: string[];
  @ApiProperty({
    type: [EmailBounceView],
    description: 'Addresses the mail provider reported as bouncing for good: alerts skip them until the address is changed or the flag cleared',
  })
  emailBounces!: EmailBounceView[];
  @ApiProperty({ type: [String] }) mobiles!: string[];
  @ApiProperty({ type: Number, nullable: true, description: '居住地都道府県 (JIS X 0401)' }) homePrefecture!: number | null;
  @ApiProperty({ type: LineLinkView }) line!: LineLinkView;
  @ApiProperty({ type: String, nullable: true, description: 'LINE WORKS ID as set; null: the first email is used' }) lineworksId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Where LINE WORKS alerts go: lineworksId, or else the first email' })
  lineworksTarget!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

export class RegisteredChannels {
  @ApiProperty() email!: boolean;
  @ApiProperty() mobile!: boolean;
  @ApiProperty() line!: boolean;
}

/** What department heads see: who, where, and whether each channel is registered. */
export class EmployeeSummaryView extends EmployeeBaseView {
  @ApiProperty({ type: RegisteredChannels }) channels!: RegisteredChannels;
  @ApiPropertyOptional({ type: [String], description: 'Only when an admin turned on the tenant setting headsSeeContacts' }) emails?: string[];
  @ApiPropertyOptional({ type: [String], description: 'Only when an admin turned on the tenant setting headsSeeContacts' }) mobiles?: string[];
}

export class EmployeePage {
  @ApiProperty({ description: 'EmployeeView for admins and maintainers, EmployeeSummaryView for department heads', type: [EmployeeView] })
  items!: (EmployeeView | EmployeeSummaryView)[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

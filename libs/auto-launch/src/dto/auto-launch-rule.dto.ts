import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsPrefecture } from '#anpi/regions';
import { IsDisplayName } from '#anpi/validation';

export const RULE_KINDS = ['earthquake', 'tsunami', 'special_warning'] as const;
export const INTENSITY_MINIMUMS = ['4', '5-', '5+', '6-', '6+', '7'] as const;
export const TSUNAMI_MINIMUMS = ['advisory', 'warning', 'major_warning'] as const;
export const RULE_TARGETS = ['affected', 'everyone', 'departments'] as const;
export const AFFECTED_BY = ['work', 'home', 'either'] as const;

export class CreateAutoLaunchRuleDto {
  @ApiProperty({ example: '震度5弱以上 (関東)' })
  @IsDisplayName('name', { max: 80 })
  name!: string;

  @ApiProperty({ enum: RULE_KINDS, description: 'earthquake (VXSE51/53), tsunami (VTSE41), special_warning (VPWW54, 特別警報 only)' })
  @IsIn(RULE_KINDS, { message: 'kind must be earthquake, tsunami or special_warning' })
  kind!: (typeof RULE_KINDS)[number];

  @ApiPropertyOptional({
    description:
      'earthquake: the lowest intensity that launches, 4 | 5- (5弱) | 5+ (5強) | 6- | 6+ | 7 (default 5-); ' +
      'tsunami: advisory (津波注意報) | warning (津波警報) | major_warning (大津波警報) (default warning); none for special_warning',
    example: '5-',
  })
  @IsOptional()
  @ValidateIf((o: CreateAutoLaunchRuleDto) => o.kind !== 'special_warning')
  @IsIn([...INTENSITY_MINIMUMS, ...TSUNAMI_MINIMUMS], {
    message: 'minLevel must be 4, 5-, 5+, 6-, 6+ or 7 (earthquake) or advisory, warning or major_warning (tsunami)',
  })
  minLevel?: string;

  @ApiPropertyOptional({ type: [Number], description: 'Prefectures watched (codes or names); empty or absent: all of Japan', example: [13, '神奈川県'] })
  @IsOptional()
  @IsArray({ message: 'prefectures must be a list' })
  @ArrayUnique({ message: 'prefectures must not repeat' })
  @IsPrefecture({ each: true })
  prefectures?: number[];

  @ApiProperty({ enum: RULE_TARGETS, description: 'affected: employees in the prefectures that met the condition; everyone; or departments (subtrees)' })
  @IsIn(RULE_TARGETS, { message: 'target must be affected, everyone or departments' })
  target!: (typeof RULE_TARGETS)[number];

  @ApiPropertyOptional({
    enum: AFFECTED_BY,
    default: 'work',
    description: "For target affected: whether the employee's work prefecture, home prefecture or either counts",
  })
  @IsOptional()
  @IsIn(AFFECTED_BY, { message: 'affectedBy must be work, home or either' })
  affectedBy?: (typeof AFFECTED_BY)[number];

  @ApiPropertyOptional({ type: [String], description: 'For target departments: these departments and everything under them' })
  @ValidateIf((o: CreateAutoLaunchRuleDto) => o.target === 'departments' || o.departmentIds !== undefined)
  @IsArray({ message: 'departmentIds must be a list of department ids (required for target departments)' })
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each departmentIds entry must be a department id' })
  departmentIds?: string[];

  @ApiProperty({ description: 'A template id, or preset:earthquake / preset:storm / preset:drill', example: 'preset:earthquake' })
  @Matches(/^(preset:[a-z]+|[0-9a-fA-F-]{36})$/, { message: 'templateId must be a template id or preset:<name>' })
  templateId!: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 30, default: 0, description: 'Minutes the launch waits, visible and cancellable, before anything is sent' })
  @IsOptional()
  @IsInt({ message: 'holdMinutes must be a whole number' })
  @Min(0, { message: 'holdMinutes must be 0 to 30' })
  @Max(30, { message: 'holdMinutes must be 0 to 30' })
  holdMinutes?: number;

  @ApiPropertyOptional({ default: false, description: '訓練 (drill) telegrams launch drill broadcasts' })
  @IsOptional()
  @IsBoolean({ message: 'includeDrillTelegrams must be true or false' })
  includeDrillTelegrams?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 72,
    default: 6,
    description: 'Aftershock window: hours after a launch in which a new quake launches only if stronger or wider',
  })
  @IsOptional()
  @IsInt({ message: 'suppressHours must be a whole number' })
  @Min(0, { message: 'suppressHours must be 0 to 72' })
  @Max(72, { message: 'suppressHours must be 0 to 72' })
  suppressHours?: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 5,
    maximum: 1440,
    description: 'For target affected: minutes after the launch to ask everyone not targeted whether they are in the affected area now',
  })
  @IsOptional()
  @ValidateIf((o: CreateAutoLaunchRuleDto) => o.locationCheckMinutes !== null)
  @IsInt({ message: 'locationCheckMinutes must be a whole number or null' })
  @Min(5, { message: 'locationCheckMinutes must be 5 to 1440' })
  @Max(1440, { message: 'locationCheckMinutes must be 5 to 1440' })
  locationCheckMinutes?: number | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean({ message: 'enabled must be true or false' })
  enabled?: boolean;
}

/** Every field may change; the kind, minimum and target are checked together after merging. */
export class UpdateAutoLaunchRuleDto {
  @ApiPropertyOptional() @IsOptional() @IsDisplayName('name', { max: 80 }) name?: string;
  @ApiPropertyOptional({ enum: RULE_KINDS })
  @IsOptional()
  @IsIn(RULE_KINDS, { message: 'kind must be earthquake, tsunami or special_warning' })
  kind?: (typeof RULE_KINDS)[number];
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @ValidateIf((o: UpdateAutoLaunchRuleDto) => o.minLevel !== null)
  @IsIn([...INTENSITY_MINIMUMS, ...TSUNAMI_MINIMUMS], {
    message: 'minLevel must be 4, 5-, 5+, 6-, 6+ or 7 (earthquake) or advisory, warning or major_warning (tsunami)',
  })
  minLevel?: string | null;
  @ApiPropertyOptional({ type: [Number] })
  @IsOptional()
  @IsArray({ message: 'prefectures must be a list' })
  @ArrayUnique({ message: 'prefectures must not repeat' })
  @IsPrefecture({ each: true })
  prefectures?: number[];
  @ApiPropertyOptional({ enum: RULE_TARGETS })
  @IsOptional()
  @IsIn(RULE_TARGETS, { message: 'target must be affected, everyone or departments' })
  target?: (typeof RULE_TARGETS)[number];
  @ApiPropertyOptional({ enum: AFFECTED_BY })
  @IsOptional()
  @IsIn(AFFECTED_BY, { message: 'affectedBy must be work, home or either' })
  affectedBy?: (typeof AFFECTED_BY)[number];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray({ message: 'departmentIds must be a list of department ids' })
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each departmentIds entry must be a department id' })
  departmentIds?: string[];
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^(preset:[a-z]+|[0-9a-fA-F-]{36})$/, { message: 'templateId must be a template id or preset:<name>' })
  templateId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'holdMinutes must be 0 to 30' })
  @Max(30, { message: 'holdMinutes must be 0 to 30' })
  holdMinutes?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'includeDrillTelegrams must be true or false' }) includeDrillTelegrams?: boolean;
  @ApiPropertyOptional()
  @IsOptional()
  @IsInt()
  @Min(0, { message: 'suppressHours must be 0 to 72' })
  @Max(72, { message: 'suppressHours must be 0 to 72' })
  suppressHours?: number;
  @ApiPropertyOptional({ type: Number, nullable: true })
  @IsOptional()
  @ValidateIf((o: UpdateAutoLaunchRuleDto) => o.locationCheckMinutes !== null)
  @IsInt({ message: 'locationCheckMinutes must be a whole number or null' })
  @Min(5, { message: 'locationCheckMinutes must be 5 to 1440' })
  @Max(1440, { message: 'locationCheckMinutes must be 5 to 1440' })
  locationCheckMinutes?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean({ message: 'enabled must be true or false' }) enabled?: boolean;
}

export class AutoLaunchRuleView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: RULE_KINDS }) kind!: string;
  @ApiProperty({ type: String, nullable: true }) minLevel!: string | null;
  @ApiProperty({ type: [Number], description: 'Empty: all of Japan' }) prefectures!: number[];
  @ApiProperty({ enum: RULE_TARGETS }) target!: string;
  @ApiProperty({ enum: AFFECTED_BY }) affectedBy!: string;
  @ApiProperty({ type: [String] }) departmentIds!: string[];
  @ApiProperty() templateId!: string;
  @ApiProperty() holdMinutes!: number;
  @ApiProperty() includeDrillTelegrams!: boolean;
  @ApiProperty() suppressHours!: number;
  @ApiProperty({ type: Number, nullable: true }) locationCheckMinutes!: number | null;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: Date;
}

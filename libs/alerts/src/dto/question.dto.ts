import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

const ID = /^[a-z][a-z0-9_]{0,31}$/;
const ID_MESSAGE = 'ids are 1-32 lower-case letters, digits or "_", starting with a letter';

export class OptionDto {
  @ApiProperty({ example: 'safe' })
  @Matches(ID, { message: `option ${ID_MESSAGE}` })
  id!: string;

  @ApiProperty({ example: '無事' })
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  label!: string;

  @ApiPropertyOptional({ example: 'Safe' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  labelEn?: string;
}

export class QuestionDto {
  @ApiProperty({ example: 'self' })
  @Matches(ID, { message: `question ${ID_MESSAGE}` })
  id!: string;

  @ApiProperty({ example: '本人' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  label!: string;

  @ApiPropertyOptional({ example: 'You' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  labelEn?: string;

  @ApiProperty({ default: true })
  @IsBoolean()
  required!: boolean;

  @ApiProperty({ type: [OptionDto] })
  @IsArray()
  @ArrayMinSize(2, { message: 'a question needs at least 2 options' })
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => OptionDto)
  options!: OptionDto[];
}

export class FreeTextDto {
  @ApiProperty({ example: 'メッセージ' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  label!: string;

  @ApiPropertyOptional({ example: 'Message' })
  @IsOptional()
  @IsString()
  @MaxLength(80)
  labelEn?: string;

  @ApiProperty({ default: false })
  @IsBoolean()
  required!: boolean;

  @ApiProperty({ minimum: 1, maximum: 2000, default: 500 })
  @IsInt()
  @Min(1)
  @Max(2000)
  maxLength!: number;
}

/** Questions must have distinct ids, and so must each question's options. */
export function questionProblems(questions: QuestionDto[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const q of questions) {
    if (seen.has(q.id)) problems.push(`question id "${q.id}" appears twice`);
    seen.add(q.id);
    const options = new Set<string>();
    for (const o of q.options) {
      if (options.has(o.id)) problems.push(`option id "${o.id}" appears twice in question "${q.id}"`);
      options.add(o.id);
    }
  }
  return problems;
}

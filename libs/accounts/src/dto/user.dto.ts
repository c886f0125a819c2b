import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsEmail, IsEnum, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { Role, type User } from '#anpi/db';
import { IsDisplayName, lowerTrim, queryFlag } from '#anpi/validation';
import { IsNewPassword } from '../password-policy.js';
import { PASSWORD_MIN } from './auth.dto.js';

const ROLE_MESSAGE = 'role must be one of admin, maintainer, department_head';

export class CreateUserDto {
  @ApiProperty({ example: 'soumu@example.co.jp' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: '山田 花子' })
  @IsDisplayName()
  name!: string;

  @ApiProperty({ enum: Role })
  @IsEnum(Role, { message: ROLE_MESSAGE })
  role!: Role;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN, description: 'Not only spaces, not one of the most common passwords' })
  @IsNewPassword('password')
  password!: string;
}

/** The platform operator creates a tenant's first admin: the role is fixed. */
export class CreateFirstAdminDto extends OmitType(CreateUserDto, ['role'] as const) {}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsDisplayName()
  name?: string;

  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role, { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional({ description: 'true disables the account and ends its sessions' })
  @IsOptional()
  @IsBoolean({ message: 'disabled must be true or false' })
  disabled?: boolean;

  @ApiPropertyOptional({ format: 'password', description: 'Sets a new password and ends all sessions' })
  @IsOptional()
  @IsNewPassword('password')
  password?: string;
}

export class ListUsersQuery {
  @ApiPropertyOptional({ enum: Role })
  @IsOptional()
  @IsEnum(Role, { message: ROLE_MESSAGE })
  role?: Role;

  @ApiPropertyOptional({ description: 'Include disabled accounts (default false)' })
  @IsOptional()
  @Transform(queryFlag)
  @IsBoolean({ message: 'includeDisabled must be true or false' })
  includeDisabled?: boolean;
}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: Role }) role!: Role;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: Date | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: Date;
  @ApiProperty({ type: [String], description: 'For department heads: the departments (each with its subtree) they see' })
  departmentIds!: string[];

  static from(user: User & { departments?: { departmentId: string }[] }): UserView {
    return {
      departmentIds: (user.departments ?? []).map((d) => d.departmentId).sort(),
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      disabled: user.disabledAt !== null,
      lastLoginAt: user.lastLoginAt,
      createdAt: user.createdAt,
    };
  }
}

export class SetUserDepartmentsDto {
  @ApiProperty({ type: [String], description: 'Replaces the assignment; each department includes its sub-departments' })
  @IsArray({ message: 'departmentIds must be an array' })
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'each departmentIds entry must be a department id (UUID)' })
  departmentIds!: string[];
}

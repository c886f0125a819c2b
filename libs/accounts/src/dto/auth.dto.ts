import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { lowerTrim } from '#anpi/validation';
import { IsNewPassword } from '../password-policy.js';

export { PASSWORD_MAX, PASSWORD_MIN } from '../password-policy.js';
import { PASSWORD_MAX, PASSWORD_MIN } from '../password-policy.js';
export const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export class LoginDto {
  @ApiProperty({ description: "The company's code (企業コード), as given at sign-up", example: 'demo' })
  @Transform(lowerTrim)
  @Matches(TENANT_SLUG, { message: 'tenant must be the company code: lower-case letters, digits and "-"' })
  tenant!: string;

  @ApiProperty({ example: 'hr@example.co.jp' })
  @Transform(lowerTrim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @MaxLength(200)
  refreshToken!: string;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(PASSWORD_MAX)
  currentPassword!: string;

  @ApiProperty({ format: 'password', minLength: PASSWORD_MIN, description: 'Not only spaces, not one of the most common passwords' })
  @IsNewPassword('newPassword')
  newPassword!: string;
}

export class SessionUserView {
  @ApiProperty() id!: string;
  @ApiProperty() tenantId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['admin', 'maintainer', 'department_head'] }) role!: string;
}

export class TokenPairView {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn!: number;
  @ApiProperty({ description: 'Single use: each refresh returns a new one' }) refreshToken!: string;
  @ApiProperty({ type: String, format: 'date-time' }) refreshExpiresAt!: Date;
  @ApiProperty({ type: SessionUserView }) user!: SessionUserView;
}

/** The console's session: the access token only; the refresh token travels in an HttpOnly cookie. */
export class ConsoleSessionView {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires; POST /v1/auth/console/refresh before then' }) expiresIn!: number;
  @ApiProperty({ type: String, format: 'date-time' }) refreshExpiresAt!: Date;
  @ApiProperty({ type: SessionUserView }) user!: SessionUserView;
}

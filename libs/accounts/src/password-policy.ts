import { applyDecorators } from '@nestjs/common';
import { IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';
import { COMMON_PASSWORDS } from './common-passwords.js';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** Why a new password is refused, or null. Length is checked by the decorators. */
export function weakPasswordReason(password: string): string | null {
  if (password.trim() === '') return 'must not be only spaces';
  const folded = password.normalize('NFKC').trim().toLowerCase();
  if (new Set(folded).size === 1) return 'must not be one character repeated';
  if (COMMON_PASSWORDS.has(folded) || COMMON_PASSWORDS.has(folded.replace(/\s+/g, ''))) return 'is one of the most common passwords; choose another';
  return null;
}

/** A password someone sets (not one they log in with): 12-256 characters, not blank, not common. */
export function IsNewPassword(field: string) {
  return applyDecorators(
    IsString({ message: `${field} must be text` }),
    MinLength(PASSWORD_MIN, { message: `${field} must be at least ${PASSWORD_MIN} characters` }),
    MaxLength(PASSWORD_MAX, { message: `${field} must be at most ${PASSWORD_MAX} characters` }),
    ValidateBy({
      name: 'isNewPassword',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || weakPasswordReason(value) === null,
        defaultMessage: (args) => `${field} ${weakPasswordReason(String(args?.value ?? '')) ?? 'is not acceptable'}`,
      },
    }),
  );
}

import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { normalizeMobile } from '../phone-number.js';

/** Every entry must be a mobile number normalizeMobile accepts; the message names the bad one and why. */
export function AreMobileNumbers(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'areMobileNumbers',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string' && normalizeMobile(v).ok),
        defaultMessage: (args: ValidationArguments) => {
          const values = Array.isArray(args.value) ? (args.value as unknown[]) : [];
          const index = values.findIndex((v) => typeof v !== 'string' || !normalizeMobile(v).ok);
          const bad = values[index];
          const result = typeof bad === 'string' ? normalizeMobile(bad) : { ok: false as const, reason: 'must be a string' };
          return `${args.property}[${index}] ${JSON.stringify(bad)} ${result.ok ? '' : result.reason}`;
        },
      },
    });
}

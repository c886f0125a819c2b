import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments } from 'class-validator';
import { PREFECTURE_HINT, isPrefectureCode, parsePrefecture } from './prefectures.js';

/**
 * A prefecture field of a request: the code (13, "13") or the name (「東京都」) in, the JIS X 0401
 * code stored; null clears it. Anything else is refused with the hint. With `each`, a list of them.
 */
export function IsPrefecture(options: { each?: boolean } = {}): PropertyDecorator {
  const read = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? (parsePrefecture(v) ?? v) : v);
  return (target: object, propertyName: string | symbol) => {
    Transform(({ value }) => (options.each && Array.isArray(value) ? value.map(read) : read(value)))(target, propertyName);
    registerDecorator({
      name: 'isPrefecture',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) =>
          options.each ? Array.isArray(value) && value.length <= 47 && value.every(isPrefectureCode) : value === null || isPrefectureCode(value),
        defaultMessage: (args: ValidationArguments) =>
          options.each
            ? `each of ${args.property} must be ${PREFECTURE_HINT} (at most 47)`
            : `${args.property} must be ${PREFECTURE_HINT}, or null; got ${JSON.stringify(args.value)}`,
      },
    });
  };
}

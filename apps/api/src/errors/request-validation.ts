import type { ValidationError as ClassValidatorError } from 'class-validator';
import { ValidationError, type ErrorDetail } from '@repoguard/domain';

/** Flattens class-validator's tree into `{ field: 'a.b[0].c', problem }` pairs. */
export function toErrorDetails(errors: readonly ClassValidatorError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const own = Object.values(error.constraints ?? {}).map((problem) => ({ field, problem }));
    return [...own, ...toErrorDetails(error.children ?? [], field)];
  });
}

/** The ValidationPipe's exceptionFactory: a malformed request is a 400 naming each field. */
export function requestValidationError(errors: ClassValidatorError[]): ValidationError {
  const details = toErrorDetails(errors);
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return new ValidationError(`Invalid request: check ${fields}`, details, 'REQUEST_INVALID');
}

import type { ValidationError as ClassValidatorError } from 'class-validator';
import { ValidationError, type ErrorDetail } from '@repoguard/domain';

// class-validator reports every constraint a value breaks ("must be a string" and "must be 1 to 100
// characters" for a number). The one to fix first is whether the field may be there at all and
// has the right type; the others follow from it.
const FIRST_PROBLEMS = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
];

/**
 * Flattens class-validator's tree into `{ field: 'a.b[0].c', problem }` pairs, one per field: the
 * most basic problem, else the constraint written first (class-validator lists them last first).
 */
export function toErrorDetails(errors: readonly ClassValidatorError[], parent = ''): ErrorDetail[] {
  return errors.flatMap((error) => {
    const field = parent
      ? /^\d+$/.test(error.property)
        ? `${parent}[${error.property}]`
        : `${parent}.${error.property}`
      : error.property;
    const problem = firstProblem(error.constraints ?? {});
    return [...(problem ? [{ field, problem }] : []), ...toErrorDetails(error.children ?? [], field)];
  });
}

function firstProblem(constraints: Record<string, string>): string | undefined {
  const basic = FIRST_PROBLEMS.find((name) => constraints[name] !== undefined);
  return basic ? constraints[basic] : Object.values(constraints).at(-1);
}

/** The ValidationPipe's exceptionFactory: a malformed request is a 400 naming each field. */
export function requestValidationError(errors: ClassValidatorError[]): ValidationError {
  const details = toErrorDetails(errors);
  const fields = [...new Set(details.map((d) => d.field))].join(', ');
  return new ValidationError(`Invalid request: check ${fields}`, details, 'REQUEST_INVALID');
}

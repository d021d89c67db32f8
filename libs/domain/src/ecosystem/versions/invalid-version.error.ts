import { ValidationError } from '../../errors';

/** A version string the ecosystem's scheme cannot order (`compare` was given it anyway). */
export class InvalidVersionError extends ValidationError {
  constructor(
    readonly scheme: string,
    readonly version: string,
  ) {
    super(
      `Invalid ${scheme} version "${version}"`,
      [{ field: 'version', problem: `"${version}" is not a valid ${scheme} version` }],
      'INVALID_VERSION',
    );
  }
}

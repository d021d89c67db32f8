import { raw, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ValidationError } from '@repoguard/domain';
import { ErrorResponseFilter } from '../errors/error-response.filter';

export interface RawBodyRoute {
  /** The route's POST path under the API prefix (express matches paths case-insensitively). */
  readonly path: RegExp;
  readonly mediaTypes: readonly string[];
  readonly limit: number | string;
  /** What the body is, for the 415's message ("the SBOM"). */
  readonly what: string;
}

const filter = new ErrorResponseFilter();

/**
 * A route whose document is read by its use case after authentication: its POST body is kept as
 * bytes up to `limit`, as sent. A compressed body is 415 naming Content-Encoding, since inflating
 * it would let an anonymous caller turn a few KB into `limit` bytes of work; another media type is
 * 415 naming the accepted ones. Other routes and methods go on to the JSON parser.
 */
export function rawBodies(route: RawBodyRoute): RequestHandler {
  const parse = raw({ type: () => true, limit: route.limit, inflate: false });
  const types = route.mediaTypes.join(', ');
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'POST' || !route.path.test(request.path)) return next();
    const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    const refusal =
      encoding !== 'identity'
        ? new ValidationError(
            `Send ${route.what} uncompressed (Content-Encoding: ${encoding.slice(0, 40)} is not accepted)`,
            [{ field: 'content-encoding', problem: 'must be absent or identity' }],
            'UNSUPPORTED_ENCODING',
          )
        : !request.is([...route.mediaTypes])
          ? new ValidationError(
              `Send ${route.what} with its media type (${types})`,
              [{ field: 'content-type', problem: `must be one of ${types}` }],
              'UNSUPPORTED_MEDIA_TYPE',
            )
          : null;
    if (!refusal) return parse(request, response, next);
    const { status, body } = filter.toResponse(refusal);
    response.status(status).json(body);
  };
}

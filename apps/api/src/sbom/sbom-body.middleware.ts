import { raw, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ValidationError } from '@repoguard/domain';
import { ErrorResponseFilter } from '../errors/error-response.filter';

/** The upload route, under the API prefix (express matches paths case-insensitively). */
export const SBOM_UPLOAD_PATH = /^\/orgs\/[^/]+\/sboms\/?$/i;

/** The types an SBOM comes as: JSON (CycloneDX, SPDX) or XML (CycloneDX). */
export const SBOM_MEDIA_TYPES = [
  'application/json',
  'application/vnd.cyclonedx+json',
  'application/spdx+json',
  'application/xml',
  'text/xml',
  'application/vnd.cyclonedx+xml',
] as const;

const filter = new ErrorResponseFilter();

/**
 * The upload route's body, kept as bytes up to `limit` whatever SBOM type it is sent as: the
 * document is stored and addressed by its bytes, and XML is no JSON. Another type is 415 naming
 * the accepted ones; a larger body is 413 from the parser. Other routes go on to the JSON parser.
 */
export function sbomBodies(limit: number): RequestHandler {
  const parse = raw({ type: () => true, limit });
  return (request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'POST' || !SBOM_UPLOAD_PATH.test(request.path)) return next();
    if (!request.is([...SBOM_MEDIA_TYPES])) {
      const { status, body } = filter.toResponse(
        new ValidationError(
          `Send the SBOM with its media type (${SBOM_MEDIA_TYPES.join(', ')})`,
          [{ field: 'content-type', problem: `must be one of ${SBOM_MEDIA_TYPES.join(', ')}` }],
          'UNSUPPORTED_MEDIA_TYPE',
        ),
      );
      response.status(status).json(body);
      return;
    }
    parse(request, response, next);
  };
}

import type { RequestHandler } from 'express';
import { rawBodies } from '../common/raw-body.middleware';

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

/**
 * The upload route's body, kept as bytes up to `limit` whatever SBOM type it is sent as: the
 * document is stored and addressed by its bytes, and XML is no JSON. Another type is 415 naming
 * the accepted ones, a compressed body 415 naming Content-Encoding; a larger body is 413.
 */
export function sbomBodies(limit: number): RequestHandler {
  return rawBodies({ path: SBOM_UPLOAD_PATH, mediaTypes: SBOM_MEDIA_TYPES, limit, what: 'the SBOM' });
}

import type { RequestHandler } from 'express';
import { rawBodies } from '../common/raw-body.middleware';

/** The VEX import route, under the API prefix. */
export const VEX_IMPORT_PATH = /^\/repos\/[^/]+\/vex\/?$/i;

/** How large a VEX document may be (other routes take 1 MB): thousands of statements fit. */
export const VEX_BODY_LIMIT = '10mb';

/**
 * The VEX import's body as bytes, JSON only: ImportVex parses and checks it once the caller may
 * triage, so an anonymous 10 MB body costs a read, not a parse and a walk of every value.
 */
export function vexBodies(): RequestHandler {
  return rawBodies({
    path: VEX_IMPORT_PATH,
    mediaTypes: ['application/json'],
    limit: VEX_BODY_LIMIT,
    what: 'the VEX document',
  });
}

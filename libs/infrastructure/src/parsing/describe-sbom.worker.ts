// Runs in PiscinaSbomDescriber's worker thread (piscina loads this file's default export).
import { describeSbom, ValidationError, type ErrorDetail, type SbomDescription } from '@repoguard/domain';

/** A refusal as it crosses threads: an Error's class does not survive the copy. */
export interface SbomRefused {
  readonly message: string;
  readonly code: string;
  readonly details: readonly ErrorDetail[];
}

export type DescribeSbomResult =
  { readonly description: SbomDescription } | { readonly refused: SbomRefused };

export default function describeSbomTask(text: string): DescribeSbomResult {
  try {
    return { description: describeSbom(text) };
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { refused: { message: error.message, code: error.code, details: error.details } };
  }
}

import { ValidationError } from '@repoguard/domain';

/** An uploaded document's bytes as UTF-8 text, or a 400 naming the body under `code`. */
export function documentText(document: Uint8Array, what: string, code: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(document);
  } catch {
    throw new ValidationError(
      `${what} is not UTF-8 text`,
      [{ field: 'body', problem: 'must be UTF-8 text' }],
      code,
    );
  }
}

// Shared by the parser specs: the ugly variants of a well-formed file that every parser must read
// exactly like the original.

/** The text as a Windows editor saves it: a byte order mark and CRLF line endings. */
export function withBomAndCrlf(text: string): string {
  return `\uFEFF${text.replace(/\n/g, '\r\n')}`;
}

/** `{ line }` to spread into a dependency or diagnostic, or nothing when the line is unknown. */
export function atLine(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}

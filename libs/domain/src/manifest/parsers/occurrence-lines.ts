/**
 * Lines of each occurrence of a value the pattern finds (its first group, decoded by `decode`), in
 * file order; each call for a value answers its next line. Entries and their lines come in the same
 * order, so a parser asks as it meets them. A cursor per value: a file listing one value 50,000
 * times must not cost 50,000² steps.
 */
export function occurrenceLines(
  text: string,
  pattern: RegExp,
  decode: (raw: string) => string | undefined,
): (value: string) => number | undefined {
  const lines = new Map<string, number[]>();
  let line = 1;
  let scanned = 0;
  for (const match of text.matchAll(pattern)) {
    for (; scanned < match.index; scanned++) if (text.charCodeAt(scanned) === 10) line++;
    const value = decode(match[1] as string);
    if (value === undefined) continue;
    const known = lines.get(value);
    if (known) known.push(line);
    else lines.set(value, [line]);
  }
  const used = new Map<string, number>();
  return (value) => {
    const next = used.get(value) ?? 0;
    used.set(value, next + 1);
    return lines.get(value)?.[next];
  };
}

// For the parser pool's tests, loaded into its threads as `parserModule`: it misbehaves on a
// manifest holding one of the markers below, as a parser bug would on hostile input; every other
// manifest goes to the real parsers.
import { parseManifest as realParseManifest, type ParseOptions } from '@repoguard/domain';

/** Catastrophic regex backtracking: the parse never returns on its own. */
export const STALL_MARKER = '# repoguard-test: stall';
/** Allocates without bound until the thread runs out of heap. */
export const HOARD_MARKER = '# repoguard-test: hoard';
/** One diagnostic per line, each echoing a 64 K-character line. */
export const FLOOD_MARKER = '# repoguard-test: flood';

export function parseManifest(path: string, text: string, options?: ParseOptions) {
  // eslint-disable-next-line regexp/no-super-linear-backtracking, regexp/no-unused-capturing-group, regexp/no-misleading-capturing-group -- stalling is this test parser's purpose
  if (text.includes(STALL_MARKER)) /^(a+)+$/.test(`${'a'.repeat(64)}!`);
  if (text.includes(HOARD_MARKER)) {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array<number>(1e6).fill(hoard.length));
  }
  const result = realParseManifest(path, text, options);
  if (!text.includes(FLOOD_MARKER)) return result;
  const echoed = 'x'.repeat(64 * 1024);
  const flood = Array.from({ length: 1_000 }, (_, i) => ({
    severity: 'warning' as const,
    code: 'INVALID_SYNTAX',
    message: `line ${i + 1}: cannot read "${echoed}"`,
    line: i + 1,
  }));
  return { ...result, diagnostics: [...result.diagnostics, ...flood] };
}

export const STALLING_PARSER_MODULE = __filename;

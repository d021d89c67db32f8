// For the parser pool's tests, loaded into its threads as `parserModule`: a manifest holding the
// marker below sends the parse into catastrophic regex backtracking, as a parser bug would, and it
// never returns on its own; every other manifest goes to the real parsers.
import { parseManifest as realParseManifest, type ParseOptions } from '@repoguard/domain';

export const STALL_MARKER = '# repoguard-test: stall';

export function parseManifest(path: string, text: string, options?: ParseOptions) {
  // eslint-disable-next-line regexp/no-super-linear-backtracking, regexp/no-unused-capturing-group, regexp/no-misleading-capturing-group -- stalling is this test parser's purpose
  if (text.includes(STALL_MARKER)) /^(a+)+$/.test(`${'a'.repeat(64)}!`);
  return realParseManifest(path, text, options);
}

export const STALLING_PARSER_MODULE = __filename;

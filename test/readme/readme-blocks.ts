// The README's fenced blocks, and which of them a reader is meant to paste. Every block is either
// run by test/readme/readme-examples.e2e-spec.ts or named below with the reason it is not, so a new
// example cannot slip in untested and a removed one cannot leave a stale rule behind.

export interface FencedBlock {
  /** The info string after the opening fence (`bash`, `mermaid`, or '' for none). */
  readonly lang: string;
  /** The nearest heading above the block, without its `#`s. */
  readonly section: string;
  /** 1-based line of the opening fence in the README. */
  readonly line: number;
  readonly text: string;
}

/** How a rule recognises its block: the section, the language and how its first line starts. */
export interface BlockRule {
  readonly section: string;
  readonly lang: string;
  readonly startsWith: string;
}

export interface SkippedBlock extends BlockRule {
  readonly reason: string;
}

export const SKIPPED_BLOCKS: readonly SkippedBlock[] = [
  {
    section: 'RepoGuard',
    lang: 'bash',
    startsWith: 'npm run up',
    reason: 'npm run up and npm test are what CI itself runs (scripts/test-all.sh)',
  },
  {
    section: 'How the system fits together',
    lang: 'mermaid',
    startsWith: 'flowchart LR',
    reason: 'a diagram',
  },
  { section: 'A push, step by step', lang: 'mermaid', startsWith: 'sequenceDiagram', reason: 'a diagram' },
  { section: 'Data model', lang: 'mermaid', startsWith: 'erDiagram', reason: 'a diagram' },
  { section: 'Layout', lang: '', startsWith: 'apps/api', reason: 'the directory layout, not commands' },
  {
    section: 'SARIF for code scanning, baselines, and the CLI without the repository',
    lang: 'yaml',
    startsWith: '# .github/workflows/dependencies.yml',
    reason:
      'GitHub Actions steps; the packed CLI they run is tested by test/cli/cli-package.spec.ts, its SARIF against the schema by check-sarif.spec.ts',
  },
];

export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let section = '';
  let open: { lang: string; section: string; line: number; lines: string[] } | null = null;
  markdown.split('\n').forEach((line, index) => {
    if (open) {
      if (/^```\s*$/.test(line)) {
        blocks.push({ lang: open.lang, section: open.section, line: open.line, text: open.lines.join('\n') });
        open = null;
      } else {
        open.lines.push(line);
      }
      return;
    }
    const fence = /^```(\S*)\s*$/.exec(line);
    if (fence) open = { lang: fence[1] ?? '', section, line: index + 1, lines: [] };
    const heading = /^#{1,6} (.+)$/.exec(line);
    if (heading) section = heading[1]!.trim();
  });
  if (open)
    throw new Error(`README.md: the block opened on line ${(open as { line: number }).line} is never closed`);
  return blocks;
}

const firstLine = (block: FencedBlock): string =>
  block.text.split('\n').find((line) => line.trim() !== '') ?? '';

export function matches(rule: BlockRule, block: FencedBlock): boolean {
  return (
    rule.section === block.section && rule.lang === block.lang && firstLine(block).startsWith(rule.startsWith)
  );
}

/**
 * Pairs every block with exactly one rule. Problems name what to do: a block no rule claims, a rule
 * whose block is gone or changed, a block two rules claim.
 */
export function pairBlocks<R extends BlockRule>(
  blocks: readonly FencedBlock[],
  rules: readonly R[],
): { readonly pairs: ReadonlyMap<R, FencedBlock>; readonly problems: readonly string[] } {
  const pairs = new Map<R, FencedBlock>();
  const problems: string[] = [];
  const describe = (block: FencedBlock) =>
    `the ${block.lang || 'plain'} block on README.md line ${block.line} (section "${block.section}", "${firstLine(block)}")`;
  for (const block of blocks) {
    const claimed = rules.filter((rule) => matches(rule, block));
    if (claimed.length === 0)
      problems.push(`${describe(block)} is neither run nor listed as skipped, with a reason`);
    if (claimed.length > 1) problems.push(`${describe(block)} is claimed by ${claimed.length} rules`);
    for (const rule of claimed) {
      if (pairs.has(rule))
        problems.push(`the rule ${JSON.stringify(rule)} matches more than one block, ${describe(block)} too`);
      else pairs.set(rule, block);
    }
  }
  for (const rule of rules)
    if (!pairs.has(rule)) problems.push(`no README block matches the rule ${JSON.stringify(rule)}`);
  return { pairs, problems };
}

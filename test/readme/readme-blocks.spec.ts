import { fencedBlocks, pairBlocks } from './readme-blocks';

const markdown = [
  '# Tool',
  '```bash',
  'npm run up',
  '```',
  '## Usage',
  'Some prose.',
  '```bash',
  '# a comment, not a heading',
  'curl -s localhost:3000/health',
  '```',
  '```mermaid',
  'flowchart LR',
  '```',
].join('\n');

describe('the README block rules', () => {
  it('reads each fenced block with its language, section and line; a # inside a block is no heading', () => {
    expect(fencedBlocks(markdown)).toEqual([
      { lang: 'bash', section: 'Tool', line: 2, text: 'npm run up' },
      {
        lang: 'bash',
        section: 'Usage',
        line: 7,
        text: '# a comment, not a heading\ncurl -s localhost:3000/health',
      },
      { lang: 'mermaid', section: 'Usage', line: 11, text: 'flowchart LR' },
    ]);
  });

  it('pairs every block with one rule, and names a new block, a stale rule and a block claimed twice', () => {
    const up = { section: 'Tool', lang: 'bash', startsWith: 'npm run up' };
    const curl = { section: 'Usage', lang: 'bash', startsWith: '# a comment' };
    const diagram = { section: 'Usage', lang: 'mermaid', startsWith: 'flowchart' };
    expect(pairBlocks(fencedBlocks(markdown), [up, curl, diagram]).problems).toEqual([]);

    expect(pairBlocks(fencedBlocks(markdown), [up, diagram]).problems).toEqual([
      'the bash block on README.md line 7 (section "Usage", "# a comment, not a heading") is neither run nor listed as skipped, with a reason',
    ]);
    const moved = { ...curl, section: 'Examples' };
    expect(pairBlocks(fencedBlocks(markdown), [up, curl, diagram, moved]).problems).toEqual([
      `no README block matches the rule ${JSON.stringify(moved)}`,
    ]);
    expect(
      pairBlocks(fencedBlocks(markdown), [up, curl, diagram, { ...curl, startsWith: '#' }]).problems,
    ).toEqual([
      'the bash block on README.md line 7 (section "Usage", "# a comment, not a heading") is claimed by 2 rules',
    ]);
  });

  it('refuses a block that is never closed', () => {
    expect(() => fencedBlocks('# T\n```bash\nls\n')).toThrow(/line 2 is never closed/);
  });
});

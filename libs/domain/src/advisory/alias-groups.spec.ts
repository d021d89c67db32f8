import type { OsvRecord } from './osv-record';
import { groupByAliases } from './alias-groups';

const rec = (id: string, aliases: string[] = []): OsvRecord => ({
  id,
  aliases,
  modified: '2024-01-01T00:00:00Z',
});

describe('groupByAliases', () => {
  it('makes one group of a PYSEC, a GHSA and their CVE, named by the GHSA id', () => {
    const groups = groupByAliases([
      rec('PYSEC-2021-1', ['CVE-2021-9']),
      rec('GHSA-aaaa-bbbb-cccc', ['CVE-2021-9']),
    ]);
    expect(groups.map((g) => ({ id: g.id, aliases: g.aliases, n: g.records.length }))).toEqual([
      { id: 'GHSA-aaaa-bbbb-cccc', aliases: ['CVE-2021-9', 'PYSEC-2021-1'], n: 2 },
    ]);
  });

  it('joins records transitively and keeps unrelated ones apart', () => {
    const groups = groupByAliases([
      rec('PYSEC-1', ['CVE-1']),
      rec('GHSA-x', ['CVE-2']),
      rec('OSV-3', ['CVE-1', 'CVE-2']),
      rec('PYSEC-9', ['CVE-9']),
    ]);
    expect(groups.map((g) => [g.id, g.aliases])).toEqual([
      ['GHSA-x', ['CVE-1', 'CVE-2', 'OSV-3', 'PYSEC-1']],
      ['PYSEC-9', ['CVE-9']],
    ]);
  });

  it('groups a record listing another record id directly', () => {
    const groups = groupByAliases([rec('PYSEC-2', ['GHSA-y']), rec('GHSA-y')]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.id).toBe('GHSA-y');
  });

  it('returns nothing for nothing', () => {
    expect(groupByAliases([])).toEqual([]);
  });
});

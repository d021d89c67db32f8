import { compareText } from '../shared/compare-text';
import type { OsvRecord } from './osv-record';

export interface AliasGroup {
  /** The id shown for the group: a GHSA id when there is one (it carries severity), else the smallest id. */
  readonly id: string;
  /** Every other id the group's records name, sorted. */
  readonly aliases: readonly string[];
  readonly records: readonly OsvRecord[];
}

const PREFERENCE = [/^GHSA-/, /^PYSEC-/, /^GO-/, /^RUSTSEC-/];

/**
 * A PYSEC, a GHSA and a CVE describing the same flaw are one finding: records are grouped when
 * their ids or aliases overlap (transitively), like osv-scanner does.
 */
export function groupByAliases(records: readonly OsvRecord[]): AliasGroup[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    // Path compression keeps repeated lookups flat.
    for (let node = id; node !== root;) {
      const next = parent.get(node)!;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };

  for (const record of records) {
    if (!parent.has(record.id)) parent.set(record.id, record.id);
    for (const alias of record.aliases ?? []) union(record.id, alias);
  }

  const groups = new Map<string, { ids: Set<string>; records: OsvRecord[] }>();
  for (const record of records) {
    const root = find(record.id);
    const group = groups.get(root) ?? { ids: new Set<string>(), records: [] };
    if (!group.records.some((r) => r.id === record.id)) group.records.push(record);
    group.ids.add(record.id);
    (record.aliases ?? []).forEach((alias) => group.ids.add(alias));
    groups.set(root, group);
  }

  return [...groups.values()]
    .map(({ ids, records: members }) => {
      const own = members.map((r) => r.id).sort();
      const id = PREFERENCE.map((p) => own.find((candidate) => p.test(candidate))).find(Boolean) ?? own[0]!;
      return { id, aliases: [...ids].filter((x) => x !== id).sort(), records: members };
    })
    .sort((a, b) => compareText(a.id, b.id));
}

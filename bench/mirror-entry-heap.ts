// node --expose-gc -r @swc-node/register bench/mirror-entry-heap.ts: what a package held by the
// mirror's cache (MirrorVulnerabilityDatabase) costs in heap, measured on the real advisories of
// ../shared/osv, against what the cache reckons. Packages are grouped by the size of their own
// `affected` entries; each group is built apart and its heap measured after a full collection, so
// the reckoning's constant per package and per byte can be checked on small and large packages.
import {
  advisoryKey,
  PackageAdvisories,
  packagesNamed,
  type Ecosystem,
  type OsvRecord,
} from '@repoguard/domain';
import { baseRecords } from './osv-corpus';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

interface Package {
  readonly ecosystem: Ecosystem;
  readonly key: string;
  readonly records: OsvRecord[];
  affectedBytes: number;
  recordBytes: number;
}

const packages = new Map<string, Package>();
for (const record of baseRecords()) {
  const json = JSON.stringify(record).length;
  for (const { affected, ecosystem, name } of packagesNamed(record)) {
    const key = advisoryKey(ecosystem, name);
    let p = packages.get(key);
    if (!p) packages.set(key, (p = { ecosystem, key, records: [], affectedBytes: 0, recordBytes: 0 }));
    if (!p.records.includes(record)) {
      p.records.push(record);
      p.recordBytes += json;
    }
    p.affectedBytes += JSON.stringify(affected).length;
  }
}
const all = [...packages.values()].sort((a, b) => a.affectedBytes - b.affectedBytes);
const heapUsed = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

// The version schemes memo parsed versions (bounded, shared by every package): filled first, so
// what is measured below is the packages' own.
for (const p of all) new PackageAdvisories(p.ecosystem, p.key, p.records).match('0.0.1');

console.log(
  'group | packages | advisories | affected JSON | whole JSON | heap | heap/pkg | heap/affected byte',
);
const groups = 4;
for (let g = 0; g < groups; g++) {
  const group = all.slice(Math.floor((g * all.length) / groups), Math.floor(((g + 1) * all.length) / groups));
  // Each record parsed afresh, as the mirror reads it, so nothing is shared with the source records.
  const copies = group.map((p) => p.records.map((r) => JSON.stringify(r)));
  const before = heapUsed();
  const held = group.map((p, i) => {
    const advisories = new PackageAdvisories(
      p.ecosystem,
      p.key,
      copies[i]!.map((json) => JSON.parse(json) as OsvRecord),
    );
    // Compiled on first match, as a held package is after its first answer.
    advisories.match('0.0.1');
    return advisories;
  });
  const heap = heapUsed() - before;
  const advisories = held.reduce((n, a) => n + a.ids.length, 0);
  const affected = group.reduce((n, p) => n + p.affectedBytes, 0);
  const whole = group.reduce((n, p) => n + p.recordBytes, 0);
  console.log(
    [
      g + 1,
      group.length,
      advisories,
      affected,
      whole,
      heap,
      Math.round(heap / group.length),
      (heap / affected).toFixed(2),
    ].join(' | '),
  );
  if (held.length < 0) console.log(held);
}

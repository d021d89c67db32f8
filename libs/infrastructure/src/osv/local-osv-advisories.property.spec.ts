import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { AdvisoryIndex, advisoryKey, type Ecosystem } from '@repoguard/domain';
import { buildZip } from '../../../../test/support/zip-builder';
import { FileOsvCatalogCache } from './file-osv-catalog-cache';
import { readOsvExport } from './osv-export-reader';
import { LocalOsvAdvisories } from './local-osv-advisories';

// Few ids, packages and dates, so generated exports repeat ids across entries and zips, replace
// and withdraw each other, and name the scanned packages from entries a check would skip. Two
// ecosystems: a zip naming only one has its catalog's body left unread by checks of the other.
const PACKAGES = ['PyPI/alpha', 'PyPI/beta', 'npm/gamma', 'npm/delta'];
const ecosystemAndName = (p: string) => p.split('/') as [Ecosystem, string];
const record = fc.record({
  id: fc.constantFrom('OSV-A', 'OSV-B', 'OSV-C', 'OSV-D', 'OSV-E'),
  modified: fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'),
  withdrawn: fc.boolean(),
  packages: fc.uniqueArray(fc.constantFrom(...PACKAGES), { maxLength: 2 }),
  fixed: fc.constantFrom('0.5.0', '2.0.0'),
});
type Generated = typeof record extends fc.Arbitrary<infer T> ? T : never;

// An entry holds one record, or an array of them; entry names decide the order they are added in.
const entry = fc.record({
  name: fc.stringMatching(/^[a-z]{1,3}$/),
  records: fc.array(record, { minLength: 1, maxLength: 2 }),
});
const source = fc.record({
  kind: fc.constantFrom('zip', 'zip', 'directory'),
  entries: fc.uniqueArray(entry, { minLength: 1, maxLength: 6, selector: (e) => e.name }),
});

function osv(r: Generated) {
  return {
    id: r.id,
    modified: r.modified,
    ...(r.withdrawn ? { withdrawn: r.modified } : {}),
    affected: r.packages.map((name) => ({
      package: { ecosystem: ecosystemAndName(name)[0], name: ecosystemAndName(name)[1] },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: r.fixed }] }],
    })),
  };
}

/** What a check sees: the count, and per scanned package its records (in order) and matches. */
function view(index: AdvisoryIndex, count: number, scanned: readonly string[]) {
  return {
    count,
    packages: scanned.map(ecosystemAndName).map(([ecosystem, name]) => ({
      records: index.recordsFor(ecosystem, name).map((r) => [r.id, r.modified]),
      matches: index.match(ecosystem, name, '1.0.0').map((m) => [m.record.id, m.fixedVersions]),
    })),
  };
}

describe('LocalOsvAdvisories against a read of every record', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'repoguard-osv-property-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('matches the scanned packages and counts the advisories alike, cold and cached, whatever the exports hold', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(source, { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.constantFrom(...PACKAGES), { minLength: 1 }),
        async (sources, scanned) => {
          const here = path.join(dir, String(run++));
          const paths: string[] = [];
          for (const [i, generated] of sources.entries()) {
            const files = generated.entries.map((e) => ({
              name: `${e.name}.json`,
              content: JSON.stringify(e.records.length === 1 ? osv(e.records[0]!) : e.records.map(osv)),
            }));
            const at = path.join(here, `source-${i}${generated.kind === 'zip' ? '.zip' : ''}`);
            mkdirSync(generated.kind === 'zip' ? here : at, { recursive: true });
            if (generated.kind === 'zip') writeFileSync(at, await buildZip(files));
            else for (const file of files) writeFileSync(path.join(at, file.name), file.content);
            paths.push(at);
          }
          const reference = new AdvisoryIndex();
          for (const at of paths) for (const r of readOsvExport(at).records) reference.add(r);
          const expected = view(reference, reference.size, scanned);

          const keys = new Set(scanned.map((p) => advisoryKey(...ecosystemAndName(p))));
          for (const pass of ['cold', 'cached']) {
            const local = new LocalOsvAdvisories({
              cache: new FileOsvCatalogCache(path.join(here, 'cache')),
            });
            for (const at of paths) await local.add(at);
            const { index, count } = await local.indexFor(keys);
            expect({ pass, ...view(index, count, scanned) }).toEqual({ pass, ...expected });
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

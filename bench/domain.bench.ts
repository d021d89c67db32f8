// npm run bench:domain — parse and match speed of the domain core on this machine.
import { readOsvExport } from '@repoguard/infrastructure';
import { AdvisoryIndex, parseManifest } from '@repoguard/domain';
import { buildSyntheticPackageLock } from '../test/fixtures/generators/package-lock.generator';
import { packagistVersionScheme } from '../libs/domain/src/ecosystem/versions/packagist.version-scheme';
import { sharedOsvExport } from '../test/support/shared-osv';
import { measure, report } from './bench-util';

function requirementsTxt(lines: number): string {
  const out: string[] = ['# generated for the benchmark', '--index-url https://pypi.org/simple'];
  for (let i = 0; out.length < lines; i++) {
    const form = i % 5;
    if (form === 0) out.push(`package-${i}==1.${i % 30}.${i % 7}`);
    else if (form === 1) out.push(`Package_${i}[extra]==2.${i % 10} ; python_version >= "3.8"`);
    else if (form === 2) out.push(`pkg.${i}>=1.0,<3  # ranged`);
    else if (form === 3) out.push(`lib-${i}==0.${i % 9}.post1 \\\n    --hash=sha256:${'a'.repeat(64)}`);
    else out.push('');
  }
  return out.join('\n');
}

function main(): void {
  const lock = buildSyntheticPackageLock(5_000);
  // A backtracking version pattern spends seconds here; a linear one microseconds.
  const backtrackBait = `1.0.0-beta${'1'.repeat(5_000)}x`;
  const requirements = requirementsTxt(2_000);
  const lockDeps = parseManifest('package-lock.json', lock).dependencies.length;
  const reqDeps = parseManifest('requirements.txt', requirements).dependencies.length;

  const loadStarted = performance.now();
  const { records } = readOsvExport(sharedOsvExport('PyPI-all.zip'));
  const index = new AdvisoryIndex(records);
  const loadMs = performance.now() - loadStarted;

  // 10,000 (name, version) pairs: real advisory packages at versions from their own records
  // (so many hit), mixed with packages no advisory names.
  const pairs: { name: string; version: string }[] = [];
  const named = records.flatMap((r) =>
    (r.affected ?? []).flatMap((a) =>
      a.package
        ? (a.versions ?? ['1.0.0']).slice(0, 3).map((version) => ({ name: a.package!.name, version }))
        : [],
    ),
  );
  for (let i = 0; pairs.length < 10_000; i++) {
    pairs.push(i % 4 === 3 ? { name: `unrelated-package-${i}`, version: '1.0.0' } : named[i % named.length]!);
  }
  let hits = 0;
  const matchAll = () => {
    hits = 0;
    for (const { name, version } of pairs) hits += index.match('PyPI', name, version).length;
  };

  console.log(`RepoGuard domain benchmark on ${process.version}, ${process.arch}`);
  console.log(
    `  package-lock.json v3: ${lockDeps} packages; requirements.txt: 2,000 lines, ${reqDeps} dependencies`,
  );
  console.log(`  PyPI-all.zip: ${records.length} advisories read and indexed in ${loadMs.toFixed(0)} ms\n`);
  report(
    [
      measure('parse package-lock.json (5,000 packages)', () => parseManifest('package-lock.json', lock)),
      measure('parse requirements.txt (2,000 lines)', () => parseManifest('requirements.txt', requirements)),
      measure('match 10,000 pairs against PyPI-all', matchAll, 15, 2),
      measure('Composer version check: 5,000 digits after a stability flag', () =>
        packagistVersionScheme.isValid(backtrackBait),
      ),
      // Cold: a new index each run, so per-package compilation and position caches are included.
      measure(
        'index PyPI-all + match 10,000 pairs, cold',
        () => {
          const fresh = new AdvisoryIndex(records);
          for (const { name, version } of pairs) fresh.match('PyPI', name, version);
        },
        5,
        1,
      ),
    ],
    {
      'parse package-lock.json (5,000 packages)': 50,
      'parse requirements.txt (2,000 lines)': 50,
      'match 10,000 pairs against PyPI-all': 100,
      'Composer version check: 5,000 digits after a stability flag': 5,
    },
  );
  console.log(`\n  (${hits} advisory matches per matching run)`);
}

main();

import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

// The areas of libs/domain/src from the bottom up. An area imports only itself and areas in
// lower rows; areas in one row are beside each other and import none of the others, so no
// cycle can form. A new area has to be given a row here before it may import or be imported.
const LAYERS: readonly (readonly string[])[] = [
  ['errors'],
  ['shared'],
  ['network'],
  ['ecosystem', 'security', 'time', 'system'],
  ['manifest', 'audit'],
  ['dependency', 'severity', 'identity'],
  ['advisory', 'organization', 'github-installation'],
  ['finding'],
  ['policy'],
  ['repository'],
  ['scan', 'webhook'],
  ['notification', 'pull-request', 'sbom', 'vex'],
  ['persistence'],
];

const DOMAIN_SRC = path.resolve(__dirname, '../../libs/domain/src');

const IMPORT = /(?:\bimport|\bexport)\s[^'"]*?from\s*['"]([^'"]+)['"]|\bimport\s*(?:\(\s*)?['"]([^'"]+)['"]/g;

function rowOf(area: string): number {
  return LAYERS.findIndex((row) => row.includes(area));
}

/** The area (first folder under src) of a file given relative to libs/domain/src; null for the barrel. */
function areaOf(file: string): string | null {
  const segments = file.split('/');
  return segments.length > 1 ? segments[0]! : null;
}

/** Every import inside libs/domain/src that goes up or sideways, as `file -> specifier (why)`. */
function layerViolations(files: readonly { file: string; source: string }[]): string[] {
  const violations: string[] = [];
  for (const { file, source } of files) {
    const from = areaOf(file);
    if (from === null) continue;
    if (rowOf(from) < 0) {
      violations.push(`${file}: area "${from}" has no row in LAYERS`);
      continue;
    }
    for (const match of source.matchAll(IMPORT)) {
      const specifier = (match[1] ?? match[2])!;
      if (!specifier.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
      if (target.startsWith('..')) continue; // outside the domain: the ESLint layer rules' business
      const to = areaOf(target);
      if (to === null || to === from) continue;
      if (rowOf(to) < 0) {
        violations.push(`${file} -> ${specifier} (area "${to}" has no row in LAYERS)`);
      } else if (rowOf(to) >= rowOf(from)) {
        const how = rowOf(to) === rowOf(from) ? 'beside' : 'above';
        violations.push(`${file} -> ${specifier} ("${to}" is ${how} "${from}")`);
      }
    }
  }
  return violations;
}

function domainFiles(): { file: string; source: string }[] {
  return readdirSync(DOMAIN_SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({
      file: file.split(path.sep).join('/'),
      source: readFileSync(path.join(DOMAIN_SRC, file), 'utf8'),
    }));
}

describe('domain layers', () => {
  it('has no import from a lower area to a higher or a sibling one', () => {
    const files = domainFiles();
    expect(files.length).toBeGreaterThan(50);
    expect(layerViolations(files)).toEqual([]);
  });

  it('gives every area of libs/domain/src a row', () => {
    const areas = readdirSync(DOMAIN_SRC, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(areas.filter((area) => rowOf(area) < 0)).toEqual([]);
  });

  // The rule proves it fires, so a broken regex cannot pass everything.
  it.each([
    ['severity/probe.ts', `import type { OsvRecord } from '../advisory/osv-record';`, /"advisory" is above/],
    [
      'policy/probe.ts',
      `import {\n  type CurrentFinding,\n} from '../scan/scan-repository.port';`,
      /"scan" is above/,
    ],
    ['errors/probe.ts', `export * from '../ecosystem/ecosystem.value-object';`, /"ecosystem" is above/],
    ['manifest/parsers/npm/probe.ts', `import '../../../policy/policy';`, /"policy" is above/],
    ['advisory/probe.ts', `const m = import('../organization/org-input');`, /"organization" is beside/],
    ['made-up/probe.ts', `export const x = 1;`, /no row in LAYERS/],
    ['scan/probe.ts', `import { x } from '../made-up/x';`, /no row in LAYERS/],
  ])('refuses %s: %s', (file, source, expected) => {
    expect(layerViolations([{ file, source }])).toEqual([expect.stringMatching(expected)]);
  });

  it.each([
    ['policy/probe.ts', `import type { CurrentFinding } from '../finding/current-finding';`],
    ['manifest/parsers/npm/probe.ts', `import { isObject } from '../../../shared/is-object';`],
    [
      'scan/probe.ts',
      `import { evaluatePolicy } from '../policy/evaluate-policy';\nimport { x } from './x';`,
    ],
    ['advisory/probe.ts', `import { shared } from '../../../../test/support/shared-osv';`],
    ['index.ts', `export * from './persistence/stores';`],
  ])('allows %s: %s', (file, source) => {
    expect(layerViolations([{ file, source }])).toEqual([]);
  });
});

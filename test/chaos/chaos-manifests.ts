// What the chaos run's repositories hold: a requirements.txt whose pins change with every push, and
// three advisories on those packages, so each commit has findings of its own and the run can tell
// what the open findings must be at a repository's newest commit.
import type { OsvRecord } from '@repoguard/domain';
import type { SeededRandom } from './seeded-random';

export const MANIFEST_PATH = 'requirements.txt';

const minors = (major: number, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${major}.${from + i}.0`);

const VERSIONS = {
  'chaos-alpha': minors(1, 0, 9),
  'chaos-beta': [...minors(1, 8, 9), ...minors(2, 0, 6)],
  // No advisory: a dependency that never becomes a finding.
  'chaos-gamma': minors(0, 1, 5),
} as const;

export type ChaosPackage = keyof typeof VERSIONS;
export type Pins = Readonly<Record<ChaosPackage, string>>;

interface ChaosAdvisory {
  readonly id: string;
  readonly packageName: ChaosPackage;
  readonly introduced: string;
  readonly fixed: string;
}

// Overlapping ranges on chaos-alpha: one version may have two findings, the next one or none.
const ADVISORIES: readonly ChaosAdvisory[] = [
  { id: 'CHAOS-ALPHA-0001', packageName: 'chaos-alpha', introduced: '0', fixed: '1.5.0' },
  { id: 'CHAOS-ALPHA-0002', packageName: 'chaos-alpha', introduced: '1.2.0', fixed: '1.7.0' },
  { id: 'CHAOS-BETA-0001', packageName: 'chaos-beta', introduced: '2.0.0', fixed: '2.4.0' },
];

export const CHAOS_ADVISORIES: readonly OsvRecord[] = ADVISORIES.map((a) => ({
  id: a.id,
  modified: '2026-01-01T00:00:00Z',
  summary: `chaos run advisory on ${a.packageName}`,
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N' }],
  affected: [
    {
      package: { ecosystem: 'PyPI', name: a.packageName },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: a.introduced }, { fixed: a.fixed }] }],
    },
  ],
}));

export function randomPins(random: SeededRandom): Pins {
  return {
    'chaos-alpha': random.pick(VERSIONS['chaos-alpha']),
    'chaos-beta': random.pick(VERSIONS['chaos-beta']),
    'chaos-gamma': random.pick(VERSIONS['chaos-gamma']),
  };
}

/** The file of one commit; the label makes every commit differ even when the pins repeat. */
export function requirementsTxt(pins: Pins, label: string): string {
  const lines = Object.entries(pins).map(([name, version]) => `${name}==${version}`);
  return `# ${label}\n${lines.join('\n')}\n`;
}

/** x.y.z as a number for comparison; every version here is one. */
function rank(version: string): number {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return major * 1_000_000 + minor * 1_000 + patch;
}

/** `package@version|advisory` for each finding that must be open at a commit with these pins, sorted. */
export function expectedFindings(pins: Pins): string[] {
  return ADVISORIES.filter((a) => {
    const version = rank(pins[a.packageName]);
    return version >= rank(a.introduced) && version < rank(a.fixed);
  })
    .map((a) => `${a.packageName}@${pins[a.packageName]}|${a.id}`)
    .sort();
}

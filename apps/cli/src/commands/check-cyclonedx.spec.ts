import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCliIn } from '../cli-in-process.test-helper';
import { pypiAdvisory, writeOsvDirectory } from '../../../../test/support/osv-advisories';
import { packageLockV3 } from '../../../../test/support/manifest-fixtures';
import { cycloneDxErrors } from '../../../../test/support/sbom-schemas';

interface Bom {
  serialNumber: string;
  metadata: { timestamp: string; tools: { components: { name: string }[] }; component: { name: string } };
  components: { 'bom-ref': string; purl: string; scope?: string }[];
  dependencies: { ref: string; dependsOn?: string[] }[];
  vulnerabilities?: { id: string; ratings: { severity: string }[]; affects: { ref: string }[] }[];
}

jest.setTimeout(60_000);

describe('repoguard check --format cyclonedx', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rg-check-cdx-'));
    mkdirSync(path.join(dir, 'project', 'web'), { recursive: true });
    writeFileSync(path.join(dir, 'project', 'requirements.txt'), 'rg-cdx-alpha==1.0\nrg-cdx-safe==3.0\n');
    writeFileSync(
      path.join(dir, 'project', 'web', 'package-lock.json'),
      packageLockV3({ 'left-pad': '1.3.0' }),
    );
    writeOsvDirectory(path.join(dir, 'osv'), [
      pypiAdvisory('GHSA-cdx1-0000-0001', 'rg-cdx-alpha', 'HIGH', ['CVE-2099-1']),
    ]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a CycloneDX 1.6 SBOM of what it checked, with the vulnerabilities it found, valid against the schema', async () => {
    const { code, out } = await runCliIn(dir, [
      'check',
      'project',
      '--advisories',
      'osv',
      '--format',
      'cyclonedx',
    ]);
    expect(code).toBe(1); // the default policy fails on HIGH, as with every other format
    expect(await cycloneDxErrors(out)).toBeNull();
    const bom = JSON.parse(out) as Bom;
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(bom.metadata.timestamp).toBe('2026-06-01T00:00:00.000Z');
    expect(bom.metadata.tools.components.map((t) => t.name)).toEqual(['RepoGuard']);
    expect(bom.components.map((c) => c.purl).sort()).toEqual([
      'pkg:npm/left-pad@1.3.0',
      'pkg:pypi/rg-cdx-alpha@1.0',
      'pkg:pypi/rg-cdx-safe@3.0',
    ]);
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    expect(
      bom.vulnerabilities!.map((v) => [v.id, v.ratings[0]!.severity, v.affects.map((a) => a.ref)]),
    ).toEqual([['GHSA-cdx1-0000-0001', 'high', ['pkg:pypi/rg-cdx-alpha@1.0']]]);
    for (const v of bom.vulnerabilities!) for (const a of v.affects) expect(refs.has(a.ref)).toBe(true);
  });

  it('is named in the usage, and a format it does not know is still a usage error', async () => {
    const help = await runCliIn(dir, ['check', '--help']);
    expect(help.out).toContain('cyclonedx');
    const bad = await runCliIn(dir, ['check', 'project', '--advisories', 'osv', '--format', 'spdx']);
    expect(bad.code).toBe(2);
  });
});

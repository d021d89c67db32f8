import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCliCommand, type CliRun } from '../support/cli-run';

interface JsonReport {
  results: {
    manifest_path: string;
    dependencies: { name: string; manifest_path?: string }[];
    diagnostics: { severity: string; code: string; message: string; line?: number }[];
  }[];
}

// A hostile requirements file checked in CI: its includes try to make `repoguard check` read and
// print files it was never pointed at. Only files inside what was named may be read.
describe('repoguard check: includes stay inside the named files and directories', () => {
  const marker = `outside-marker-${randomUUID()}`;
  let base: string;
  let scanned: string;
  const outsideText = () => `${marker}==1.0.0\n${marker} this line is not a requirement\n`;

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'repoguard-include-'));
    scanned = path.join(base, 'project');
    mkdirSync(path.join(scanned, 'requirements'), { recursive: true });
    writeFileSync(path.join(base, 'outside.txt'), outsideText());
    writeFileSync(
      path.join(base, 'advisory.json'),
      JSON.stringify({
        id: 'RG-INCLUDE-0001',
        modified: '2026-01-01T00:00:00Z',
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'six' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
          },
        ],
      }),
    );
    // Links planted in the repository, pointing out of it: to a file, to a directory, dangling.
    symlinkSync(path.join(base, 'outside.txt'), path.join(scanned, 'link.txt'));
    symlinkSync(base, path.join(scanned, 'linkdir'));
    symlinkSync(path.join(base, 'gone', 'nothing.txt'), path.join(scanned, 'dangling.txt'));
    // A link that stays inside is followed like any file.
    writeFileSync(path.join(scanned, 'requirements', 'base.txt'), 'attrs==23.1.0\n');
    symlinkSync(path.join(scanned, 'requirements', 'base.txt'), path.join(scanned, 'inner-link.txt'));
    writeFileSync(
      path.join(scanned, 'requirements.txt'),
      [
        '-r /etc/passwd',
        '-c ../outside.txt',
        '-r link.txt',
        '-r linkdir/outside.txt',
        '-r requirements/../../outside.txt',
        '--requirement=../../../../../../../../etc/passwd',
        '-r dangling.txt',
        '-r requirements/base.txt',
        '-c inner-link.txt',
        'six==1.16.0',
        '',
      ].join('\n'),
    );
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  // One advisory of its own, so the test runs without ../shared/osv.
  const check = (target: string, format: 'json' | 'table') =>
    runCliCommand(
      ['check', target, '--advisories', path.join(base, 'advisory.json'), '--format', format],
      {},
    );

  const expectNothingOfOutside = (run: CliRun) => {
    const printed = run.stdout + run.stderr;
    expect(printed).not.toContain('root:');
    expect(printed).not.toContain(marker);
  };

  const REFUSED = [
    [1, '-r /etc/passwd'],
    [2, '-c ../outside.txt'],
    [3, '-r link.txt'],
    [4, '-r linkdir/outside.txt'],
    [5, '-r requirements/../../outside.txt'],
    [6, '-r ../../../../../../../../etc/passwd'],
    [7, '-r dangling.txt'],
  ] as const;

  it.each(['directory', 'file'] as const)(
    'refuses every include that leaves the named %s, naming it as written, and reads the others',
    async (named) => {
      const target = named === 'directory' ? scanned : path.join(scanned, 'requirements.txt');
      const run = await check(target, 'json');
      expectNothingOfOutside(run);
      // Exit code as documented, not a crash: 3, incomplete, since refused includes were not checked.
      expect(run).toMatchObject({ code: 3, stderr: '' });
      const report = JSON.parse(run.stdout) as JsonReport;
      const requirements = report.results.find((r) => r.manifest_path.endsWith('project/requirements.txt'))!;
      const refused = requirements.diagnostics.filter((d) => d.code === 'INCLUDE_OUTSIDE_ROOT');
      // Naming only the file: its siblings were not named, so they are not read either.
      const expected =
        named === 'directory'
          ? REFUSED
          : [...REFUSED, [8, '-r requirements/base.txt'] as const, [9, '-c inner-link.txt'] as const];
      expect(refused.map((d) => [d.line, d.severity])).toEqual(expected.map(([line]) => [line, 'error']));
      expected.forEach(([, include], i) =>
        expect(refused[i]!.message).toMatch(new RegExp(`^${escape(include)} was not read: `)),
      );
      // requirements/base.txt, reached directly and through a link inside, is read once.
      expect(requirements.dependencies.map((d) => d.name)).toEqual(
        named === 'directory' ? ['attrs', 'six'] : ['six'],
      );
    },
  );

  it('prints the refusals in the table a CI log shows, and nothing of the refused files', async () => {
    const run = await check(scanned, 'table');
    expectNothingOfOutside(run);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /^INCOMPLETE: 1 manifest\(s\) could not be read in full: .*requirements\.txt \(INCLUDE_OUTSIDE_ROOT\)/m,
    );
    expect(run.stdout).toMatch(/project\/requirements\.txt \(requirements-txt\): 2 dependencies, .*7 errors/);
    expect(run.stdout).toContain('error (line 1): INCLUDE_OUTSIDE_ROOT -r /etc/passwd was not read');
    expect(run.stdout).toContain('error (line 3): INCLUDE_OUTSIDE_ROOT -r link.txt was not read');
    // The outside file is as it was.
    expect(readFileSync(path.join(base, 'outside.txt'), 'utf8')).toBe(outsideText());
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import type { PullRequestComparison, PullRequestFinding } from './pull-request-check';
import {
  escapeMarkdown,
  MAX_ANNOTATION_MESSAGE_BYTES,
  MAX_ANNOTATION_TITLE,
  MAX_CHECK_SUMMARY,
  renderPullRequestCheck,
} from './render-pull-request-check';

const finding = (overrides: Partial<PullRequestFinding> = {}): PullRequestFinding => ({
  vulnerabilityId: 'GHSA-jfh8-c2jp-5v3q',
  aliases: ['CVE-2021-44228'],
  summary: 'Remote code execution in log4j',
  severity: 'CRITICAL',
  ecosystem: 'Maven',
  packageName: 'org.apache.logging.log4j:log4j-core',
  version: '2.14.1',
  manifestPath: 'services/billing/pom.xml',
  line: 42,
  fixedIn: '2.15.0',
  direct: true,
  ...overrides,
});

const comparison = (overrides: Partial<PullRequestComparison> = {}): PullRequestComparison => ({
  baseCommitSha: 'a'.repeat(40),
  headCommitSha: 'b'.repeat(40),
  baseScanId: null,
  manifestsChanged: ['services/billing/pom.xml'],
  introduced: [],
  resolved: [],
  accepted: [],
  status: 'OK',
  reasons: [],
  incomplete: [],
  ...overrides,
});

const options = {
  checkId: 'check-1',
  headSha: 'b'.repeat(40),
  detailsUrl: 'https://rg.example/c/1',
  actions: true,
};

/** The cells of the markdown table rows that follow `heading`. */
function rowsUnder(summary: string, heading: string): string[][] {
  const lines = summary.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const rows: string[][] = [];
  for (const line of lines.slice(start + 4)) {
    if (!line.startsWith('|')) break;
    // A cell ends at a `|` not escaped by a backslash.
    rows.push(line.slice(2, -2).split(/(?<!\\) \| /));
  }
  return rows;
}

describe('renderPullRequestCheck', () => {
  it('lists the new vulnerabilities with severity, an osv.dev link, package@version, manifest:line and fix', () => {
    const report = renderPullRequestCheck(
      comparison({ introduced: [finding()], status: 'FAIL', reasons: ['CRITICAL findings fail'] }),
      options,
    );

    expect(report).toMatchObject({
      conclusion: 'failure',
      title: '1 new vulnerability, 0 resolved',
      offerAcceptRisk: true,
    });
    expect(report.summary).toContain('**FAIL**: 1 new vulnerability, 0 resolved.');
    expect(rowsUnder(report.summary, '### Introduced by this pull request')).toEqual([
      [
        'CRITICAL',
        '[GHSA-jfh8-c2jp-5v3q](https://osv.dev/vulnerability/GHSA-jfh8-c2jp-5v3q)',
        // `@` escaped: a package name must not mention anyone.
        'org.apache.logging.log4j:log4j-core\\@2.14.1',
        'services/billing/pom.xml:42',
        'fixed in 2.15.0',
        'Remote code execution in log4j',
      ],
    ]);
    expect(report.annotations).toEqual([
      {
        path: 'services/billing/pom.xml',
        startLine: 42,
        endLine: 42,
        level: 'failure',
        title: 'GHSA-jfh8-c2jp-5v3q (CRITICAL) in org.apache.logging.log4j:log4j-core@2.14.1',
        message: 'Remote code execution in log4j; fixed in 2.15.0',
      },
    ]);
  });

  it('shows resolved findings, accepted risks with their expiry, and manifests not read in full', () => {
    const accepted = finding({
      vulnerabilityId: 'GHSA-aaaa-bbbb-cccc',
      packageName: 'lodash',
      ecosystem: 'npm',
    });
    const report = renderPullRequestCheck(
      comparison({
        introduced: [accepted],
        accepted: [accepted],
        resolved: [finding({ vulnerabilityId: 'PYSEC-2021-1', packageName: 'django', fixedIn: null })],
        incomplete: ['web/package-lock.json'],
        status: 'WARN',
      }),
      {
        ...options,
        acceptances: [
          {
            vulnerabilityId: 'GHSA-aaaa-bbbb-cccc',
            ecosystem: 'npm',
            packageName: 'lodash',
            expiresAt: new Date('2027-01-04T10:00:00Z'),
          },
        ],
      },
    );

    expect(report).toMatchObject({
      conclusion: 'neutral',
      title: '0 new vulnerabilities, 1 resolved, 1 manifest not read in full',
      offerAcceptRisk: false,
    });
    expect(report.summary).not.toContain('### Introduced by this pull request');
    expect(rowsUnder(report.summary, '### Accepted risks')[0]).toEqual(
      expect.arrayContaining(['lodash\\@2.14.1', '2027-01-04']),
    );
    expect(rowsUnder(report.summary, '### Resolved by this pull request')[0]).toEqual(
      expect.arrayContaining(['django\\@2.14.1', 'no fix yet']),
    );
    expect(report.summary).toContain('### Not read in full');
    expect(report.summary).toContain('- web/package-lock.json');
    // Accepted findings do not annotate the diff as failures.
    expect(report.annotations).toEqual([]);
  });

  it('keeps attacker-written advisory summaries and package names as text in their cell', () => {
    const hostile = finding({
      vulnerabilityId: 'GHSA-x](javascript:alert(1))',
      summary:
        'a | b `code` <script>alert(1)</script>\nnew line [click](javascript:alert(1)) ![img](http://x/y.png) **bold** @someone',
      packageName: 'evil|pkg`</td>](javascript:alert(2))',
      version: '1.0.0\n| injected | row |',
      manifestPath: 'dir/<img src=x onerror=alert(1)>.json',
      fixedIn: '2.0.0](javascript:x)',
    });

    const report = renderPullRequestCheck(comparison({ introduced: [hostile], status: 'FAIL' }), options);

    const rows = rowsUnder(report.summary, '### Introduced by this pull request');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveLength(6); // no extra column from a `|`
    const lines = report.summary.split('\n');
    expect(lines.filter((l) => l.startsWith('|'))).toHaveLength(3); // head, separator, one row: no injected row
    expect(report.summary).not.toMatch(/<script|<img|<\/td>/i);
    expect(report.summary).not.toMatch(/(?<!\\)\]\((?!https:\/\/osv\.dev\/)/); // no link but osv.dev's
    expect(report.summary).not.toMatch(/(?<!\\)`/); // no code span
    expect(report.summary).not.toMatch(/(?<!\\)@someone/); // no mention
    // The id that is no advisory id is shown, not linked.
    expect(report.summary).not.toContain('https://osv.dev/vulnerability/GHSA-x');
  });

  it('escapes every markdown and HTML metacharacter', () => {
    expect(escapeMarkdown('a|b`c*d_e[f]g(h)i!j~k<l>m&n\\o#p@q{r}')).toBe(
      'a\\|b\\`c\\*d\\_e\\[f\\]g\\(h\\)i\\!j\\~k&lt;l&gt;m&amp;n\\\\o\\#p\\@q\\{r\\}',
    );
    expect(escapeMarkdown('one\r\ntwo\nthree\u2028four')).toBe('one two three four');
  });

  it('breaks bare URLs so GitHub makes no auto-link of them, in the summary and the annotations', () => {
    const hostile = finding({
      summary: 'see https://evil.example/x or HTTP://evil.example and www.evil.example, ftp://evil.example',
      packageName: 'www.evil.example/pkg',
      fixedIn: 'https://evil.example/fix',
    });

    const report = renderPullRequestCheck(comparison({ introduced: [hostile], status: 'FAIL' }), options);

    const autoLink = /(?:https?|ftp):\/\/|www\./i;
    const ours = report.summary
      .replace(/https:\/\/osv\.dev\/vulnerability\/[\w-]+/g, '')
      .replace(options.detailsUrl, '');
    expect(ours).not.toMatch(autoLink);
    expect(report.annotations[0]!.title).not.toMatch(autoLink);
    expect(report.annotations[0]!.message).not.toMatch(autoLink);
    // Still readable: the text is all there, with an invisible joiner in the scheme and after www.
    expect(report.annotations[0]!.message.replace(/\u200d/g, '')).toContain('https://evil.example/x');
  });

  it('strips bidi overrides and zero-width characters from attacker-written text', () => {
    const hidden = '\u202e\u2066\u200b\u200c\u200d\u2060\ufeff\u200f\u061c';
    const hostile = finding({
      summary: `safe${hidden}txt.exe`,
      packageName: `lo${hidden}dash`,
      manifestPath: `package${hidden}.json`,
    });

    const report = renderPullRequestCheck(comparison({ introduced: [hostile], status: 'FAIL' }), options);

    const invisible = /[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff\u061c]/;
    expect(report.summary).not.toMatch(invisible);
    expect(report.summary).toContain('safetxt.exe');
    expect(report.summary).toContain('lodash\\@2.14.1');
    expect(report.annotations[0]!.title).not.toMatch(invisible);
    expect(report.annotations[0]!.message).not.toMatch(invisible);
    expect(escapeMarkdown(`a${hidden}b`)).toBe('ab');
  });

  it('stays under 65,535 characters however many findings, and says how many it left out', () => {
    const many = Array.from({ length: 3000 }, (_, i) =>
      finding({ vulnerabilityId: `GHSA-${i}-aaaa-bbbb`, summary: 's'.repeat(500), line: i + 1 }),
    );

    const report = renderPullRequestCheck(
      comparison({ introduced: many, resolved: many.slice(0, 100), status: 'FAIL' }),
      options,
    );

    expect(report.summary.length).toBeLessThanOrEqual(MAX_CHECK_SUMMARY);
    const shown = rowsUnder(report.summary, '### Introduced by this pull request').length;
    expect(shown).toBeGreaterThan(100);
    expect(report.summary).toMatch(
      new RegExp(`…and ${3100 - shown} more not shown \\(all of them: https://rg.example/c/1\\)\\.$`),
    );
    // Every row shown is whole.
    for (const line of report.summary.split('\n').filter((l) => l.startsWith('| CRITICAL')))
      expect(line).toMatch(/ \|$/);
    expect(report.annotations).toHaveLength(3000);
  });

  it('keeps annotation titles to 255 characters and messages to 64 KB', () => {
    const long = finding({ packageName: 'p'.repeat(400), summary: '€'.repeat(40_000) });

    const [annotation] = renderPullRequestCheck(
      comparison({ introduced: [long], status: 'FAIL' }),
      options,
    ).annotations;

    expect([...annotation!.title].length).toBeLessThanOrEqual(MAX_ANNOTATION_TITLE);
    expect(new TextEncoder().encode(annotation!.message).length).toBeLessThanOrEqual(
      MAX_ANNOTATION_MESSAGE_BYTES,
    );
    expect(annotation!.message.endsWith('…')).toBe(true);
  });

  it('offers no action on a commit status, and says when no manifest changed', () => {
    const report = renderPullRequestCheck(
      comparison({ manifestsChanged: [], introduced: [finding()], status: 'FAIL' }),
      {
        ...options,
        actions: false,
      },
    );
    expect(report).toMatchObject({ title: 'No dependency changes', offerAcceptRisk: false });
  });
});

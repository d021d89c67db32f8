// The overview's trend, newest critical findings and recent scans (issue 22) in Chromium, over the
// API process serving a fresh build of apps/web on the real scan pipeline. Today's counts come from
// real scans (the persist step records them) and a triage decision (the re-judging records it);
// earlier days are rows seeded in SQL for this test's own org, as days of scans would have left them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OsvRecord } from '@repoguard/domain';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { connectScannedRepo } from '../support/connected-repos';
import { pypiAdvisory } from '../support/osv-advisories';
import { buildDashboard, seriousViolations } from '../support/web-dashboard';

const RUN = randomBytes(3).toString('hex');
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;
type Counts = [critical: number, high: number, medium: number, low: number, unknown: number];

const advisory = (pkg: string, severity: string | null): OsvRecord =>
  pypiAdvisory(`GHSA-trend-${RUN}-${pkg.slice(3, 7)}`, pkg, severity, [], { fixed: '2.0.0' });

const ADVISORIES = [
  advisory('rg-crit', 'CRITICAL'),
  advisory('rg-medi', 'MODERATE'),
  advisory('rg-lowl', 'LOW'),
  advisory('rg-unkn', null),
];

// Today, after the scans: critical 1, medium 2, low 2, unknown 1.
const REPOS = {
  payments: 'rg-crit==1.0.0\nrg-medi==1.0.0\n',
  storefront: 'rg-medi==1.0.0\nrg-lowl==1.0.0\n',
  docs: 'rg-lowl==1.0.0\nrg-unkn==1.0.0\n',
};

// Days ago -> each repository's count that day (critical, high, medium, low, unknown).
const HISTORY: Record<keyof typeof REPOS, Record<number, Counts>> = {
  payments: {
    80: [0, 2, 1, 0, 0],
    60: [1, 2, 3, 0, 0],
    40: [2, 1, 3, 0, 0],
    20: [3, 1, 2, 0, 0],
    10: [3, 1, 1, 1, 0],
    5: [2, 0, 1, 1, 0],
  },
  storefront: { 50: [0, 0, 2, 3, 0], 30: [0, 0, 3, 2, 0] },
  docs: { 70: [0, 0, 0, 4, 2], 25: [0, 0, 0, 2, 1] },
};

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

test.describe("the overview's trend, newest critical findings and recent scans in Chromium", () => {
  test.describe.configure({ mode: 'serial' });
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let context: BrowserContext;
  let page: Page;
  let webDir: string;
  const repoIds: Record<string, string> = {};
  const pageErrors: string[] = [];

  test.beforeAll(async () => {
    // A build, a stack and three scans: minutes on a loaded 2-CPU machine.
    test.setTimeout(600_000);
    webDir = mkdtempSync(path.join(tmpdir(), 'repoguard-web-'));
    buildDashboard(webDir);
    stack = await startApiStack({
      name: 'overview-trend',
      advisories: ADVISORIES,
      env: { WEB_DIST_DIR: webDir },
    });
    org = await stack.createOrg('overview-trend');
    for (const [name, pins] of Object.entries(REPOS)) {
      repoIds[name] = await connectScannedRepo(stack, org, `trend-${RUN}`, name, {
        'requirements.txt': pins,
      });
    }
    const connection = stack.harness.orm.em.getConnection();
    for (const [name, days] of Object.entries(HISTORY)) {
      for (const [ago, [critical, high, medium, low, unknown]] of Object.entries(days)) {
        await connection.execute(
          `insert into open_finding_days (repo_id, day, org_id, critical, high, medium, low, unknown, recorded_at)
           values (?, ?::date, ?, ?, ?, ?, ?, ?, now())`,
          [repoIds[name], daysAgo(Number(ago)), org.orgId, critical, high, medium, low, unknown],
        );
      }
    }
  });

  test.beforeEach(async ({ browser }) => {
    context = await browser.newContext({ baseURL: stack.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  test.afterEach(async () => {
    await context?.close();
    expect(pageErrors.splice(0)).toEqual([]);
  });

  test.afterAll(async () => {
    await stack?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  const summary = async () => {
    const answer = await stack.call(org.ownerToken, 'GET', `/api/v1/orgs/${org.orgId}/summary`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  async function signIn(): Promise<void> {
    await page.goto(`/orgs/${org.orgId}`);
    await page.getByLabel('Personal token').fill(org.ownerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('trend-table').waitFor({ state: 'attached' });
  }

  /** The chart's table alternative: a day's row as "critical high medium low unknown total". */
  const shownDay = async (day: string) =>
    (await page.getByTestId(`trend-${day}`).locator('td').allTextContents()).join(' ');

  test("shows the recorded counts of each day in the chart's table, carried over days without a change, and passes axe-core", async () => {
    const answer = await summary();
    expect(answer.trend.points).toHaveLength(90);
    expect(answer.trend.to).toBe(daysAgo(0));
    expect(answer.open_findings).toEqual({ critical: 1, high: 0, medium: 2, low: 2, unknown: 1, total: 6 });

    await signIn();
    // By hand from HISTORY: nothing yet; payments alone; the three repositories' last rows; today's scans.
    expect(await shownDay(daysAgo(85))).toBe('0 0 0 0 0 0');
    expect(await shownDay(daysAgo(75))).toBe('0 2 1 0 0 3');
    expect(await shownDay(daysAgo(45))).toBe('1 2 5 7 2 17');
    expect(await shownDay(daysAgo(7))).toBe('3 1 4 5 1 14');
    expect(await shownDay(daysAgo(0))).toBe('1 0 2 2 1 6');
    // Every row the page shows is the API's point of that day.
    const rows = await page.locator('[data-testid="trend-table"] tbody tr').count();
    expect(rows).toBe(90);
    for (const point of answer.trend.points as ({ day: string } & Record<string, number>)[]) {
      expect([point.day, await shownDay(point.day)]).toEqual([
        point.day,
        [...SEVERITIES, 'total'].map((s) => point[s]).join(' '),
      ]);
    }
    // The chart says the same in words for a screen reader.
    await expect(page.getByTestId('trend-chart').locator('desc').textContent()).resolves.toContain(
      'to 6 open findings in all',
    );
    // README's picture (docs/screenshots/overview.png), at a laptop's width.
    if (process.env['OVERVIEW_SCREENSHOT_DIR']) {
      await page.screenshot({
        path: path.join(process.env['OVERVIEW_SCREENSHOT_DIR'], 'overview.png'),
        fullPage: true,
      });
    }
    await page.getByText('The trend as a table').click();
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('lists the newest critical finding with its repository, package and advisory, and the recent scans with timings', async () => {
    const answer = await summary();
    expect(answer.newest_critical_findings).toHaveLength(1);
    const critical = answer.newest_critical_findings[0];
    expect(critical).toMatchObject({
      repo_id: repoIds['payments'],
      package_name: 'rg-crit',
      vulnerability_id: `GHSA-trend-${RUN}-crit`,
    });
    expect(answer.recent_scans).toHaveLength(3);
    for (const scan of answer.recent_scans) {
      expect(scan).toMatchObject({ status: 'COMPLETED', duration_ms: expect.any(Number) });
    }

    await signIn();
    const item = page.getByTestId(`critical-${critical.id}`);
    await expect(item.textContent()).resolves.toMatch(
      new RegExp(`rg-crit@1\\.0\\.0.*trend-${RUN}/payments.*GHSA-trend-${RUN}-crit.*Fixed in 2\\.0\\.0`),
    );
    for (const scan of answer.recent_scans) {
      await expect(page.getByTestId(`scan-${scan.id}`).textContent()).resolves.toContain(scan.repo_full_name);
    }
    expect(await page.getByTestId(`scan-${answer.recent_scans[0].id}`).textContent()).toMatch(/completed/);
  });

  test('fits a phone screen without sideways scrolling of the page, and passes axe-core there', async ({
    browser,
  }) => {
    await context.close();
    context = await browser.newContext({ baseURL: stack.url, viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    await signIn();
    const overflow = (await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    )) as number;
    expect(overflow).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page)).toEqual([]);
    if (process.env['OVERVIEW_SCREENSHOT_DIR']) {
      await page.screenshot({
        path: path.join(process.env['OVERVIEW_SCREENSHOT_DIR'], 'overview-phone.png'),
        fullPage: true,
      });
    }
  });

  test("counts a triage decision in today's point, and refuses another org's summary as the API does elsewhere", async () => {
    const critical = (await summary()).newest_critical_findings[0];
    const ignored = await stack.call(org.ownerToken, 'PATCH', `/api/v1/findings/${critical.id}`, {
      status: 'ignored',
      reason: 'not reachable in production',
    });
    expect(ignored.status).toBe(200);
    const after = await summary();
    expect(after.trend.points.at(-1)).toMatchObject({ day: daysAgo(0), critical: 0, total: 5 });
    expect(after.open_findings).toMatchObject({ critical: 0, total: 5 });
    expect(after.newest_critical_findings).toEqual([]);

    await signIn();
    expect(await shownDay(daysAgo(0))).toBe('0 0 2 2 1 5');
    expect(await shownDay(daysAgo(7))).toBe('3 1 4 5 1 14');
    await page.getByText('No open critical finding.').waitFor();
    if (process.env['OVERVIEW_SCREENSHOT_DIR']) {
      await page.screenshot({
        path: path.join(process.env['OVERVIEW_SCREENSHOT_DIR'], 'overview-after-triage.png'),
        fullPage: true,
      });
    }

    const other = await stack.createOrg('overview-trend-other');
    const refused = await stack.call(other.ownerToken, 'GET', `/api/v1/orgs/${org.orgId}/summary`);
    expect([refused.status, refused.body.error.code]).toEqual([404, expect.any(String)]);
    const own = await stack.call(other.ownerToken, 'GET', `/api/v1/orgs/${other.orgId}/summary`);
    expect(own.body.repositories.total).toBe(0);
    expect(own.body.trend.points.every((p: { total: number }) => p.total === 0)).toBe(true);
  });
});

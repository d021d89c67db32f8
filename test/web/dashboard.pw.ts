// The web dashboard (issue 22) in a real browser: Debian's Chromium driven by Playwright's test runner (no
// browser download; scripts/lib.sh ensure_chromium installs it), against the API process serving
// a fresh build of apps/web, on the real scan pipeline. Sign-in, the overview's numbers against the
// API's own, and axe-core on both pages.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { OsvRecord } from '@repoguard/domain';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { connectScannedRepo } from '../support/connected-repos';
import { request } from '../support/http';
import { pypiAdvisory } from '../support/osv-advisories';
import { buildDashboard, seriousViolations } from '../support/web-dashboard';

const RUN = randomBytes(3).toString('hex');
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'unknown'] as const;

const advisory = (pkg: string, severity: string | null): OsvRecord =>
  pypiAdvisory(`GHSA-dash-${RUN}-${pkg.slice(3, 7)}`, pkg, severity, [], { fixed: '2.0.0' });

const ADVISORIES = [
  advisory('rg-crit', 'CRITICAL'),
  advisory('rg-medi', 'MODERATE'),
  advisory('rg-lowl', 'LOW'),
  advisory('rg-unkn', null),
];

// Under the default policy (fail on HIGH, warn on MEDIUM): one repository of each status.
const REPOS = {
  payments: 'rg-crit==1.0.0\nrg-medi==1.0.0\n',
  storefront: 'rg-medi==1.0.0\nrg-lowl==1.0.0\n',
  docs: 'rg-lowl==1.0.0\nrg-unkn==1.0.0\n',
};

test.describe('the web dashboard in Chromium', () => {
  test.describe.configure({ mode: 'serial' });
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let context: BrowserContext;
  let page: Page;
  let webDir: string;
  const repoIds: Record<string, string> = {};
  const pageErrors: string[] = [];

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    webDir = mkdtempSync(path.join(tmpdir(), 'repoguard-web-'));
    buildDashboard(webDir);
    stack = await startApiStack({ name: 'dashboard', advisories: ADVISORIES, env: { WEB_DIST_DIR: webDir } });
    org = await stack.createOrg('dashboard');
    for (const [name, pins] of Object.entries(REPOS)) {
      repoIds[name] = await connectScannedRepo(stack, org, `dash-${RUN}`, name, { 'requirements.txt': pins });
    }
  });

  test.beforeEach(async ({ browser }) => {
    context = await browser.newContext({ baseURL: stack.url });
    page = await context.newPage();
    // A script the CSP blocks, or any uncaught error, fails the test that caused it (see afterEach).
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 401/.test(message.text()))
        pageErrors.push(message.text());
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

  const api = async (p: string) => {
    const answer = await stack.call(org.ownerToken, 'GET', `/api/v1${p}`);
    expect([p, answer.status]).toEqual([p, 200]);
    return answer.body;
  };

  test('is served at / and at any page address, while the API keeps its own answers', async () => {
    for (const p of ['/', `/orgs/${org.orgId}?status=FAIL`, '/sign-in']) {
      const answer = await fetch(`${stack.url}${p}`);
      expect([p, answer.status, answer.headers.get('content-type')]).toEqual([
        p,
        200,
        expect.stringContaining('text/html'),
      ]);
      expect(answer.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await answer.text()).toContain('<div id="root">');
    }
    // Unknown paths of the API, and a missing bundle file, are the JSON 404, never the page.
    for (const p of ['/api/v1/no-such-thing', '/assets/no-such-file.js', '/health/no-such-check']) {
      const { status, body } = await request(`${stack.url}${p}`);
      expect([p, status, body?.error?.code]).toEqual([p, 404, 'NOT_FOUND']);
    }
    expect((await request(`${stack.url}/health/live`)).status).toBe(200);
    expect((await request(`${stack.url}/docs/openapi.json`)).body.info.title).toBe('RepoGuard API');
  });

  test('says in words that a wrong token is not accepted, and passes axe-core', async () => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in to RepoGuard');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Personal token').fill(`rg_pat_${'x'.repeat(40)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/That token was not accepted/);
    expect(page.url()).toBe(`${stack.url}/sign-in`);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("signs in with a personal token and shows the API's numbers on the overview, which passes axe-core", async () => {
    // What the API says: statuses from the repository list, open findings per severity from the
    // org-wide search (severity=x means x and above, so each count is a difference).
    const repos = (await api(`/orgs/${org.orgId}/repos?per_page=100`)).items as { status: string }[];
    const statusCount = (s: string) => repos.filter((r) => r.status === s).length;
    const atLeast = async (s: string) =>
      (await api(`/orgs/${org.orgId}/findings?status=open&per_page=1&severity=${s}`)).total as number;
    const ge = Object.fromEntries(
      await Promise.all(SEVERITIES.map(async (s) => [s, await atLeast(s)] as const)),
    );
    const bySeverity = {
      critical: ge['critical'],
      high: ge['high'] - ge['critical'],
      medium: ge['medium'] - ge['high'],
      low: ge['low'] - ge['medium'],
      unknown: ge['unknown'],
      total: (await api(`/orgs/${org.orgId}/findings?status=open&per_page=1`)).total,
    };
    expect([statusCount('FAIL'), statusCount('WARN'), statusCount('OK')]).toEqual([1, 1, 1]);
    expect(bySeverity).toEqual({ critical: 1, high: 0, medium: 2, low: 2, unknown: 1, total: 6 });

    await page.goto(`/orgs/${org.orgId}`);
    await page.getByLabel('Personal token').fill(org.ownerToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Back where the shared link pointed, once signed in.
    await page.getByTestId('repos-total').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/orgs/${org.orgId}`);

    const shown = async (testId: string) => Number(await page.getByTestId(testId).textContent());
    expect(await shown('repos-total')).toBe(repos.length);
    for (const s of ['FAIL', 'WARN', 'OK'])
      expect([s, await shown(`status-count-${s}`)]).toEqual([s, statusCount(s)]);
    for (const [s, n] of Object.entries(bySeverity))
      expect([s, await shown(`severity-count-${s}`)]).toEqual([s, n]);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('owner');

    // The failing repository says why, in the policy's words.
    const why = (await api(`/orgs/${org.orgId}/policies/evaluation?repo_id=${repoIds['payments']}`))
      .reasons as {
      message: string;
    }[];
    expect(why.length).toBeGreaterThan(0);
    const row = page.getByTestId(`repo-${repoIds['payments']}`);
    await row.getByText(why[0]!.message).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // A filter is an address: FAIL only, from a link, and the same after a reload.
    await page.getByRole('link', { name: /FAIL/ }).click();
    await page.waitForURL(`**/orgs/${org.orgId}?status=FAIL`);
    await page.reload();
    await page.getByTestId(`repo-${repoIds['payments']}`).waitFor();
    expect(await page.locator('tbody tr[data-testid^="repo-"]').count()).toBe(1);
  });
  test('shows a viewer its role and no control but signing out (the role comes from GET /auth/me)', async () => {
    const created = await stack.call(org.ownerToken, 'POST', '/api/v1/auth/api-keys', {
      org_id: org.orgId,
      name: 'dashboard viewer',
      role: 'viewer',
    });
    expect(created.status).toBe(201);

    await page.goto('/sign-in');
    await page.getByLabel('Personal token').fill(created.body.key as string);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('repos-total').waitFor();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toMatch(/viewer$/);
    const buttons = await page.getByRole('button').allTextContents();
    expect(buttons).toEqual(['Sign out']);
  });
});

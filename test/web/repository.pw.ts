// The dashboard's Repository page (issue 22) in Chromium, on the real stack (API process serving a
// fresh build of apps/web, worker, Temporal, PostgreSQL): from the overview to a failing
// repository, its findings as filtered addresses, a finding's detail, triage that changes the
// repository's status, "scan now" followed to COMPLETED, a viewer without write controls, the
// page at phone width, and axe-core. SCREENSHOT_DIR: also saves repository.png there (laptop width).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { ApiStack } from '../support/api-stack';
import { connectScannedRepo } from '../support/connected-repos';
import { pypiAdvisory } from '../support/osv-advisories';
import { seriousViolations, useDashboard } from '../support/web-dashboard';

const RUN = randomBytes(3).toString('hex');
const CRITICAL = `GHSA-repo-${RUN}-crit`;
const MEDIUM = `GHSA-repo-${RUN}-medi`;
const CVE = `CVE-2099-${parseInt(RUN, 16)}`;
const ADVISORIES = [
  pypiAdvisory(CRITICAL, 'rg-crit', 'CRITICAL', [CVE], { fixed: '2.0.0' }),
  pypiAdvisory(MEDIUM, 'rg-medi', 'MODERATE', [], { fixed: '1.5.0' }),
];
const TEMPORAL_UI_URL = 'http://temporal-ui.test:8233';
const LAPTOP = { width: 1280, height: 800 };
// Evaluated in the page: the elements that end past the viewport's right edge, but inside a
// scrolling table region (they scroll there), as tag.class lines.
const PAST_THE_RIGHT_EDGE = `[...document.querySelectorAll('body *')]
  .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.parentElement.closest('.table-scroll'))
  .map((e) => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + (e.textContent ?? '').slice(0, 40))`;

interface ApiFinding {
  id: string;
  status: string;
  vulnerability: { id: string };
  triage: { status: string; reason: string | null; expires_at: string | null } | null;
}

test.describe('the Repository page in Chromium', () => {
  test.describe.configure({ mode: 'serial' });
  const world = useDashboard(
    { name: 'web-repository', advisories: ADVISORIES, env: { TEMPORAL_UI_URL } },
    { viewport: LAPTOP, timezoneId: 'UTC' },
  );
  let stack: ApiStack;
  let org: Awaited<ReturnType<ApiStack['createOrg']>>;
  let page: Page;
  let payments: string; // FAIL: a critical and a medium finding
  let docs: string; // OK: nothing found

  test.beforeAll(async () => {
    test.setTimeout(300_000);
    stack = world.stack;
    org = await stack.createOrg('web-repository');
    payments = await connectScannedRepo(stack, org, `repo-${RUN}`, 'payments', {
      'requirements.txt': '# pinned\nrg-crit==1.0.0\nrg-medi==1.0.0\n',
    });
    docs = await connectScannedRepo(stack, org, `repo-${RUN}`, 'docs', {
      'requirements.txt': 'rg-safe==1.0\n',
    });
  });

  test.beforeEach(() => {
    page = world.page;
  });

  const api = async (p: string) => {
    const answer = await stack.call(org.ownerToken, 'GET', `/api/v1${p}`);
    expect([p, answer.status]).toEqual([p, 200]);
    return answer.body;
  };
  const findingOf = async (advisory: string): Promise<ApiFinding> =>
    ((await api(`/repos/${payments}/findings?status=all&per_page=100`)).items as ApiFinding[]).find(
      (f) => f.vulnerability.id === advisory,
    )!;

  async function signIn(tab: Page, token: string, at: string) {
    await tab.goto(at);
    await tab.getByLabel('Personal token').fill(token);
    await tab.getByRole('button', { name: 'Sign in' }).click();
  }
  const rows = () => page.locator('table.findings tbody tr');
  const repoStatus = () => page.getByTestId('repo-status').textContent();

  test('opens a failing repository from the overview: its reasons, findings as filtered addresses, a finding’s detail', async () => {
    await signIn(page, org.ownerToken, `/orgs/${org.orgId}`);
    await page.getByRole('link', { name: `repo-${RUN}/payments` }).click();
    await page.waitForURL(`**/repos/${payments}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain(
      `repo-${RUN}/payments`,
    );
    expect(await repoStatus()).toBe('FAIL');
    // The policy's reasons, in its words.
    const why = (await api(`/orgs/${org.orgId}/policies/evaluation?repo_id=${payments}`)).reasons as {
      message: string;
    }[];
    expect(why.length).toBeGreaterThan(0);
    await page.getByTestId('policy-reasons').getByText(why[0]!.message).waitFor();

    // The open findings as the API lists them: most severe first, with manifest and line.
    await page.getByTestId('findings-total').waitFor();
    const listed = (await api(`/repos/${payments}/findings`)).items as ApiFinding[];
    expect(await rows().locator('th a').allTextContents()).toEqual(listed.map((f) => f.vulnerability.id));
    expect(await rows().allTextContents()).toEqual([
      expect.stringContaining('requirements.txt:2'),
      expect.stringContaining('requirements.txt:3'),
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    // A filter is an address, and stays after a reload.
    await page.getByLabel('Severity').selectOption('high');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('severity') === 'high');
    await page.reload();
    await page.getByTestId('findings-total').waitFor();
    expect(await rows().locator('th a').allTextContents()).toEqual([CRITICAL]);
    await expect(page.getByLabel('Severity').inputValue()).resolves.toBe('high');
    // Sorted by package Z to A, any severity: the medium one first.
    await page.getByLabel('Severity').selectOption('');
    await page.getByLabel('Sort').selectOption('package:desc');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'package:desc');
    await rows().first().getByRole('link', { name: MEDIUM }).waitFor();

    // A finding's detail, by keyboard: its advisory, aliases, fix, manifest line and dates.
    await page.getByRole('link', { name: CRITICAL }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.searchParams.get('finding') !== null);
    const detail = page.getByTestId('finding-detail');
    await detail.getByRole('heading', { name: new RegExp(CRITICAL) }).waitFor();
    const text = await detail.textContent();
    for (const expected of ['rg-crit is vulnerable', CVE, '2.0.0', 'requirements.txt, line 2', 'First seen'])
      expect([expected, text?.includes(expected)]).toEqual([expected, true]);
    // The heading took the focus, so the reader lands on what they chose.
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('finding-detail');
    expect(await seriousViolations(page)).toEqual([]);

    // The address, opened in another tab (a tab keeps its own session): sign in, and the same finding.
    const shared = await world.context.newPage();
    await signIn(shared, org.ownerToken, page.url());
    await shared
      .getByTestId('finding-detail')
      .getByRole('heading', { name: new RegExp(CRITICAL) })
      .waitFor();
    expect(shared.url()).toBe(page.url());
    await shared.close();
  });

  test("triages a finding (reason and expiry) and shows the repository's status change", async () => {
    const critical = await findingOf(CRITICAL);
    await signIn(page, org.ownerToken, `/repos/${payments}?finding=${critical.id}`);
    const detail = page.getByTestId('finding-detail');
    await detail.getByRole('heading', { name: new RegExp(CRITICAL) }).waitFor();
    expect(await repoStatus()).toBe('FAIL');

    // Refused by the browser without a reason: nothing reaches the API.
    await detail.getByRole('button', { name: 'Ignore finding' }).click();
    expect((await findingOf(CRITICAL)).status).toBe('open');

    const until = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await detail.getByLabel('Reason').fill('Only reachable from a test fixture');
    await detail.getByLabel('Ignore until (optional)').fill(until);
    await detail.getByRole('button', { name: 'Ignore finding' }).click();
    await detail.getByRole('status').getByText('Ignored.').waitFor();

    // The API's word: ignored with that reason until the end of that day, and the repository is WARN.
    const triaged = await findingOf(CRITICAL);
    expect([triaged.status, triaged.triage?.reason, triaged.triage?.expires_at]).toEqual([
      'ignored',
      'Only reachable from a test fixture',
      `${until}T23:59:59.000Z`,
    ]);
    expect((await api(`/repos/${payments}`)).status).toBe('WARN');
    // The page shows it without a reload: the status, the finding, and the open list without it.
    await page.getByTestId('repo-status').getByText('WARN', { exact: true }).waitFor();
    await expect(detail.getByTestId('finding-status').textContent()).resolves.toBe('ignored');
    await rows().nth(1).waitFor({ state: 'detached' });
    expect(await rows().locator('th a').allTextContents()).toEqual([MEDIUM]);
    expect(await seriousViolations(page)).toEqual([]);

    // The ignored findings are one address away.
    await page.goto(`/repos/${payments}?status=ignored`);
    await page.getByTestId('findings-total').waitFor();
    expect(await rows().locator('th a').allTextContents()).toEqual([CRITICAL]);
  });

  test('scans now and follows the scan to COMPLETED; the history has its step times and its Temporal run', async () => {
    const before = (await api(`/repos/${payments}/scans`)).total as number;
    await signIn(page, org.ownerToken, `/repos/${payments}`);
    await page.getByRole('button', { name: 'Scan now' }).click();
    const progress = page.getByTestId('scan-progress');
    await progress.getByText(/^Scan COMPLETED/).waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: 'Scan now' }).waitFor();

    const scans = (await api(`/repos/${payments}/scans`)).items as {
      id: string;
      status: string;
      temporal_ui_url: string;
    }[];
    expect((await api(`/repos/${payments}/scans`)).total).toBe(before + 1);
    const newest = scans[0]!;
    expect(newest.status).toBe('COMPLETED');
    const row = page.getByTestId(`scan-${newest.id}`);
    await row.waitFor();
    const rowText = await row.textContent();
    for (const phase of ['fetch', 'parse', 'match', 'persist', 'evaluate'])
      expect([phase, rowText?.includes(phase)]).toEqual([phase, true]);
    const link = row.getByRole('link', { name: /Temporal run/ });
    await expect(link.getAttribute('href')).resolves.toBe(newest.temporal_ui_url);
    expect(newest.temporal_ui_url.startsWith(`${TEMPORAL_UI_URL}/namespaces/`)).toBe(true);
    expect(await page.locator('table.scans tbody tr').count()).toBe(before + 1);
    expect(await seriousViolations(page)).toEqual([]);

    const dir = process.env['SCREENSHOT_DIR'];
    if (dir) {
      mkdirSync(dir, { recursive: true });
      await page.goto(`/repos/${payments}?status=all&finding=${(await findingOf(MEDIUM)).id}`);
      await page.getByTestId('finding-detail').getByRole('heading').first().waitFor();
      await page.locator('table.scans').waitFor();
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: path.join(dir, 'repository.png') });
    }
  });

  test('shows a viewer the repository, findings and a finding’s detail, but no triage or scan control', async () => {
    const created = await stack.call(org.ownerToken, 'POST', '/api/v1/auth/api-keys', {
      org_id: org.orgId,
      name: 'repository viewer',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    const medium = await findingOf(MEDIUM);
    await signIn(page, created.body.key as string, `/repos/${payments}?finding=${medium.id}`);
    await page
      .getByTestId('finding-detail')
      .getByRole('heading', { name: new RegExp(MEDIUM) })
      .waitFor();
    await page.locator('table.scans').waitFor();
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toMatch(/viewer$/);
    // Filtering is reading; nothing else is a button for a viewer.
    expect((await page.getByRole('button').allTextContents()).sort()).toEqual(['Apply', 'Sign out']);
    expect(await page.getByLabel('Reason').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('fits a phone’s width, says when nothing is found, and says so for a repository not in your orgs', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, org.ownerToken, `/repos/${docs}`);
    await page.getByText('No open findings.').waitFor();
    await page.getByTestId('policy-reasons').waitFor();
    expect(await repoStatus()).toBe('OK');
    await page.goto(`/repos/${payments}?status=all`);
    await page.locator('table.scans').waitFor();
    // Wide tables scroll inside their own region; nothing else reaches past the screen's edge.
    expect(await page.evaluate(PAST_THE_RIGHT_EDGE)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);

    await page.goto(`/repos/${randomUUID()}`);
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /No repository with this id is in your orgs/,
    );
    // The browser logs the API's 404 for it; that one is expected.
    const unexpected = world.pageErrors.splice(0).filter((e) => !/status of 404/.test(e));
    world.pageErrors.push(...unexpected);

    // A crafted link whose id climbs out of /repos/… (decoded by the router, or spelled %2e) sends
    // no request with the session's token anywhere: the page says the address is not one of ours.
    const sent: string[] = [];
    page.on('request', (r) => sent.push(new URL(r.url()).pathname));
    for (const id of [
      `x%2F..%2F..%2Forgs%2F${org.orgId}%2Fsummary%3F`,
      `%252e%252e%2F%252e%252e%2Forgs%2F${org.orgId}%2Fsummary%3F`,
    ]) {
      sent.length = 0;
      await page.goto(`/repos/${id}`);
      await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/not one RepoGuard made/);
      // The session's own reads (who it is, its orgs) go out on every page; nothing else does.
      const own = ['/api/v1/auth/me', '/api/v1/orgs/me'];
      expect(sent.filter((p) => p.startsWith('/api/') && !own.includes(p))).toEqual([]);
    }
  });
});

// The dashboard's Policy and Settings pages (issue 22) in Chromium, against the API process serving
// a fresh build of apps/web on the real scan pipeline: a policy edited (the API's refusal shown at
// its field), tried in a dry run, saved and seen on the overview; a member invited, an API key
// created and revoked, the audit log filtered to those actions; a viewer shown no edit control.
// axe-core finds no serious or critical violation on either page.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { startApiStack, type ApiStack } from '../support/api-stack';
import { connectScannedRepo, repoStatus } from '../support/connected-repos';
import { pypiAdvisory } from '../support/osv-advisories';
import { buildDashboard, seriousViolations, watchPageErrors } from '../support/web-dashboard';

const RUN = randomBytes(3).toString('hex');
const ADVISORIES = [
  pypiAdvisory(`GHSA-pset-${RUN}-crit`, 'rg-ps-crit', 'CRITICAL'),
  pypiAdvisory(`GHSA-pset-${RUN}-medi`, 'rg-ps-medi', 'MODERATE'),
  pypiAdvisory(`GHSA-pset-${RUN}-lowl`, 'rg-ps-lowl', 'LOW'),
];
// Under the default policy (fail on HIGH, warn on MEDIUM): FAIL, WARN and OK.
const REPOS = {
  payments: 'rg-ps-crit==1.0.0\n',
  storefront: 'rg-ps-medi==1.0.0\n',
  docs: 'rg-ps-lowl==1.0.0\n',
};

test.describe('the Policy and Settings pages in Chromium', () => {
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
    stack = await startApiStack({
      name: 'policy-settings',
      advisories: ADVISORIES,
      env: { WEB_DIST_DIR: webDir },
    });
    org = await stack.createOrg('policy-settings');
    for (const [name, pins] of Object.entries(REPOS)) {
      repoIds[name] = await connectScannedRepo(stack, org, `pset-${RUN}`, name, { 'requirements.txt': pins });
    }
  });

  test.beforeEach(async ({ browser }) => {
    context = await browser.newContext({ baseURL: stack.url, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    watchPageErrors(page, pageErrors);
  });

  test.afterEach(async () => {
    await context?.close();
    // The 422 of a refused policy is the point of a test; any other error fails it.
    expect(pageErrors.splice(0).filter((e) => !/status of 422/.test(e))).toEqual([]);
  });

  test.afterAll(async () => {
    await stack?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  const api = async (token: string, method: string, p: string, body?: unknown) =>
    stack.call(token, method, `/api/v1${p}`, body);

  /** Opens `address`, which asks for a token first, and comes back to it signed in. */
  async function signIn(token: string, address: string, heading: string) {
    await page.goto(address);
    await page.getByLabel('Personal token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(`^${heading}`) }).waitFor();
    expect(new URL(page.url()).pathname).toBe(address.split('?')[0]);
  }

  /** Nothing wider than the window at phone width (390 px): no sideways scrolling of the page. */
  async function fitsAPhone() {
    await page.setViewportSize({ width: 390, height: 844 });
    const [scrollWidth, innerWidth] = (await page.evaluate(
      '[document.documentElement.scrollWidth, window.innerWidth]',
    )) as [number, number];
    await page.setViewportSize({ width: 1280, height: 900 });
    return scrollWidth <= innerWidth;
  }

  test("shows the API's message next to an invalid rule, a dry run naming the repository that would change, then saves it", async () => {
    await signIn(org.ownerToken, `/orgs/${org.orgId}/policy`, 'Policy');
    await page.getByRole('heading', { name: 'Rules' }).waitFor();
    await expect(page.getByTestId('policy-version').textContent()).resolves.toMatch(/default policy/);
    expect(await page.getByLabel('Fail on findings of').inputValue()).toBe('HIGH');
    expect(await seriousViolations(page)).toEqual([]);

    // An invalid value goes to the API, whose words come back beside the field.
    await page.getByRole('button', { name: 'Add a limit' }).click();
    await page.getByLabel('At most').fill('-1');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const refused = await api(org.ownerToken, 'POST', `/orgs/${org.orgId}/policies/dry-run`, {
      rules: { fail_on_severity: 'HIGH', max_findings: [{ severity: 'HIGH', max: -1, action: 'fail' }] },
    });
    expect(refused.status).toBe(422);
    const problem = (refused.body.error.details as { field: string; problem: string }[]).find(
      (d) => d.field === 'rules.max_findings[0].max',
    )!.problem;
    const field = page.getByLabel('At most');
    await expect(page.locator('#rule-max_findings-0-max-problem').textContent()).resolves.toBe(problem);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toBe('rule-max_findings-0-max-problem');
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(
      /The API refused to try these rules/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fitsAPhone()).toBe(true);

    // Fail on MEDIUM: the storefront (WARN) would FAIL, the others stay.
    await page.getByRole('button', { name: 'Remove limit 1' }).click();
    await page.getByLabel('Fail on findings of').selectOption('MEDIUM');
    await page.getByRole('button', { name: 'Dry run' }).click();
    const row = page.getByTestId(`dry-run-${repoIds['storefront']}`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(new RegExp(`pset-${RUN}/storefront\\s*WARN\\s*FAIL`));
    expect(await page.locator('[data-testid^="dry-run-"]').count()).toBe(1);
    await expect(page.getByTestId('dry-run').getByRole('status').textContent()).resolves.toBe(
      '1 of 3 repositories would change status.',
    );
    expect(await seriousViolations(page)).toEqual([]);
    // A dry run saves nothing.
    expect((await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/policies`)).body.current.default).toBe(true);
    expect(await repoStatus(stack, org, repoIds['storefront']!)).toBe('WARN');

    await page.getByRole('button', { name: 'Save this policy' }).click();
    await expect(page.getByTestId('policy-saved').textContent()).resolves.toBe(
      'Saved as version 1. 1 repository changed status.',
    );
    const saved = (await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/policies`)).body.current;
    expect(saved).toMatchObject({
      version: 1,
      rules: { fail_on_severity: 'MEDIUM', warn_on_severity: 'MEDIUM' },
    });
    expect(await repoStatus(stack, org, repoIds['storefront']!)).toBe('FAIL');

    // The overview shows the new statuses.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByTestId('repos-total').waitFor();
    await expect(page.getByTestId('status-count-FAIL').textContent()).resolves.toBe('2');
    await expect(page.getByTestId('status-count-WARN').textContent()).resolves.toBe('0');
  });

  test('invites a member, creates and revokes an API key, and filters the audit log to those actions', async () => {
    const email = `invited-${RUN}@example.test`;
    const keyName = `ci-${RUN}`;
    await signIn(org.ownerToken, `/orgs/${org.orgId}/settings`, 'Settings');
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await page.getByTestId(`member-owner-${org.slug}@example.test`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.locator('#invite-role').selectOption('viewer');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    await page.getByTestId('invitation-created').waitFor();
    await page.getByTestId(`invitation-${email}`).waitFor();
    const invitations = (await api(org.ownerToken, 'GET', `/orgs/${org.orgId}/invitations`)).body.items;
    expect(invitations).toEqual([expect.objectContaining({ email, role: 'viewer' })]);

    await page.getByLabel('Name', { exact: true }).fill(keyName);
    await page.locator('#key-role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('api-key-secret').locator('code').textContent())!;
    expect(secret).toMatch(/^rg_key_/);
    expect((await api(secret, 'GET', '/auth/me')).status).toBe(200);
    const keyRow = page.getByTestId(`api-key-${keyName}`);
    await expect(keyRow.textContent()).resolves.toContain('Active');
    expect(await seriousViolations(page)).toEqual([]);

    await keyRow.getByRole('button', { name: `Revoke ${keyName}` }).click();
    await keyRow.getByText(/^Revoked/).waitFor();
    expect((await api(secret, 'GET', '/auth/me')).status).toBe(401);

    // The audit log, filtered from its form: the address holds the filter, the rows are the API's.
    const keyId = (
      (await api(org.ownerToken, 'GET', `/auth/api-keys?org_id=${org.orgId}`)).body.items as {
        id: string;
        name: string;
      }[]
    ).find((k) => k.name === keyName)!.id;
    const shownActions = async () =>
      (await page.getByTestId('audit-row').locator('code').allTextContents()).sort();
    for (const action of ['api_key.created', 'api_key.revoked', 'member.invited']) {
      await page.locator('#audit-action').selectOption(action);
      await page.locator('#audit-actor').selectOption({ label: `owner-${org.slug}@example.test` });
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL((url) => url.searchParams.get('action') === action);
      expect(new URL(page.url()).searchParams.get('actor')).toBe(org.ownerId);
      const fromApi = (
        await api(
          org.ownerToken,
          'GET',
          `/orgs/${org.orgId}/audit-logs?action=${action}&actor_id=${org.ownerId}`,
        )
      ).body.items as { target_id: string }[];
      expect([action, fromApi.length]).toEqual([action, 1]);
      // Until the new filter's rows replace the last one's (a row shown meanwhile may be either's).
      await expect.poll(shownActions).toEqual([action]);
    }
    await expect(page.getByTestId('audit-row').textContent()).resolves.toContain(email);
    expect(await seriousViolations(page)).toEqual([]);

    // A shared address with a date range: today has the revocation, a range ending yesterday has nothing.
    const today = (await page.evaluate(
      'new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10)',
    )) as string;
    const yesterday = new Date(Date.parse(`${today}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    await page.goto(`/orgs/${org.orgId}/settings?action=api_key.revoked&from=${today}&to=${today}`);
    await page.getByTestId('audit-row').first().waitFor();
    expect(await shownActions()).toEqual(['api_key.revoked']);
    await expect(page.getByTestId('audit-row').textContent()).resolves.toContain(keyId);
    expect(await page.locator('#audit-action').inputValue()).toBe('api_key.revoked');
    await page.goto(`/orgs/${org.orgId}/settings?action=api_key.revoked&to=${yesterday}`);
    await page.getByText('No audit entry matches these filters.').waitFor();
    expect(await fitsAPhone()).toBe(true);
  });

  test('shows a viewer the policy and the members, with no edit control on either page', async () => {
    const created = await api(org.ownerToken, 'POST', '/auth/api-keys', {
      org_id: org.orgId,
      name: `viewer-${RUN}`,
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    const controls = () => page.locator('main input, main select, main textarea, main button').count();

    await signIn(created.body.key as string, `/orgs/${org.orgId}/policy`, 'Policy');
    await page.getByText('Only an org admin or owner can change the policy.').waitFor();
    await page.getByText(/Fail on \w+ findings and above/).waitFor();
    expect(await page.getByRole('button').allTextContents()).toEqual(['Sign out']);
    expect(await controls()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fitsAPhone()).toBe(true);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByTestId(`member-owner-${org.slug}@example.test`).waitFor();
    await page.getByTestId('settings-read-only').waitFor();
    expect(await page.getByRole('button').allTextContents()).toEqual(['Sign out']);
    expect(await controls()).toBe(0);
    for (const heading of ['Invitations', 'API keys', 'Audit log'])
      expect(await page.getByRole('heading', { name: heading }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await fitsAPhone()).toBe(true);
  });
});

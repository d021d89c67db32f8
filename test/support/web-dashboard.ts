// The web dashboard in a real browser, for test/web: a fresh Vite build of apps/web for the API to
// serve (WEB_DIST_DIR), Debian's Chromium driven by playwright-core (no browser download), and
// axe-core injected into the page.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import { startApiStack, type ApiStack, type ApiStackOptions } from './api-stack';
import { REPO_ROOT } from './processes';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Builds apps/web with Vite into a folder of its own, as `npm run build` does into dist/apps/web. */
export function buildDashboard(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      'apps/web',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: REPO_ROOT, env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' }, stdio: 'pipe' },
  );
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core's serious and critical violations on the page as it is now, as `rule: targets` lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol, not as an inline <script>: the page's CSP stays as served.
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations)',
  )) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Collects uncaught errors and console errors (but a 401's, which the sign-in page answers) of a page. */
export function watchPageErrors(page: Page, into: string[]): void {
  page.on('pageerror', (error) => into.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of 401/.test(message.text())) into.push(message.text());
  });
}

export interface DashboardWorld {
  readonly stack: ApiStack;
  readonly browser: Browser;
  /** A fresh context and page for each test. */
  readonly context: BrowserContext;
  readonly page: Page;
  /** Errors the page logged during the current test; afterEach expects none left. */
  readonly pageErrors: string[];
}

/**
 * Registers the hooks of a browser test: a fresh build of apps/web served by an API stack
 * (`options`, with WEB_DIST_DIR added), one Chromium, and a new context per test (`contextOptions`)
 * whose uncaught errors and console errors fail that test. Register it before the spec's own hooks.
 */
export function useDashboard(
  options: ApiStackOptions,
  contextOptions: BrowserContextOptions = {},
): DashboardWorld {
  let webDir: string | undefined;
  let stack: ApiStack | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  const pageErrors: string[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready (used outside a test?)`);
    return value;
  };

  // Playwright's hooks: the files in test/web run under its runner, which launches the browser.
  test.beforeAll(async () => {
    test.setTimeout(300_000);
    webDir = mkdtempSync(path.join(tmpdir(), 'repoguard-web-'));
    buildDashboard(webDir);
    stack = await startApiStack({ ...options, env: { ...options.env, WEB_DIST_DIR: webDir } });
  });
  test.beforeEach(async ({ browser: launched }) => {
    browser = launched;
    context = await launched.newContext({
      baseURL: ready(stack, 'the stack').url,
      ...contextOptions,
    });
    page = await context.newPage();
    // A script the CSP blocks, or any uncaught error, fails the test that caused it (see afterEach).
    watchPageErrors(page, pageErrors);
  });
  test.afterEach(async () => {
    await context?.close();
    expect(pageErrors.splice(0)).toEqual([]);
  });
  test.afterAll(async () => {
    await stack?.close();
    if (webDir) rmSync(webDir, { recursive: true, force: true });
  });

  return {
    get stack() {
      return ready(stack, 'the stack');
    },
    get browser() {
      return ready(browser, 'the browser');
    },
    get context() {
      return ready(context, 'the browser context');
    },
    get page() {
      return ready(page, 'the page');
    },
    pageErrors,
  };
}

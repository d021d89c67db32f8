import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDemo, type DemoOptions } from '../../scripts/demo';
import type { ApiStack } from '../support/api-stack';
import { startDemoStack, type DemoStack } from '../support/demo-stack';

// `npm run up`'s main job, on the real stack: offline, advisories from ../shared/osv.
describe('the demo', () => {
  let demo: DemoStack;
  let stack: ApiStack;
  let stateDir: string;
  let options: DemoOptions;
  const printed: string[] = [];

  beforeAll(async () => {
    demo = await startDemoStack('demo');
    stack = demo.stack;
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'repoguard-demo-'));
    options = demo.demoOptions(stateDir, (line) => printed.push(line));
  });
  afterAll(async () => {
    await demo?.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('creates an org and a repository, imports the advisories, scans, and prints what it found', async () => {
    expect(options.advisorySources.length).toBeGreaterThanOrEqual(5);
    const result = await runDemo(options);
    const output = printed.join('\n');
    expect(result.scan.status).toBe('COMPLETED');
    expect(result.policyStatus).toBe('FAIL');
    expect(result.findings).toBeGreaterThan(10);
    expect(Object.keys(result.bySeverity)).toEqual(expect.arrayContaining(['CRITICAL', 'HIGH']));

    const token = fs.readFileSync(path.join(stateDir, 'demo-owner-token'), 'utf8').trim();
    expect(token).toMatch(/^rg_pat_/);
    expect(output).toContain(token);
    expect(output).toMatch(/advisories PyPI-all\.zip: 2661 read, 2661 new/);
    expect(output).toMatch(/policy status {3}FAIL/);
    expect(output).toMatch(new RegExp(`open findings {3}${result.findings} \\(\\d+ critical`));
    // Findings from each ecosystem of the sample repository, with where they were found.
    for (const manifest of [
      'services/api/requirements.txt',
      'web/package-lock.json',
      'tools/go.mod',
      'services/billing/pom.xml',
    ]) {
      const findings = await stack.call(token, 'GET', `/api/v1/repos/${result.repoId}/findings?per_page=100`);
      expect(
        findings.body.items.map((f: { dependency: { manifest_path: string } }) => f.dependency.manifest_path),
      ).toContain(manifest);
    }
    expect(output).toContain(`scan in Temporal ${result.scan.temporal_ui_url}`);
    expect(output).toContain('connect a real GitHub repository:');
  });

  it('runs again on the same state: same org, same repository, a new scan', async () => {
    printed.length = 0;
    const again = await runDemo(options);
    const output = printed.join('\n');
    expect(output).toMatch(/using the demo org/);
    expect(output).not.toMatch(/rg_pat_/);
    expect(output).toMatch(/advisories PyPI-all\.zip: 2661 read, 0 new, 0 updated, 2661 unchanged/);
    expect(again.scan.status).toBe('COMPLETED');
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

// The GitHub Actions workflow cannot run here: actionlint checks it (syntax, expressions, action
// inputs, runner labels) and the assertions below check it runs what the README promises.
const REPO_ROOT = path.resolve(__dirname, '../..');
const WORKFLOW = path.join(REPO_ROOT, '.github/workflows/ci.yml');
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}
interface Job {
  'runs-on': string;
  'timeout-minutes'?: number;
  services?: Record<
    string,
    { image: string; env?: Record<string, string>; ports?: string[]; options?: string }
  >;
  steps: Step[];
}
const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; 'cancel-in-progress': boolean };
  jobs: Record<string, Job>;
};

/** A variable assigned in scripts/lib.sh, the one home of the pinned tool versions. */
function libVariable(name: string): string {
  const value = new RegExp(`^${name}="([^"]+)"$`, 'm').exec(read('scripts/lib.sh'))?.[1];
  if (!value) throw new Error(`scripts/lib.sh assigns no ${name}`);
  return value;
}

/** actionlint where scripts/lib.sh looks for it (ACTIONLINT, PATH, Go's bin directory). */
function requireActionlint(): string {
  const found = spawnSync('bash', ['-c', 'source scripts/lib.sh && find_actionlint'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  const binary = found.stdout.trim();
  if (found.status !== 0 || !binary) {
    throw new Error(
      `actionlint is missing (ACTIONLINT, PATH, $(go env GOPATH)/bin). Build it once with ` +
        `\`bash -c 'source scripts/lib.sh; ensure_actionlint'\` (npm test does), which runs ` +
        `\`go install ${libVariable('ACTIONLINT_MODULE')}@${libVariable('ACTIONLINT_VERSION')}\`.`,
    );
  }
  return binary;
}

interface Finding {
  filepath: string;
  line: number;
  column: number;
  kind: string;
  message: string;
}

function actionlint(file: string): { status: number | null; findings: Finding[] } {
  // shellcheck and pyflakes off: GitHub's runners have shellcheck and this machine need not, and
  // the verdict must be the same on both.
  const run = spawnSync(
    requireActionlint(),
    ['-no-color', '-format', '{{json .}}', '-shellcheck=', '-pyflakes=', file],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`actionlint failed (${run.status ?? run.signal}): ${run.stderr}`);
  }
  return { status: run.status, findings: JSON.parse(run.stdout || '[]') as Finding[] };
}

const described = (findings: Finding[]) =>
  findings.map((f) => `${path.basename(f.filepath)}:${f.line}:${f.column}: ${f.message} [${f.kind}]`);

describe('.github/workflows/ci.yml', () => {
  it('passes actionlint', () => {
    const { status, findings } = actionlint(WORKFLOW);
    expect(described(findings)).toEqual([]);
    expect(status).toBe(0);
  });

  it('is linted by an actionlint that finds mistakes (a deliberately broken workflow)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'repoguard-actionlint-'));
    try {
      const broken = path.join(dir, 'broken.yml');
      writeFileSync(
        broken,
        [
          'on: push',
          'jobs:',
          '  test:',
          '    runs-on: ubuntu-24.04',
          '    steps:',
          '      - uses: actions/checkout@v6',
          '        with:',
          '          fetch-depht: 0',
          '      - run: echo "${{ steps.nowhere.outputs.hit }}"',
          '',
        ].join('\n'),
      );
      const { status, findings } = actionlint(broken);
      expect(status).toBe(1);
      expect(described(findings)).toEqual([
        expect.stringMatching(/^broken\.yml:8:.*fetch-depht.*\[action\]$/),
        expect.stringMatching(/^broken\.yml:9:.*nowhere.*\[expression\]$/),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs the README's test command, as .ci/run does", () => {
    const readmeCommand = /^```bash\n(?:(?!```).*\n)*?(npm test)\b/m.exec(read('README.md'))?.[1];
    expect(readmeCommand).toBe('npm test');
    expect(read('.ci/run')).toMatch(/^npm test$/m);
    const runs = workflow.jobs['test']?.steps.flatMap((step) => step.run?.split('\n') ?? []) ?? [];
    expect(runs).toContain('npm test');
    expect(runs).toContain('npm ci --no-audit --no-fund');
  });

  it('gives the tests PostgreSQL (trust, user postgres) and Redis, health-checked, on their usual ports', () => {
    const services = workflow.jobs['test']?.services ?? {};
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis']);
    expect(services['postgres']).toMatchObject({
      image: expect.stringMatching(/^postgres:\d+/),
      env: { POSTGRES_USER: 'postgres', POSTGRES_HOST_AUTH_METHOD: 'trust' },
      ports: ['5432:5432'],
      options: expect.stringContaining('--health-cmd "pg_isready'),
    });
    expect(services['redis']).toMatchObject({
      image: expect.stringMatching(/^redis:\d+/),
      ports: ['6379:6379'],
      options: expect.stringContaining('--health-cmd "redis-cli ping"'),
    });
  });

  it('builds the Go tools once with the versions scripts/lib.sh pins, and caches them', () => {
    const steps = workflow.jobs['test']?.steps ?? [];
    const versions = steps.find((step) => step.id === 'tools');
    expect(versions?.run).toContain('source scripts/lib.sh');
    for (const [binary, variable, ensure] of [
      ['temporal', 'TEMPORAL_CLI_VERSION', 'ensure_temporal'],
      ['actionlint', 'ACTIONLINT_VERSION', 'ensure_actionlint'],
    ] as const) {
      expect(libVariable(variable)).toMatch(/^v\d+\.\d+\.\d+$/);
      expect(versions?.run).toContain(`$${variable}`);
      const cached = steps.filter((step) => step.with?.['path'] === `~/go/bin/${binary}`);
      expect(cached.map((step) => step.uses)).toEqual(['actions/cache/restore@v5', 'actions/cache/save@v5']);
      expect(cached[0]?.with?.['key']).toMatch(/\$\{\{ steps\.tools\.outputs\.\w+ \}\}$/);
      expect(steps.some((step) => step.run?.includes(ensure))).toBe(true);
    }
  });

  it('runs on push and pull requests with read-only permissions, cancels superseded runs and times out', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.permissions).toEqual({ contents: 'read' });
    expect(workflow.concurrency['cancel-in-progress']).toBe(true);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      expect({ name, timeout: job['timeout-minutes'] }).toEqual({ name, timeout: expect.any(Number) });
    }
  });

  it('builds both Docker targets without pushing', () => {
    const runs = workflow.jobs['docker']?.steps.map((step) => step.run ?? '').join('\n') ?? '';
    expect(runs).toMatch(/docker build --target api\b/);
    expect(runs).toMatch(/docker build --target worker\b/);
    expect(runs).not.toMatch(/docker push|--push/);
  });
});

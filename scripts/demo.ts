// The main job on an embedded default (`npm run up` runs it): a demo org, a local git repository
// with realistic manifests, the advisories available here imported through the sync workflow, one
// scan through the API, and what it found. Works offline: no GitHub, no OSV.dev.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client, Connection, WorkflowIdConflictPolicy } from '@temporalio/client';
import {
  ADVISORY_SYNC_WORKFLOW_ID,
  DEFAULT_SCAN_TASK_QUEUE,
  DEFAULT_TEMPORAL_NAMESPACE,
  SYNC_ADVISORIES_WORKFLOW,
  type SyncAdvisoriesResult,
  type syncAdvisoriesWorkflowType,
} from '@repoguard/contract';
import { resolveAdvisorySources } from '@repoguard/infrastructure';

export interface DemoOptions {
  readonly apiUrl: string;
  readonly adminToken: string;
  /** Where the demo keeps its repository and its owner token between runs. */
  readonly stateDir: string;
  /** OSV exports the worker can read; empty: nothing to import (the demo says what to provide). */
  readonly advisorySources: readonly string[];
  readonly temporal: {
    readonly address: string;
    readonly namespace: string;
    readonly taskQueue: string;
    readonly rematchTaskQueue: string;
    /** Distinct per caller in tests; production uses the one sync id. */
    readonly syncWorkflowId?: string;
  };
  readonly print: (line: string) => void;
}

export interface DemoResult {
  readonly orgId: string;
  readonly repoId: string;
  readonly scan: { readonly id: string; readonly status: string; readonly temporal_ui_url: string };
  readonly policyStatus: string;
  readonly bySeverity: Record<string, number>;
  readonly findings: number;
}

// Our own sample project: old pins in four ecosystems, in sub-directories, as a monorepo has them.
const DEMO_FILES: Record<string, string> = {
  'README.md': '# shop\n\nA sample monorepo RepoGuard scans out of the box.\n',
  'services/api/requirements.txt': [
    '# API service',
    'Django==3.2.0',
    'djangorestframework==3.11.0',
    'requests==2.19.0',
    'PyYAML==5.3',
    'Jinja2==2.10',
    'urllib3==1.24.1',
    'celery==5.2.0',
    '',
  ].join('\n'),
  'services/worker/requirements.txt': 'Pillow==8.0.0\nlxml==4.6.2\nparamiko==2.7.1\n',
  'web/package-lock.json': JSON.stringify(
    {
      name: 'shop-web',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'shop-web', version: '1.0.0', dependencies: { axios: '^0.21.0', lodash: '^4.17.15' } },
        'node_modules/axios': { version: '0.21.0' },
        'node_modules/lodash': { version: '4.17.15' },
        'node_modules/minimist': { version: '1.2.0' },
        'node_modules/node-fetch': { version: '2.6.0' },
        'node_modules/follow-redirects': { version: '1.13.0' },
      },
    },
    null,
    2,
  ),
  'tools/go.mod': [
    'module example.com/shop/tools',
    '',
    'go 1.20',
    '',
    'require (',
    '\tgolang.org/x/text v0.3.5',
    '\tgolang.org/x/net v0.0.0-20210428140749-89ef3d95e781',
    '\tgithub.com/gin-gonic/gin v1.6.3',
    ')',
    '',
  ].join('\n'),
  'services/billing/pom.xml': `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example.shop</groupId>
  <artifactId>billing</artifactId>
  <version>1.0.0</version>
  <dependencies>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>2.14.1</version>
    </dependency>
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>2.9.8</version>
    </dependency>
  </dependencies>
</project>
`,
};

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { print } = options;
  const api = async (token: string, method: string, route: string, body?: unknown) => {
    const response = await fetch(`${options.apiUrl}/api/v1${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (text ? JSON.parse(text) : null) as any };
  };

  // 1. The demo org and its owner, once; the owner's token is kept (0600) for the next runs.
  mkdirSync(options.stateDir, { recursive: true });
  const tokenFile = path.join(options.stateDir, 'demo-owner-token');
  let token = existsSync(tokenFile) ? readFileSync(tokenFile, 'utf8').trim() : '';
  let orgId = token ? (await api(token, 'GET', '/orgs/me')).body?.items?.[0]?.id : undefined;
  if (!orgId) {
    const slug = `demo-${Math.random().toString(36).slice(2, 8)}`;
    const created = await api(options.adminToken, 'POST', '/orgs', {
      name: 'RepoGuard demo',
      slug,
      // An owner of its own: an email that already has a user gets no token back (they use their own).
      owner_email: `owner-${slug}@demo.repoguard.invalid`,
    });
    if (created.status !== 201 || !created.body.token) {
      throw new Error(`creating the demo org: ${JSON.stringify(created.body)}`);
    }
    orgId = created.body.org.id as string;
    token = created.body.token as string;
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    print(`created the demo org "${slug}"; its owner's token (shown once, kept in ${tokenFile}):`);
    print(`  ${token}`);
  } else {
    print(`using the demo org ${orgId} (owner token in ${tokenFile})`);
  }

  // 2. A real git repository with the sample manifests.
  const repoDir = path.join(options.stateDir, 'demo-repo');
  if (!existsSync(path.join(repoDir, '.git'))) {
    mkdirSync(repoDir, { recursive: true });
    for (const [file, text] of Object.entries(DEMO_FILES)) {
      mkdirSync(path.dirname(path.join(repoDir, file)), { recursive: true });
      writeFileSync(path.join(repoDir, file), text);
    }
    const git = (...args: string[]) =>
      execFileSync(
        'git',
        ['-c', 'user.name=RepoGuard demo', '-c', 'user.email=demo@repoguard.invalid', ...args],
        {
          cwd: repoDir,
          stdio: 'ignore',
          env: { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' },
        },
      );
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'Sample shop monorepo');
    print(`created a git repository with ${Object.keys(DEMO_FILES).length - 1} manifests in ${repoDir}`);
  }

  // 3. Advisories into the mirror, through the sync workflow (it re-matches stored repos as well).
  if (options.advisorySources.length === 0) {
    print('no OSV advisories to import: put OSV exports (<Ecosystem>/all.zip) in ../shared/osv, or set');
    print('DEMO_ADVISORIES to paths or URLs, or run `npm run repoguard -- advisories:import <zip>`; the');
    print('scan below then finds nothing.');
  } else {
    const sync = await syncAdvisories(options);
    for (const s of sync.sources) {
      print(
        `advisories ${path.basename(s.source)}: ${s.read} read, ${s.inserted} new, ${s.updated} updated, ${s.unchanged} unchanged`,
      );
    }
  }

  // 4. Connect the repository by its git URL (once) and scan it through the API.
  const gitUrl = `file://${repoDir}`;
  let repoId: string | undefined;
  const connected = await api(token, 'POST', `/orgs/${orgId}/repos`, { git_url: gitUrl });
  if (connected.status === 201) repoId = connected.body.id;
  else if (connected.body?.error?.code === 'REPO_ALREADY_CONNECTED') {
    const listed = await api(token, 'GET', `/orgs/${orgId}/repos?per_page=100`);
    repoId = listed.body.items.find((r: { git_url: string | null }) => r.git_url === gitUrl)?.id;
  }
  if (!repoId) throw new Error(`connecting ${gitUrl}: ${JSON.stringify(connected.body)}`);
  const requested = await api(token, 'POST', `/repos/${repoId}/scan`, {});
  if (requested.status !== 202) throw new Error(`requesting the scan: ${JSON.stringify(requested.body)}`);
  let scan = (await api(token, 'GET', `/scans/${requested.body.scan_id}`)).body;
  for (let i = 0; i < 600 && !['COMPLETED', 'FAILED', 'SUPERSEDED'].includes(scan.status); i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    scan = (await api(token, 'GET', `/scans/${requested.body.scan_id}`)).body;
  }
  if (scan.status !== 'COMPLETED')
    throw new Error(`the scan ended ${scan.status}: ${JSON.stringify(scan.error)}`);

  // 5. What it found.
  const findings: {
    severity: string;
    cvss_score: number | null;
    vulnerability: { id: string; summary: string | null };
    dependency: { name: string; version: string; manifest_path: string; ecosystem: string };
    fixed_versions: string[];
  }[] = [];
  for (let page = 1; ; page++) {
    const answer = (await api(token, 'GET', `/repos/${repoId}/findings?per_page=100&page=${page}`)).body;
    findings.push(...answer.items);
    if (findings.length >= answer.total || answer.items.length === 0) break;
  }
  const repo = (await api(token, 'GET', `/orgs/${orgId}/repos/${repoId}`)).body;
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(
      ([, n]) => n > 0,
    ),
  );
  const rank = (s: string) => SEVERITIES.indexOf(s);
  const top = [...findings]
    .sort((a, b) => rank(a.severity) - rank(b.severity) || (b.cvss_score ?? 0) - (a.cvss_score ?? 0))
    .slice(0, 8);

  print('');
  print(
    `scan ${scan.id} of ${repo.owner}/${repo.name} at ${String(scan.commit_sha).slice(0, 12)}: ${scan.status}`,
  );
  print(`  policy status   ${repo.status}`);
  print(
    `  open findings   ${findings.length}${
      findings.length
        ? ` (${Object.entries(bySeverity)
            .map(([s, n]) => `${n} ${s.toLowerCase()}`)
            .join(', ')})`
        : ''
    }`,
  );
  for (const f of top) {
    const fix = f.fixed_versions.length ? `fixed in ${f.fixed_versions[0]}` : 'no fix yet';
    print(
      `    ${f.severity.padEnd(8)} ${f.vulnerability.id.padEnd(20)} ${f.dependency.ecosystem}/${f.dependency.name}@${f.dependency.version} (${f.dependency.manifest_path}), ${fix}`,
    );
  }
  print(`  scan in Temporal ${scan.temporal_ui_url}`);
  print('');
  print('explore (with the owner token as a bearer token):');
  print(`  ${options.apiUrl}/api/v1/repos/${repoId}/findings?severity=high`);
  print(`  ${options.apiUrl}/api/v1/repos/${repoId}/scans`);
  print(`  ${options.apiUrl}/api/v1/orgs/${orgId}/policies/evaluation`);
  print(`  ${options.apiUrl}/docs (OpenAPI)`);
  print('');
  print('connect a real GitHub repository:');
  print(`  curl -X POST ${options.apiUrl}/api/v1/orgs/${orgId}/repos -H "Authorization: Bearer $TOKEN" \\`);
  print(`       -H 'content-type: application/json' -d '{"repo": "owner/name"}'`);
  print("  (set GITHUB_TOKEN for a higher rate limit on public repositories, PUT the org's own token to");
  print('   /api/v1/orgs/{org_id}/github/token for private ones, OSV_MODE=api to ask OSV.dev, and point a');
  print('   GitHub webhook at /api/v1/webhooks/github with GITHUB_WEBHOOK_SECRET; see README.md)');
  return {
    orgId: orgId!,
    repoId,
    scan,
    policyStatus: repo.status,
    bySeverity,
    findings: findings.length,
  };
}

async function syncAdvisories(options: DemoOptions): Promise<SyncAdvisoriesResult> {
  const connection = await Connection.connect({ address: options.temporal.address });
  try {
    const client = new Client({ connection, namespace: options.temporal.namespace });
    const handle = await client.workflow.start<syncAdvisoriesWorkflowType>(SYNC_ADVISORIES_WORKFLOW, {
      taskQueue: options.temporal.taskQueue,
      workflowId: options.temporal.syncWorkflowId ?? ADVISORY_SYNC_WORKFLOW_ID,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [
        {
          sources: [...options.advisorySources],
          scanTaskQueue: options.temporal.taskQueue,
          rematchTaskQueue: options.temporal.rematchTaskQueue,
        },
      ],
    });
    return await handle.result();
  } finally {
    await connection.close();
  }
}

/** The OSV exports beside the repository (`../shared/osv/*.zip`), when this machine has them. */
export function sharedAdvisoryExports(repoRoot: string): string[] {
  const dir = path.resolve(repoRoot, '..', 'shared', 'osv');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.zip'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** OSV's bucket, when this machine can reach it: the worker downloads these exports. */
async function onlineAdvisoryExports(): Promise<string[]> {
  const sources = resolveAdvisorySources(['npm', 'PyPI', 'Go', 'Maven'], process.env['OSV_EXPORT_BASE_URL']);
  try {
    const probe = await fetch(sources[0]!, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return probe.ok ? sources : [];
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  // dist/scripts/demo.js when built, scripts/demo.ts from source.
  const repoRoot = path.resolve(
    __dirname,
    path.basename(path.dirname(__dirname)) === 'dist' ? '../..' : '..',
  );
  const taskQueue = process.env['TEMPORAL_TASK_QUEUE'] ?? DEFAULT_SCAN_TASK_QUEUE;
  const configured = (process.env['DEMO_ADVISORIES'] ?? '').split(',').filter((s) => s.trim());
  await runDemo({
    apiUrl: process.env['API_URL'] ?? 'http://127.0.0.1:3000',
    adminToken: process.env['REPOGUARD_ADMIN_TOKEN'] ?? '',
    stateDir: path.join(repoRoot, '.repoguard'),
    advisorySources: configured.length
      ? configured
      : sharedAdvisoryExports(repoRoot).length
        ? sharedAdvisoryExports(repoRoot)
        : await onlineAdvisoryExports(),
    temporal: {
      address: process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:7233',
      namespace: process.env['TEMPORAL_NAMESPACE'] ?? DEFAULT_TEMPORAL_NAMESPACE,
      taskQueue,
      rematchTaskQueue: process.env['TEMPORAL_REMATCH_TASK_QUEUE'] ?? `${taskQueue}-rematch`,
    },
    print: (line) => console.log(line),
  });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`demo failed: ${(error as Error).message}`);
    process.exit(1);
  });
}

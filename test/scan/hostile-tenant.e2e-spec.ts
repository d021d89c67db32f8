import { randomUUID } from 'node:crypto';
import type { RepoScanResult } from '@repoguard/contract';
import type { OsvRecord, ScanTarget } from '@repoguard/domain';
import {
  DependencySnapshotEntity,
  OrganizationEntity,
  RepositoryEntity,
  TemporalScanRequester,
} from '@repoguard/infrastructure';
import { startScanHarness, type ScanHarness } from '../support/scan-harness';
import { startApp, type RunningProcess } from '../support/processes';
import { temporalAddress, temporalNamespace, uniqueName } from '../support/temporal-harness';

// Issue 15's reproductions together, as a hostile tenant would send them: while one org's five
// repositories (a pom.xml property bomb, requirements.txt files with a 300 KB line, lock files that
// list a dependency twice) are scanned, another org's ordinary repository is scanned on the same
// worker process. Every scan must end COMPLETED, the hostile ones with a diagnostic, and the other
// org's scan must take about as long as when it ran alone. Timings are generous bounds only.

const LONG_LINE = 300 * 1024;

/** p0=${p1}${p1}, ..., 25 levels: expanded naively, a 32-million-character version. */
function pomBomb(levels: number): string {
  const properties = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? `<p${i}>x</p${i}>` : `<p${i}>\${p${i + 1}}\${p${i + 1}}</p${i}>`,
  ).join('');
  return `<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.hostile</groupId><artifactId>bomb</artifactId><version>1.0</version>
  <properties>${properties}</properties>
  <dependencies>
    <dependency><groupId>org.example</groupId><artifactId>lib</artifactId><version>\${p0}</version></dependency>
    <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>30.0-jre</version></dependency>
  </dependencies>
</project>
`;
}

const HOSTILE: Record<string, Record<string, string>> = {
  'pom-bomb': { 'pom.xml': pomBomb(25) },
  backslashes: { 'requirements.txt': `requests==2.19.0\n${'\\'.repeat(LONG_LINE)}\nflask==0.12\n` },
  spaces: { 'requirements.txt': `requests==2.19.0\nflask==0.12${' '.repeat(LONG_LINE)}x\n` },
  'dup-go-composer': {
    'go.mod':
      'module example.com/dup\n\ngo 1.21\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.7.0\n\tgithub.com/gin-gonic/gin v1.7.0\n)\n',
    'composer.lock': JSON.stringify({
      packages: [
        { name: 'monolog/monolog', version: '2.0.0' },
        { name: 'monolog/monolog', version: '2.0.0' },
      ],
      'packages-dev': [],
    }),
  },
  'dup-poetry-gradle': {
    'poetry.lock':
      '[[package]]\nname = "requests"\nversion = "2.19.0"\n\n[[package]]\nname = "requests"\nversion = "2.19.0"\n\n[metadata]\nlock-version = "2.0"\n',
    'gradle.lockfile':
      'com.google.guava:guava:30.0-jre=compileClasspath\ncom.google.guava:guava:30.0-jre=compileClasspath\nempty=\n',
  },
};

const CANARY = { 'requirements.txt': 'requests==2.19.0\nflask==0.12\n' };

/** One advisory per duplicated dependency: a finding is upserted for each, twice if not deduplicated. */
const advisory = (id: string, ecosystem: string, name: string, fixed: string): OsvRecord => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  summary: `test advisory for ${name}`,
  affected: [
    {
      package: { ecosystem, name },
      ranges: [
        { type: ecosystem === 'Go' ? 'SEMVER' : 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] },
      ],
    },
  ],
});

const ADVISORIES: OsvRecord[] = [
  advisory('TEST-HOSTILE-GO', 'Go', 'github.com/gin-gonic/gin', '1.9.0'),
  advisory('TEST-HOSTILE-PHP', 'Packagist', 'monolog/monolog', '2.9.0'),
  advisory('TEST-HOSTILE-PY', 'PyPI', 'requests', '2.31.0'),
  advisory('TEST-HOSTILE-MVN', 'Maven', 'com.google.guava:guava', '32.0.0-jre'),
];

/** Hostile scans must end within this (the issue's canary had not ended after two minutes). */
const SCAN_DEADLINE_MS = 90_000;

describe('a hostile tenant scanned beside an ordinary one', () => {
  let harness: ScanHarness;
  let worker: RunningProcess | undefined;
  let requester: TemporalScanRequester;
  const started: string[] = [];

  beforeAll(async () => {
    harness = await startScanHarness({ name: 'hostile-tenant', advisories: ADVISORIES });
    await harness.stopWorker(); // every scan here runs on the worker process, as deployed
    const taskQueue = uniqueName('hostile-tenant-process');
    worker = startApp('apps/worker/src/main.ts', {
      NODE_ENV: 'test',
      DATABASE_URL: process.env['DATABASE_URL'],
      TEMPORAL_ADDRESS: temporalAddress(),
      TEMPORAL_NAMESPACE: temporalNamespace(),
      TEMPORAL_TASK_QUEUE: taskQueue,
      GITHUB_API_URL: harness.github.url,
      OSV_API_URL: harness.osv.url,
      INTEGRATION_TIMEOUT_MS: '20000',
    });
    requester = new TemporalScanRequester(harness.temporal.client, taskQueue, {
      quietWindowMs: 200,
      maxWaitMs: 2_000,
    });
    await worker.waitForOutput(/polling/, 120_000);
  }, 180_000);

  afterAll(async () => {
    // Scans still running (a stalled one) are ended, so they do not outlive the test.
    await Promise.all(
      started.map((id) =>
        harness.temporal.client.workflow
          .getHandle(id)
          .terminate('test over')
          .catch(() => undefined),
      ),
    );
    worker?.child.kill('SIGTERM');
    await worker?.exited(30_000).catch(() => worker?.child.kill('SIGKILL'));
    await harness?.close();
  });

  /** An org of the test's own, with a repository per file set on the GitHub stand-in. */
  async function orgWithRepos(name: string, repos: Record<string, Record<string, string>>) {
    const em = harness.orm.em.fork();
    const org = em.create(OrganizationEntity, { name, slug: `${name}-${randomUUID().slice(0, 8)}` });
    await em.flush();
    const targets: Record<string, ScanTarget> = {};
    for (const [repoName, files] of Object.entries(repos)) {
      const owner = org.slug;
      const repo = await harness.github.createRepo(owner, repoName);
      await repo.commit(files, 'initial import');
      const entity = em.create(RepositoryEntity, {
        orgId: org.id,
        owner,
        name: repoName,
        defaultBranch: 'main',
      });
      await em.flush();
      targets[repoName] = { orgId: org.id, repoId: entity.id, owner, name: repoName };
    }
    return targets;
  }

  /** Requests a scan; resolves with its result and how long it took, or TIMED_OUT at the deadline. */
  async function scan(target: ScanTarget): Promise<{ result: RepoScanResult | 'TIMED_OUT'; ms: number }> {
    const begun = Date.now();
    const receipt = await requester.request(target, { trigger: 'api', requestedBy: 'e2e' });
    started.push(receipt.workflowId);
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      harness.temporal.client.workflow.getHandle(receipt.workflowId).result() as Promise<RepoScanResult>,
      new Promise<'TIMED_OUT'>(
        (resolve) => (timer = setTimeout(() => resolve('TIMED_OUT'), SCAN_DEADLINE_MS)),
      ),
    ]).finally(() => clearTimeout(timer));
    return { result, ms: Date.now() - begun };
  }

  async function diagnosticCodes(target: ScanTarget): Promise<string[]> {
    const snapshot = await harness.orm.em
      .fork()
      .findOne(DependencySnapshotEntity, { repoId: target.repoId }, { orderBy: { createdAt: 'desc' } });
    return (snapshot?.manifests ?? []).flatMap((m) => m.diagnostics.map((d) => d.code));
  }

  it('ends every hostile scan COMPLETED with a diagnostic, and the other org’s scan takes about as long as alone', async () => {
    const canaryAlone = await orgWithRepos('canary', { 'ordinary-alone': CANARY });
    const canary = await orgWithRepos('canary', { ordinary: CANARY });
    const hostile = await orgWithRepos('hostile', HOSTILE);

    const alone = await scan(canaryAlone['ordinary-alone']!);
    expect(alone.result).toMatchObject({ phase: 'COMPLETED' });

    // All at the same moment: the hostile org's five scans and the canary's.
    const [together, ...hostileScans] = await Promise.all([
      scan(canary['ordinary']!),
      ...Object.values(hostile).map((target) => scan(target)),
    ]);
    const outcome = Object.fromEntries(
      Object.keys(hostile).map((name, i) => {
        const { result } = hostileScans[i]!;
        return [
          name,
          result === 'TIMED_OUT'
            ? result
            : `${result.phase}${result.errorCode ? ` ${result.errorCode}` : ''}`,
        ];
      }),
    );
    const timings = {
      aloneMs: alone.ms,
      togetherMs: together.ms,
      hostileMs: Object.fromEntries(Object.keys(hostile).map((name, i) => [name, hostileScans[i]!.ms])),
    };
    // Shown when an assertion below fails, and measured either way.
    console.log('hostile tenant e2e:', JSON.stringify({ outcome, timings }));

    const longLineCodes = async (name: string) =>
      (await diagnosticCodes(hostile[name]!)).filter((c) => /^(?:LINE_TOO_LONG|PARSE_TIMEOUT)$/.test(c));
    // One comparison, so a failure shows every part that is off at once.
    expect({
      canary: together.result === 'TIMED_OUT' ? 'TIMED_OUT' : together.result.phase,
      canaryWithinBound: together.ms <= Math.max(3 * alone.ms, alone.ms + 10_000),
      outcome,
      pomDiagnostic: (await diagnosticCodes(hostile['pom-bomb']!)).some((c) =>
        /^(?:PROPERTY_EXPANSION_LIMIT|PARSE_TIMEOUT)$/.test(c),
      ),
      backslashesDiagnostic: (await longLineCodes('backslashes')).length > 0,
      spacesDiagnostic: (await longLineCodes('spaces')).length > 0,
    }).toEqual({
      canary: 'COMPLETED',
      canaryWithinBound: true,
      outcome: {
        'pom-bomb': 'COMPLETED',
        backslashes: 'COMPLETED',
        spaces: 'COMPLETED',
        'dup-go-composer': 'COMPLETED',
        'dup-poetry-gradle': 'COMPLETED',
      },
      pomDiagnostic: true,
      backslashesDiagnostic: true,
      spacesDiagnostic: true,
    });
  }, 420_000);
});

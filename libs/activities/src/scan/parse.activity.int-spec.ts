import { createHash, randomUUID } from 'node:crypto';
import { MikroORM } from '@mikro-orm/postgresql';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { parseManifest, type ParsedDependency } from '@repoguard/domain';
import {
  createMikroOrmConfig,
  DependencySnapshotEntity,
  MikroOrmManifestBlobStore,
  MikroOrmScanRepository,
  MikroOrmSnapshotRepository,
  OrganizationEntity,
  PiscinaManifestParserPool,
  RepositoryEntity,
  ScanEntity,
} from '@repoguard/infrastructure';
import {
  STALL_MARKER,
  STALLING_PARSER_MODULE,
} from '../../../infrastructure/src/parsing/stalling-parser.test-helper';
import { manifestFixtures } from '../../../../test/support/manifest-fixtures';
import { createParseActivity } from './parse.activity';

// The parse step against PostgreSQL and a real thread pool whose parser gets stuck on a marked
// manifest: the snapshot records that manifest's PARSE_TIMEOUT and every other manifest's
// dependencies. Each test uses an org, repository and commit of its own.
describe('the parse activity with a manifest that never finishes parsing', () => {
  const deadlineMs = 1_500;
  let orm: MikroORM;
  let pool: PiscinaManifestParserPool;

  beforeAll(async () => {
    orm = await MikroORM.init(
      createMikroOrmConfig({ databaseUrl: process.env['DATABASE_URL']!, poolMax: 3 }),
    );
    pool = new PiscinaManifestParserPool({ threads: 2, deadlineMs, parserModule: STALLING_PARSER_MODULE });
  });
  afterAll(async () => {
    await pool?.close();
    await orm?.close(true);
  });

  async function scanOf(manifests: Record<string, string>, parserPool = pool) {
    const em = orm.em.fork();
    const suffix = randomUUID().slice(0, 8);
    const org = em.create(OrganizationEntity, { name: `parse ${suffix}`, slug: `parse-${suffix}` });
    const repo = em.create(RepositoryEntity, {
      orgId: org.id,
      owner: 'acme',
      name: `app-${suffix}`,
      defaultBranch: 'main',
    });
    await em.flush();
    const scans = new MikroOrmScanRepository(orm.em);
    const scanId = randomUUID();
    await scans.start({
      scanId,
      orgId: org.id,
      repoId: repo.id,
      workflowId: `repo-scan:${repo.id}`,
      runId: randomUUID(),
      trigger: 'api',
      requestedBy: null,
      ref: 'refs/heads/main',
    });
    const blobStore = new MikroOrmManifestBlobStore(orm.em);
    const blobs = Object.entries(manifests).map(([path, text]) => {
      const content = new TextEncoder().encode(text);
      // Content-addressed like git's blob ids; the suffix keeps this test's blobs its own.
      return { path, sha: createHash('sha1').update(`${suffix}\0${text}`).digest('hex'), content };
    });
    await blobStore.putAll(blobs.map(({ sha, content }) => ({ sha, content })));
    const parse = createParseActivity({
      blobStore,
      snapshots: new MikroOrmSnapshotRepository(orm.em),
      scans,
      parserPool,
    });
    const input = {
      scanId,
      orgId: org.id,
      repoId: repo.id,
      commitSha: createHash('sha1').update(suffix).digest('hex'),
      manifests: blobs.map(({ path, sha, content }) => ({ path, blobSha: sha, size: content.byteLength })),
    };
    return { parse, input, scanId };
  }

  async function stored(snapshotId: string) {
    const em = orm.em.fork();
    const snapshot = await em.findOneOrFail(DependencySnapshotEntity, snapshotId);
    const dependencies = await new MikroOrmSnapshotRepository(orm.em).dependencies(snapshotId);
    return {
      diagnostics: Object.fromEntries(
        snapshot.manifests.map((m) => [m.path, m.diagnostics.map((d) => d.code)]),
      ),
      timeout: snapshot.manifests.flatMap((m) => m.diagnostics).find((d) => d.code === 'PARSE_TIMEOUT'),
      dependencies: dependencies.map((d) => `${d.manifestPath}: ${d.name}@${d.version}`).sort(),
    };
  }

  it('records PARSE_TIMEOUT for the stuck manifest and the dependencies of the others', async () => {
    const manifests: Record<string, string> = {
      'services/api/requirements.txt': `${STALL_MARKER}\nrequests==2.19.0\n`,
      'services/requirements/dev.txt': '-r base.txt\npytest==7.0.0\n',
      'services/requirements/base.txt': 'six==1.16.0\n',
      'tools/go.mod': 'module tools\n\nrequire github.com/gin-gonic/gin v1.6.0\n',
    };
    const { parse, input, scanId } = await scanOf(manifests);

    const threadsBefore = pool.threads;
    const result = await parse(input);
    // The stuck parse's thread was stopped and replaced, not left running.
    expect(threadsBefore.filter((thread) => !pool.threads.includes(thread))).toHaveLength(1);
    expect(pool.threads).toHaveLength(2);

    // What the parsers give each other manifest, the include among them resolved.
    const readInclude = (path: string) => manifests[path];
    // An included file's dependencies are stored once, under the file that declares them.
    const expected = [
      ...new Set(
        Object.entries(manifests)
          .filter(([path]) => path !== 'services/api/requirements.txt')
          .flatMap(([path, text]) => parseManifest(path, text, { readInclude }).dependencies)
          .map((d) => `${d.manifestPath}: ${d.name}@${d.version}`),
      ),
    ].sort();
    expect(expected).toEqual(
      expect.arrayContaining([
        'services/requirements/base.txt: six@1.16.0',
        'services/requirements/dev.txt: pytest@7.0.0',
        'tools/go.mod: github.com/gin-gonic/gin@v1.6.0',
      ]),
    );
    expect(result).toEqual({ snapshotId: expect.any(String), dependencies: expected.length, reused: false });
    const snapshot = await stored(result.snapshotId);
    expect(snapshot.dependencies).toEqual(expected);
    expect(snapshot.diagnostics).toEqual({
      'services/api/requirements.txt': ['PARSE_TIMEOUT'],
      'services/requirements/dev.txt': [],
      'services/requirements/base.txt': [],
      'tools/go.mod': [],
    });
    expect(snapshot.timeout).toEqual({
      severity: 'error',
      code: 'PARSE_TIMEOUT',
      message: `services/api/requirements.txt took longer than ${deadlineMs} ms to parse (PARSE_DEADLINE_MS) and was stopped; none of its dependencies are listed`,
    });
    const scan = await orm.em.fork().findOneOrFail(ScanEntity, scanId);
    expect(scan.snapshotId).toBe(result.snapshotId);
  }, 60_000);

  it('stores the hashes, licences and edges of a real package-lock.json parsed in the pool', async () => {
    const real = new PiscinaManifestParserPool({ threads: 1, deadlineMs: 30_000 });
    try {
      const lock = manifestFixtures()('npm/package-lock-v3/package-lock.json');
      const { parse, input } = await scanOf({ 'web/package-lock.json': lock }, real);
      const { snapshotId } = await parse(input);

      const stored = await new MikroOrmSnapshotRepository(orm.em).dependencies(snapshotId);
      const express = stored.find((d) => d.name === 'express');
      expect(express).toMatchObject({
        hashes: [{ algorithm: 'SHA-512', content: expect.stringMatching(/^[0-9a-f]{128}$/) }],
        licenses: ['MIT'],
        dependsOn: [
          { name: 'accepts', version: '1.3.8' },
          { name: 'debug', version: '2.6.9' },
          { name: 'send', version: '0.18.0' },
        ],
      });
      // Nothing between the parser and the table drops or changes any of it.
      const metadata = (d: ParsedDependency) => [d.name, d.version, d.hashes, d.licenses, d.dependsOn];
      const parsed = parseManifest('web/package-lock.json', lock).dependencies;
      expect(stored.map(metadata).sort()).toStrictEqual(parsed.map(metadata).sort());
      expect(stored.every((d) => d.hashes && d.licenses && d.dependsOn)).toBe(true);
    } finally {
      await real.close();
    }
  }, 60_000);

  it('drops its manifests when the step is cancelled, and stores no snapshot', async () => {
    // A deadline no test waits for: only the cancellation can stop these parses.
    const slow = new PiscinaManifestParserPool({
      threads: 1,
      deadlineMs: 120_000,
      parserModule: STALLING_PARSER_MODULE,
    });
    try {
      const { parse, input } = await scanOf(
        {
          'a/requirements.txt': `${STALL_MARKER}\nrequests==2.19.0\n`,
          'b/requirements.txt': 'flask==0.12\n',
          'c/requirements.txt': 'six==1.16.0\n',
        },
        slow,
      );
      await slow.parseAll([{ path: 'requirements.txt', text: 'attrs==23.1.0\n' }]);
      const [thread] = slow.threads;
      // The SDK's activity context: what a heartbeat brings when the step is cancelled or timed out.
      const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 1_000 });
      const running = env.run(parse, input);
      // Long enough for the stuck manifest to reach the thread; the others wait behind it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      env.cancel('CANCELLED');

      await expect(running).rejects.toBeInstanceOf(CancelledFailure);
      await waitFor(() => thread!.threadId === -1);
      const snapshots = new MikroOrmSnapshotRepository(orm.em);
      expect(await snapshots.findByCommit(input.repoId, input.commitSha)).toBeNull();
      // The one thread is free again: nothing of the cancelled step is still queued ahead.
      const [next] = await slow.parseAll([{ path: 'requirements.txt', text: 'attrs==23.1.0\n' }]);
      expect(next!.dependencies.map((d) => d.name)).toEqual(['attrs']);
    } finally {
      await slow.close();
    }
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type {
  ManifestBlobStore,
  ManifestSource,
  RepoCoordinates,
  ScanRepository,
  TreeBlob,
} from '@repoguard/domain';
import { createFetchManifestActivity, type FetchProgress } from './fetch-manifest.activity';

// In-memory fakes of the ports: the activity's own logic, without GitHub or PostgreSQL.
function fakes(tree: TreeBlob[]) {
  const stored = new Map<string, Uint8Array>([['sha-already', new Uint8Array([1])]]);
  const downloads: string[] = [];
  const lookups: RepoCoordinates[] = [];
  const manifestSource: ManifestSource = {
    forRepository: async (repo) => {
      lookups.push(repo);
      return {
        resolveCommit: async (ref) => ({ sha: 'c0ffee', ref: ref ?? 'main' }),
        listTree: async () => tree,
        readBlob: async (sha) => {
          if (sha === 'sha-unreadable') throw new Error('connection reset');
          downloads.push(sha);
          return new TextEncoder().encode(`content of ${sha}`);
        },
      };
    },
  };
  const blobStore: ManifestBlobStore = {
    missing: async (shas) => shas.filter((s) => !stored.has(s)),
    putAll: async (blobs) => blobs.forEach(({ sha, content }) => stored.set(sha, content)),
    get: async (shas) => new Map(shas.filter((s) => stored.has(s)).map((s) => [s, stored.get(s)!])),
  };
  const phases: string[] = [];
  const scans = {
    start: async () => undefined,
    phase: async (_id: string, phase: string) => void phases.push(phase),
    recordPhase: async () => undefined,
  } as unknown as ScanRepository;
  return { manifestSource, blobStore, scans, stored, downloads, lookups, phases };
}

function activityOver(f: ReturnType<typeof fakes>, limits = { maxManifestBytes: 100, maxScanBytes: 1000 }) {
  return createFetchManifestActivity({ ...f, limits });
}

const input = {
  scanId: 's',
  orgId: 'o',
  repoId: 'r',
  owner: 'acme',
  name: 'api',
  workflowId: 'w',
  runId: 'run',
  trigger: 'api' as const,
  requestedBy: 'me',
};

describe('fetchManifest', () => {
  it('selects manifests, skips vendored files and downloads only blobs not stored yet', async () => {
    const f = fakes([
      { path: 'requirements.txt', sha: 'sha-already', size: 10 },
      { path: 'web/package-lock.json', sha: 'sha-new', size: 20 },
      { path: 'web/node_modules/x/package-lock.json', sha: 'sha-vendored', size: 20 },
      { path: 'src/app.py', sha: 'sha-code', size: 5 },
    ]);
    const fetchManifest = activityOver(f);
    await expect(fetchManifest(input)).resolves.toEqual({
      commitSha: 'c0ffee',
      ref: 'main',
      manifests: [
        { path: 'requirements.txt', blobSha: 'sha-already', size: 10 },
        { path: 'web/package-lock.json', blobSha: 'sha-new', size: 20 },
      ],
    });
    expect(f.downloads).toEqual(['sha-new']);
  });

  it('refuses an oversized manifest before downloading anything, permanently', async () => {
    const f = fakes([
      { path: 'requirements.txt', sha: 'sha-a', size: 10 },
      { path: 'poetry.lock', sha: 'sha-b', size: 101 },
    ]);
    const fetchManifest = activityOver(f);
    const error = await fetchManifest(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect([(error as ApplicationFailure).type, (error as ApplicationFailure).nonRetryable]).toEqual([
      'MANIFEST_TOO_LARGE',
      true,
    ]);
    expect(f.downloads).toEqual([]);
    expect(f.stored.size).toBe(1);
  });

  it('refuses a scan whose manifests together exceed the per-scan cap', async () => {
    const f = fakes([
      { path: 'requirements.txt', sha: 'sha-a', size: 60 },
      { path: 'poetry.lock', sha: 'sha-b', size: 60 },
    ]);
    const fetchManifest = activityOver(f, { maxManifestBytes: 100, maxScanBytes: 100 });
    await expect(fetchManifest(input)).rejects.toMatchObject({ type: 'MANIFEST_TOO_LARGE' });
    expect(f.downloads).toEqual([]);
  });

  it('looks the repository up once per run, whatever the number of blobs, and again on the next run', async () => {
    const f = fakes([
      { path: 'requirements.txt', sha: 'sha-a', size: 10 },
      { path: 'web/package-lock.json', sha: 'sha-b', size: 20 },
      { path: 'api/poetry.lock', sha: 'sha-c', size: 30 },
    ]);
    const fetchManifest = activityOver(f);
    await fetchManifest(input);
    expect(f.downloads).toHaveLength(3);
    expect(f.lookups).toEqual([{ owner: 'acme', name: 'api', orgId: 'o', repoId: 'r' }]);
    // A changed URL or token applies from the next step: nothing is kept across runs.
    await fetchManifest({ ...input, scanId: 's2' });
    expect(f.lookups).toHaveLength(2);
  });

  it('stores the blobs read before a failed download, so a retry reads only the rest', async () => {
    const f = fakes([
      { path: 'requirements.txt', sha: 'sha-a', size: 10 },
      { path: 'web/package-lock.json', sha: 'sha-unreadable', size: 20 },
    ]);
    const fetchManifest = activityOver(f);
    await expect(fetchManifest(input)).rejects.toThrow('connection reset');
    expect([...f.stored.keys()].sort()).toEqual(['sha-a', 'sha-already']);
  });

  it('stores blobs in small inserts, each reported in a heartbeat, and a retry fetches only the rest', async () => {
    // 45 manifests (requirements files in 45 folders): three inserts of at most 20.
    const tree = Array.from({ length: 45 }, (_, i) => ({
      path: `svc${i}/requirements.txt`,
      sha: `sha-${i}`,
      size: 10,
    }));
    const f = fakes([...tree, { path: 'kept/requirements.txt', sha: 'sha-already', size: 10 }]);
    const env = new MockActivityEnvironment();
    const beats: FetchProgress[] = [];
    env.on('heartbeat', (details: FetchProgress) => beats.push(details));
    await env.run(activityOver(f), input);
    expect(beats).toEqual([
      { blobsFetched: 21, blobsTotal: 46 },
      { blobsFetched: 41, blobsTotal: 46 },
      { blobsFetched: 46, blobsTotal: 46 },
    ]);

    // The retry of an attempt that died after its first insert downloads the other 25 only.
    const retry = fakes(tree);
    tree.slice(0, 20).forEach(({ sha }) => retry.stored.set(sha, new Uint8Array([1])));
    await new MockActivityEnvironment({ attempt: 2 }).run(activityOver(retry), input);
    expect(retry.downloads).toHaveLength(25);
  });
});

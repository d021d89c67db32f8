import {
  ValidationError,
  selectManifestPaths,
  type ManifestBlobStore,
  type ManifestReader,
  type ManifestSource,
  type ScanRepository,
  type StoredBlob,
} from '@repoguard/domain';
import { asActivity, type StepProgress } from '../as-activity';
import type { FetchedManifests, FetchManifestInput, ScanLimits } from './scan-activity.types';
import { scanRecordStart } from './scan-record-start';

/** Blobs stored per insert: what a worker that dies mid-download loses at most. */
const BLOBS_PER_INSERT = 20;

/** How far the download got, in the step's heartbeat details (the Web UI shows them). */
export interface FetchProgress {
  readonly blobsFetched: number;
  readonly blobsTotal: number;
}

/**
 * Stores the blobs in small inserts, reporting each in a heartbeat; those read before a failed
 * download are stored all the same. A retry (after an error, a timeout or a worker that died)
 * asks which blobs are missing and downloads only those: it resumes, never restarts.
 */
async function downloadInto(
  blobStore: ManifestBlobStore,
  reader: ManifestReader,
  shas: readonly string[],
  step: StepProgress,
  alreadyStored: number,
): Promise<void> {
  const blobsTotal = alreadyStored + shas.length;
  let blobs: StoredBlob[] = [];
  let fetched = alreadyStored;
  const store = async () => {
    step.stopIfCancelled();
    await blobStore.putAll(blobs);
    fetched += blobs.length;
    blobs = [];
    step.report({ blobsFetched: fetched, blobsTotal } satisfies FetchProgress);
  };
  try {
    for (const sha of shas) {
      blobs.push({ sha, content: await reader.readBlob(sha) });
      if (blobs.length >= BLOBS_PER_INSERT) await store();
    }
  } catch (error) {
    if (blobs.length > 0) await store().catch(() => undefined);
    throw error;
  }
  if (blobs.length > 0) await store();
}

export interface FetchManifestDeps {
  readonly manifestSource: ManifestSource;
  readonly blobStore: ManifestBlobStore;
  readonly scans: ScanRepository;
  readonly limits: ScanLimits;
}

/** Resolves the commit, picks the manifests out of its tree and stores the blobs not stored yet. */
export function createFetchManifestActivity({ manifestSource, blobStore, scans, limits }: FetchManifestDeps) {
  return async function fetchManifest(input: FetchManifestInput): Promise<FetchedManifests> {
    return asActivity(
      async (_cancelled, step) => {
        const started = Date.now();
        step.stopIfCancelled();
        await scans.start(scanRecordStart(input, input.trigger, input.ref ?? null));
        await scans.phase(input.scanId, 'FETCHING');
        // Provider, URL and credentials looked up once for the whole step, not per blob.
        const reader = await manifestSource.forRepository({
          owner: input.owner,
          name: input.name,
          orgId: input.orgId,
          repoId: input.repoId,
        });
        const commit = await reader.resolveCommit(input.commitSha ?? input.ref);
        await scans.phase(input.scanId, 'FETCHING', { commitSha: commit.sha });

        const tree = await reader.listTree(commit.sha);
        const byPath = new Map(tree.map((blob) => [blob.path, blob]));
        const manifests = selectManifestPaths(tree.map((b) => b.path)).map(({ path }) => {
          const blob = byPath.get(path)!;
          return { path, blobSha: blob.sha, size: blob.size };
        });
        // Checked before downloading anything: a limit breach stores nothing.
        const tooLarge = manifests.find((m) => m.size > limits.maxManifestBytes);
        if (tooLarge) {
          throw new ValidationError(
            `${tooLarge.path} is ${tooLarge.size} bytes; manifests larger than ${limits.maxManifestBytes} bytes are not scanned`,
            [{ field: tooLarge.path, problem: 'too large' }],
            'MANIFEST_TOO_LARGE',
          );
        }
        const total = manifests.reduce((sum, m) => sum + m.size, 0);
        if (total > limits.maxScanBytes) {
          throw new ValidationError(
            `the manifests add up to ${total} bytes; a scan reads at most ${limits.maxScanBytes}`,
            [],
            'MANIFEST_TOO_LARGE',
          );
        }

        const wanted = [...new Set(manifests.map((m) => m.blobSha))];
        const missing = await blobStore.missing(wanted);
        await downloadInto(blobStore, reader, missing, step, wanted.length - missing.length);
        step.stopIfCancelled();
        await scans.recordPhase(input.scanId, 'fetch', Date.now() - started, {
          manifests: manifests.length,
          blobs_downloaded: missing.length,
        });
        return { commitSha: commit.sha, ref: commit.ref, manifests };
      },
      { ...input, step: 'fetch' },
    );
  };
}

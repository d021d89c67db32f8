import {
  dedupeDependencies,
  parserFor,
  toPurl,
  type ManifestBlobStore,
  type ManifestParserPool,
  type ScanRepository,
  type SnapshotRepository,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { ParseInput, ParseResult } from './scan-activity.types';

export interface ParseDeps {
  readonly blobStore: ManifestBlobStore;
  readonly snapshots: SnapshotRepository;
  readonly scans: ScanRepository;
  readonly parserPool: ManifestParserPool;
}

const decoder = new TextDecoder('utf-8');

/**
 * Runs the domain's parsers on the stored blobs; one snapshot per commit, reused when it exists.
 * Parsing happens in the pool's threads, so this event loop stays free for asActivity's heartbeats
 * however long a manifest takes, and one that overruns the deadline is recorded as PARSE_TIMEOUT.
 * When the step is cancelled or times out, its files still queued or parsing are dropped, so a
 * retry does not parse beside its abandoned attempt.
 */
export function createParseActivity({ blobStore, snapshots, scans, parserPool }: ParseDeps) {
  return async function parse(input: ParseInput): Promise<ParseResult> {
    return asActivity(
      async (cancelled, step) => {
        const started = Date.now();
        await scans.phase(input.scanId, 'PARSING');
        const existing = await snapshots.findByCommit(input.repoId, input.commitSha);
        if (existing) {
          await scans.phase(input.scanId, 'PARSING', { snapshotId: existing.id });
          await scans.recordPhase(input.scanId, 'parse', Date.now() - started, {
            dependencies: existing.dependencyCount,
          });
          return { snapshotId: existing.id, dependencies: existing.dependencyCount, reused: true };
        }

        const blobs = await blobStore.get(input.manifests.map((m) => m.blobSha));
        const textByPath = new Map(
          input.manifests.map((m) => [
            m.path,
            blobs.has(m.blobSha) ? decoder.decode(blobs.get(m.blobSha)) : undefined,
          ]),
        );
        const files = input.manifests.map((manifest) => {
          const text = textByPath.get(manifest.path);
          if (text === undefined)
            throw new Error(`blob ${manifest.blobSha} of ${manifest.path} is not stored`);
          return { path: manifest.path, text };
        });
        // Includes (`-r base.txt`) resolve among the commit's other manifests.
        const parsed = await parserPool.parseAll(files, {
          readInclude: (path) => textByPath.get(path),
          ...(cancelled ? { signal: cancelled } : {}),
        });
        const manifests = [];
        const declared = [];
        for (const [i, manifest] of input.manifests.entries()) {
          const result = parsed[i]!;
          manifests.push({
            path: manifest.path,
            blobSha: manifest.blobSha,
            parserId: parserFor(manifest.path)?.id ?? 'unknown',
            diagnostics: result.diagnostics,
          });
          for (const d of result.dependencies)
            declared.push({ ...d, purl: toPurl(d.ecosystem, d.name, d.version) });
        }
        // A file included by another (`-r base.txt`) that is a manifest itself declares its
        // dependencies twice: the snapshot holds each identity once.
        const { dependencies } = dedupeDependencies(declared);
        step.stopIfCancelled();
        const snapshotId = await snapshots.create({
          orgId: input.orgId,
          repoId: input.repoId,
          commitSha: input.commitSha,
          manifests,
          dependencies,
        });
        await scans.phase(input.scanId, 'PARSING', { snapshotId });
        await scans.recordPhase(input.scanId, 'parse', Date.now() - started, {
          dependencies: dependencies.length,
        });
        return { snapshotId, dependencies: dependencies.length, reused: false };
      },
      { ...input, step: 'parse' },
    );
  };
}

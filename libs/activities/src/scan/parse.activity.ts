import {
  parseManifest,
  parserFor,
  toPurl,
  type ManifestBlobStore,
  type ScanRepository,
  type SnapshotRepository,
} from '@repoguard/domain';
import { asActivity } from '../as-activity';
import type { ParseInput, ParseResult } from './scan-activity.types';

export interface ParseDeps {
  readonly blobStore: ManifestBlobStore;
  readonly snapshots: SnapshotRepository;
  readonly scans: ScanRepository;
}

const decoder = new TextDecoder('utf-8');

/** Runs the domain's parsers on the stored blobs; one snapshot per commit, reused when it exists. */
export function createParseActivity({ blobStore, snapshots, scans }: ParseDeps) {
  return async function parse(input: ParseInput): Promise<ParseResult> {
    return asActivity(async () => {
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
      const manifests = [];
      const dependencies = [];
      for (const manifest of input.manifests) {
        const text = textByPath.get(manifest.path);
        if (text === undefined) throw new Error(`blob ${manifest.blobSha} of ${manifest.path} is not stored`);
        // Includes (`-r base.txt`) resolve among the commit's other manifests.
        const parsed = parseManifest(manifest.path, text, { readInclude: (path) => textByPath.get(path) });
        manifests.push({
          path: manifest.path,
          blobSha: manifest.blobSha,
          parserId: parserFor(manifest.path)?.id ?? 'unknown',
          diagnostics: parsed.diagnostics,
        });
        for (const d of parsed.dependencies)
          dependencies.push({ ...d, purl: toPurl(d.ecosystem, d.name, d.version) });
      }
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
    }, input);
  };
}

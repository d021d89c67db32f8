import type { ManifestReader, RepoCoordinates, ResolvedCommit, TreeBlob } from '@repoguard/domain';

/** A client that is told the repository on every call (GitHub's API, the git CLI). */
export interface RepoKeyedManifestReader {
  resolveCommit(repo: RepoCoordinates, ref?: string): Promise<ResolvedCommit>;
  listTree(repo: RepoCoordinates, commitSha: string): Promise<TreeBlob[]>;
  readBlob(repo: RepoCoordinates, blobSha: string): Promise<Uint8Array>;
  mergeBase(repo: RepoCoordinates, baseSha: string, headSha: string): Promise<string | null>;
}

/**
 * The repository fixed, and the client for each call (one per token, say): what
 * ManifestSource.forRepository hands a scan step.
 */
export function bindManifestReader(
  client: () => Promise<RepoKeyedManifestReader>,
  repo: RepoCoordinates,
): ManifestReader {
  return {
    resolveCommit: async (ref) => (await client()).resolveCommit(repo, ref),
    listTree: async (commitSha) => (await client()).listTree(repo, commitSha),
    readBlob: async (blobSha) => (await client()).readBlob(repo, blobSha),
    mergeBase: async (baseSha, headSha) => (await client()).mergeBase(repo, baseSha, headSha),
  };
}

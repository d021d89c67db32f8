import type { ManifestReader, RepoCoordinates, ResolvedCommit, TreeBlob } from '@repoguard/domain';

/** A client that is told the repository on every call (GitHub's API, the git CLI). */
export interface RepoKeyedManifestReader {
  resolveCommit(repo: RepoCoordinates, ref?: string): Promise<ResolvedCommit>;
  listTree(repo: RepoCoordinates, commitSha: string): Promise<TreeBlob[]>;
  readBlob(repo: RepoCoordinates, blobSha: string): Promise<Uint8Array>;
}

/** The client with the repository fixed: what ManifestSource.forRepository hands a scan step. */
export function bindManifestReader(client: RepoKeyedManifestReader, repo: RepoCoordinates): ManifestReader {
  return {
    resolveCommit: (ref) => client.resolveCommit(repo, ref),
    listTree: (commitSha) => client.listTree(repo, commitSha),
    readBlob: (blobSha) => client.readBlob(repo, blobSha),
  };
}

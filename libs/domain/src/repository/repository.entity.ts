import type { RepoStatus } from './repo-status';

/** `sbom`: a project fed by SBOM uploads (a container image, a vendor's product), not a repository. */
export type RepoProvider = 'github' | 'git' | 'sbom';

/** A repository an organisation connected. */
export interface Repository {
  readonly id: string;
  readonly orgId: string;
  readonly provider: RepoProvider;
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch: string;
  /** The provider's immutable id (GitHub's repository id): webhooks find the repository by it. */
  readonly externalId: string | null;
  /** For repositories connected by git URL. */
  readonly gitUrl: string | null;
  /** The GitHub App installation it is read through, if any. */
  readonly installationId: string | null;
  readonly status: RepoStatus;
  /** The status is judged again then, with nothing else changing (an ignore it counts on lapses). */
  readonly statusReevaluateAt: Date | null;
  readonly lastScanAt: Date | null;
  /** Not scanned while set (archived, deleted, taken out of its installation), with the reason. */
  readonly disabledAt: Date | null;
  readonly disabledReason: string | null;
  readonly createdAt: Date;
}

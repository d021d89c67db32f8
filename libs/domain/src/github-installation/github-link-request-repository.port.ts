/**
 * An org admin's request to link a GitHub App installation. Its `state` (only the hash is stored)
 * travels through GitHub and back to the setup URL; the org, the requesting user and the expiry
 * come from this row, never from the callback, so a callback cannot be pointed at another org.
 */
export interface GithubLinkRequest {
  readonly id: string;
  readonly orgId: string;
  /** The RepoGuard user who asked; the link is made (and audited) in their name. */
  readonly requestedBy: string;
  /** The installation the request names, when the app is already installed; null otherwise. */
  readonly installationId: string | null;
  readonly expiresAt: Date;
  /** When a callback presented the state: it is spent then, whatever the outcome. */
  readonly usedAt: Date | null;
}

export type NewGithubLinkRequest = Pick<
  GithubLinkRequest,
  'orgId' | 'requestedBy' | 'installationId' | 'expiresAt'
> & { readonly stateHash: string };

export interface GithubLinkRequestRepository {
  /** Queued with the unit of work; the id is known at once. */
  add(request: NewGithubLinkRequest): GithubLinkRequest;
  /** Locked until the unit of work ends, so one state is spent once. */
  lockByStateHash(stateHash: string): Promise<GithubLinkRequest | null>;
  markUsed(id: string, at: Date): Promise<void>;
}

import { ValidationError } from '../errors';

/**
 * The operator's own credentials (the instance GITHUB_TOKEN, the GIT_SSH_KEY_PATH key) are not
 * lent to tenants: a tenant reads what is private with credentials of its own.
 */

/** The instance GitHub token may read this repository only if GitHub shows it as public. */
export function instanceGithubTokenRefused(fullName: string): ValidationError {
  return new ValidationError(
    `${fullName} is not public, and the instance's GitHub token reads public repositories only: store the org's own GitHub token (PUT /orgs/{org_id}/github/token) or connect it through a GitHub App installation`,
    [
      {
        field: 'repo',
        problem: "is private or internal: needs the org's own GitHub token or a GitHub App installation",
      },
    ],
    'GITHUB_ORG_CREDENTIALS_REQUIRED',
  );
}

/** An ssh remote for an org that has no deploy key and is not one the operator lends its key to. */
export function sshDeployKeyRequired(): ValidationError {
  return new ValidationError(
    "ssh:// remotes are read with the org's own deploy key: create one with POST /orgs/{org_id}/ssh-keys and add its public key to the repository",
    [{ field: 'git_url', problem: 'is an ssh:// URL and the org has no ssh deploy key' }],
    'SSH_DEPLOY_KEY_REQUIRED',
  );
}

/**
 * Whether the operator named this org among those the instance ssh key serves (GIT_SSH_KEY_ORGS:
 * org ids or slugs, or `*` for every org of a single-tenant install).
 */
export function instanceSshKeyServes(
  allowed: readonly string[],
  org: { readonly id: string; readonly slug: string | null },
): boolean {
  return allowed.some(
    (entry) => entry === '*' || entry.toLowerCase() === org.id.toLowerCase() || entry === org.slug,
  );
}

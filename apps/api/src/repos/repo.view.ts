import type { Repository } from '@repoguard/domain';

export const repoView = (repo: Repository) => ({
  id: repo.id,
  org_id: repo.orgId,
  provider: repo.provider,
  owner: repo.owner,
  name: repo.name,
  full_name: `${repo.owner}/${repo.name}`,
  default_branch: repo.defaultBranch,
  status: repo.status,
  last_scan_at: repo.lastScanAt?.toISOString() ?? null,
  github_id: repo.externalId,
  git_url: repo.gitUrl,
  installation_id: repo.installationId,
  disabled: repo.disabledAt ? { at: repo.disabledAt.toISOString(), reason: repo.disabledReason } : null,
  created_at: repo.createdAt.toISOString(),
});

import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Custom search attributes must be registered on the server before a workflow sets them:
// the scripts and the test set-up register exactly this list.
export const RepoGuardOrgId = defineSearchAttributeKey('RepoGuardOrgId', SearchAttributeType.KEYWORD);
export const RepoGuardRepoId = defineSearchAttributeKey('RepoGuardRepoId', SearchAttributeType.KEYWORD);
export const RepoGuardRepo = defineSearchAttributeKey('RepoGuardRepo', SearchAttributeType.KEYWORD);
export const RepoGuardTrigger = defineSearchAttributeKey('RepoGuardTrigger', SearchAttributeType.KEYWORD);
export const RepoGuardCommit = defineSearchAttributeKey('RepoGuardCommit', SearchAttributeType.KEYWORD);
export const RepoGuardStatus = defineSearchAttributeKey('RepoGuardStatus', SearchAttributeType.KEYWORD);

export const REPOGUARD_SEARCH_ATTRIBUTES = [
  RepoGuardOrgId,
  RepoGuardRepoId,
  RepoGuardRepo,
  RepoGuardTrigger,
  RepoGuardCommit,
  RepoGuardStatus,
] as const;

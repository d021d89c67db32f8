#!/bin/sh
# Creates RepoGuard's namespace and the search attributes its scans set (idempotent).
set -eu
ns="${TEMPORAL_NAMESPACE:-repoguard}"
temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$ns" --retention 30d
for name in RepoGuardOrgId RepoGuardRepoId RepoGuardRepo RepoGuardTrigger RepoGuardCommit RepoGuardStatus; do
  temporal operator search-attribute create --namespace "$ns" --name "$name" --type Keyword || true
done

#!/bin/sh
# Creates RepoGuard's namespace and the search attributes its scans set (idempotent). Fails, naming
# the attribute, when one cannot be registered as Keyword: workflows that set it would fail their
# tasks at run time, so the stack must not start (compose keeps the worker and API waiting on this).
set -eu
ns="${TEMPORAL_NAMESPACE:-repoguard}"
if ! temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1 &&
  ! temporal operator namespace create --namespace "$ns" --retention 30d; then
  echo "error: could not create namespace $ns at ${TEMPORAL_ADDRESS:-127.0.0.1:7233} (see above)" >&2
  exit 1
fi
# A new namespace reaches every server role a few seconds after it is created.
tries=0
until temporal operator search-attribute list --namespace "$ns" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "error: namespace $ns was not usable within 30 s" >&2
    exit 1
  fi
  sleep 1
done

# The type the server has for a custom search attribute (Keyword, Text, ...), empty if none.
registered_type() {
  temporal operator search-attribute list --namespace "$ns" | awk -v name="$1" '$1 == name { print $2 }'
}

failed=""
for name in RepoGuardOrgId RepoGuardRepoId RepoGuardRepo RepoGuardTrigger RepoGuardCommit RepoGuardStatus; do
  # Creating one that exists as Keyword succeeds (or, on older servers, fails as "already exists").
  temporal operator search-attribute create --namespace "$ns" --name "$name" --type Keyword || true
  type="$(registered_type "$name")" || type=""
  if [ "$type" != "Keyword" ]; then
    echo "error: search attribute $name is not registered as Keyword on namespace $ns (server has: ${type:-nothing})" >&2
    failed="$failed $name"
  fi
done
if [ -n "$failed" ]; then
  echo "error: could not register the search attributes:$failed. Fix them on the server (a different type must be removed first: temporal operator search-attribute remove), then run this again." >&2
  exit 1
fi
echo "namespace $ns ready with RepoGuard's search attributes"

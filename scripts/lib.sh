#!/usr/bin/env bash
# Shared by up.sh, down.sh and test-all.sh: find or install what the stack needs.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE_DIR="$REPO_ROOT/.repoguard"
RUN_DIR="$STATE_DIR/run"
LOG_DIR="$STATE_DIR/logs"
TEMPORAL_CLI_MODULE="github.com/temporalio/cli/cmd/temporal"
# The newest tag `go install` accepts: later tags carry a replace directive in go.mod.
TEMPORAL_CLI_VERSION="v1.5.1"
SEARCH_ATTRIBUTES=(RepoGuardOrgId RepoGuardRepoId RepoGuardRepo RepoGuardTrigger RepoGuardCommit RepoGuardStatus)

log() { printf '\033[1m[repoguard]\033[0m %s\n' "$*"; }
die() {
  printf '\033[1;31m[repoguard] error:\033[0m %s\n' "$*" >&2
  exit 1
}

require_node() {
  command -v node >/dev/null || die "Node.js >= 20.19 is required (not found on PATH)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    die "Node.js >= 20.19 is required (found $(node --version))"
}

# Installs npm dependencies on a fresh clone, and again whenever package-lock.json changed.
# `npm install --no-save` rather than `npm ci`: the versions still come from the lock file, but a
# registry mirror that lacks another platform's optional binary (@swc/core-darwin-*, say) does
# not make the install fail, and the lock file is left as committed.
ensure_node_modules() {
  cd "$REPO_ROOT"
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing npm dependencies"
    npm install --no-save --no-audit --no-fund --loglevel=error
  fi
}

find_temporal() {
  local candidate gopath=""
  if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then
    echo "$TEMPORAL_CLI"
    return 0
  fi
  if candidate="$(command -v temporal 2>/dev/null)"; then
    echo "$candidate"
    return 0
  fi
  if command -v go >/dev/null; then gopath="$(go env GOPATH)"; fi
  for candidate in "${GOBIN:-}/temporal" "${gopath:-$HOME/go}/bin/temporal" "$HOME/go/bin/temporal"; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Builds the Temporal CLI (dev server and Web UI included) from source once, outside the repo.
ensure_temporal() {
  if TEMPORAL_CLI="$(find_temporal)"; then
    export TEMPORAL_CLI
    return 0
  fi
  command -v go >/dev/null || die "the Temporal CLI is missing and Go is not installed to build it; install Go or set TEMPORAL_CLI"
  log "building the Temporal CLI $TEMPORAL_CLI_VERSION with Go (once; takes a few minutes)"
  go install "$TEMPORAL_CLI_MODULE@$TEMPORAL_CLI_VERSION"
  TEMPORAL_CLI="$(find_temporal)" || die "go install finished but no temporal binary was found in $(go env GOPATH)/bin"
  export TEMPORAL_CLI
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_for() {
  local what="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
  log "$what is up"
}

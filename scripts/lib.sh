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
ACTIONLINT_MODULE="github.com/rhysd/actionlint/cmd/actionlint"
ACTIONLINT_VERSION="v1.7.12"
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

# Finds a Go-built tool: $<override var>, then PATH, then Go's bin directory.
find_go_tool() {
  local name="$1" override="${!2:-}" candidate gopath=""
  if [ -n "$override" ] && [ -x "$override" ]; then
    echo "$override"
    return 0
  fi
  if candidate="$(command -v "$name" 2>/dev/null)"; then
    echo "$candidate"
    return 0
  fi
  if command -v go >/dev/null; then gopath="$(go env GOPATH)"; fi
  for candidate in "${GOBIN:-}/$name" "${gopath:-$HOME/go}/bin/$name" "$HOME/go/bin/$name"; do
    if [ -x "$candidate" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Finds the tool or builds it from source once, outside the repo, with `go install` (through the
# Go module proxy, never a release download), and exports its path in the override variable.
ensure_go_tool() {
  local name="$1" override="$2" module="$3" version="$4" found
  if found="$(find_go_tool "$name" "$override")"; then
    export "$override=$found"
    return 0
  fi
  command -v go >/dev/null || die "$name is missing and Go is not installed to build it; install Go or set $override"
  log "building $name $version with Go (once)"
  go install "$module@$version"
  found="$(find_go_tool "$name" "$override")" || die "go install finished but no $name binary was found in $(go env GOPATH)/bin"
  export "$override=$found"
}

find_temporal() { find_go_tool temporal TEMPORAL_CLI; }

# The Temporal CLI: dev server and Web UI included; the first build takes a few minutes.
ensure_temporal() { ensure_go_tool temporal TEMPORAL_CLI "$TEMPORAL_CLI_MODULE" "$TEMPORAL_CLI_VERSION"; }

find_actionlint() { find_go_tool actionlint ACTIONLINT; }

# The GitHub Actions linter that test/deploy/ci-workflow.spec.ts runs on .github/workflows.
ensure_actionlint() { ensure_go_tool actionlint ACTIONLINT "$ACTIONLINT_MODULE" "$ACTIONLINT_VERSION"; }

# The browser the dashboard's test drives (test/web): $CHROMIUM_PATH, else Debian's or Ubuntu's
# chromium or Google Chrome on PATH, else Debian's package through apt (Playwright's browser
# downloads are not used). Exports CHROMIUM_PATH.
find_chromium() {
  local candidate
  if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
    echo "$CHROMIUM_PATH"
    return 0
  fi
  for candidate in chromium chromium-browser google-chrome-stable google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_chromium() {
  local found sudo=()
  if found="$(find_chromium)"; then
    export CHROMIUM_PATH="$found"
    return 0
  fi
  command -v apt-get >/dev/null || die "Chromium is missing and apt-get is not here to install it; install Chromium or set CHROMIUM_PATH"
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  log "installing Chromium with apt-get (once)"
  # An image's package lists may be missing or stale: refresh them if the first try fails.
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends chromium >/dev/null ||
    { "${sudo[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends chromium >/dev/null; } ||
    die "apt-get could not install chromium; install it or set CHROMIUM_PATH"
  found="$(find_chromium)" || die "apt-get installed chromium but no chromium binary is on PATH"
  export CHROMIUM_PATH="$found"
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

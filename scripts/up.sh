#!/usr/bin/env bash
# Brings the whole stack up: dependencies, build, database, Temporal dev server, worker, API.
# Foreground by default (Ctrl-C stops everything); `--detach` leaves it running for `npm run down`.
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"

DETACH=false
for arg in "$@"; do
  case "$arg" in
    --detach | -d) DETACH=true ;;
    *) die "unknown option $arg (use --detach)" ;;
  esac
done

export NODE_ENV="${NODE_ENV:-development}"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/repoguard}"
export TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-repoguard}"
export API_HOST="${API_HOST:-127.0.0.1}"
export API_PORT="${API_PORT:-3000}"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
export TEMPORAL_UI_URL="${TEMPORAL_UI_URL:-http://127.0.0.1:$TEMPORAL_UI_PORT}"
export REDIS_URL="${REDIS_URL-redis://127.0.0.1:6379}"
# The demo works offline: advisories come from the local mirror, and its repository is a local
# git repository (file:// URLs are allowed for this single-user stack only).
export OSV_MODE="${OSV_MODE:-mirror}"
export GIT_ALLOW_FILE_URLS="${GIT_ALLOW_FILE_URLS:-true}"
mkdir -p "$RUN_DIR" "$LOG_DIR"
# The instance admin token (creates orgs through the API): kept across restarts, readable by you only.
ADMIN_TOKEN_FILE="$STATE_DIR/admin-token"
if [ -z "${REPOGUARD_ADMIN_TOKEN:-}" ]; then
  if [ ! -s "$ADMIN_TOKEN_FILE" ]; then
    (umask 077 && node -e "process.stdout.write('rg_admin_' + require('crypto').randomBytes(24).toString('hex'))" >"$ADMIN_TOKEN_FILE")
  fi
  REPOGUARD_ADMIN_TOKEN="$(cat "$ADMIN_TOKEN_FILE")"
fi
export REPOGUARD_ADMIN_TOKEN
# The key that seals stored credentials (notification channels' URLs, tokens, git logins): kept
# across restarts like the admin token, or they could not be read again.
ENCRYPTION_KEY_FILE="$STATE_DIR/encryption-key"
if [ -z "${REPOGUARD_ENCRYPTION_KEY:-}" ]; then
  if [ ! -s "$ENCRYPTION_KEY_FILE" ]; then
    (umask 077 && node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))" >"$ENCRYPTION_KEY_FILE")
  fi
  REPOGUARD_ENCRYPTION_KEY="$(cat "$ENCRYPTION_KEY_FILE")"
fi
export REPOGUARD_ENCRYPTION_KEY

require_node
ensure_node_modules

log "building (TypeScript, workflow bundle, web dashboard)"
# Compiler output, not a log: kept beside logs/, whose files are JSON lines only.
npm run --silent build >"$STATE_DIR/build.out" 2>&1 || { cat "$STATE_DIR/build.out" >&2; die "build failed"; }
export WORKFLOW_BUNDLE_PATH="$REPO_ROOT/dist/workflow-bundle.js"

log "preparing the database"
node dist/scripts/db-prepare.js

# Temporal: our own dev server unless TEMPORAL_ADDRESS points at a cluster the user runs.
if [ -z "${TEMPORAL_ADDRESS:-}" ]; then
  export TEMPORAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT"
  if pid_alive "$RUN_DIR/temporal.pid"; then
    log "Temporal dev server already running (pid $(cat "$RUN_DIR/temporal.pid"))"
  else
    port_open 127.0.0.1 "$TEMPORAL_PORT" && die "port $TEMPORAL_PORT is taken by another process: stop it or set TEMPORAL_PORT"
    ensure_temporal
    sa_args=()
    for name in "${SEARCH_ATTRIBUTES[@]}"; do sa_args+=(--search-attribute "$name=Keyword"); done
    # Fairness keys honoured (one org's backlog of scans does not delay another's), as in
    # DEV_SERVER_FAIRNESS_CONFIG (libs/infrastructure/src/temporal/temporal-cli.ts).
    dc_args=()
    for value in matching.enableFairness=true matching.numTaskqueueReadPartitions=1 matching.numTaskqueueWritePartitions=1; do
      dc_args+=(--dynamic-config-value "$value")
    done
    log "starting the Temporal dev server ($TEMPORAL_CLI)"
    nohup "$TEMPORAL_CLI" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
      --db-filename "$STATE_DIR/temporal.db" --namespace "$TEMPORAL_NAMESPACE" "${sa_args[@]}" "${dc_args[@]}" \
      --log-level warn --log-format json >"$RUN_DIR/temporal.out" 2>"$LOG_DIR/temporal.log" &
    echo $! >"$RUN_DIR/temporal.pid"
    wait_for "Temporal" 60 "$TEMPORAL_CLI" operator namespace describe --address "$TEMPORAL_ADDRESS" \
      --namespace "$TEMPORAL_NAMESPACE" || die "Temporal did not start: see $LOG_DIR/temporal.log"
  fi
fi

# Their stdout is pino's JSON lines (pretty only on a terminal, and this is a file); what is not a
# log line (a crash before the logger exists, a Node warning) goes to run/<name>.err, so logs/ stays JSON.
start_app() {
  local name="$1" entry="$2"
  if pid_alive "$RUN_DIR/$name.pid"; then
    log "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"
    return
  fi
  nohup node "$entry" >"$LOG_DIR/$name.log" 2>"$RUN_DIR/$name.err" &
  echo $! >"$RUN_DIR/$name.pid"
}

start_app worker dist/apps/worker/src/main.js
start_app api dist/apps/api/src/main.js
API_URL="http://$API_HOST:$API_PORT"
wait_for "API" 60 curl -sf "$API_URL/health" || {
  tail -20 "$LOG_DIR/api.log" "$RUN_DIR/api.err" >&2
  die "the API did not become healthy: see $LOG_DIR/api.log and $RUN_DIR/api.err"
}

log "running the self-check workflow through Temporal and the worker"
node dist/scripts/self-check.js || die "the self-check failed: see $LOG_DIR/worker.log and $RUN_DIR/worker.err"

log "the demo: advisories into the mirror, a sample repository connected by git URL, one scan"
API_URL="$API_URL" node dist/scripts/demo.js || die "the demo failed: see $LOG_DIR/worker.log and $LOG_DIR/api.log"

cat <<INFO

  RepoGuard is up.
    Dashboard       $API_URL/  (sign in with the demo org's owner token: $STATE_DIR/demo-owner-token)
    API             $API_URL
    OpenAPI docs    $API_URL/docs
    Health          $API_URL/health
    Temporal Web UI $TEMPORAL_UI_URL/namespaces/$TEMPORAL_NAMESPACE/workflows
    Logs            $LOG_DIR
    Admin token     in $ADMIN_TOKEN_FILE (or \$REPOGUARD_ADMIN_TOKEN): POST $API_URL/api/v1/orgs

INFO

if [ "$DETACH" = true ]; then
  log "detached: stop everything with 'npm run down'"
  exit 0
fi
log "press Ctrl-C to stop everything"
trap 'echo; bash "$REPO_ROOT/scripts/down.sh"; exit 0' INT TERM
while pid_alive "$RUN_DIR/api.pid" && pid_alive "$RUN_DIR/worker.pid"; do sleep 1; done
log "a process stopped on its own: see $LOG_DIR"
bash "$REPO_ROOT/scripts/down.sh"
exit 1

#!/usr/bin/env bash
# Stops what `npm run up` started: the API first, then the worker (it drains), then Temporal.
source "$(dirname "$0")/lib.sh"

stop() {
  local name="$1" file="$RUN_DIR/$1.pid"
  if ! pid_alive "$file"; then
    rm -f "$file"
    return
  fi
  local pid
  pid="$(cat "$file")"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 40))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name did not stop in time: killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.2
  done
  rm -f "$file"
  log "stopped $name"
}

stop api
stop worker
stop temporal

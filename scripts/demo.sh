#!/usr/bin/env bash
# The main job: a virtualenv, the package, the SQLite database, the demo province, the web
# server on http://127.0.0.1:8000 and, in the background, the job worker and the scheduler
# (findings by the clock, reminders, digests). Safe to run again: nothing is duplicated.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

ensure_venv
log "congvu migrate"
"$VENV/bin/congvu" migrate --noinput -v 0
log "congvu demo"
"$VENV/bin/congvu" demo
# Background jobs beside the web server: the database queue's worker and the scheduler that
# queues the time-driven findings pass, reminders and digests. E-mails (console backend) and
# their logs go to var/log/; both stop with the web server.
export CONGVU_PUBLIC_URL=${CONGVU_PUBLIC_URL:-http://127.0.0.1:${PORT:-8000}}
LOG_DIR="${CONGVU_VAR_DIR:-$REPO/var}/log"
mkdir -p "$LOG_DIR"
"$VENV/bin/congvu" db_worker --no-reload >>"$LOG_DIR/worker.log" 2>&1 &
WORKER_PID=$!
"$VENV/bin/congvu" scheduler >>"$LOG_DIR/scheduler.log" 2>&1 &
SCHEDULER_PID=$!
trap 'kill "$WORKER_PID" "$SCHEDULER_PID" 2>/dev/null || true; wait "$WORKER_PID" "$SCHEDULER_PID" 2>/dev/null || true' EXIT
log "congvu db_worker, congvu scheduler: nhật ký và thư điện tử trong $LOG_DIR (logs and e-mails)"
log "http://127.0.0.1:${PORT:-8000}/  (Ctrl+C để dừng / to stop)"
"$VENV/bin/congvu" runserver "127.0.0.1:${PORT:-8000}"

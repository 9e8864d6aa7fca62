#!/usr/bin/env bash
# The main job: a virtualenv, the package, the SQLite database, the demo province, and the
# web server on http://127.0.0.1:8000. Safe to run again: nothing is duplicated.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

ensure_venv
log "congvu migrate"
"$VENV/bin/congvu" migrate --noinput -v 0
log "congvu demo"
"$VENV/bin/congvu" demo
log "http://127.0.0.1:${PORT:-8000}/  (Ctrl+C để dừng / to stop)"
exec "$VENV/bin/congvu" runserver "127.0.0.1:${PORT:-8000}"

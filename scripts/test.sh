#!/usr/bin/env bash
# The whole suite: installs what the tests need when it is missing (PostgreSQL, Redis,
# Chromium, fonts from Debian; the Python packages into .venv), runs the static checks, then
# pytest on SQLite (domain, apps, headless-browser tests) and on a throw-away PostgreSQL, with
# a throw-away Redis for the tests of the RQ workers.
# Exits non-zero on any failure.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO"

ensure_debs postgresql postgresql-contrib redis-server chromium fonts-liberation2 fonts-noto-core poppler-utils
ensure_venv test,redis,bench
export PATH="$VENV/bin:$PATH"

log "ruff format --check, ruff check"
ruff format --check --quiet .
ruff check --quiet .
log "lint-imports (the domain imports no Django)"
lint-imports --no-cache
log "mypy --strict congvu/domain"
mypy --no-error-summary congvu/domain
log "makemigrations --check"
congvu makemigrations --check --dry-run >/dev/null

# a throw-away Redis for the RQ tests (congvu/apps/jobs/tests/test_rq.py), both passes
start_redis
trap stop_redis EXIT
log "pytest on SQLite"
pytest -q "$@"

start_postgres
trap 'stop_postgres; stop_redis' EXIT
log "pytest on PostgreSQL (database tests; the domain and the browser tests ran above)"
DB_ENGINE=postgres pytest -q congvu/apps -m "not e2e" "$@"

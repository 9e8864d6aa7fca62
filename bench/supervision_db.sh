#!/usr/bin/env bash
# The supervision benchmark on the server (bench/supervision_db.py) on both engines: starts a
# throw-away PostgreSQL (scripts/lib.sh, the one scripts/test.sh uses: a temp cluster on a free
# port, fsync and synchronous_commit off), lets the benchmark restart it for the cold-ish
# league queries (BENCH_PG_RESTART), runs bench/supervision_db.py --engine both with the given
# arguments, stops the server.
#
#   bench/supervision_db.sh [--year-events 2000000] [--league-dossiers 1000000] [--runs 3] …
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$REPO"

[ -x "$VENV/bin/python" ] || { log "no .venv: run scripts/test.sh (or scripts/demo.sh) once"; exit 1; }
"$VENV/bin/python" -c "import duckdb" 2>/dev/null \
  || { log "duckdb missing: $VENV/bin/pip install -e '.[bench]'"; exit 1; }
ensure_debs postgresql
start_postgres
trap stop_postgres EXIT
# PG_STOP is "… pg_ctl -D DATA stop -m fast": the same command with restart (pg_ctl reuses the
# server's options); the log stays in the cluster's directory
restart=("${PG_STOP[@]:0:${#PG_STOP[@]}-3}" restart -m fast -w -l "$PGTMP/server.log")
BENCH_PG_RESTART=$(printf '%q ' "${restart[@]}")
export BENCH_PG_RESTART
"$VENV/bin/python" bench/supervision_db.py --engine both "$@"

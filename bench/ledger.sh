#!/usr/bin/env bash
# The ledger import benchmark on both engines: starts a throw-away PostgreSQL (scripts/lib.sh,
# the one scripts/test.sh uses: a temp cluster on a free port, fsync and synchronous_commit
# off), runs bench/ledger.py --engine both with the given arguments, stops the server.
#
#   bench/ledger.sh [--events 1000000] [--seed 1] [--profile 100000] …
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$REPO"

[ -x "$VENV/bin/python" ] || { log "no .venv: run scripts/test.sh (or scripts/demo.sh) once"; exit 1; }
ensure_debs postgresql
start_postgres
trap stop_postgres EXIT
"$VENV/bin/python" bench/ledger.py --engine both "$@"

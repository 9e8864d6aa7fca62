# Shared by scripts/demo.sh and scripts/test.sh: idempotent set-up steps.
# shellcheck shell=bash

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$REPO/.venv"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "cần quyền root để cài gói hệ thống: $* (needs root)"; return 1; fi
}

# apt-get install the Debian packages that are not installed yet; nothing when all are there.
ensure_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}

# A virtualenv with the package installed (editable) and the given extras; reinstalled only
# when pyproject.toml changes.
ensure_venv() {
  local extras=${1:-}
  local python=python3.11
  command -v "$python" >/dev/null || python=python3
  [ -x "$VENV/bin/python" ] || { log "python -m venv .venv"; "$python" -m venv "$VENV"; }
  local stamp="$VENV/.congvu-installed-${extras:-base}"
  if [ ! -f "$stamp" ] || [ "$REPO/pyproject.toml" -nt "$stamp" ]; then
    log "pip install -e .${extras:+[$extras]}"
    "$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
    "$VENV/bin/python" -m pip install -q -e "$REPO${extras:+[$extras]}" 2>&1 \
      | grep -v '^WARNING: Location' || true
    "$VENV/bin/python" -c "import congvu, django" || { log "pip install failed"; return 1; }
    touch "$stamp"
  fi
}

free_port() {
  "$VENV/bin/python" - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

# Start a throw-away PostgreSQL server in a temp dir; sets DB_* and PG_STOP.
start_postgres() {
  local bindir run=()
  bindir=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PGTMP=$(mktemp -d /tmp/congvu-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$PGTMP"; run=(runuser -u postgres --); fi
  chmod 755 "$PGTMP"
  DB_PORT=$(free_port)
  "${run[@]}" "$bindir/initdb" -D "$PGTMP/data" -U postgres --auth=trust --encoding=UTF8 \
    --locale=C.UTF-8 >/dev/null
  "${run[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -o \
    "-p $DB_PORT -k $PGTMP -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  export DB_HOST=127.0.0.1 DB_PORT DB_USER=postgres DB_PASSWORD="" DB_NAME=congvu
  PG_STOP=("${run[@]}" "$bindir/pg_ctl" -D "$PGTMP/data" stop -m fast)
  log "PostgreSQL on 127.0.0.1:$DB_PORT ($PGTMP)"
}

stop_postgres() {
  if [ -n "${PGTMP:-}" ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; rm -rf "$PGTMP"; fi
}

# Start a throw-away Redis server (temp dir, free port, nothing saved); sets REDIS_URL.
start_redis() {
  local port
  REDISTMP=$(mktemp -d /tmp/congvu-redis.XXXXXX)
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --dir "$REDISTMP" --save "" --appendonly no \
    --daemonize yes --pidfile "$REDISTMP/redis.pid" --logfile "$REDISTMP/redis.log"
  for _ in $(seq 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done
  redis-cli -p "$port" ping >/dev/null || { log "redis-server did not start ($REDISTMP/redis.log)"; return 1; }
  export REDIS_URL="redis://127.0.0.1:$port/0"
  log "Redis on 127.0.0.1:$port ($REDISTMP)"
}

stop_redis() {
  if [ -n "${REDISTMP:-}" ]; then
    if [ -f "$REDISTMP/redis.pid" ]; then kill "$(cat "$REDISTMP/redis.pid")" 2>/dev/null || true; fi
    rm -rf "$REDISTMP"
  fi
}

#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer for the tests and prints the
# `export` lines that point at them. Order of preference:
#   1. DATABASE_URL / REDIS_URL when they answer;
#   2. the usual local servers on 127.0.0.1:5432 and :6379;
#   3. throwaway servers started from the system binaries in a temp dir
#      (installing Debian's postgresql and redis-server when missing).
# Usage: eval "$(scripts/services.sh)"   (scripts/services.sh stop ends the throwaways)
set -euo pipefail

STATE_DIR="${KIMBOT_SERVICES_DIR:-/tmp/kimbot-test-services}"
PG_PORT=55432
REDIS_PORT=56379

log() { echo "services: $*" >&2; }

pg_answers() { pg_isready -q -d "$1" 2>/dev/null || psql "$1" -Atqc 'select 1' >/dev/null 2>&1; }
redis_answers() { redis-cli -u "$1" ping 2>/dev/null | grep -q PONG; }

need_packages() {
	local missing=()
	command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
	command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
	command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
	if ((${#missing[@]})); then
		log "installing ${missing[*]}"
		local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
		$sudo apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
	fi
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1; }

start_pg() {
	local dir="$STATE_DIR/pg" bin; bin="$(pg_bin)"
	local url="postgres://postgres@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
	if pg_answers "$url"; then echo "$url"; return; fi
	rm -rf "$dir"; mkdir -p "$dir"
	local run_as=()
	if [ "$(id -u)" = 0 ]; then chown -R postgres "$STATE_DIR" 2>/dev/null || true; run_as=(runuser -u postgres --); fi
	"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
	"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
		-o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $dir -c fsync=off -c max_connections=300" >/dev/null
	echo "$url"
}

start_redis() {
	local url="redis://127.0.0.1:$REDIS_PORT/0"
	if redis_answers "$url"; then echo "$url"; return; fi
	mkdir -p "$STATE_DIR/redis"
	redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
		--dir "$STATE_DIR/redis" --logfile "$STATE_DIR/redis/log" >/dev/null
	for _ in $(seq 50); do redis_answers "$url" && break; sleep 0.1; done
	echo "$url"
}

if [ "${1:-}" = stop ]; then
	bin="$(pg_bin)"
	[ -d "$STATE_DIR/pg/data" ] && { runuser -u postgres -- "$bin/pg_ctl" -D "$STATE_DIR/pg/data" stop -m fast 2>/dev/null || "$bin/pg_ctl" -D "$STATE_DIR/pg/data" stop -m fast || true; } >&2
	redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
	exit 0
fi

command -v psql >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || need_packages

db_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}"
if ! pg_answers "$db_url"; then
	log "no PostgreSQL answers at ${db_url%%@*}@…; starting a throwaway one on port $PG_PORT"
	need_packages
	db_url="$(start_pg)"
fi
redis_url="${REDIS_URL:-redis://127.0.0.1:6379/0}"
if ! redis_answers "$redis_url"; then
	log "no Redis answers at $redis_url; starting a throwaway one on port $REDIS_PORT"
	need_packages
	redis_url="$(start_redis)"
fi
printf 'export DATABASE_URL=%q\nexport REDIS_URL=%q\n' "$db_url" "$redis_url"

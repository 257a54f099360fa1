#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite: `initdb` into a fresh
# temporary folder, a free loopback port, trust authentication for the
# local `postgres` role, durability off (the data dies with the run).
# Sourced by scripts/test.sh and scripts/bench-postgres.sh; `gerbang_start_postgres` exports
# GERBANG_TEST_POSTGRES_URL and stops and removes the cluster when the
# calling shell exits.

# Durability off for tests; GERBANG_PG_SETTINGS replaces this (benchmarks
# keep PostgreSQL's defaults and set memory instead).
GERBANG_PG_THROWAWAY="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

gerbang_start_postgres() {
    local bin dir port
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "gerbang: PostgreSQL server programs (initdb) tidak ditemukan; pasang paket Debian postgresql" >&2
        return 1
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/gerbang-pg.XXXXXX")
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # initdb refuses to run as root: run the cluster as the postgres user.
    GERBANG_PG_AS=()
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir"
        GERBANG_PG_AS=(runuser -u postgres --)
    fi
    GERBANG_PG_DIR=$dir
    GERBANG_PG_BIN=$bin
    "${GERBANG_PG_AS[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; return 1; }
    "${GERBANG_PG_AS[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 ${GERBANG_PG_SETTINGS:-$GERBANG_PG_THROWAWAY}" \
        start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
    trap gerbang_stop_postgres EXIT
    export GERBANG_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    echo "gerbang: PostgreSQL sementara di 127.0.0.1:$port ($dir)"
}

gerbang_stop_postgres() {
    [ -n "${GERBANG_PG_DIR:-}" ] || return 0
    "${GERBANG_PG_AS[@]}" "$GERBANG_PG_BIN/pg_ctl" -D "$GERBANG_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$GERBANG_PG_DIR"
    GERBANG_PG_DIR=
}

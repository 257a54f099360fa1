#!/usr/bin/env bash
# Throwaway PostgreSQL clusters for the test suite: `initdb` into a fresh
# temporary folder, a free loopback port, trust authentication for the
# local `postgres` role, durability off (the data dies with the run).
# Sourced by scripts/test.sh and scripts/bench-postgres.sh; `gerbang_start_postgres` exports
# GERBANG_TEST_POSTGRES_URL (and GERBANG_PG_BIN, the server programs'
# folder) and stops and removes the cluster when the calling shell exits.
#
# The building blocks (`gerbang_pg_init`, `gerbang_pg_up`, `gerbang_pg_down`)
# are also used by the fault tests (crates/gerbang/tests/it/faults.rs),
# which restart a private cluster of their own and must not touch the
# shared one.

# Durability off for tests; GERBANG_PG_SETTINGS replaces this (benchmarks
# keep PostgreSQL's defaults and set memory instead).
GERBANG_PG_THROWAWAY="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"

# Prints the newest PostgreSQL server programs' folder.
gerbang_pg_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        echo "gerbang: PostgreSQL server programs (initdb) tidak ditemukan; pasang paket Debian postgresql (scripts/test.sh memasangnya)" >&2
        return 1
    fi
    echo "$bin"
}

# Runs a server program as the postgres user when root (initdb and
# postgres refuse to run as root).
gerbang_pg_run() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# gerbang_pg_init DIR: a new cluster in DIR/data (DIR exists and is empty).
gerbang_pg_init() {
    local dir=$1 bin
    bin=$(gerbang_pg_bin) || return 1
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    gerbang_pg_run "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; return 1; }
}

# gerbang_pg_up DIR PORT: starts DIR's cluster on 127.0.0.1:PORT and waits
# until it accepts connections.
gerbang_pg_up() {
    local dir=$1 port=$2 bin
    bin=$(gerbang_pg_bin) || return 1
    gerbang_pg_run "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 ${GERBANG_PG_SETTINGS:-$GERBANG_PG_THROWAWAY}" \
        start >/dev/null || { cat "$dir/server.log" >&2; return 1; }
}

# gerbang_pg_down DIR [MODE]: stops DIR's cluster (MODE: smart, fast or
# immediate; immediate by default).
gerbang_pg_down() {
    local dir=$1 mode=${2:-immediate} bin
    bin=$(gerbang_pg_bin) || return 1
    gerbang_pg_run "$bin/pg_ctl" -D "$dir/data" -m "$mode" -w stop >/dev/null
}

# Prints a free loopback port.
gerbang_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

gerbang_start_postgres() {
    local dir port
    GERBANG_PG_BIN=$(gerbang_pg_bin) || return 1
    dir=$(mktemp -d "${TMPDIR:-/tmp}/gerbang-pg.XXXXXX")
    port=$(gerbang_pg_free_port)
    GERBANG_PG_DIR=$dir
    { gerbang_pg_init "$dir" && gerbang_pg_up "$dir" "$port"; } || { gerbang_stop_postgres; return 1; }
    trap gerbang_stop_postgres EXIT
    export GERBANG_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
    echo "gerbang: PostgreSQL sementara di 127.0.0.1:$port ($dir)"
}

gerbang_stop_postgres() {
    [ -n "${GERBANG_PG_DIR:-}" ] || return 0
    gerbang_pg_down "$GERBANG_PG_DIR" immediate >/dev/null 2>&1 || true
    rm -rf "$GERBANG_PG_DIR"
    GERBANG_PG_DIR=
}

#!/usr/bin/env bash
# PostgreSQL benchmarks (BENCHMARKS.md, issue 7), on a throwaway cluster with
# PostgreSQL's normal durability (fsync on) and 4 GB of shared buffers:
#
# 1. Load rate (`gerbang seed` → binary COPY), size on disk and look-up
#    latency (crates/store-postgres/benches/lookup.rs) for each register size
#    in SIZES.
# 2. CALL_VERIFY_BY_ELEMEN throughput and p99: two `gerbang` nodes on one
#    PostgreSQL database against one node on SQLite, same register size
#    (NODES_RESIDENTS), in the same run.
#
#   bash scripts/bench-postgres.sh
#   SIZES="10000000 30000000" NODES_RESIDENTS=1000000 SECONDS_PER_RUN=20 bash scripts/bench-postgres.sh
#   SIZES= bash scripts/bench-postgres.sh      # only part 2
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
source scripts/postgres.sh
source scripts/bench-lib.sh
gerbang_install_prerequisites postgresql python3 curl

SIZES="${SIZES-10000000}"
NODES_RESIDENTS="${NODES_RESIDENTS:-1000000}"
BIN=./target/release/gerbang
WORK=target/bench-postgres
mkdir -p "$WORK"

gerbang_bench_tools
cargo build --release --locked -p gerbang --bin gerbang
cargo bench --locked -p gerbang-store-postgres --bench lookup --no-run

GERBANG_PG_SETTINGS="-c shared_buffers=4GB -c max_wal_size=8GB -c checkpoint_timeout=15min" gerbang_start_postgres
SERVER=${GERBANG_TEST_POSTGRES_URL%/postgres}
psql_admin() { "$GERBANG_PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "$GERBANG_TEST_POSTGRES_URL" "$@"; }
echo "PostgreSQL $("$GERBANG_PG_BIN/postgres" --version | awk '{print $3}'), fsync on, shared_buffers 4GB; $(nproc) cores"

for size in $SIZES; do
    db="reg_$size"
    psql_admin -c "create database $db"
    started=$(date +%s.%N)
    "$BIN" seed --residents "$size" --database-url "$SERVER/$db" | tail -n 3
    elapsed=$(python3 -c "print('%.1f' % ($(date +%s.%N) - $started))")
    "$GERBANG_PG_BIN/psql" -X -At "$SERVER/$db" -c "select pg_total_relation_size('residents'), pg_total_relation_size('families'), pg_database_size(current_database())" |
        python3 -c "
import sys
r, f, d = map(int, sys.stdin.read().strip().split('|'))
n = $size
print('load: %d residents in $elapsed s = %.0f residents/s; residents %.0f MB (%.0f B/resident incl. indexes), families %.0f MB, database %.0f MB' % (n, n / $elapsed, r / 1e6, r / n, f / 1e6, d / 1e6))"
    GERBANG_BENCH_POSTGRES_URL="$SERVER/$db" cargo bench --locked -q -p gerbang-store-postgres --bench lookup 2>/dev/null | grep '^lookup'
    [ "${KEEP_REGISTERS:-}" = 1 ] || psql_admin -c "drop database $db"
done

[ "$NODES_RESIDENTS" != 0 ] || exit 0

# Part 2: the same register in SQLite and in PostgreSQL.
SQLITE_DIR="$WORK/sqlite-r$NODES_RESIDENTS"
PG_DIR="$WORK/pg-r$NODES_RESIDENTS"
rm -rf "$SQLITE_DIR" "$PG_DIR"
"$BIN" seed --residents "$NODES_RESIDENTS" --data-dir "$SQLITE_DIR" >/dev/null
psql_admin -c "create database nodes"
PG_URL="$SERVER/nodes"
"$BIN" seed --residents "$NODES_RESIDENTS" --database-url "$PG_URL" >/dev/null

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    gerbang_stop_postgres
}
trap cleanup EXIT
start() { # start NAME ADDRESS ARGS… → background server, logs under $WORK
    local name=$1 address=$2
    shift 2
    GERBANG_LOG=warn "$BIN" "$@" --listen "$address" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    pids+=($!)
    wait_healthy "$address"
}
start sqlite 127.0.0.1:18090 demo --data-dir "$SQLITE_DIR"
start pg-a 127.0.0.1:18091 demo --data-dir "$PG_DIR" --database-url "$PG_URL"
start pg-b 127.0.0.1:18092 serve --database-url "$PG_URL"
for user in kemenpppa-ws lpsk-ws; do
    "$BIN" user set-quota "$user" 1000000000 --data-dir "$SQLITE_DIR" >/dev/null
    "$BIN" user set-quota "$user" 1000000000 --database-url "$PG_URL" >/dev/null
done
sleep 1

path=/dukcapil/get_json/KEMENPPPA/CALL_VERIFY_BY_ELEMEN
nik_of() { sed -n 's/^Contoh NIK: \([0-9]*\).*/\1/p' "$1"; }
{ read -r SQLITE_BODY; read -r _; } < <(bench_bodies "$SQLITE_DIR/demo-credentials.json" "$(nik_of "$WORK/sqlite.out")")
{ read -r PG_BODY; read -r _; } < <(bench_bodies "$PG_DIR/demo-credentials.json" "$(nik_of "$WORK/pg-a.out")")
expect_answer "http://127.0.0.1:18090$path" "$SQLITE_BODY" NAMA_LGKP
expect_answer "http://127.0.0.1:18091$path" "$PG_BODY" NAMA_LGKP
expect_answer "http://127.0.0.1:18092$path" "$PG_BODY" NAMA_LGKP

echo "CALL_VERIFY_BY_ELEMEN, $NODES_RESIDENTS residents, $CONNECTIONS connections in all, ${RUN}s per run"
read -r rps p50 p99 codes < <(measure "http://127.0.0.1:18090$path" "$SQLITE_BODY")
report "one node, SQLite" "$rps" "$p50" "$p99" "$codes"
read -r rps p50 p99 codes < <(measure "http://127.0.0.1:18091$path" "$PG_BODY")
report "one node, PostgreSQL" "$rps" "$p50" "$p99" "$codes"
# Two nodes: half the connections each, at the same time.
two_nodes() { # two_nodes [oha args] → one line per node
    local half=$((CONNECTIONS / 2))
    CONNECTIONS=$half measure "http://127.0.0.1:18091$path" "$PG_BODY" "$@" >"$WORK/node-a.txt" &
    local a=$!
    CONNECTIONS=$half measure "http://127.0.0.1:18092$path" "$PG_BODY" "$@" >"$WORK/node-b.txt"
    wait "$a"
    cat "$WORK/node-a.txt" "$WORK/node-b.txt"
}
{ read -r rps_a p50_a p99_a codes_a; read -r rps_b p50_b p99_b codes_b; } < <(two_nodes)
report "two nodes, PostgreSQL: node a" "$rps_a" "$p50_a" "$p99_a" "$codes_a"
report "two nodes, PostgreSQL: node b" "$rps_b" "$p50_b" "$p99_b" "$codes_b"
total=$((${rps_a%.*} + ${rps_b%.*}))
echo "  two nodes together: $total req/s"
half=$((total / 4))
{ read -r rps_a p50_a p99_a codes_a; read -r rps_b p50_b p99_b codes_b; } < <(two_nodes -q "$half")
report "two nodes at $((half * 2)) req/s in all: a" "$rps_a" "$p50_a" "$p99_a" "$codes_a"
report "two nodes at $((half * 2)) req/s in all: b" "$rps_b" "$p50_b" "$p99_b" "$codes_b"
echo "Audit trail (PostgreSQL): $("$BIN" audit verify --database-url "$PG_URL")"

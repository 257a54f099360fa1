#!/usr/bin/env bash
# User-space instructions per request (BENCHMARKS.md, issue 3), counted by
# valgrind's callgrind: the axum hello-world, CALL_VERIFY_BY_ELEMEN and
# CALL_NIK, every guard and the durable audit on. Unlike requests per second
# on a shared two-core machine (±20 % from one run to the next), the count
# repeats within about 0.3 % on a quiet machine (1–2 % beside other work),
# so it shows what a code change saves.
#
# Kernel work (sockets, the audit's WAL writes and fsync) is not counted.
# Valgrind hides the CPU's SHA extensions, so SHA-256 (chain hashes, keyed
# NIK hashes, the credential cache) runs in software here: about 45,000 of
# Gerbang's instructions per request that cost a tenth of that natively.
#
#   bash scripts/bench-instructions.sh              # 100,000 residents, 2,000 requests each
#   RESIDENTS=1000000 REQUESTS=5000 bash scripts/bench-instructions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
source scripts/bench-lib.sh
gerbang_install_prerequisites python3 curl valgrind

RESIDENTS="${RESIDENTS:-100000}"
REQUESTS="${REQUESTS:-2000}"
DIR="target/bench-access/r${RESIDENTS}"
OUT="target/bench-instructions"
GERBANG_PORT=18082
HELLO_PORT=18083

bench_build_and_seed "$DIR" "$RESIDENTS"
BIN=./target/release/gerbang
mkdir -p "$OUT"

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts a server under callgrind with counting off: start-up is not counted.
under_callgrind() {
    local name=$1
    shift
    rm -f "$OUT/$name".callgrind*
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/$name.callgrind" "$@" \
        >"$OUT/$name.out" 2>"$OUT/$name.err" &
    echo $!
}

# count NAME PID URL BODY → instructions per request over REQUESTS requests,
# after 300 uncounted ones (connections, caches and statements warm).
count() {
    local name=$1 pid=$2 url=$3 body=$4 total
    "$OHA" --no-tui -n 300 -c 8 -m POST -H 'Content-Type: application/json' -d "$body" "$url" >/dev/null
    callgrind_control -i on "$pid" >/dev/null 2>&1
    "$OHA" --no-tui -n "$REQUESTS" -c 8 -m POST -H 'Content-Type: application/json' -d "$body" "$url" >/dev/null
    callgrind_control -i off "$pid" >/dev/null 2>&1
    callgrind_control -d "$pid" >/dev/null 2>&1
    sleep 1
    total=$(cat "$OUT/$name".callgrind* | awk '/^summary:/ { s += $2 } /^totals:/ { t += $2 } END { print (s > 0 ? s : t) }')
    printf '%-24s %9.0f instructions per request   (%s)\n' "$name" "$((total / REQUESTS))" "$OUT/$name.callgrind.*"
}

HELLO_PID=$(under_callgrind hello ./target/release/examples/hello "127.0.0.1:$HELLO_PORT")
pids+=("$HELLO_PID")
for _ in $(seq 150); do curl -fs -X POST -d '{}' "http://127.0.0.1:$HELLO_PORT/" >/dev/null 2>&1 && break; sleep 0.2; done
echo "Register: $RESIDENTS residents; $REQUESTS requests each, 8 connections"
count hello "$HELLO_PID" "http://127.0.0.1:$HELLO_PORT/" '{}'
kill "$HELLO_PID"
while kill -0 "$HELLO_PID" 2>/dev/null; do sleep 0.2; done

for mechanism in CALL_VERIFY_BY_ELEMEN CALL_NIK; do
    GERBANG_PID=$(GERBANG_LOG=warn under_callgrind "$mechanism" "$BIN" demo --data-dir "$DIR" --listen "127.0.0.1:$GERBANG_PORT")
    pids+=("$GERBANG_PID")
    # Start-up under valgrind is tens of times slower than natively.
    wait_healthy "127.0.0.1:$GERBANG_PORT" 300
    { read -r VERIFY_BODY; read -r CALL_BODY; } < <(bench_demo_bodies "$DIR" "$OUT/$mechanism.out")
    case $mechanism in
        CALL_VERIFY_BY_ELEMEN) instansi=KEMENPPPA body=$VERIFY_BODY ;;
        CALL_NIK) instansi=LPSK body=$CALL_BODY ;;
    esac
    url="http://127.0.0.1:$GERBANG_PORT/dukcapil/get_json/$instansi/$mechanism"
    expect_answer "$url" "$body" NAMA_LGKP
    count "$mechanism" "$GERBANG_PID" "$url" "$body"
    kill "$GERBANG_PID"
    while kill -0 "$GERBANG_PID" 2>/dev/null; do sleep 0.2; done
done
echo "Per function: callgrind_annotate --inclusive=yes $OUT/CALL_VERIFY_BY_ELEMEN.callgrind.1 | head -60"

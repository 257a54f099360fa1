#!/usr/bin/env bash
# Access-plane benchmark (BENCHMARKS.md, issue 3): throughput and latency of
# the compatible service's CALL_VERIFY_BY_ELEMEN and CALL_NIK against a
# 1,000,000-resident register, with every guard and the durable audit on,
# measured in the same run as a trivial axum hello-world on this machine.
# Load generator: oha (installed under target/tools on first use).
#
#   bash scripts/bench-access.sh            # 1,000,000 residents, 20 s per run
#   RESIDENTS=100000 SECONDS_PER_RUN=5 bash scripts/bench-access.sh
#
# Each mechanism is measured twice: with one NIK in every request, and with
# 50,000 residents drawn at random from the register, one per request.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
source scripts/bench-lib.sh
gerbang_install_prerequisites python3 curl

RESIDENTS="${RESIDENTS:-1000000}"
DIR="target/bench-access/r${RESIDENTS}"
GERBANG_PORT=18080
HELLO_PORT=18081

bench_build_and_seed "$DIR" "$RESIDENTS"
BIN=./target/release/gerbang

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

GERBANG_LOG=warn "$BIN" demo --data-dir "$DIR" --listen "127.0.0.1:$GERBANG_PORT" >"$DIR/demo.out" 2>"$DIR/demo.err" &
GERBANG_PID=$!
pids+=($GERBANG_PID)
./target/release/examples/hello "127.0.0.1:$HELLO_PORT" &
HELLO_PID=$!
pids+=($HELLO_PID)
wait_healthy "127.0.0.1:$GERBANG_PORT" || true

for pid in "$GERBANG_PID" "$HELLO_PID"; do
    kill -0 "$pid" 2>/dev/null || { echo "a server did not start (ports $GERBANG_PORT/$HELLO_PORT busy?)" >&2; exit 1; }
done

{ read -r VERIFY_BODY; read -r CALL_BODY; } < <(bench_demo_bodies "$DIR" "$DIR/demo.out")

echo "Register: $RESIDENTS residents; $CONNECTIONS connections; ${RUN}s per run; $(nproc) cores"
read -r hello_rps hello_p50 hello_p99 hello_codes < <(measure "http://127.0.0.1:$HELLO_PORT/" '{}')
report "axum hello-world" "$hello_rps" "$hello_p50" "$hello_p99" "$hello_codes"
VERIFY_URL="http://127.0.0.1:$GERBANG_PORT/dukcapil/get_json/KEMENPPPA/CALL_VERIFY_BY_ELEMEN"
CALL_URL="http://127.0.0.1:$GERBANG_PORT/dukcapil/get_json/LPSK/CALL_NIK"
# Measure real answers only, not error rows.
expect_answer "$VERIFY_URL" "$VERIFY_BODY" NAMA_LGKP
expect_answer "$CALL_URL" "$CALL_BODY" NAMA_LGKP
# First one NIK in every request (the same body), then residents drawn at
# random from the register, a different one per request, as real traffic.
bench_varied_bodies "$DIR" 50000
for name in verify call varied-verify varied-call; do
    case $name in
        verify) url=$VERIFY_URL body=$VERIFY_BODY label=CALL_VERIFY_BY_ELEMEN ;;
        call) url=$CALL_URL body=$CALL_BODY label=CALL_NIK ;;
        varied-verify) url=$VERIFY_URL body=@$DIR/varied-verify.jsonl label="CALL_VERIFY_BY_ELEMEN, varied NIK" ;;
        varied-call) url=$CALL_URL body=@$DIR/varied-call.jsonl label="CALL_NIK, varied NIK" ;;
    esac
    read -r rps p50 p99 codes < <(measure "$url" "$body")
    report "$label (peak)" "$rps" "$p50" "$p99" "$codes"
    half=$((${rps%.*} / 2))
    read -r hrps hp50 hp99 hcodes < <(measure "$url" "$body" -q "$half")
    report "$label (at $half req/s)" "$hrps" "$hp50" "$hp99" "$hcodes"
    python3 -c "print('  %s: %.0f %% of hello-world' % ('$label', 100.0 * $rps / $hello_rps))"
done
# Server CPU time per request over a fixed number of requests: steadier than
# requests per second on a shared machine.
cpu_per_request() {
    local pid=$1 url=$2 body=$3 n=${CPU_REQUESTS:-200000} before after
    before=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    "$OHA" --no-tui -n "$n" -c "$CONNECTIONS" -m POST -H 'Content-Type: application/json' -d "$body" "$url" >/dev/null
    after=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    python3 -c "print('%.1f' % (($after - $before) / $(getconf CLK_TCK) / $n * 1e6))"
}
echo "Server CPU per request: hello-world $(cpu_per_request "$HELLO_PID" "http://127.0.0.1:$HELLO_PORT/" '{}') µs," \
    "CALL_VERIFY_BY_ELEMEN $(cpu_per_request "$GERBANG_PID" "$VERIFY_URL" "$VERIFY_BODY") µs," \
    "CALL_NIK $(cpu_per_request "$GERBANG_PID" "$CALL_URL" "$CALL_BODY") µs"
echo "Audit trail: $("$BIN" audit verify --data-dir "$DIR")"

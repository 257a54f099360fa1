#!/usr/bin/env bash
# Access-plane benchmark (BENCHMARKS.md, issue 3): throughput and latency of
# the compatible service's CALL_VERIFY_BY_ELEMEN and CALL_NIK against a
# 1,000,000-resident register, with every guard and the durable audit on,
# measured in the same run as a trivial axum hello-world on this machine.
# Load generator: oha (installed under target/tools on first use).
#
#   bash scripts/bench-access.sh            # 1,000,000 residents, 20 s per run
#   RESIDENTS=100000 SECONDS_PER_RUN=5 bash scripts/bench-access.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
gerbang_install_prerequisites python3

RESIDENTS="${RESIDENTS:-1000000}"
RUN="${SECONDS_PER_RUN:-20}"
CONNECTIONS="${CONNECTIONS:-64}"
DIR="target/bench-access/r${RESIDENTS}"
GERBANG_PORT=18080
HELLO_PORT=18081
OHA=target/tools/bin/oha

[ -x "$OHA" ] || cargo install oha --locked --root target/tools
cargo build --release --locked -p gerbang --bin gerbang
cargo build --release --locked -p gerbang-web --example hello
BIN=./target/release/gerbang

if [ ! -f "$DIR/gerbang.sqlite3" ]; then
    "$BIN" seed --data-dir "$DIR" --residents "$RESIDENTS"
fi

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

GERBANG_LOG=warn "$BIN" demo --data-dir "$DIR" --listen "127.0.0.1:$GERBANG_PORT" >"$DIR/demo.out" 2>"$DIR/demo.err" &
GERBANG_PID=$!
pids+=($GERBANG_PID)
./target/release/examples/hello "127.0.0.1:$HELLO_PORT" &
HELLO_PID=$!
pids+=($HELLO_PID)
for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$GERBANG_PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done

for pid in "$GERBANG_PID" "$HELLO_PID"; do
    kill -0 "$pid" 2>/dev/null || { echo "a server did not start (ports $GERBANG_PORT/$HELLO_PORT busy?)" >&2; exit 1; }
done

# The demo accounts have the default 1,000 hits a day; the benchmark needs more.
for user in kemenpppa-ws lpsk-ws; do
    "$BIN" user set-quota "$user" 1000000000 --data-dir "$DIR" >/dev/null
done
sleep 1

NIK=$("$BIN" resident show --data-dir "$DIR" --json "$(sed -n 's/^Contoh NIK: \([0-9]*\).*/\1/p' "$DIR/demo.out")" |
    python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["elements"]["NIK"])')
# One body per line: the bodies contain spaces ("BUDI SANTOSO"), so they
# must not be split on whitespace.
{ read -r VERIFY_BODY; read -r CALL_BODY; } < <(python3 - "$DIR/demo-credentials.json" "$NIK" <<'PY'
import json, sys
creds = {(c["institution"], c["role"]): c for c in json.load(open(sys.argv[1]))}
nik = sys.argv[2]
k, l = creds[("kemenpppa", "service")], creds[("lpsk", "service")]
verify = {"USER_ID": k["user_id"], "PASSWORD": k["password"], "IP_USER": "127.0.0.1", "NIK": nik,
          "NAMA_LGKP": "BUDI SANTOSO", "TGL_LHR": "12-05-1985", "JENIS_KLMIN": "LAKI-LAKI", "TRESHOLD": "80"}
call = {"USER_ID": l["user_id"], "PASSWORD": l["password"], "IP_USER": "127.0.0.1", "NIK": nik}
print(json.dumps(verify, separators=(",", ":")))
print(json.dumps(call, separators=(",", ":")))
PY
)

# oha URL BODY [extra args] → "rps p50_ms p99_ms"
measure() {
    local url=$1 body=$2
    shift 2
    "$OHA" --no-tui --output-format json -z "${RUN}s" -c "$CONNECTIONS" -m POST \
        -H 'Content-Type: application/json' -d "$body" "$@" "$url" |
        python3 -c 'import json,sys; r=json.load(sys.stdin); s=r["summary"]; p=r["latencyPercentiles"]; c=r.get("statusCodeDistribution",{});
print("%.0f %.2f %.2f %s" % (s["requestsPerSec"], p["p50"]*1000, p["p99"]*1000, ",".join("%s:%s"%kv for kv in c.items())))'
}

report() { printf '%-34s %9s req/s   p50 %6s ms   p99 %6s ms   (%s)\n' "$1" "$2" "$3" "$4" "$5"; }

echo "Register: $RESIDENTS residents; $CONNECTIONS connections; ${RUN}s per run; $(nproc) cores"
read -r hello_rps hello_p50 hello_p99 hello_codes < <(measure "http://127.0.0.1:$HELLO_PORT/" '{}')
report "axum hello-world" "$hello_rps" "$hello_p50" "$hello_p99" "$hello_codes"
VERIFY_URL="http://127.0.0.1:$GERBANG_PORT/dukcapil/get_json/KEMENPPPA/CALL_VERIFY_BY_ELEMEN"
CALL_URL="http://127.0.0.1:$GERBANG_PORT/dukcapil/get_json/LPSK/CALL_NIK"
# Measure real answers only: a verification with per-element results and a
# CALL_NIK with the resident's elements, not an error row.
expect_answer() {
    local url=$1 body=$2 key=$3 answer
    answer=$(curl -fs -X POST -H 'Content-Type: application/json' -d "$body" "$url")
    python3 -c 'import json,sys; row=json.loads(sys.argv[1])["content"][0]; sys.exit(0 if sys.argv[2] in row and "RESPON" not in row else 1)' \
        "$answer" "$key" || { echo "not a real answer from $url: $answer" >&2; exit 1; }
}
expect_answer "$VERIFY_URL" "$VERIFY_BODY" NAMA_LGKP
expect_answer "$CALL_URL" "$CALL_BODY" NAMA_LGKP
for name in verify call; do
    if [ "$name" = verify ]; then url=$VERIFY_URL body=$VERIFY_BODY label=CALL_VERIFY_BY_ELEMEN; else url=$CALL_URL body=$CALL_BODY label=CALL_NIK; fi
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

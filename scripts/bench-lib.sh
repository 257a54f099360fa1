#!/usr/bin/env bash
# Shared pieces of the HTTP benchmark scripts (bench-access.sh,
# bench-postgres.sh): oha, request bodies from a demo credentials file, and
# measuring and printing one run. Sourced, never run.

OHA=target/tools/bin/oha
RUN="${SECONDS_PER_RUN:-20}"
CONNECTIONS="${CONNECTIONS:-64}"

gerbang_bench_tools() {
    [ -x "$OHA" ] || cargo install oha --locked --root target/tools
}

# bench_build_and_seed DIR RESIDENTS: oha, the release builds of Gerbang and
# the hello-world, and a register of RESIDENTS in DIR unless one is there.
bench_build_and_seed() {
    gerbang_bench_tools
    cargo build --release --locked -p gerbang --bin gerbang
    cargo build --release --locked -p gerbang-web --example hello
    [ -f "$1/gerbang.sqlite3" ] || ./target/release/gerbang seed --data-dir "$1" --residents "$2"
}

# bench_demo_bodies DIR DEMO_OUT → the two lines of bench_bodies for the
# example NIK that `gerbang demo` printed to DEMO_OUT, once the two accounts
# measured have a quota the benchmark cannot use up (the demo gives 1,000
# hits a day) and the running server has taken it.
bench_demo_bodies() {
    local dir=$1 demo_out=$2
    for user in kemenpppa-ws lpsk-ws; do
        ./target/release/gerbang user set-quota "$user" 1000000000 --data-dir "$dir" >/dev/null
    done
    sleep 1
    bench_bodies "$dir/demo-credentials.json" "$(sed -n 's/^Contoh NIK: \([0-9]*\).*/\1/p' "$demo_out")"
}

# The request bodies of the benchmarks: the CALL_VERIFY_BY_ELEMEN body
# (KemenPPPA's service account) and the CALL_NIK body (LPSK's) for each NIK
# given, as JSON lines. Arguments: CREDENTIALS_JSON VERIFY_OUT CALL_OUT NIK…
# ("-" as an output: standard output); without NIKs among the arguments
# they are read from standard input, whitespace-separated.
BENCH_BODIES_PY='
import json, sys
creds = {(c["institution"], c["role"]): c for c in json.load(open(sys.argv[1]))}
k, l = creds[("kemenpppa", "service")], creds[("lpsk", "service")]
def verify(nik):
    return {"USER_ID": k["user_id"], "PASSWORD": k["password"], "IP_USER": "127.0.0.1", "NIK": nik,
            "NAMA_LGKP": "BUDI SANTOSO", "TGL_LHR": "12-05-1985", "JENIS_KLMIN": "LAKI-LAKI", "TRESHOLD": "80"}
def call(nik):
    return {"USER_ID": l["user_id"], "PASSWORD": l["password"], "IP_USER": "127.0.0.1", "NIK": nik}
niks = sys.argv[4:] or sys.stdin.read().split()
for path, body in ((sys.argv[2], verify), (sys.argv[3], call)):
    out = sys.stdout if path == "-" else open(path, "w")
    for nik in niks:
        out.write(json.dumps(body(nik), separators=(",", ":")) + "\n")
'

# bench_bodies CREDENTIALS_JSON NIK → two lines: the CALL_VERIFY_BY_ELEMEN body
# and the CALL_NIK body for NIK. Read them one per line: the bodies contain
# spaces ("BUDI SANTOSO").
bench_bodies() {
    python3 -c "$BENCH_BODIES_PY" "$1" - - "$2"
}

# bench_varied_bodies DIR COUNT → writes DIR/varied-verify.jsonl and
# DIR/varied-call.jsonl: the two bodies for COUNT residents drawn at random
# from the register in DIR, one request per line (oha -Z sends them in turn),
# so that look-ups read cold pages and audit records land all over the
# trail's by-resident index, as real traffic does.
bench_varied_bodies() {
    local dir=$1 count=$2
    python3 -c 'import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
for (nik,) in db.execute("select nik from residents order by random() limit ?", (int(sys.argv[2]),)):
    print(nik)' "$dir/gerbang.sqlite3" "$count" |
        python3 -c "$BENCH_BODIES_PY" "$dir/demo-credentials.json" "$dir/varied-verify.jsonl" "$dir/varied-call.jsonl"
}

# measure URL BODY [oha args] → "rps p50_ms p99_ms status:count,…"; BODY
# "@FILE" sends the lines of FILE in turn, one per request.
measure() {
    local url=$1 body=$2 source=(-d "$2")
    shift 2
    if [ "${body:0:1}" = @ ]; then source=(-Z "${body:1}"); fi
    "$OHA" --no-tui --output-format json -z "${RUN}s" -c "$CONNECTIONS" -m POST \
        -H 'Content-Type: application/json' "${source[@]}" "$@" "$url" |
        python3 -c 'import json,sys; r=json.load(sys.stdin); s=r["summary"]; p=r["latencyPercentiles"]; c=r.get("statusCodeDistribution",{});
print("%.0f %.2f %.2f %s" % (s["requestsPerSec"], p["p50"]*1000, p["p99"]*1000, ",".join("%s:%s"%kv for kv in c.items())))'
}

report() { printf '%-52s %9s req/s   p50 %6s ms   p99 %6s ms   (%s)\n' "$1" "$2" "$3" "$4" "$5"; }

# Refuses to measure unless URL answers BODY with a real row holding KEY
# (per-element results or the resident's elements), not an error row.
expect_answer() {
    local url=$1 body=$2 key=$3 answer
    answer=$(curl -fs -X POST -H 'Content-Type: application/json' -d "$body" "$url")
    python3 -c 'import json,sys; row=json.loads(sys.argv[1])["content"][0]; sys.exit(0 if sys.argv[2] in row and "RESPON" not in row else 1)' \
        "$answer" "$key" || { echo "not a real answer from $url: $answer" >&2; exit 1; }
}

# wait_healthy ADDRESS [SECONDS]: waits until http://ADDRESS/healthz answers
# (up to 20 s unless told otherwise).
wait_healthy() {
    for _ in $(seq $((${2:-20} * 5))); do
        curl -fs "http://$1/healthz" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    echo "no answer from http://$1/healthz" >&2
    return 1
}

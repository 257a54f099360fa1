#!/usr/bin/env bash
# Schema-driven testing of the v1 API: starts a small `gerbang demo` on a
# free loopback port and lets Schemathesis (from PyPI, in a private
# virtualenv under target/) generate requests from the OpenAPI document the
# server itself serves at /api/v1/openapi.json. It fails on any answer that
# is a 5xx, has a status code, content type, header or body the document
# does not declare, accepts what the schema forbids, or ignores missing
# credentials. Run by scripts/test.sh after the tests, or on its own.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
source scripts/prerequisites.sh
gerbang_install_prerequisites python3 python3-venv

SCHEMATHESIS_VERSION=4.32.5
venv=target/schemathesis-venv
# Test cases per operation and phase; a run that outlives its bound (in
# seconds) is stopped and fails. (Schemathesis' own --max-time is a budget
# it fills, not a bound.)
examples="${GERBANG_SCHEMATHESIS_EXAMPLES:-25}"
bound="${GERBANG_SCHEMATHESIS_SECONDS:-120}"

echo "== schemathesis $SCHEMATHESIS_VERSION"
if [ "$("$venv/bin/schemathesis" --version 2>/dev/null)" != "schemathesis, version $SCHEMATHESIS_VERSION" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

cargo build --locked -p gerbang
gerbang="${CARGO_TARGET_DIR:-target}/debug/gerbang"

data="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
server=""
stop_server() {
    [ -z "$server" ] || kill "$server" 2>/dev/null || true
    [ -z "$server" ] || wait "$server" 2>/dev/null || true
    rm -rf "$data"
}
trap stop_server EXIT

"$gerbang" demo --data-dir "$data" --listen "127.0.0.1:$port" --residents 300 --fingerprints 10 >"$data/server.log" 2>&1 &
server=$!
for _ in $(seq 300); do
    grep -q "mendengarkan di" "$data/server.log" && break
    kill -0 "$server" 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
    sleep 0.2
done
grep -q "mendengarkan di" "$data/server.log" || { echo "gerbang demo tidak siap" >&2; cat "$data/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"

# The token of a demo account: a partner's service account by User ID, or
# the national provider administrator.
token_of() {
    python3 - "$data" "$1" <<'EOF'
import json, sys
data, user_id = sys.argv[1], sys.argv[2]
accounts = json.load(open(f"{data}/demo-credentials.json")) + json.load(open(f"{data}/demo-admin-credentials.json"))
print(next(a["token"] for a in accounts if a["user_id"] == user_id))
EOF
}

# Every check, less one: positive_data_acceptance expects every
# schema-valid request to be accepted, but the API rightly refuses, with a
# documented 400 or 422, what JSON Schema cannot express: a NIK whose date or
# region does not exist, a photo without exactly one face, a fingerprint
# image of the wrong resolution, a card read whose SAM signature is wrong.
# Every run is made, and the script fails at the end if any failed.
failed=()
run_schemathesis() {
    local label="$1" user_id="$2"
    shift 2
    echo "== schemathesis: $label ($user_id)"
    # From the server's folder, where its caches (.schemathesis/) go with it.
    if ! (cd "$data" && timeout "$bound" "$root/$venv/bin/schemathesis" run "$base/api/v1/openapi.json" \
        --checks all --exclude-checks positive_data_acceptance \
        --header "Authorization: Bearer $(token_of "$user_id")" \
        --max-examples "$examples" --seed 1 --workers 2 --no-color \
        "$@"); then
        failed+=("$label ($user_id)")
        # The server's side of it (a 5xx is logged with its cause).
        grep -E " (ERROR|WARN) " "$data/server.log" | tail -n 20 >&2 || true
    fi
}

# What only the registry's administrators call: the administration API and
# the return data partners sent about a resident.
registry_only='^/api/v1/(admin/|return-data/of-resident$)'

# The mechanisms, return data and card-reader events, each as a partner's
# service account whose agreement grants what the others' do not: between
# them every mechanism is called with an account allowed to call it.
for account in pemasyarakatan-ws lpsk-ws bkn-ws kemenpppa-ws; do
    run_schemathesis "mekanisme" "$account" --exclude-path-regex "$registry_only"
done
# The administration API as the national provider administrator. Every
# operation is kept: the run only creates partners and agreements of its own
# (and may suspend one of the demo's), and a provider administrator is not
# subject to the partners' allow-lists, so it cannot lock itself out.
run_schemathesis "administrasi" admin-dukcapil --include-path-regex "$registry_only"
if ((${#failed[@]})); then
    echo "schemathesis: gagal: ${failed[*]}" >&2
    exit 1
fi
echo "schemathesis: semua pemeriksaan lulus"

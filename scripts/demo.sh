#!/usr/bin/env bash
# Builds Gerbang and runs its demo: an embedded SQLite register in
# ./gerbang-data filled with a synthetic population (100,000 residents
# unless GERBANG_DEMO_RESIDENTS says otherwise) and the five partners of the
# seed agreements, served on 127.0.0.1:8000; the partners' credentials are in
# ./gerbang-data/demo-credentials.json. A second run reuses the register and
# the accounts. Extra arguments go to `gerbang demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
gerbang_install_prerequisites
source scripts/face-models.sh
gerbang_fetch_face_models
cargo build --release --locked -p gerbang
exec ./target/release/gerbang demo \
    --data-dir "${GERBANG_DATA_DIR:-./gerbang-data}" \
    --residents "${GERBANG_DEMO_RESIDENTS:-100000}" \
    "$@"

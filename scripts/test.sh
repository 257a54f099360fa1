#!/usr/bin/env bash
# Runs Gerbang's whole test suite on a fresh machine: installs what it needs,
# checks formatting and lints, then runs every unit and integration test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
gerbang_install_prerequisites

echo "== format"
cargo fmt --all --check
echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== tests"
cargo test --workspace --locked

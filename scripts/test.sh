#!/usr/bin/env bash
# Runs Gerbang's whole test suite on a fresh machine: installs what it needs,
# checks formatting and lints, starts a throwaway PostgreSQL cluster for the
# PostgreSQL backend's storage story, then runs every unit and integration
# test (the same story runs against SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
source scripts/postgres.sh
gerbang_install_prerequisites postgresql python3

echo "== format"
cargo fmt --all --check
echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== tests"
gerbang_start_postgres
cargo test --workspace --locked

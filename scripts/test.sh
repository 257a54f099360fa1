#!/usr/bin/env bash
# Runs Gerbang's whole test suite on a fresh machine: installs what it needs,
# checks formatting and lints, fuzzes the parsers of untrusted input for a
# few minutes, starts a throwaway PostgreSQL cluster for the
# PostgreSQL backend's storage story, then runs every unit and integration
# test (the same story runs against SQLite and PostgreSQL; the portal's
# journeys also run in headless Chromium, screenshots in target/screenshots).
#
# The disk is the scarce part of a CI machine: incremental compilation
# (useless on a clean clone) is off, and the fuzz build (about 3 GB) is
# removed once the fuzzing is done; GERBANG_KEEP_FUZZ_BUILD=1 keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_INCREMENTAL=0
source scripts/prerequisites.sh
source scripts/postgres.sh
gerbang_install_prerequisites postgresql python3 python3-venv chromium poppler-utils fonts-dejavu-core libreoffice-calc-nogui
# The portal's browser test: Playwright (one npm package) driving Debian's
# Chromium; Node.js comes with these machines, else from Debian.
command -v node >/dev/null 2>&1 || gerbang_install_prerequisites nodejs npm
# dlib's face models for gerbang-biometrics' tests (checked by SHA-256).
source scripts/face-models.sh
gerbang_fetch_face_models
echo "== browser test dependencies"
npm ci --prefix crates/gerbang/tests/browser --no-audit --no-fund --loglevel=error

echo "== format"
cargo fmt --all --check
echo "== lints"
cargo clippy --workspace --all-targets --locked -- -D warnings
# The parsers of untrusted input, fuzzed for a bounded time from the
# committed seeds (GERBANG_FUZZ_SECONDS per target); fails on any crash.
scripts/fuzz.sh
if [ "${GERBANG_KEEP_FUZZ_BUILD:-0}" != 1 ]; then
    rm -rf "${CARGO_TARGET_DIR:-target}/fuzz"
fi
echo "== tests"
gerbang_start_postgres
cargo test --workspace --locked
echo "== schema-driven API tests"
bash scripts/schemathesis.sh

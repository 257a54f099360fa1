#!/usr/bin/env bash
# Fuzzes Gerbang's parsers of untrusted input for a bounded time (issue 8,
# hardening): the NIK/NO_KK parsers, the compatible service's body reader,
# the v1 JSON bodies, the return-data intake (CSV/xlsx/xls/ods) and the
# biometric image, WSQ fingerprint and ISO/IEC 19794-2 template decoders.
# Fails if any target crashes; the crashing input is left in
# fuzz/artifacts/<target>/.
#
# Uses cargo-fuzz (libFuzzer) on the stable toolchain: the sanitizer and
# coverage flags are nightly-only, so RUSTC_BOOTSTRAP=1 lets stable take
# them. Each target starts from its committed seeds (fuzz/corpus/<target>/
# seed-*) and keeps what it finds in a scratch corpus under the target
# directory, which is never committed.
#
#   GERBANG_FUZZ_SECONDS  seconds per target (default 30: the six targets of
#                         the default run, wsq_decode among them, take three
#                         minutes on two cores; every target in
#                         fuzz/Cargo.toml runs but those with open findings)
#   GERBANG_FUZZ_TARGETS  the targets to run (default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.1
seconds=${GERBANG_FUZZ_SECONDS:-30}
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}/fuzz

if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    echo "== cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

cd fuzz
read -r -a targets <<<"${GERBANG_FUZZ_TARGETS:-$(cargo fuzz list | tr '\n' ' ')}"
echo "== fuzz build (${targets[*]})"
# AddressSanitizer's runtime ships with the stable rust-std; the C parts
# (bundled SQLite, NBIS) are built without it.
cargo fuzz build --sanitizer address

failed=()
scratch="$CARGO_TARGET_DIR/corpus"
for target in "${targets[@]}"; do
    echo "== fuzz $target (${seconds} s)"
    mkdir -p "$scratch/$target"
    # -rss_limit_mb: the decoders' own limits allow 256 MiB of pixels;
    # -timeout: one input taking 10 s is a finding too.
    if ! cargo fuzz run --sanitizer address "$target" "$scratch/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$scratch/$target.log" 2>&1; then
        tail -n 60 "$scratch/$target.log" >&2
        failed+=("$target")
    fi
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done [0-9]+ runs)' "$scratch/$target.log" || true
done

if ((${#failed[@]})); then
    echo "gerbang: fuzzing menemukan masalah pada: ${failed[*]} (masukan ada di fuzz/artifacts/)" >&2
    exit 1
fi
